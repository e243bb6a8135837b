package dev.sluice.server.ddi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Range header's byte-range sets (RFC 9110 §14.1.2) resolved against a file's length. */
class ByteRangesTest {
  private static ByteRanges.Outcome parse(String header, long length) {
    return ByteRanges.parse(Optional.ofNullable(header), length);
  }

  private static ByteRanges.Outcome partial(long... firstLast) {
    List<ByteRanges.Range> ranges = new java.util.ArrayList<>();
    for (int i = 0; i < firstLast.length; i += 2) {
      ranges.add(new ByteRanges.Range(firstLast[i], firstLast[i + 1]));
    }
    return new ByteRanges.Outcome.Partial(ranges);
  }

  @Test
  void aClosedRangeAnOpenRangeAndASuffixRange() {
    assertThat(parse("bytes=1048576-2097151", 67_108_864)).isEqualTo(partial(1048576, 2097151));
    assertThat(parse("bytes=100-", 1000)).isEqualTo(partial(100, 999));
    assertThat(parse("bytes=-100", 1000)).isEqualTo(partial(900, 999));
    assertThat(parse("bytes=-5000", 1000)).isEqualTo(partial(0, 999));
    assertThat(parse("bytes=900-5000", 1000)).isEqualTo(partial(900, 999));
    assertThat(parse(" Bytes=1-2 ", 10)).isEqualTo(partial(1, 2));
  }

  @Test
  void rangesThatStartBeyondTheEndAreUnsatisfiable() {
    assertThat(parse("bytes=1000-", 1000)).isInstanceOf(ByteRanges.Outcome.Unsatisfiable.class);
    assertThat(parse("bytes=-0", 1000)).isInstanceOf(ByteRanges.Outcome.Unsatisfiable.class);
    assertThat(parse("bytes=0-", 0)).isInstanceOf(ByteRanges.Outcome.Unsatisfiable.class);
  }

  @Test
  void aHeaderThatIsNotAByteRangeSetIsIgnored() {
    for (String h :
        new String[] {
          null,
          "items=0-1",
          "bytes=a-b",
          "bytes=1-x",
          "bytes=+1-2",
          "bytes=-",
          "bytes=5-1",
          "bytes=١-٢",
          "bytes=1"
        }) {
      assertThat(parse(h, 1000)).as(String.valueOf(h)).isInstanceOf(ByteRanges.Outcome.Whole.class);
    }
  }

  @Test
  void severalRangesAreOrderedAndJoinedAndTooManyAreRefused() {
    assertThat(parse("bytes=500-599,0-99,100-199", 1000)).isEqualTo(partial(0, 199, 500, 599));
    assertThat(parse("bytes=" + "0-0,".repeat(ByteRanges.MAX_RANGES) + "1-1", 1000))
        .isInstanceOf(ByteRanges.Outcome.Unsatisfiable.class);
  }
}
