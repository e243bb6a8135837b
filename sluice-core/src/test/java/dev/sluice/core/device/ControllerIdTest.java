package dev.sluice.core.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ControllerIdTest {
  /** The documented format, as a regular expression: the hand-written check must agree with it. */
  private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

  @Test
  void everyCharacterInEveryPositionIsJudgedAsTheDocumentedFormatJudgesIt() {
    for (char c = 0; c < 0x2100; c++) {
      for (String candidate :
          new String[] {String.valueOf(c), "a" + c, c + "a", "a" + c + "b", "0".repeat(63) + c}) {
        assertThat(ControllerId.valid(candidate))
            .as("U+%04X in %s", (int) c, candidate.replace(String.valueOf(c), "<c>"))
            .isEqualTo(FORMAT.matcher(candidate).matches());
      }
    }
  }

  @Test
  void lengthIsOneToSixtyFour() {
    assertThat(ControllerId.valid("")).isFalse();
    assertThat(ControllerId.valid(null)).isFalse();
    assertThat(ControllerId.valid("d".repeat(64))).isTrue();
    assertThat(ControllerId.valid("d".repeat(65))).isFalse();
    assertThatThrownBy(() -> new ControllerId("d".repeat(65)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ControllerId("-device")).hasMessageContaining("starting with");
    assertThat(new ControllerId("device-1.a_b:c").value()).isEqualTo("device-1.a_b:c");
  }
}
