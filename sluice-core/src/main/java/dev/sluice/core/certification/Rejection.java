package dev.sluice.core.certification;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.Text;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.json.CanonicalJson;
import java.util.Objects;

/**
 * What a certifier signs to reject a release: the statement's digest and the reason, so a rejection
 * is as attributable as an approval and cannot be forged by the server.
 */
public record Rejection(Sha256 statementSha256, String reason) {
  public static final String TYPE = "sluice.release-rejection/v1";

  public Rejection {
    Objects.requireNonNull(statementSha256, "statementSha256");
    reason = Text.check("a rejection reason", reason, 4000, true, true);
  }

  public byte[] canonicalBytes() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("type", TYPE);
    root.put("statement_sha256", statementSha256.hex());
    root.put("reason", reason);
    return CanonicalJson.encode(root);
  }
}
