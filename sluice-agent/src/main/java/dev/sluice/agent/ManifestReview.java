package dev.sluice.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.json.CanonicalJson;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What an update does, shown to the owner before it is installed: the manifest's summary (fetched
 * from the public {@code GET /manifests/<sha256>} and checked against the digest the log record
 * names) and the capabilities it adds and removes compared with the installed version's manifest.
 *
 * @param manifest the manifest bytes, verified against the logged digest
 * @param lines the summary and the capability diff, one line each
 * @param securityUpdate whether the security patch level rises (such updates may be undeferrable)
 */
public record ManifestReview(byte[] manifest, List<String> lines, boolean securityUpdate) {
  public ManifestReview {
    manifest = manifest.clone();
    lines = List.copyOf(lines);
  }

  @Override
  public byte[] manifest() {
    return manifest.clone();
  }

  /**
   * Fetches and checks the manifest of {@code target}, and compares it with {@code installed}.
   *
   * @throws UpdateRefusedException if the served manifest does not have the logged digest
   */
  static ManifestReview fetch(
      AgentHttp http, URI server, VerifiedTarget target, Optional<byte[]> installed) {
    Sha256 digest =
        target
            .manifestSha256()
            .orElseThrow(
                () ->
                    new UpdateRefusedException(
                        Refusal.MANIFEST_MISMATCH, "the release record names no manifest"));
    AgentHttp.Response r =
        http.get(URI.create(server + "/manifests/" + digest.hex()), null, 4 << 20);
    if (r.status() != 200) {
      throw new ServerException("GET /manifests/" + digest.hex() + " answered " + r.status());
    }
    if (!Sha256.of(r.body()).matches(digest)) {
      throw new UpdateRefusedException(
          Refusal.MANIFEST_MISMATCH,
          "the manifest served does not have the logged sha256 " + digest.hex());
    }
    return review(r.body(), installed);
  }

  static ManifestReview review(byte[] manifest, Optional<byte[]> installed) {
    JsonNode now = parse(manifest);
    Optional<JsonNode> before = installed.map(ManifestReview::parse);
    List<String> lines = new ArrayList<>();
    lines.add(
        "update "
            + now.path("product").asText()
            + " "
            + before.map(b -> b.path("version").asText() + " -> ").orElse("")
            + now.path("version").asText());
    lines.add("  summary: " + now.path("changes").path("summary").asText("(none given)"));
    String level = now.path("security_patch_level").asText("");
    String oldLevel = before.map(b -> b.path("security_patch_level").asText("")).orElse("");
    lines.add(
        "  security patch level: "
            + (oldLevel.isEmpty() ? "" : oldLevel + " -> ")
            + (level.isEmpty() ? "(none)" : level));
    lines.add("  components: " + now.path("components").size());
    Set<String> added = capabilities(now);
    Set<String> removed = before.map(ManifestReview::capabilities).orElse(Set.of());
    Set<String> kept = new LinkedHashSet<>(added);
    kept.retainAll(removed);
    added.removeAll(kept);
    removed = new LinkedHashSet<>(removed);
    removed.removeAll(kept);
    if (before.isEmpty()) {
      lines.add("  capabilities (no installed manifest to compare with):");
    } else if (added.isEmpty() && removed.isEmpty()) {
      lines.add("  capabilities: unchanged");
    }
    added.forEach(c -> lines.add("  + " + c));
    removed.forEach(c -> lines.add("  - " + c));
    // ISO dates (YYYY-MM-DD) compare as text.
    boolean security = !level.isEmpty() && (oldLevel.isEmpty() || level.compareTo(oldLevel) > 0);
    return new ManifestReview(manifest, lines, security && before.isPresent());
  }

  private static Set<String> capabilities(JsonNode manifest) {
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode c : manifest.path("capabilities")) {
      out.add(
          c.path("component").asText()
              + " "
              + c.path("kind").asText()
              + " "
              + c.path("value").asText());
    }
    return out;
  }

  private static JsonNode parse(byte[] manifest) {
    try {
      return CanonicalJson.mapper().readTree(manifest);
    } catch (IOException e) {
      throw new UpdateRefusedException(Refusal.MANIFEST_MISMATCH, "the manifest is not JSON", e);
    }
  }
}
