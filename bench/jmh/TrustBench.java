package dev.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.trust.json.CanonicalJson;
import dev.sluice.trust.key.KeyScheme;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.key.VerificationKey;
import dev.sluice.trust.tlog.Hash;
import dev.sluice.trust.tlog.InMemoryHashReader;
import dev.sluice.trust.tlog.InclusionProofs;
import dev.sluice.trust.tlog.MerkleHash;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * In-process hot spots of the trust library (issue 14, item 9), run by {@code bench/run jmh}:
 * canonical JSON of a release-statement-sized document, signing and verifying with both key
 * schemes, and Merkle inclusion proofs (generate and verify) in a log of a million entries.
 * Compiled against the shaded jar by bench/run; not part of the Maven build.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TrustBench {
  /** A key pair per scheme and a signature over the statement. */
  @State(Scope.Benchmark)
  public static class Keys {
    @Param({"ED25519", "ECDSA_P256"})
    public String scheme;

    SigningKey key;
    VerificationKey verificationKey;
    byte[] signature;
    byte[] message;

    @Setup
    public void setup(TrustBench bench) {
      message = bench.statementBytes;
      key = SigningKey.generate(KeyScheme.valueOf(scheme));
      verificationKey = key.verificationKey();
      signature = key.sign(message);
    }
  }

  private JsonNode statement;
  private byte[] statementBytes;
  private InMemoryHashReader log;
  private long size;
  private long leaf;
  private Hash root;
  private List<Hash> proof;
  private Hash leafHash;

  @Setup
  public void setup() {
    StringBuilder json = new StringBuilder("{\"type\":\"release\",\"artifacts\":[");
    for (int i = 0; i < 8; i++) {
      json.append(i == 0 ? "" : ",")
          .append("{\"name\":\"image-")
          .append(i)
          .append(".img\",\"sha256\":\"")
          .append("ab".repeat(32))
          .append("\",\"size\":")
          .append(1L << (20 + i))
          .append('}');
    }
    json.append("],\"components\":[");
    for (int i = 0; i < 40; i++) {
      json.append(i == 0 ? "" : ",")
          .append("{\"name\":\"component-")
          .append(i)
          .append("\",\"version\":\"1.")
          .append(i)
          .append(".0\",\"license\":\"Apache-2.0\"}");
    }
    json.append("],\"product\":\"acme-phone\",\"version\":\"14.0.1\"}");
    statement = CanonicalJson.parse(json.toString().getBytes(StandardCharsets.UTF_8));
    statementBytes = CanonicalJson.encode(statement);
    log = new InMemoryHashReader();
    for (int i = 0; i < 1 << 20; i++) {
      log.appendEntry(("entry " + i).getBytes(StandardCharsets.UTF_8));
    }
    size = log.size();
    root = log.root();
    leaf = size / 3;
    leafHash = MerkleHash.leaf(("entry " + leaf).getBytes(StandardCharsets.UTF_8));
    proof = InclusionProofs.generate(leaf, size, log);
  }

  @Benchmark
  public byte[] canonicalJsonEncode() {
    return CanonicalJson.encode(statement);
  }

  @Benchmark
  public JsonNode canonicalJsonParse() {
    return CanonicalJson.parse(statementBytes);
  }

  @Benchmark
  public byte[] sign(Keys k) {
    return k.key.sign(k.message);
  }

  @Benchmark
  public boolean verify(Keys k) {
    k.verificationKey.verify(k.message, k.signature);
    return true;
  }

  @Benchmark
  public List<Hash> inclusionProofGenerate() {
    return InclusionProofs.generate(leaf, size, log);
  }

  @Benchmark
  public boolean inclusionProofVerify() {
    InclusionProofs.verify(leaf, size, leafHash, proof, root);
    return true;
  }
}
