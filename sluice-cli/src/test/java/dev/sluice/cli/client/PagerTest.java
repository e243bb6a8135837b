package dev.sluice.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PagerTest {
  /** A list of {@code size} numbers served like the API: items after the cursor, and a next. */
  private static final class NumberList {
    private final List<Integer> all;
    private final List<Integer> askedSizes = new ArrayList<>();

    NumberList(int size) {
      all = IntStream.rangeClosed(1, size).boxed().toList();
    }

    Pager.Page<Integer, Integer> page(Optional<Integer> after, int size) {
      askedSizes.add(size);
      List<Integer> rest = all.stream().filter(n -> n > after.orElse(0)).limit(size).toList();
      boolean more = !rest.isEmpty() && rest.getLast() < all.getLast();
      return new Pager.Page<>(rest, more ? Optional.of(rest.getLast()) : Optional.empty());
    }
  }

  @Test
  void withoutALimitEveryPageIsRead() {
    NumberList list = new NumberList(25);

    Pager.Read<Integer, Integer> read =
        Pager.read(Optional.empty(), 10, OptionalInt.empty(), list::page);

    assertThat(read.items()).hasSize(25).startsWith(1).endsWith(25);
    assertThat(read.more()).isEmpty();
    assertThat(list.askedSizes).containsExactly(10, 10, 10);
  }

  @Test
  void aLimitStopsTheReadingAndSaysWhereToGoOn() {
    NumberList list = new NumberList(25);

    Pager.Read<Integer, Integer> read =
        Pager.read(Optional.empty(), 10, OptionalInt.of(13), list::page);

    assertThat(read.items()).hasSize(13).endsWith(13);
    assertThat(read.more()).contains(13);
    assertThat(list.askedSizes).containsExactly(10, 3);
  }

  @Test
  void readingStartsAfterTheGivenCursor() {
    Pager.Read<Integer, Integer> read =
        Pager.read(Optional.of(20), 10, OptionalInt.empty(), new NumberList(25)::page);

    assertThat(read.items()).containsExactly(21, 22, 23, 24, 25);
  }

  @Test
  void aServerRepeatingItsCursorIsStoppedNotFollowedForever() {
    assertThatThrownBy(
            () ->
                Pager.read(
                    Optional.of(1),
                    10,
                    OptionalInt.empty(),
                    (cursor, size) -> new Pager.Page<>(List.of(1), Optional.of(1))))
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("same page cursor");
  }
}
