package dev.sluice.trust.chain;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.trust.TrustException;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.json.CanonicalJson;
import dev.sluice.trust.key.VerificationKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The certification checks of docs/records.md: release sign-offs under a policy, and one link of a
 * product's policy chain (previous record, sequence, product, exactly the declared change, and the
 * endorsements that change requires).
 */
final class PolicyChecks {
  private PolicyChecks() {}

  /**
   * Verifies the sign-offs over the statement and returns the distinct certifiers whose sign-off
   * verified, in order.
   *
   * @throws InvalidSignOffException if a sign-off by a key the policy lists does not verify
   * @throws PolicyThresholdNotMetException if fewer distinct certifiers than the threshold signed
   */
  static List<String> verifySignOffs(
      LoggedRelease release, LoggedPolicy policy, long policyIndex, byte[] statement) {
    Set<String> signers = new LinkedHashSet<>();
    Set<String> ignored = new TreeSet<>();
    for (LoggedRelease.SignOff s : release.signoffs()) {
      Optional<VerificationKey> key =
          policy.certifier(s.certifier()).map(c -> c.keys().get(s.keyId()));
      if (key.isEmpty()) {
        ignored.add(s.certifier() + " (key " + s.keyId() + ")");
        continue;
      }
      try {
        key.get().verify(statement, Base64.getDecoder().decode(s.signature()));
      } catch (TrustException | IllegalArgumentException e) {
        throw new InvalidSignOffException(
            "the sign-off of "
                + s.certifier()
                + " with key "
                + s.keyId()
                + " does not verify over the release statement: "
                + e.getMessage());
      }
      signers.add(s.certifier());
    }
    if (signers.size() < policy.threshold()) {
      throw new PolicyThresholdNotMetException(
          signers.size(),
          policy.threshold(),
          signers.size()
              + " certifier(s) "
              + signers
              + " signed validly, but the policy at log index "
              + policyIndex
              + " (sequence "
              + policy.sequence()
              + ") requires "
              + policy.threshold()
              + (ignored.isEmpty()
                  ? ""
                  : "; not counted, as the policy does not list their key: " + ignored));
    }
    return List.copyOf(signers);
  }

  /** The first policy of a product: sequence 1, no previous, created or migrated. */
  static void verifyFirst(LoggedPolicy first, long index) {
    String kind = first.change().kind();
    if (first.sequence() != 1 || first.previous().isPresent()) {
      throw new PolicyChainBrokenException(
          "the policy at log index "
              + index
              + " has sequence "
              + first.sequence()
              + " but names no previous policy");
    }
    if (!kind.equals("product-created") && !kind.equals("migrated")) {
      throw new UnendorsedPolicyChangeException(
          "the first policy of "
              + first.product()
              + " (log index "
              + index
              + ") declares \""
              + kind
              + "\"; only product-created or migrated can start a chain");
    }
  }

  /**
   * Verifies that {@code current} follows {@code previous} as docs/records.md requires.
   *
   * @param previousBytes the previous record's log entry, whose digest {@code current} names
   */
  static void verifyLink(
      LoggedPolicy previous,
      long previousIndex,
      byte[] previousBytes,
      LoggedPolicy current,
      long currentIndex) {
    String where = "policy at log index " + currentIndex + " (sequence " + current.sequence() + ")";
    PolicyRef ref = current.previous().orElseThrow();
    if (ref.logIndex() != previousIndex
        || !Sha256.of(previousBytes).matches(ref.recordSha256())
        || !current.product().equals(previous.product())
        || current.sequence() != previous.sequence() + 1) {
      throw new PolicyChainBrokenException(
          "the " + where + " does not follow the policy at log index " + previousIndex);
    }
    if (!Sha256.of(current.statementBytes()).matches(current.statementSha256())) {
      throw new PolicyChainBrokenException(
          "the " + where + " has a statement_sha256 that is not its statement's digest");
    }
    switch (current.change().kind()) {
      case "policy-changed" -> verifyPolicyChanged(previous, current, where);
      case "key-added", "key-revoked" -> verifyKeyChange(previous, current, where);
      default ->
          throw new UnendorsedPolicyChangeException(
              "the "
                  + where
                  + " declares \""
                  + current.change().kind()
                  + "\", which only a product's first policy may");
    }
  }

  private static void verifyPolicyChanged(
      LoggedPolicy previous, LoggedPolicy current, String where) {
    // Certifiers in both policies keep their keys and version: keys change only by key changes.
    for (LoggedPolicy.Certifier c : current.certifiers()) {
      Optional<LoggedPolicy.Certifier> before = previous.certifier(c.id());
      if (before.isPresent() && !sameKeys(before.get(), c)) {
        throw new UnendorsedPolicyChangeException(
            "the "
                + where
                + " declares policy-changed but also changes the keys of certifier "
                + c.id());
      }
    }
    Set<String> endorsers = new TreeSet<>();
    for (LoggedPolicy.Endorsement e : current.endorsements()) {
      if (!e.signs().equals("policy")) {
        continue;
      }
      Optional<VerificationKey> key =
          previous.certifier(e.certifier()).map(c -> c.keys().get(e.keyId()));
      if (key.isEmpty()) {
        continue;
      }
      verifyEndorsement(key.get(), current.statementBytes(), e, where);
      endorsers.add(e.certifier());
    }
    if (endorsers.size() < previous.threshold()) {
      throw new UnendorsedPolicyChangeException(
          "the "
              + where
              + " changes the certifier set or threshold with the endorsement of "
              + endorsers.size()
              + " certifier(s) "
              + endorsers
              + " of the previous policy, which requires "
              + previous.threshold());
    }
  }

  private static void verifyKeyChange(LoggedPolicy previous, LoggedPolicy current, String where) {
    boolean added = current.change().kind().equals("key-added");
    String id = current.change().certifier().orElseThrow();
    String keyId = current.change().keyId().orElseThrow();
    LoggedPolicy.Certifier before =
        previous
            .certifier(id)
            .orElseThrow(
                () ->
                    new UnendorsedPolicyChangeException(
                        "the " + where + " changes a key of " + id + ", not a certifier before"));
    LoggedPolicy.Certifier after =
        current
            .certifier(id)
            .orElseThrow(
                () ->
                    new UnendorsedPolicyChangeException(
                        "the " + where + " drops certifier " + id + " in a key change"));
    // Exactly the declared change: same threshold, same other certifiers, one key more or less.
    boolean othersSame =
        current.threshold() == previous.threshold()
            && current.certifiers().size() == previous.certifiers().size()
            && current.certifiers().stream()
                .filter(c -> !c.id().equals(id))
                .allMatch(c -> previous.certifier(c.id()).filter(p -> sameKeys(p, c)).isPresent());
    Map<String, VerificationKey> expected = new java.util.HashMap<>(before.keys());
    VerificationKey changed = added ? after.keys().get(keyId) : before.keys().get(keyId);
    if (changed != null) {
      if (added) {
        expected.put(keyId, changed);
      } else {
        expected.remove(keyId);
      }
    }
    if (!othersSame
        || changed == null
        || (added && before.keys().containsKey(keyId))
        || !expected.keySet().equals(after.keys().keySet())) {
      throw new UnendorsedPolicyChangeException(
          "the "
              + where
              + " declares "
              + current.change().kind()
              + " of key "
              + keyId
              + " for "
              + id
              + ", but the statement changes something else");
    }
    // Replay: the signed key-set version must move forward from the previous policy's.
    if (after.version() <= before.version()) {
      throw new KeyChangeReplayException(
          "the "
              + where
              + " gives "
              + id
              + " key-set version "
              + after.version()
              + ", not above its version "
              + before.version()
              + " in the previous policy: an old key change replayed");
    }
    ObjectNode keyChange = CanonicalJson.mapper().createObjectNode();
    keyChange.put("type", LoggedPolicy.KEY_CHANGE_TYPE);
    keyChange.put("certifier", id);
    keyChange.put("action", added ? "add" : "revoke");
    keyChange.set("key", changed.toTufJson());
    keyChange.put("version", after.version());
    byte[] signed = CanonicalJson.encode(keyChange);
    for (LoggedPolicy.Endorsement e : current.endorsements()) {
      VerificationKey key = before.keys().get(e.keyId());
      if (e.signs().equals("key-change") && e.certifier().equals(id) && key != null) {
        verifyEndorsement(key, signed, e, where);
        return;
      }
    }
    throw new UnendorsedPolicyChangeException(
        "the "
            + where
            + " "
            + (added ? "adds" : "revokes")
            + " key "
            + keyId
            + " of "
            + id
            + " without a key-change endorsement by a key "
            + id
            + " held in the previous policy");
  }

  private static void verifyEndorsement(
      VerificationKey key, byte[] signed, LoggedPolicy.Endorsement e, String where) {
    try {
      key.verify(signed, Base64.getDecoder().decode(e.signature()));
    } catch (TrustException | IllegalArgumentException failure) {
      throw new UnendorsedPolicyChangeException(
          "the endorsement of "
              + e.certifier()
              + " with key "
              + e.keyId()
              + " on the "
              + where
              + " does not verify: "
              + failure.getMessage());
    }
  }

  private static boolean sameKeys(LoggedPolicy.Certifier a, LoggedPolicy.Certifier b) {
    return a.version() == b.version() && Objects.equals(a.keys(), b.keys());
  }

  /**
   * Walks the policy chain from {@code head} back to sequence 1, fetching each previous record from
   * the log (proven included) and checking every link; returns the change kinds, oldest first.
   *
   * @param mustInclude the log index of a policy that must be on the chain
   */
  static String verifyChain(
      LogView log, LoggedPolicy head, LogView.Entry headEntry, long mustInclude) {
    List<String> kinds = new ArrayList<>();
    LoggedPolicy current = head;
    LogView.Entry currentEntry = headEntry;
    boolean included = headEntry.index() == mustInclude;
    while (current.previous().isPresent()) {
      kinds.add(0, current.change().kind());
      PolicyRef ref = current.previous().get();
      if (ref.logIndex() >= currentEntry.index()) {
        throw new PolicyChainBrokenException(
            "the policy at log index "
                + currentEntry.index()
                + " names a previous policy at index "
                + ref.logIndex()
                + ", not before it");
      }
      LogView.Entry previousEntry =
          log.entry(ref.logIndex(), Optional.empty(), PolicyChainBrokenException::new);
      LoggedPolicy previous = Records.policy(previousEntry.bytes(), ref.logIndex());
      PolicyChecks.verifyLink(
          previous, ref.logIndex(), previousEntry.bytes(), current, currentEntry.index());
      current = previous;
      currentEntry = previousEntry;
      included |= currentEntry.index() == mustInclude;
    }
    if (!included) {
      throw new PolicyChainBrokenException(
          "the policy at log index "
              + mustInclude
              + " that the release names is not in the chain of the product's policy at index "
              + headEntry.index());
    }
    if (!Sha256.of(current.statementBytes()).matches(current.statementSha256())) {
      throw new PolicyChainBrokenException(
          "the policy at log index "
              + currentEntry.index()
              + " has a statement_sha256 that is not its statement's digest");
    }
    PolicyChecks.verifyFirst(current, currentEntry.index());
    kinds.add(0, current.change().kind());
    return String.join(" → ", kinds);
  }
}
