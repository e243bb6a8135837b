package dev.sluice.server.ddi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.WireJson;
import dev.sluice.api.ddi.ControllerBase;
import dev.sluice.api.ddi.DdiLink;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The streamed poll answer is byte for byte what Jackson writes for a {@link ControllerBase}. */
class PollAnswerBytesTest {

  private static byte[] asJacksonWritesIt(String sleep, Map<String, DdiLink> links)
      throws Exception {
    return WireJson.MAPPER.writeValueAsBytes(
        new ControllerBase(new ControllerBase.Config(new ControllerBase.Polling(sleep)), links));
  }

  @Test
  void withoutLinksTheAnswerHasNoLinksObject() throws Exception {
    byte[] streamed = DdiDocuments.pollAnswer("00:05:00", Map.of());
    assertThat(new String(streamed, java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("{\"config\":{\"polling\":{\"sleep\":\"00:05:00\"}}}");
    assertThat(streamed).isEqualTo(asJacksonWritesIt("00:05:00", Map.of()));
  }

  @Test
  void linksKeepTheirOrderAndHrefsAreEscapedAsJacksonEscapesThem() throws Exception {
    Map<String, DdiLink> links = new LinkedHashMap<>();
    links.put("deploymentBase", new DdiLink("http://h:1/t/controller/v1/d-1/deploymentBase/7?c=a"));
    links.put("installedBase", new DdiLink("http://h/\"quoted\"\\back/\u00e9\u4e2d/\u0001/\t"));
    links.put("configData", new DdiLink("https://[::1]:8443/default/controller/v1/x/configData"));
    byte[] streamed = DdiDocuments.pollAnswer("00:00:30", links);
    assertThat(streamed).isEqualTo(asJacksonWritesIt("00:00:30", links));
    assertThat(WireJson.MAPPER.readValue(streamed, ControllerBase.class).links())
        .containsExactlyEntriesOf(links);
  }

  @Test
  void everyAsciiCharacterInAnHrefIsWrittenAsJacksonWritesIt() throws Exception {
    StringBuilder all = new StringBuilder();
    for (char c = 0; c < 0x80; c++) {
      all.append(c);
    }
    Map<String, DdiLink> links = new LinkedHashMap<>();
    links.put("cancelAction", new DdiLink(all.toString()));
    links.put("configData", new DdiLink("\u001f\u007f\"\\"));
    byte[] streamed = DdiDocuments.pollAnswer("23:59:59", links);
    assertThat(new String(streamed, java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(
            new String(
                asJacksonWritesIt("23:59:59", links), java.nio.charset.StandardCharsets.UTF_8));
    assertThat(streamed).isEqualTo(asJacksonWritesIt("23:59:59", links));
  }

  @Test
  void theSleepIsHoursMinutesAndSecondsOfTwoDigitsEach() {
    assertThat(DdiConfig.hhmmss(java.time.Duration.ofSeconds(5))).isEqualTo("00:00:05");
    assertThat(DdiConfig.hhmmss(java.time.Duration.ofMinutes(5))).isEqualTo("00:05:00");
    assertThat(DdiConfig.hhmmss(java.time.Duration.ofSeconds(10 * 3600 + 11 * 60 + 12)))
        .isEqualTo("10:11:12");
    assertThat(DdiConfig.hhmmss(java.time.Duration.ofHours(24).minusSeconds(1)))
        .isEqualTo("23:59:59");
  }
}
