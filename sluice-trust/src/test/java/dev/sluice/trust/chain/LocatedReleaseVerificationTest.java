package dev.sluice.trust.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.trust.chain.testing.ChainFixture;
import dev.sluice.trust.chain.testing.ChainFixture.Published;
import dev.sluice.trust.tlog.NoteVerifier;
import dev.sluice.trust.tuf.RemoteRepository;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code verifyRelease} with a source that says where the release is ({@link ChainSource#locate}):
 * the hint spares reading every product's targets, and a wrong hint changes no verdict.
 */
class LocatedReleaseVerificationTest {
  static final String PHONE = ReleaseChainVerifierTest.PHONE;
  static final String WATCH = ReleaseChainVerifierTest.WATCH;

  ChainFixture fx;
  Published release;

  @BeforeEach
  void publishACertifiedRelease() {
    fx = new ChainFixture(PHONE, WATCH);
    release = ReleaseChainVerifierTest.publishPhoneRelease(fx);
  }

  @Test
  void aLocatedReleaseVerifiesWithoutReadingOtherProductsTargets() {
    Hinting source = new Hinting(location(PHONE, "14.0.1", "system.img", "boot.img"));

    VerifiedRelease verified = verifier(source).verifyRelease(release.releaseId());

    assertThat(verified.targetPaths())
        .containsExactlyInAnyOrder(PHONE + "/14.0.1/system.img", PHONE + "/14.0.1/boot.img");
    assertThat(source.metadataRead).noneMatch(name -> name.contains(WATCH));
  }

  @Test
  void aLocatedReleaseStillReportsTheLogsGrowthAgainstTheStoredCheckpoint() {
    VerifierState state = VerifierState.inMemory();
    verifier(new Hinting(Optional.empty()), state).verifyRelease(release.releaseId());
    fx.publish(PHONE, "14.0.2", Map.of("system.img", "newer".getBytes()), "lab-a", "lab-b");

    VerifiedRelease verified =
        verifier(new Hinting(location(PHONE, "14.0.1", "system.img", "boot.img")), state)
            .verifyRelease(release.releaseId());

    assertThat(verified.links())
        .filteredOn(l -> l.link() == ChainLink.CHECKPOINT)
        .singleElement()
        .satisfies(l -> assertThat(l.detail()).contains("consistent with the stored size"));
  }

  @Test
  void withoutAHintEveryProductsTargetsAreRead() {
    Hinting source = new Hinting(Optional.empty());

    verifier(source).verifyRelease(release.releaseId());

    assertThat(source.metadataRead).anyMatch(name -> name.contains(WATCH));
  }

  @Test
  void aHintNamingOneArtifactStillVerifiesEveryArtifactOfTheLoggedRecord() {
    Hinting source = new Hinting(location(PHONE, "14.0.1", "system.img"));

    VerifiedRelease verified = verifier(source).verifyRelease(release.releaseId());

    assertThat(verified.targetPaths())
        .containsExactlyInAnyOrder(PHONE + "/14.0.1/system.img", PHONE + "/14.0.1/boot.img");
  }

  @Test
  void aWrongHintFallsBackToReadingEveryTarget() {
    for (Optional<ReleaseLocation> wrong :
        List.of(
            location(WATCH, "14.0.1", "system.img"),
            location(PHONE, "13.0", "system.img"),
            location(PHONE, "14.0.1", "nothing.img"),
            location(PHONE, "14.0.1"))) {
      VerifiedRelease verified = verifier(new Hinting(wrong)).verifyRelease(release.releaseId());

      assertThat(verified.targetPaths()).hasSize(2);
    }
  }

  @Test
  void aHintPointingAtAnotherReleaseIsNotTakenForThisOne() {
    Published other =
        fx.publish(PHONE, "14.0.2", Map.of("system.img", "newer".getBytes()), "lab-a", "lab-b");
    Hinting source = new Hinting(location(PHONE, "14.0.2", "system.img"));

    VerifiedRelease verified = verifier(source).verifyRelease(release.releaseId());

    assertThat(verified.releaseId()).isEqualTo(release.releaseId()).isNotEqualTo(other.releaseId());
    assertThat(verified.version()).isEqualTo("14.0.1");
  }

  @Test
  void anArtifactTheRecordListsButTufWithholdsIsRefusedOnTheLocatedPathToo() {
    fx.removeTarget(PHONE, "14.0.1", "boot.img");
    Hinting source = new Hinting(location(PHONE, "14.0.1", "system.img"));

    assertThatThrownBy(() -> verifier(source).verifyRelease(release.releaseId()))
        .isInstanceOf(TargetNotFoundException.class)
        .hasMessageContaining("the release record lists boot.img");
  }

  private ReleaseChainVerifier verifier(ChainSource source) {
    return verifier(source, VerifierState.inMemory());
  }

  private ReleaseChainVerifier verifier(ChainSource source, VerifierState state) {
    return ReleaseChainVerifier.builder()
        .source(source)
        .trustedRoot(fx.rootJson())
        .logKey(NoteVerifier.parse(fx.logKey()))
        .state(state)
        .clock(fx.clock)
        .build();
  }

  private static Optional<ReleaseLocation> location(
      String product, String version, String... artifacts) {
    return Optional.of(new ReleaseLocation(product, version, List.of(artifacts)));
  }

  /** The fixture as a source, with a location hint, noting which TUF metadata is read. */
  private final class Hinting implements ChainSource {
    final List<String> metadataRead = new ArrayList<>();
    private final Optional<ReleaseLocation> hint;

    Hinting(Optional<ReleaseLocation> hint) {
      this.hint = hint;
    }

    @Override
    public RemoteRepository tuf() {
      RemoteRepository tuf = fx.tuf();
      return new RemoteRepository() {
        @Override
        public Optional<byte[]> fetchMetadata(String fileName, long maxLength) {
          metadataRead.add(fileName);
          return tuf.fetchMetadata(fileName, maxLength);
        }

        @Override
        public byte[] fetchTarget(String fileName, long length) {
          return tuf.fetchTarget(fileName, length);
        }
      };
    }

    @Override
    public byte[] checkpoint() {
      return fx.checkpoint();
    }

    @Override
    public byte[] tile(String path) {
      return fx.tile(path);
    }

    @Override
    public Optional<ReleaseLocation> locate(String releaseId) {
      return hint;
    }

    @Override
    public String describe() {
      return "hinting fixture";
    }
  }
}
