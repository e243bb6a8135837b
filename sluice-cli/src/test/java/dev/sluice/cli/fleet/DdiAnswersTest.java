package dev.sluice.cli.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.trust.json.CanonicalJson;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Reading hawkBit DDI v1 answers as the simulated devices do. */
class DdiAnswersTest {
  private static final URI SERVER = URI.create("http://127.0.0.1:8080");

  @Test
  void aPollAnswerGivesTheIntervalAndTheLinks() throws DdiException {
    PollAnswer answer =
        PollAnswer.parse(
            json(
                """
                {"config":{"polling":{"sleep":"00:05:00"}},
                 "_links":{
                   "deploymentBase":{"href":"http://127.0.0.1:8080/DEFAULT/controller/v1/d1/deploymentBase/17?c=-9"},
                   "configData":{"href":"/DEFAULT/controller/v1/d1/configData"}}}
                """),
            SERVER);
    assertThat(answer.sleep()).contains(Duration.ofMinutes(5));
    assertThat(answer.deploymentBase()).isPresent();
    assertThat(PollAnswer.actionId(answer.deploymentBase().get())).isEqualTo("17");
    assertThat(answer.configData())
        .contains(URI.create("http://127.0.0.1:8080/DEFAULT/controller/v1/d1/configData"));
    assertThat(answer.cancelAction()).isEmpty();
  }

  @Test
  void anIdlePollHasNoLinks() throws DdiException {
    PollAnswer answer =
        PollAnswer.parse(json("{\"config\":{\"polling\":{\"sleep\":\"12:00:01\"}}}"), SERVER);
    assertThat(answer.sleep()).contains(Duration.ofHours(12).plusSeconds(1));
    assertThat(answer.deploymentBase()).isEmpty();
    assertThat(answer.cancelAction()).isEmpty();
    assertThat(answer.configData()).isEmpty();
  }

  @Test
  void aMalformedSleepIsAProtocolError() {
    for (String sleep : new String[] {"5m", "00:61:00", "00:00", "a:b:c"}) {
      assertThatThrownBy(() -> PollAnswer.parseSleep(sleep))
          .isInstanceOf(DdiException.class)
          .hasMessageContaining("config.polling.sleep");
    }
  }

  @Test
  void aDeploymentGivesItsVersionArtifactsAndHowToHandleThem() throws DdiException {
    Deployment deployment =
        Deployment.parse(
            json(
                """
                {"id":"17","deployment":{"download":"forced","update":"attempt",
                  "maintenanceWindow":"unavailable",
                  "chunks":[{"part":"os","version":"14.0.1","name":"acme-phone",
                    "artifacts":[{"filename":"system.img","size":3,
                      "hashes":{"sha256":"039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81"},
                      "_links":{"download":{"href":"https://cdn.example/a"},
                                "download-http":{"href":"http://127.0.0.1:8080/a"}}}]}]}}
                """),
            SERVER);
    assertThat(deployment.actionId()).isEqualTo("17");
    assertThat(deployment.version()).contains("14.0.1");
    assertThat(deployment.downloadOnly()).isFalse();
    assertThat(deployment.installNow()).as("the maintenance window is closed").isFalse();
    assertThat(deployment.artifacts())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.filename()).isEqualTo("system.img");
              assertThat(a.size()).isEqualTo(3);
              assertThat(a.download())
                  .as("the link of the server's scheme")
                  .isEqualTo(URI.create("http://127.0.0.1:8080/a"));
            });
  }

  @Test
  void aDownloadOnlyDeploymentSkipsTheUpdate() throws DdiException {
    Deployment deployment =
        Deployment.parse(
            json(
                "{\"id\":5,\"deployment\":{\"download\":\"forced\",\"update\":\"skip\",\"chunks\":[]}}"),
            SERVER);
    assertThat(deployment.actionId()).isEqualTo("5");
    assertThat(deployment.downloadOnly()).isTrue();
    assertThat(deployment.installNow()).isFalse();
  }

  @Test
  void anArtifactWithoutALinkIsAProtocolError() {
    assertThatThrownBy(
            () ->
                Deployment.parse(
                    json(
                        "{\"id\":\"1\",\"deployment\":{\"chunks\":[{\"artifacts\":[{\"filename\":\"x\"}]}]}}"),
                    SERVER))
        .isInstanceOf(DdiException.class)
        .hasMessageContaining("artifact 'x' has no download link");
  }

  private static com.fasterxml.jackson.databind.JsonNode json(String text) {
    return CanonicalJson.parse(text.getBytes(StandardCharsets.UTF_8));
  }
}
