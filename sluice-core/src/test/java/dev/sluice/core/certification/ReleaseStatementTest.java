package dev.sluice.core.certification;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.manifest.Artifact;
import dev.sluice.core.manifest.ArtifactName;
import dev.sluice.core.manifest.Version;
import dev.sluice.core.product.ProductName;
import dev.sluice.trust.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReleaseStatementTest {
  static final Sha256 A = Sha256.of(new byte[] {1});
  static final Sha256 B = Sha256.of(new byte[] {2});
  static final Sha256 MANIFEST = Sha256.of(new byte[] {3});
  static final Sha256 REPORT = Sha256.of(new byte[] {4});

  static ReleaseStatement statement(List<Artifact> artifacts, int standardsVersion) {
    return new ReleaseStatement(
        new ProductName("acme-phone"),
        Version.parse("14.2.0"),
        artifacts,
        MANIFEST,
        "acme-phone",
        standardsVersion,
        REPORT);
  }

  static Artifact artifact(String name, Sha256 digest, long size) {
    return new Artifact(new ArtifactName(name), digest, size);
  }

  @Test
  void canonicalBytesAreSortedCompactAndTyped() {
    String json =
        new String(
            statement(List.of(artifact("system.img", A, 10), artifact("boot.img", B, 5)), 1)
                .canonicalBytes(),
            StandardCharsets.UTF_8);
    assertThat(json)
        .isEqualTo(
            "{\"artifacts\":[{\"name\":\"boot.img\",\"sha256\":\""
                + B
                + "\",\"size\":5},{\"name\":\"system.img\",\"sha256\":\""
                + A
                + "\",\"size\":10}],\"manifest_sha256\":\""
                + MANIFEST
                + "\",\"product\":\"acme-phone\",\"report_sha256\":\""
                + REPORT
                + "\",\"standards\":{\"id\":\"acme-phone\",\"version\":1},"
                + "\"type\":\"sluice.release-statement/v1\",\"version\":\"14.2.0\"}");
  }

  @Test
  void artifactOrderDoesNotChangeTheStatement() {
    assertThat(statement(List.of(artifact("a", A, 1), artifact("b", B, 2)), 1).sha256())
        .isEqualTo(statement(List.of(artifact("b", B, 2), artifact("a", A, 1)), 1).sha256());
  }

  @Test
  void anyChangeToWhatIsCertifiedChangesTheDigest() {
    Sha256 base = statement(List.of(artifact("a", A, 1)), 1).sha256();
    assertThat(statement(List.of(artifact("a", B, 1)), 1).sha256()).isNotEqualTo(base);
    assertThat(statement(List.of(artifact("a", A, 2)), 1).sha256()).isNotEqualTo(base);
    assertThat(statement(List.of(artifact("b", A, 1)), 1).sha256()).isNotEqualTo(base);
    assertThat(statement(List.of(artifact("a", A, 1)), 2).sha256()).isNotEqualTo(base);
  }

  @Test
  void rejectionSignsTheStatementDigestAndReason() {
    String json = new String(new Rejection(A, "unsafe").canonicalBytes(), StandardCharsets.UTF_8);
    assertThat(json)
        .isEqualTo(
            "{\"reason\":\"unsafe\",\"statement_sha256\":\""
                + A
                + "\",\"type\":\"sluice.release-rejection/v1\"}");
  }
}
