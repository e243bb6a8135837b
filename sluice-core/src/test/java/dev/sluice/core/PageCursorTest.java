package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class PageCursorTest {
  @Test
  void aCursorComesBackAsItWasGiven() {
    PageCursor cursor = new PageCursor(Instant.ofEpochMilli(1_765_000_000_123L), "rel_01ABC");

    assertThat(PageCursor.decode(cursor.encode())).isEqualTo(cursor);
    assertThat(cursor.encode()).matches("[A-Za-z0-9_-]+");
  }

  @Test
  void anythingElseIsRefusedAsBadInputNamingTheParameter() {
    List<String> bad =
        List.of(
            "",
            "not base64!",
            encode("no-dot"),
            encode("12.bad id"),
            encode("-5.rel_1"),
            encode("x.rel_1"),
            encode("99999999999999999999.rel_1"),
            "A".repeat(200));
    for (String wire : bad) {
      assertThatThrownBy(() -> PageCursor.decode(wire))
          .as(wire)
          .isInstanceOf(SluiceException.InvalidInput.class)
          .hasMessageContaining("'after' is not a cursor");
    }
  }

  @Test
  void pagesOfOneMoreThanTheLimitPointPastTheirLast() {
    Page<String> full = Page.of(List.of("c", "b", "a"), 2, s -> new PageCursor(Instant.EPOCH, s));
    Page<String> last = Page.of(List.of("a"), 2, s -> new PageCursor(Instant.EPOCH, s));

    assertThat(full.items()).containsExactly("c", "b");
    assertThat(full.next()).contains(new PageCursor(Instant.EPOCH, "b"));
    assertThat(last.next()).isEmpty();
  }

  private static String encode(String text) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }
}
