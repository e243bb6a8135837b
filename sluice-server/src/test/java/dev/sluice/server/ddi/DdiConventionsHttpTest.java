package dev.sluice.server.ddi;

import static dev.sluice.server.ddi.DdiFixture.ddi;
import static dev.sluice.server.ddi.DdiFixture.deploymentHref;
import static dev.sluice.server.ddi.DdiFixture.path;
import static dev.sluice.server.ddi.DdiFixture.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.testing.Http;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device API keeps the router's conventions where they cannot hurt a real hawkBit client (HEAD,
 * 405 with Allow, 401 without a credential) and stays tolerant where such clients differ: query
 * parameters it does not know (cache busters, {@code c=} on the links it hands out), {@code Accept:
 * application/hal+json}, feedback sent without a Content-Type.
 */
class DdiConventionsHttpTest {
  @TempDir Path dataDir;
  DdiFixture f;

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  @Test
  void devicesMaySendQueryParametersAndAcceptHeadersOfTheirOwn() {
    f = new DdiFixture(dataDir, c -> c.polling(Duration.ofMinutes(5), Duration.ZERO));
    String token = f.device("tolerant-1");
    f.assign("tolerant-1", f.release, "forced", null);

    Http.Response poll =
        f.get(
            ddi("tolerant-1") + "?nocache=17&c=x",
            target(token),
            Map.of("Accept", "application/hal+json"));
    assertThat(poll.status()).as(poll.text()).isEqualTo(200);
    String deployment = path(deploymentHref(poll.json()));
    Http.Response base =
        f.get(deployment + "&actionHistory=2&extra=1", target(token), Map.of("Accept", "*/*"));
    assertThat(base.status()).as(base.text()).isEqualTo(200);

    Http.Response head = f.head(ddi("tolerant-1"), target(token));
    assertThat(head.status()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }

  @Test
  void aWrongMethodOnADeviceRouteIs405WithAllowAndNoCredentialIs401() {
    f = new DdiFixture(dataDir, c -> c.polling(Duration.ofMinutes(5), Duration.ZERO));
    f.device("strict-1");
    Http.Response wrong = f.put(ddi("strict-1"), null, "{}");
    assertThat(wrong.status()).isEqualTo(405);
    assertThat(wrong.header("Allow")).isEqualTo("GET, HEAD");
    assertThat(f.get(ddi("strict-1") + "/confirmationBase", null).status()).isEqualTo(401);
  }
}
