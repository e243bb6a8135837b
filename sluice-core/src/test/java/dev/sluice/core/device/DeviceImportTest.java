package dev.sluice.core.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.SluiceException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DeviceImportTest {
  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void wellFormedJsonListParsesEveryRow() {
    DeviceImport.Parsed parsed =
        DeviceImport.json(
            utf8(
                """
                [{"controller_id": "phone-1", "product": "acme-phone", "tags": ["eu"]},
                 {"controller_id": "phone-2", "product": "acme-phone"}]
                """));

    assertThat(parsed.violations()).isEmpty();
    assertThat(parsed.rows())
        .extracting(r -> r.device().id().value())
        .containsExactly("phone-1", "phone-2");
  }

  @Test
  void trailingGarbageAfterTheListIsRefused() {
    assertThatThrownBy(
            () ->
                DeviceImport.json(
                    utf8("[{\"controller_id\": \"phone-1\", \"product\": \"acme-phone\"}] junk")))
        .isInstanceOf(SluiceException.InvalidInput.class)
        .hasMessageContaining("not valid JSON");
  }

  @Test
  void aSecondListAfterTheFirstIsRefused() {
    assertThatThrownBy(
            () ->
                DeviceImport.json(
                    utf8(
                        "[{\"controller_id\": \"a\", \"product\": \"acme-phone\"}]"
                            + "[{\"controller_id\": \"b\", \"product\": \"acme-phone\"}]")))
        .isInstanceOf(SluiceException.InvalidInput.class);
  }

  @Test
  void duplicateControllerIdKeyIsRefusedInsteadOfLastOneWinning() {
    assertThatThrownBy(
            () ->
                DeviceImport.json(
                    utf8(
                        "[{\"controller_id\": \"phone-1\", \"controller_id\": \"phone-2\","
                            + " \"product\": \"acme-phone\"}]")))
        .isInstanceOf(SluiceException.InvalidInput.class)
        .hasMessageContaining("controller_id");
  }

  @Test
  void commentsAreNotJson() {
    assertThatThrownBy(
            () ->
                DeviceImport.json(
                    utf8("[/* a */ {\"controller_id\": \"a\", \"product\": \"acme-phone\"}]")))
        .isInstanceOf(SluiceException.InvalidInput.class);
  }
}
