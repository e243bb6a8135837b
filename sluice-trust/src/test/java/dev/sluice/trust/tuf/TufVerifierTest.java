package dev.sluice.trust.tuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.key.VerificationKey;
import dev.sluice.trust.testing.TestKeys;
import dev.sluice.trust.tuf.model.Metadata;
import dev.sluice.trust.tuf.model.RoleKeys;
import dev.sluice.trust.tuf.model.RoleType;
import dev.sluice.trust.tuf.model.Root;
import dev.sluice.trust.tuf.model.Signature;
import dev.sluice.trust.tuf.model.Signed;
import dev.sluice.trust.tuf.model.Targets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class TufVerifierTest {
  private static final Instant EXPIRES = Instant.parse("2030-01-01T00:00:00Z");

  private static Root root(Map<String, VerificationKey> keys, RoleKeys targets) {
    String any = keys.keySet().iterator().next();
    RoleKeys one = new RoleKeys(List.of(any), 1);
    return new Root(
        Signed.SPEC_VERSION,
        1,
        EXPIRES,
        true,
        keys,
        Map.of(
            RoleType.ROOT, one,
            RoleType.TARGETS, targets,
            RoleType.SNAPSHOT, one,
            RoleType.TIMESTAMP, one));
  }

  private static Targets emptyTargets() {
    return new Targets(Signed.SPEC_VERSION, 1, EXPIRES, Map.of(), Optional.empty());
  }

  @Test
  void oneKeyListedUnderTwoKeyIdsCountsOnce() {
    // Two PEM spellings of one ECDSA public key have different key ids but are one key.
    SigningKey key = TestKeys.ecdsaP256();
    VerificationKey canonical = key.verificationKey();
    ObjectNode respelled = canonical.toTufJson();
    respelled.withObject("keyval").put("public", "\n" + canonical.publicValue());
    VerificationKey alias = VerificationKey.fromTufJson(respelled);
    assertThat(alias.keyId()).isNotEqualTo(canonical.keyId());
    Root root =
        root(
            Map.of(canonical.keyId(), canonical, alias.keyId(), alias),
            new RoleKeys(List.of(canonical.keyId(), alias.keyId()), 2));
    Metadata<Targets> signed = Metadata.sign(emptyTargets(), key);
    Signature signature = signed.signatures().get(0);
    Metadata<Targets> twice =
        signed.withSignatures(List.of(signature, new Signature(alias.keyId(), signature.sig())));

    assertThatThrownBy(() -> TufVerifier.verifyThreshold(twice, "targets", root))
        .isInstanceOfSatisfying(
            SignatureThresholdException.class, e -> assertThat(e.found()).isEqualTo(1));
  }

  @Test
  void distinctKeysMeetTheThresholdAndInvalidSignaturesDoNotCount() {
    List<SigningKey> keys = TestKeys.generate(dev.sluice.trust.key.KeyScheme.ED25519, 3);
    Map<String, VerificationKey> byId =
        Map.of(
            keys.get(0).keyId(), keys.get(0).verificationKey(),
            keys.get(1).keyId(), keys.get(1).verificationKey(),
            keys.get(2).keyId(), keys.get(2).verificationKey());
    Root root = root(byId, new RoleKeys(keys.stream().map(SigningKey::keyId).toList(), 2));
    Metadata<Targets> good = Metadata.sign(emptyTargets(), keys.get(0), keys.get(1));
    Signature forged = new Signature(keys.get(2).keyId(), HexFormat.of().formatHex(new byte[64]));
    Metadata<Targets> oneForged = good.withSignatures(List.of(good.signatures().get(0), forged));

    assertThatCode(() -> TufVerifier.verifyThreshold(good, "targets", root))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> TufVerifier.verifyThreshold(oneForged, "targets", root))
        .isInstanceOfSatisfying(
            SignatureThresholdException.class,
            e -> {
              assertThat(e.required()).isEqualTo(2);
              assertThat(e.found()).isEqualTo(1);
            });
  }

  @Test
  void verifyingForARoleTheDelegatorDoesNotDelegateIsAProgrammingError() {
    SigningKey key = TestKeys.ed25519();
    Root root =
        root(Map.of(key.keyId(), key.verificationKey()), new RoleKeys(List.of(key.keyId()), 1));

    assertThatThrownBy(
            () ->
                TufVerifier.verifyThreshold(Metadata.sign(emptyTargets(), key), "product-a", root))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void metadataExpiringAtTheUpdateStartHasExpired() {
    Targets targets = emptyTargets();

    assertThatCode(() -> TufVerifier.verifyNotExpired("targets", targets, EXPIRES.minusSeconds(1)))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> TufVerifier.verifyNotExpired("targets", targets, EXPIRES))
        .isInstanceOf(ExpiredMetadataException.class);
  }

  @Test
  void lengthAndHashAreCheckedOnlyWhenListed() {
    byte[] file = {1, 2, 3};

    assertThatCode(
            () ->
                TufVerifier.verifyLengthAndHash("f", file, OptionalLong.empty(), Optional.empty()))
        .doesNotThrowAnyException();
    assertThatThrownBy(
            () -> TufVerifier.verifyLengthAndHash("f", file, OptionalLong.of(4), Optional.empty()))
        .isInstanceOf(LengthOrHashMismatchException.class);
    assertThatThrownBy(
            () ->
                TufVerifier.verifyLengthAndHash(
                    "f",
                    file,
                    OptionalLong.of(3),
                    Optional.of(dev.sluice.trust.hash.Sha256.of(new byte[] {1, 2, 4}))))
        .isInstanceOf(LengthOrHashMismatchException.class);
  }
}
