package dev.sluice.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.auth.Role;
import dev.sluice.server.testing.Http;
import dev.sluice.server.testing.RunningServer;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Walks the server's route table: every route that is not public refuses a request without a token
 * (401) and with a token that does not exist (401), and every route that demands a role refuses a
 * valid token of a role it does not allow (403), over real HTTP. A route added without thinking
 * about its access cannot slip through: its declaration is what this test reads.
 */
class RouteAccessHttpTest {
  private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}");
  private static final String UNKNOWN_TOKEN = "sluice_" + "A".repeat(43);

  @TempDir static Path dataDir;
  static RunningServer running;
  static Http http;
  static final Map<Role, String> tokens = new EnumMap<>(Role.class);

  @BeforeAll
  static void start() {
    running = new RunningServer(dataDir);
    http = running.http;
    var p = running.pipeline.certifiers(1);
    tokens.put(Role.ADMIN, p.adminToken);
    tokens.put(Role.CERTIFIER, p.certifierTokens.get("lab-1"));
    tokens.put(Role.RELEASE_MANAGER, p.token("release-manager", "walk-rm", null));
    tokens.put(Role.OPERATOR, p.token("operator", "walk-operator", null));
    tokens.put(Role.AUDITOR, p.token("auditor", "walk-auditor", null));
  }

  @AfterAll
  static void stop() {
    running.close();
  }

  @Test
  void everyRouteDeclaresItsAccessAndTheDeclarationsCoverTheApi() {
    List<Route> routes = running.server.routes();
    assertThat(routes).hasSizeGreaterThan(90);
    assertThat(routes).allSatisfy(r -> assertThat(r.access()).as(r.toString()).isNotNull());
    assertThat(routes)
        .filteredOn(r -> r.template().startsWith("/api/v1/") && !r.template().contains("public"))
        .filteredOn(
            r ->
                !r.template().equals("/api/v1/health")
                    && !r.template().equals("/api/v1/ready")
                    && !r.template().equals("/api/v1/openapi.json"))
        .as("the management API is never public")
        .allSatisfy(r -> assertThat(r.access()).as(r.toString()).isInstanceOf(Access.Token.class));
    assertThat(routes)
        .filteredOn(r -> r.template().contains("/controller/v1/"))
        .as("the device API admits devices only")
        .allSatisfy(r -> assertThat(r.access()).isInstanceOf(Access.Device.class));
  }

  @Test
  void everyRouteThatIsNotPublicRefusesAMissingAndAnUnknownToken() {
    List<String> checked = new ArrayList<>();
    for (Route route : running.server.routes()) {
      if (route.access() instanceof Access.Public) {
        continue;
      }
      String path = concrete(route.template());
      Http.Response missing = call(route, path, Optional.empty());
      assertThat(missing.status()).as("no token: " + route + "\n" + missing.text()).isEqualTo(401);
      Http.Response unknown = call(route, path, Optional.of(UNKNOWN_TOKEN));
      assertThat(unknown.status())
          .as("unknown token: " + route + "\n" + unknown.text())
          .isEqualTo(401);
      checked.add(route.method() + " " + route.template());
    }
    assertThat(checked).hasSizeGreaterThan(70);
  }

  @Test
  void everyRouteThatDemandsARoleRefusesATokenOfAnotherRole() {
    int checked = 0;
    for (Route route : running.server.routes()) {
      if (!(route.access() instanceof Access.Token token) || token.roles().isEmpty()) {
        continue;
      }
      for (Role weaker : tokens.keySet()) {
        if (token.allows(weaker)) {
          continue;
        }
        Http.Response refused =
            call(route, concrete(route.template()), Optional.of(tokens.get(weaker)));
        assertThat(refused.status())
            .as(weaker + " on " + route + "\n" + refused.text())
            .isEqualTo(403);
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(100);
  }

  @Test
  void aRouteOpenToAnyTokenAdmitsEveryRole() {
    for (Role role : tokens.keySet()) {
      Http.Response whoami = http.get("/api/v1/whoami", tokens.get(role));
      assertThat(whoami.status()).as(role + ": " + whoami.text()).isEqualTo(200);
      assertThat(whoami.json().get("role").asText()).isEqualTo(role.wireName());
    }
  }

  /** The template with every parameter filled in (the DDI tenant with the real one). */
  private static String concrete(String template) {
    Matcher m = PARAMETER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value =
          switch (m.group(1)) {
            case "tenant" -> "DEFAULT";
            case "controllerId" -> "walk-device";
            default -> "walk-" + m.group(1).toLowerCase(java.util.Locale.ROOT);
          };
      m.appendReplacement(out, value);
    }
    m.appendTail(out);
    return out.toString();
  }

  private static Http.Response call(Route route, String path, Optional<String> token) {
    HttpRequest.Builder request = http.request(path, token.orElse(null));
    String type = route.consumes().isEmpty() ? "application/json" : route.consumes().getFirst();
    byte[] body = type.equals("application/json") ? "{}".getBytes() : "x".getBytes();
    if (route.method().equals("GET") || route.method().equals("DELETE")) {
      request.method(route.method(), HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", type.equals("*/*") ? "application/octet-stream" : type)
          .method(route.method(), HttpRequest.BodyPublishers.ofByteArray(body));
    }
    return http.send(request.build());
  }
}
