package dev.sluice.server.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.server.http.Call;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ImmutableTagsTest {
  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aPathsTagIsTheEtagOfItsBytesComputedOnce() {
    ImmutableTags tags = new ImmutableTags(10);

    String first = tags.of("tile/0/000", bytes("tile zero"));
    // The bytes at a path never change: the tag kept is given without hashing them again.
    String again = tags.of("tile/0/000", bytes("not looked at"));

    assertThat(first).isEqualTo(Call.etagOf(bytes("tile zero")));
    assertThat(again).isEqualTo(first);
    assertThat(tags.of("tile/0/001", bytes("tile one"))).isEqualTo(Call.etagOf(bytes("tile one")));
  }

  @Test
  void atMostTheGivenNumberOfTagsIsKept() {
    ImmutableTags tags = new ImmutableTags(2);

    for (int i = 0; i < 5; i++) {
      tags.of("tile/0/00" + i, bytes("tile " + i));
      assertThat(tags.size()).isLessThanOrEqualTo(2);
    }
    assertThat(tags.of("tile/0/004", bytes("tile 4"))).isEqualTo(Call.etagOf(bytes("tile 4")));
  }

  @Test
  void aTagStoreKeepsAtLeastOneTag() {
    assertThatThrownBy(() -> new ImmutableTags(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
