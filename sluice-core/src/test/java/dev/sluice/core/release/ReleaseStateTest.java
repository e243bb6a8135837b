package dev.sluice.core.release;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReleaseStateTest {
  @Test
  void draftIsCheckedIntoCheckedOrBlockedOnly() {
    assertThat(ReleaseState.DRAFT.successors())
        .containsExactlyInAnyOrder(ReleaseState.CHECKED, ReleaseState.BLOCKED);
  }

  @Test
  void blockedAndRevokedAreFinal() {
    assertThat(ReleaseState.BLOCKED.successors()).isEmpty();
    assertThat(ReleaseState.REVOKED.successors()).isEmpty();
  }

  @Test
  void nothingSkipsCertification() {
    for (ReleaseState state : ReleaseState.values()) {
      if (state != ReleaseState.CERTIFIED) {
        assertThat(state.canBecome(ReleaseState.PUBLISHED)).as(state.name()).isFalse();
      }
    }
    assertThat(ReleaseState.CHECKED.canBecome(ReleaseState.CERTIFIED)).isTrue();
    assertThat(ReleaseState.DRAFT.canBecome(ReleaseState.CERTIFIED)).isFalse();
  }

  @Test
  void wireNamesAreLowercase() {
    assertThat(ReleaseState.CERTIFIED.wireName()).isEqualTo("certified");
  }
}
