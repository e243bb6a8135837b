package dev.sluice.core.release;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ReleaseIdTest {
  @Test
  void generatedIdsAreWellFormedAndUnique() {
    Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      ReleaseId id = ReleaseId.generate(clock);
      assertThat(id.value()).matches("rel_[0-9A-HJKMNP-TV-Z]{26}");
      assertThat(seen.add(id.value())).isTrue();
    }
  }

  @Property
  void idsSortByCreationTime(
      @ForAll @LongRange(min = 0, max = 1L << 46) long earlier,
      @ForAll @LongRange(min = 1, max = 1L << 20) long gap) {
    ReleaseId first =
        ReleaseId.generate(Clock.fixed(Instant.ofEpochMilli(earlier), ZoneOffset.UTC));
    ReleaseId second =
        ReleaseId.generate(Clock.fixed(Instant.ofEpochMilli(earlier + gap), ZoneOffset.UTC));
    assertThat(first.value()).isLessThan(second.value());
  }

  @Test
  void malformedIdsAreRejected() {
    for (String bad : new String[] {"", "rel_", "rel_01ARZ3NDEKTSV4RRFFQ69G5FA", "x' OR 1=1 --"}) {
      assertThatThrownBy(() -> new ReleaseId(bad)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
