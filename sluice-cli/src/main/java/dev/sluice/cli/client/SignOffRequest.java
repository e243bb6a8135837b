package dev.sluice.cli.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.api.release.SignOffDecisionRequest;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.json.CanonicalJson;
import dev.sluice.trust.key.SigningKey;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * A certifier's signed decision on a statement, ready to send. The signature is made here, on this
 * machine: the factories take the {@link SigningKey} and only its signature and key id leave.
 */
public record SignOffRequest(
    String decision,
    String keyId,
    String signatureBase64,
    Sha256 statementSha256,
    Optional<String> reason) {

  /** The type tag of the signed rejection message (see the API contract, sign-offs). */
  public static final String REJECTION_TYPE = "sluice.release-rejection/v1";

  public SignOffRequest {
    if (!decision.equals("approve") && !decision.equals("reject")) {
      throw new IllegalArgumentException("a decision is 'approve' or 'reject'");
    }
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(signatureBase64, "signatureBase64");
    Objects.requireNonNull(statementSha256, "statementSha256");
    Objects.requireNonNull(reason, "reason");
    if (decision.equals("reject") != reason.isPresent()) {
      throw new IllegalArgumentException("a rejection, and only a rejection, carries a reason");
    }
  }

  /** Approves: signs the statement's exact bytes. */
  public static SignOffRequest approve(Statement statement, SigningKey key) {
    byte[] signature = key.sign(statement.bytes());
    return new SignOffRequest(
        "approve",
        key.keyId(),
        Base64.getEncoder().encodeToString(signature),
        statement.sha256(),
        Optional.empty());
  }

  /** Rejects: signs the canonical rejection message naming the statement and the reason. */
  public static SignOffRequest reject(Statement statement, SigningKey key, String reason) {
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("a rejection needs a reason");
    }
    byte[] signature = key.sign(rejectionBytes(statement.sha256(), reason));
    return new SignOffRequest(
        "reject",
        key.keyId(),
        Base64.getEncoder().encodeToString(signature),
        statement.sha256(),
        Optional.of(reason));
  }

  /** The canonical JSON a rejection signs: {@code {"reason":R,"statement_sha256":D,"type":T}}. */
  public static byte[] rejectionBytes(Sha256 statementSha256, String reason) {
    ObjectNode message = JsonNodeFactory.instance.objectNode();
    message.put("type", REJECTION_TYPE);
    message.put("statement_sha256", statementSha256.hex());
    message.put("reason", reason);
    return CanonicalJson.encode(message);
  }

  /** What is sent: the decision, the signature and the statement's digest. */
  SignOffDecisionRequest toWire() {
    return new SignOffDecisionRequest(
        decision, keyId, signatureBase64, statementSha256.hex(), reason.orElse(null));
  }
}
