package dev.sluice.trust.chain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.trust.TrustException;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.json.CanonicalJson;
import dev.sluice.trust.key.VerificationKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads log records (docs/records.md). Shape is checked strictly: every field the format names must
 * be present with its type; a field of the wrong type or a malformed digest, key or signature
 * encoding is refused with {@link MalformedRecordException} naming the field.
 */
public final class Records {
  private static final Set<String> CHANGE_KINDS =
      Set.of("product-created", "policy-changed", "key-added", "key-revoked", "migrated");

  private Records() {}

  /**
   * A release or revocation record.
   *
   * @throws UnverifiableRecordException for a {@code sluice.release-record/v1} record
   * @throws MalformedRecordException if the bytes are not a v2 release or revocation record
   */
  public static LoggedRelease release(byte[] entry, long index) {
    JsonNode json = parse(entry, index);
    String format = text(json, "format", index);
    if (format.equals("sluice.release-record/v1")) {
      throw new UnverifiableRecordException(
          "the record at log index "
              + index
              + " is of format sluice.release-record/v1: certified before certification"
              + " policies were logged, so its sign-offs cannot be checked");
    }
    if (!format.equals(LoggedRelease.FORMAT)) {
      throw malformed(index, "format \"" + format + "\" is not " + LoggedRelease.FORMAT);
    }
    String type = text(json, "type", index);
    if (!type.equals("release") && !type.equals("revocation")) {
      throw malformed(index, "type \"" + type + "\" is neither release nor revocation");
    }
    boolean revocation = type.equals("revocation");
    List<LoggedRelease.Artifact> artifacts = new ArrayList<>();
    for (JsonNode a : array(json, "artifacts", index)) {
      artifacts.add(
          new LoggedRelease.Artifact(
              text(a, "name", index), sha256(a, "sha256", index), integer(a, "size", index)));
    }
    if (artifacts.stream().map(LoggedRelease.Artifact::name).distinct().count()
        != artifacts.size()) {
      throw malformed(index, "an artifact name is listed twice");
    }
    JsonNode standards = object(json, "standards", index);
    List<LoggedRelease.SignOff> signoffs = new ArrayList<>();
    for (JsonNode s : array(json, "signoffs", index)) {
      signoffs.add(
          new LoggedRelease.SignOff(
              text(s, "certifier", index),
              text(s, "key_id", index),
              base64(s, "signature", index)));
    }
    try {
      return new LoggedRelease(
          revocation,
          text(json, "release_id", index),
          text(json, "product", index),
          text(json, "version", index),
          artifacts,
          sha256(json, "manifest_sha256", index),
          text(standards, "id", index),
          integer(standards, "version", index),
          sha256(json, "report_sha256", index),
          sha256(json, "statement_sha256", index),
          policyRef(object(json, "policy", index), index),
          signoffs,
          revocation ? Optional.of(text(json, "reason", index)) : Optional.empty(),
          text(json, "time", index));
    } catch (IllegalArgumentException e) {
      throw malformed(index, e.getMessage());
    }
  }

  /**
   * A policy record.
   *
   * @throws MalformedRecordException if the bytes are not a policy record, or a key is refused
   */
  public static LoggedPolicy policy(byte[] entry, long index) {
    JsonNode json = parse(entry, index);
    String format = text(json, "format", index);
    if (!format.equals(LoggedPolicy.FORMAT) || !text(json, "type", index).equals("policy")) {
      throw malformed(index, "not a policy record of format " + LoggedPolicy.FORMAT);
    }
    JsonNode statement = object(json, "statement", index);
    if (!text(statement, "type", index).equals(LoggedPolicy.STATEMENT_TYPE)) {
      throw malformed(index, "statement.type is not " + LoggedPolicy.STATEMENT_TYPE);
    }
    JsonNode previousJson = statement.get("previous");
    if (previousJson == null) {
      throw malformed(index, "field \"previous\" is missing");
    }
    Optional<PolicyRef> previous =
        previousJson.isNull() ? Optional.empty() : Optional.of(policyRef(previousJson, index));
    List<LoggedPolicy.Certifier> certifiers = new ArrayList<>();
    for (JsonNode c : array(statement, "certifiers", index)) {
      Map<String, VerificationKey> keys = new LinkedHashMap<>();
      for (JsonNode k : array(c, "keys", index)) {
        String keyId = text(k, "key_id", index);
        VerificationKey key;
        try {
          key = VerificationKey.fromTufJson(object(k, "key", index));
        } catch (TrustException e) {
          throw malformed(index, "key " + keyId + " is refused: " + e.getMessage());
        }
        if (!key.keyId().equals(keyId) || keys.put(keyId, key) != null) {
          throw malformed(index, "key_id " + keyId + " is not its key's TUF key id, or repeated");
        }
      }
      certifiers.add(
          new LoggedPolicy.Certifier(text(c, "id", index), integer(c, "version", index), keys));
    }
    if (certifiers.stream().map(LoggedPolicy.Certifier::id).distinct().count()
        != certifiers.size()) {
      throw malformed(index, "a certifier is listed twice");
    }
    long threshold = integer(statement, "threshold", index);
    if (threshold < 1 || threshold > certifiers.size()) {
      throw malformed(
          index, "threshold " + threshold + " with " + certifiers.size() + " certifier(s)");
    }
    JsonNode change = object(statement, "change", index);
    String kind = text(change, "kind", index);
    if (!CHANGE_KINDS.contains(kind)) {
      throw malformed(index, "unknown change kind \"" + kind + "\"");
    }
    boolean keyChange = kind.equals("key-added") || kind.equals("key-revoked");
    List<LoggedPolicy.Endorsement> endorsements = new ArrayList<>();
    for (JsonNode e : array(json, "endorsements", index)) {
      endorsements.add(
          new LoggedPolicy.Endorsement(
              text(e, "certifier", index),
              text(e, "key_id", index),
              text(e, "signs", index),
              base64(e, "signature", index)));
    }
    byte[] statementBytes = CanonicalJson.encode(statement);
    return new LoggedPolicy(
        text(statement, "product", index),
        integer(statement, "sequence", index),
        previous,
        (int) threshold,
        certifiers,
        new LoggedPolicy.Change(
            kind,
            keyChange ? Optional.of(text(change, "certifier", index)) : Optional.empty(),
            keyChange ? Optional.of(text(change, "key_id", index)) : Optional.empty()),
        statementBytes,
        sha256(json, "statement_sha256", index),
        endorsements,
        text(json, "time", index));
  }

  /** The record's {@code type}, or empty if the entry is not a JSON object with one. */
  static Optional<JsonNode> tryParse(byte[] entry) {
    try {
      JsonNode json = CanonicalJson.parse(entry);
      return json.isObject() ? Optional.of(json) : Optional.empty();
    } catch (TrustException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static JsonNode parse(byte[] entry, long index) {
    return tryParse(entry)
        .orElseThrow(() -> malformed(index, "the entry is not a canonical JSON object"));
  }

  private static PolicyRef policyRef(JsonNode json, long index) {
    if (!json.isObject()) {
      throw malformed(index, "a policy reference is an object");
    }
    return new PolicyRef(integer(json, "log_index", index), sha256(json, "record_sha256", index));
  }

  private static JsonNode field(JsonNode json, String name, long index) {
    JsonNode value = json.get(name);
    if (value == null || value.isNull()) {
      throw malformed(index, "field \"" + name + "\" is missing");
    }
    return value;
  }

  private static String text(JsonNode json, String name, long index) {
    JsonNode value = field(json, name, index);
    if (!value.isTextual()) {
      throw malformed(index, "field \"" + name + "\" is not a string");
    }
    return value.textValue();
  }

  private static long integer(JsonNode json, String name, long index) {
    JsonNode value = field(json, name, index);
    if (!value.canConvertToExactIntegral() || !value.canConvertToLong() || value.longValue() < 0) {
      throw malformed(index, "field \"" + name + "\" is not a non-negative integer");
    }
    return value.longValue();
  }

  private static JsonNode object(JsonNode json, String name, long index) {
    JsonNode value = field(json, name, index);
    if (!value.isObject()) {
      throw malformed(index, "field \"" + name + "\" is not an object");
    }
    return value;
  }

  private static JsonNode array(JsonNode json, String name, long index) {
    JsonNode value = field(json, name, index);
    if (!value.isArray()) {
      throw malformed(index, "field \"" + name + "\" is not an array");
    }
    return value;
  }

  private static Sha256 sha256(JsonNode json, String name, long index) {
    String hex = text(json, name, index);
    try {
      return new Sha256(hex);
    } catch (IllegalArgumentException e) {
      throw malformed(index, "field \"" + name + "\" is not a lowercase hex SHA-256");
    }
  }

  private static String base64(JsonNode json, String name, long index) {
    String value = text(json, name, index);
    try {
      Base64.getDecoder().decode(value);
    } catch (IllegalArgumentException e) {
      throw malformed(index, "field \"" + name + "\" is not base64");
    }
    return value;
  }

  private static MalformedRecordException malformed(long index, String what) {
    return new MalformedRecordException("log entry " + index + ": " + what);
  }
}
