package dev.sluice.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.trust.TrustException;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.json.CanonicalJson;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The transparency-log entry announcing a product's policy (docs/records.md, {@code
 * sluice.policy-record/v1}): the statement, its digest, the endorsements its change requires and
 * the time. Its canonical JSON bytes are the log entry.
 */
public record PolicyRecord(
    PolicyStatement statement, List<Endorsement> endorsements, Instant time) {

  public static final String FORMAT = "sluice.policy-record/v1";
  public static final String RECORD_TYPE = "policy";

  /** A tlog-tiles entry bundle stores each entry's length as a 16-bit number. */
  public static final int MAX_ENTRY_BYTES = 65_535;

  public PolicyRecord {
    Objects.requireNonNull(statement, "statement");
    endorsements =
        endorsements.stream()
            .sorted(
                Comparator.comparing((Endorsement e) -> e.certifier().value())
                    .thenComparing(Endorsement::keyId))
            .toList();
    if (endorsements.stream().map(Endorsement::certifier).distinct().count()
        != endorsements.size()) {
      throw new IllegalArgumentException("a policy record carries one endorsement per certifier");
    }
    time = Objects.requireNonNull(time, "time").truncatedTo(ChronoUnit.SECONDS);
    if (CanonicalJson.encode(json(statement, endorsements, time)).length > MAX_ENTRY_BYTES) {
      throw new IllegalArgumentException(
          "the policy record exceeds the log's entry limit of " + MAX_ENTRY_BYTES + " bytes");
    }
  }

  public ObjectNode toJson() {
    return json(statement, endorsements, time);
  }

  /** The log entry. */
  public byte[] canonicalBytes() {
    return CanonicalJson.encode(toJson());
  }

  /** {@code record_sha256}: the digest of the canonical bytes (not the Merkle leaf hash). */
  public Sha256 sha256() {
    return Sha256.of(canonicalBytes());
  }

  private static ObjectNode json(
      PolicyStatement statement, List<Endorsement> endorsements, Instant time) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("format", FORMAT);
    node.put("type", RECORD_TYPE);
    node.set("statement", statement.toJson());
    node.put("statement_sha256", statement.sha256().hex());
    ArrayNode list = node.putArray("endorsements");
    endorsements.forEach(e -> list.add(e.toJson()));
    node.put("time", time.toString());
    return node;
  }

  /**
   * Reads a policy record from its log entry bytes, which must be its canonical JSON.
   *
   * @throws IllegalArgumentException if the bytes are not a valid, canonical policy record
   */
  public static PolicyRecord parse(byte[] bytes) {
    JsonNode node;
    try {
      node = CanonicalJson.parse(bytes);
    } catch (TrustException e) {
      throw new IllegalArgumentException("a policy record is not valid JSON: " + e.getMessage(), e);
    }
    PolicyJson.only(
        node, Set.of("format", "type", "statement", "statement_sha256", "endorsements", "time"));
    if (!FORMAT.equals(PolicyJson.text(node, "format"))
        || !RECORD_TYPE.equals(PolicyJson.text(node, "type"))) {
      throw new IllegalArgumentException("not a " + FORMAT + " record");
    }
    PolicyStatement statement = PolicyStatement.fromJson(PolicyJson.field(node, "statement"));
    if (!statement.sha256().hex().equals(PolicyJson.text(node, "statement_sha256"))) {
      throw new IllegalArgumentException("statement_sha256 is not the statement's digest");
    }
    List<Endorsement> endorsements = new ArrayList<>();
    for (JsonNode e : PolicyJson.array(node, "endorsements")) {
      endorsements.add(Endorsement.fromJson(e));
    }
    Instant time;
    try {
      time = Instant.parse(PolicyJson.text(node, "time"));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("time is not an RFC 3339 UTC time", e);
    }
    PolicyRecord record = new PolicyRecord(statement, endorsements, time);
    if (!java.util.Arrays.equals(record.canonicalBytes(), bytes)) {
      throw new IllegalArgumentException("the policy record is not in canonical form");
    }
    return record;
  }
}
