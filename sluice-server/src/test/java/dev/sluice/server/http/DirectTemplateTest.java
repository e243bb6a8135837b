package dev.sluice.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undertow.util.PathTemplateMatcher;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DirectTemplateTest {
  private static final String POLL = "/{tenant}/controller/v1/{controllerId}";

  @Test
  void matchesWhatUndertowsMatcherMatchesWithTheSameParameters() {
    DirectTemplate direct = new DirectTemplate(POLL);
    PathTemplateMatcher<String> undertow = new PathTemplateMatcher<>();
    undertow.add(POLL, "poll");
    for (String path :
        List.of(
            "/default/controller/v1/dev-1",
            "/DEFAULT/controller/v1/a%20b",
            "/t/controller/v1/..",
            "/t/controller/v1/x.y:z")) {
      Map<String, String> byHand = direct.match(path);
      assertThat(byHand).as(path).isNotNull();
      assertThat(byHand).as(path).isEqualTo(undertow.match(path).getParameters());
    }
  }

  @Test
  void leavesEveryOtherPathToUndertowsMatcher() {
    DirectTemplate direct = new DirectTemplate(POLL);
    for (String path :
        List.of(
            "",
            "/",
            "default/controller/v1/dev-1",
            "/default/controller/v1/dev-1/",
            "/default/controller/v1/",
            "//controller/v1/dev-1",
            "/default/controller/v1/dev-1/configData",
            "/default/controller/v2/dev-1",
            "/default/Controller/v1/dev-1",
            "/default/controllers/v1/dev-1",
            "/default/control/v1/dev-1",
            "/default/controller/v1")) {
      assertThat(direct.match(path)).as(path).isNull();
    }
  }

  @Test
  void overlapsATemplateThatCouldMatchOneOfItsPaths() {
    DirectTemplate direct = new DirectTemplate(POLL);
    assertThat(direct.overlaps("/{a}/{b}/v1/{c}")).isTrue();
    assertThat(direct.overlaps("/api/controller/v1/{id}")).isTrue();
    assertThat(direct.overlaps("/{tenant}/controller/v1/fixed/")).isTrue();
    assertThat(direct.overlaps("/{tenant}/controller/v1/x{y}")).isTrue();
    assertThat(direct.overlaps("/files/*")).isTrue();
    assertThat(direct.overlaps(POLL)).isFalse();
    assertThat(direct.overlaps(POLL + "/configData")).isFalse();
    assertThat(direct.overlaps("/api/v1/devices/{id}")).isFalse();
  }

  @Test
  void refusesTemplatesItCannotMatchByHand() {
    for (String template : List.of("", "a/{b}", "/a/", "/a//b", "/a/x{b}", "/a/*", "/{a}/{a}")) {
      assertThatThrownBy(() -> new DirectTemplate(template))
          .as(template)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aRouterRefusesToMatchByHandARouteAnotherCouldShadow() {
    Router router = new Router(new Problems(), Runnable::run);
    router.io("GET", POLL, Access.publicRead(), exchange -> {});
    router.get("/{tenant}/{kind}/v1/{id}", Access.publicRead(), call -> {});
    router.matchDirectly(POLL);
    assertThatThrownBy(router::handler)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("/{tenant}/{kind}/v1/{id}");
    assertThatThrownBy(() -> router.matchDirectly("/{tenant}/none/v1/{id}"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
