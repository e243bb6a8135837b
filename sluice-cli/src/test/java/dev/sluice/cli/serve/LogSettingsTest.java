package dev.sluice.cli.serve;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.read.ListAppender;
import dev.sluice.server.ServerConfig;
import dev.sluice.server.SluiceServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The server's logs: date and zone, JSON on request, audit lines, and the access log. */
class LogSettingsTest {
  @TempDir Path dir;
  private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();

  @AfterEach
  void restoreConfiguration() {
    context.reset();
    LogConfiguration.apply(context);
  }

  @Test
  void sluiceLogsFromInfoLibrariesFromWarnAndTheAccessLogIsOffByDefault() {
    assertThat(context.getLogger("dev.sluice").getLevel()).isEqualTo(Level.INFO);
    assertThat(context.getLogger("sluice.audit").getLevel()).isEqualTo(Level.INFO);
    assertThat(context.getLogger("sluice.access").getLevel()).isEqualTo(Level.OFF);
    assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel())
        .isEqualTo(Level.WARN);
    assertThat(console()).isInstanceOf(ch.qos.logback.core.ConsoleAppender.class);
  }

  @Test
  void theAccessLogHasOneLinePerRequestWithoutTheQueryAndAuditLinesFollowCommits()
      throws Exception {
    LogSettings.apply(LogSettings.Format.text, true);
    ListAppender<ILoggingEvent> access = listen("sluice.access");
    ListAppender<ILoggingEvent> audit = listen("sluice.audit");
    try (SluiceServer server =
        SluiceServer.start(ServerConfig.builder(dir.resolve("data")).port(0).build())) {
      String admin = server.bootstrapAdminToken().orElseThrow();
      HttpResponse<String> answer =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(server.baseUri() + "/api/v1/releases?product=secret-filter"))
                      .header("Authorization", "Bearer " + admin)
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(200);
      HttpRequest token =
          HttpRequest.newBuilder(URI.create(server.baseUri() + "/api/v1/tokens"))
              .header("Authorization", "Bearer " + admin)
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"role\":\"auditor\",\"label\":\"prometheus\"}"))
              .build();
      assertThat(
              HttpClient.newHttpClient()
                  .send(token, HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(201);
    }
    List<String> lines = access.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(lines)
        .anySatisfy(
            line ->
                assertThat(line)
                    .startsWith("GET /api/v1/releases 200 ")
                    .contains("ms route=/api/v1/releases"));
    assertThat(String.join("\n", lines)).doesNotContain("secret-filter");
    assertThat(audit.list.stream().map(ILoggingEvent::getFormattedMessage))
        .anySatisfy(line -> assertThat(line).startsWith("token.issued ").contains(" by "));
  }

  @Test
  void jsonFormatWritesOneObjectPerLineAndTextHasDateAndZone() {
    OutputStreamAppender<ILoggingEvent> console = console();
    ILoggingEvent event = event("sluice listening");
    String text = new String(console.getEncoder().encode(event), StandardCharsets.UTF_8);
    assertThat(text)
        .matches(
            "(?s)\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) INFO .*sluice listening.*");

    LogSettings.apply(LogSettings.Format.json, false);
    String json = new String(console().getEncoder().encode(event), StandardCharsets.UTF_8);
    assertThat(json.strip())
        .startsWith("{")
        .endsWith("}")
        .contains("\"message\":\"sluice listening\"");
    assertThat(json.strip().lines()).hasSize(1);
  }

  private ILoggingEvent event(String message) {
    ch.qos.logback.classic.Logger logger = context.getLogger("dev.sluice.server.SluiceServer");
    return new ch.qos.logback.classic.spi.LoggingEvent(
        ch.qos.logback.classic.Logger.class.getName(),
        logger,
        ch.qos.logback.classic.Level.INFO,
        message,
        null,
        null);
  }

  private OutputStreamAppender<ILoggingEvent> console() {
    ch.qos.logback.core.Appender<ILoggingEvent> appender =
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("console");
    assertThat(appender).isInstanceOf(OutputStreamAppender.class);
    return appender instanceof OutputStreamAppender<ILoggingEvent> console ? console : null;
  }

  private ListAppender<ILoggingEvent> listen(String name) {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.setContext(context);
    appender.start();
    context.getLogger(name).addAppender(appender);
    return appender;
  }
}
