package dev.sluice.core.certification;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.manifest.Artifact;
import dev.sluice.core.manifest.Version;
import dev.sluice.core.product.ProductName;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.json.CanonicalJson;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What a certifier signs: the exact identity of a checked release. Its canonical JSON (TUF/OLPC
 * canonical form, see {@link CanonicalJson}) commits to the product, version, every artifact's
 * digest and size, the manifest digest, the standards set it was checked against and the digest of
 * the check report. A signature over these bytes cannot be moved to any other release or build.
 */
public record ReleaseStatement(
    ProductName product,
    Version version,
    List<Artifact> artifacts,
    Sha256 manifestSha256,
    String standardsSetId,
    int standardsVersion,
    Sha256 reportSha256) {

  /** The statement format's type tag, part of the signed bytes. */
  public static final String TYPE = "sluice.release-statement/v1";

  public ReleaseStatement {
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(version, "version");
    artifacts = artifacts.stream().sorted(Comparator.comparing(a -> a.name().value())).toList();
    Objects.requireNonNull(manifestSha256, "manifestSha256");
    Objects.requireNonNull(standardsSetId, "standardsSetId");
    Objects.requireNonNull(reportSha256, "reportSha256");
  }

  public ObjectNode toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode root = f.objectNode();
    root.put("type", TYPE);
    root.put("product", product.value());
    root.put("version", version.toString());
    ArrayNode list = root.putArray("artifacts");
    for (Artifact a : artifacts) {
      ObjectNode node = list.addObject();
      node.put("name", a.name().value());
      node.put("sha256", a.sha256().hex());
      node.put("size", a.size());
    }
    root.put("manifest_sha256", manifestSha256.hex());
    ObjectNode standards = root.putObject("standards");
    standards.put("id", standardsSetId);
    standards.put("version", standardsVersion);
    root.put("report_sha256", reportSha256.hex());
    return root;
  }

  /** The bytes a certifier signs to approve the release. */
  public byte[] canonicalBytes() {
    return CanonicalJson.encode(toJson());
  }

  public Sha256 sha256() {
    return Sha256.of(canonicalBytes());
  }
}
