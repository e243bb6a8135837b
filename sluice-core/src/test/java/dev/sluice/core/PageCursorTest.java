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

    assertThat(PageCursor.decode(PagedList.RELEASES, cursor.encode(PagedList.RELEASES)))
        .isEqualTo(cursor);
    assertThat(cursor.encode(PagedList.RELEASES)).matches("[A-Za-z0-9_-]+");
  }

  @Test
  void aKeyCursorComesBackAsItWasGivenInTheSameOpaqueForm() {
    KeyCursor device = new KeyCursor("dev-01.a:b");
    KeyCursor event = KeyCursor.ofSequence(120);

    assertThat(KeyCursor.decode(PagedList.DEVICES, device.encode(PagedList.DEVICES)))
        .isEqualTo(device);
    assertThat(KeyCursor.decode(PagedList.AUDIT, event.encode(PagedList.AUDIT)).sequence())
        .isEqualTo(120);
    assertThat(event.encode(PagedList.AUDIT)).matches("[A-Za-z0-9_-]+").isNotEqualTo("120");
  }

  @Test
  void aCursorOfOneListIsRefusedByAnother() {
    String release = new PageCursor(Instant.EPOCH, "rel_1").encode(PagedList.RELEASES);
    String device = new KeyCursor("dev-1").encode(PagedList.DEVICES);

    assertThatThrownBy(() -> PageCursor.decode(PagedList.ROLLOUTS, release))
        .isInstanceOf(SluiceException.InvalidInput.class)
        .hasMessageContaining("'after' is not a cursor");
    assertThatThrownBy(() -> KeyCursor.decode(PagedList.AUDIT, device))
        .isInstanceOf(SluiceException.InvalidInput.class)
        .hasMessageContaining("'after' is not a cursor");
    assertThatThrownBy(() -> KeyCursor.decode(PagedList.PRODUCTS, release))
        .isInstanceOf(SluiceException.InvalidInput.class);
  }

  @Test
  void aKeyThatIsNotWhatTheListKeysOnIsRefusedAsBadInput() {
    String notASequence = new KeyCursor("abc").encode(PagedList.AUDIT);

    assertThatThrownBy(() -> KeyCursor.decode(PagedList.AUDIT, notASequence).sequence())
        .isInstanceOf(SluiceException.InvalidInput.class)
        .hasMessageContaining("'after' is not a cursor");
    assertThatThrownBy(
            () ->
                KeyCursor.decode(PagedList.AUDIT, notASequence)
                    .as(
                        k -> {
                          throw new IllegalArgumentException("no");
                        }))
        .isInstanceOf(SluiceException.InvalidInput.class);
  }

  @Test
  void anythingElseIsRefusedAsBadInputNamingTheParameter() {
    List<String> bad =
        List.of(
            "",
            "not base64!",
            "120",
            encode("no-dot"),
            encode("rel:no-dot"),
            encode("rel:12.bad id"),
            encode("rel:-5.rel_1"),
            encode("rel:x.rel_1"),
            encode("rel:99999999999999999999.rel_1"),
            encode("12.rel_1"),
            "A".repeat(300));
    for (String wire : bad) {
      assertThatThrownBy(() -> PageCursor.decode(PagedList.RELEASES, wire))
          .as(wire)
          .isInstanceOf(SluiceException.InvalidInput.class)
          .hasMessageContaining("'after' is not a cursor");
    }
    for (String wire :
        List.of("", "%%", encode("dev:"), encode("dev:has space"), "A".repeat(300))) {
      assertThatThrownBy(() -> KeyCursor.decode(PagedList.DEVICES, wire))
          .as(wire)
          .isInstanceOf(SluiceException.InvalidInput.class)
          .hasMessageContaining("'after' is not a cursor");
    }
  }

  @Test
  void pagesOfOneMoreThanTheLimitPointPastTheirLast() {
    Page<String> full = Page.of(List.of("c", "b", "a"), 2, s -> new PageCursor(Instant.EPOCH, s));
    Page<String> last = Page.of(List.of("a"), 2, s -> new PageCursor(Instant.EPOCH, s));
    Page<String> keyed = Page.of(List.of("a", "b", "c"), 2, KeyCursor::new);

    assertThat(full.items()).containsExactly("c", "b");
    assertThat(full.next()).contains(new PageCursor(Instant.EPOCH, "b"));
    assertThat(last.next()).isEmpty();
    assertThat(keyed.next()).contains(new KeyCursor("b"));
  }

  private static String encode(String text) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.US_ASCII));
  }
}
