package dev.sluice.bench;

import dev.sluice.core.manifest.Artifact;
import dev.sluice.core.manifest.ArtifactName;
import dev.sluice.core.manifest.ReleaseManifest;
import dev.sluice.core.standards.CheckReport;
import dev.sluice.core.standards.CompiledStandards;
import dev.sluice.core.standards.DefaultStandards;
import dev.sluice.core.standards.ReleaseFacts;
import dev.sluice.core.standards.StandardsEngine;
import dev.sluice.trust.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * CEL standards evaluation (issue 14, item 9), run by {@code bench/run jmh}: Sluice's default
 * standards over a release of 8 artifacts and 40 components with a previous release, the check a
 * {@code release check} runs; and compiling the set (cached per set by the engine, so paid once).
 * Compiled against the shaded jar by bench/run; not part of the Maven build.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StandardsBench {
  private CompiledStandards compiled;
  private ReleaseFacts facts;

  @Setup
  public void setup() {
    compiled = new StandardsEngine().compile(DefaultStandards.get());
    ReleaseManifest previous = manifest("1.0.0", "2026-01-05");
    ReleaseManifest current = manifest("1.1.0", "2026-02-05");
    List<Artifact> uploaded = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      uploaded.add(new Artifact(new ArtifactName("image-" + i + ".img"), digest(i), 1L << 20));
    }
    facts = ReleaseFacts.of(current, uploaded, Optional.of(previous), 4L << 30);
    CheckReport report = compiled.evaluate(facts);
    // A passing release: every standard runs to its end (none stops at a first failure).
    if (report.verdict() != CheckReport.Verdict.PASSED) {
      throw new IllegalStateException("the bench release does not pass the defaults: " + report);
    }
  }

  private static Sha256 digest(int i) {
    return Sha256.of(("artifact-" + i).getBytes(StandardCharsets.UTF_8));
  }

  private static ReleaseManifest manifest(String version, String patchLevel) {
    StringBuilder components = new StringBuilder();
    StringBuilder sbom = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      components
          .append(i == 0 ? "" : ",")
          .append("{\"name\":\"component-")
          .append(i)
          .append("\",\"version\":\"1.")
          .append(i)
          .append(".0\",\"license\":\"Apache-2.0\"}");
      sbom.append(i == 0 ? "" : ",")
          .append("{\"type\":\"library\",\"name\":\"component-")
          .append(i)
          .append("\",\"version\":\"1.")
          .append(i)
          .append(".0\"}");
    }
    StringBuilder artifacts = new StringBuilder();
    StringBuilder subjects = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      String sha = digest(i).hex();
      artifacts
          .append(i == 0 ? "" : ",")
          .append("{\"name\":\"image-")
          .append(i)
          .append(".img\",\"sha256\":\"")
          .append(sha)
          .append("\",\"size\":1048576,\"type\":\"os-image\"}");
      subjects
          .append(i == 0 ? "" : ",")
          .append("{\"name\":\"image-")
          .append(i)
          .append(".img\",\"digest\":{\"sha256\":\"")
          .append(sha)
          .append("\"}}");
    }
    String json =
        "{\"schema\":\"sluice.release-manifest/v2\",\"product\":\"bench-os\",\"version\":\""
            + version
            + "\",\"security_patch_level\":\""
            + patchLevel
            + "\",\"components\":["
            + components
            + "],\"capabilities\":[],\"changes\":{\"summary\":\"Benchmark release.\","
            + "\"capabilities_added\":[],\"capabilities_removed\":[],\"fixes\":[]},"
            + "\"artifacts\":["
            + artifacts
            + "],\"sbom\":{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.6\",\"version\":1,"
            + "\"components\":["
            + sbom
            + "]},\"provenance\":{\"_type\":\"https://in-toto.io/Statement/v1\","
            + "\"subject\":["
            + subjects
            + "],\"predicateType\":\"https://slsa.dev/provenance/v1\",\"predicate\":{"
            + "\"buildDefinition\":{\"buildType\":\"https://example.com/os-build/v1\","
            + "\"externalParameters\":{}},\"runDetails\":{\"builder\":{\"id\":"
            + "\"https://ci.example.com/\"}}}}}";
    return ReleaseManifest.parse(json.getBytes(StandardCharsets.UTF_8));
  }

  @Benchmark
  public CheckReport evaluateDefaultStandards() {
    return compiled.evaluate(facts);
  }
}
