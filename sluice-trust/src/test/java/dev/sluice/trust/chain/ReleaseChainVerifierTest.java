package dev.sluice.trust.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.trust.chain.testing.ChainFixture;
import dev.sluice.trust.chain.testing.ChainFixture.Published;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.json.CanonicalJson;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.testing.TestKeys;
import dev.sluice.trust.tlog.NoteVerifier;
import dev.sluice.trust.tuf.ExpiredMetadataException;
import dev.sluice.trust.tuf.RollbackException;
import dev.sluice.trust.tuf.SignatureThresholdException;
import dev.sluice.trust.tuf.TufLayout;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chain of docs/records.md, verified link by link, and one test per attack of issue 9. */
class ReleaseChainVerifierTest {
  static final String PHONE = "acme-phone";
  static final String WATCH = "acme-watch";
  static final byte[] IMAGE = "system image 14.0.1".getBytes(StandardCharsets.UTF_8);
  static final byte[] BOOT = "boot image 14.0.1".getBytes(StandardCharsets.UTF_8);

  @TempDir Path dir;
  ChainFixture fx;
  Published release;

  @BeforeEach
  void publishACertifiedRelease() {
    fx = new ChainFixture(PHONE, WATCH);
    release = publishPhoneRelease(fx);
  }

  /**
   * Two products (the phone's policy: 2 of lab-a, lab-b, lab-c; the watch's: lab-c), and the
   * phone's release 14.0.1 of system.img and boot.img signed off by lab-a and lab-b.
   */
  static Published publishPhoneRelease(ChainFixture fx) {
    fx.createProduct(PHONE, 2, "lab-a", "lab-b", "lab-c");
    fx.createProduct(WATCH, 1, "lab-c");
    return fx.publish(
        PHONE, "14.0.1", Map.of("system.img", IMAGE, "boot.img", BOOT), "lab-a", "lab-b");
  }

  ReleaseChainVerifier verifier(VerifierState state, List<VerifiedLink> links) {
    return ReleaseChainVerifier.builder()
        .source(fx)
        .trustedRoot(fx.rootJson())
        .logKey(NoteVerifier.parse(fx.logKey()))
        .state(state)
        .clock(fx.clock)
        .onLink(links::add)
        .build();
  }

  ReleaseChainVerifier verifier() {
    return verifier(VerifierState.inMemory(), new ArrayList<>());
  }

  VerifiedRelease verifyImage() {
    return verifier().verifyTarget(PHONE, "14.0.1", "system.img", Sha256.of(IMAGE), IMAGE.length);
  }

  @Test
  void aCertifiedReleaseVerifiesLinkByLink() throws Exception {
    List<VerifiedLink> links = new ArrayList<>();
    Path file = Files.write(dir.resolve("system.img"), IMAGE);

    VerifiedRelease verified =
        verifier(VerifierState.inDirectory(dir.resolve("state")), links)
            .verifyTarget(PHONE, "14.0.1", "system.img", file);

    assertThat(verified.releaseId()).isEqualTo(release.releaseId());
    assertThat(verified.product()).isEqualTo(PHONE);
    assertThat(verified.version()).isEqualTo("14.0.1");
    assertThat(verified.logIndex()).isEqualTo(release.index());
    assertThat(verified.signers()).containsExactly("lab-a", "lab-b");
    assertThat(verified.policy().threshold()).isEqualTo(2);
    assertThat(verified.policy().certifiers()).containsExactly("lab-a", "lab-b", "lab-c");
    assertThat(verified.artifacts())
        .extracting(LoggedRelease.Artifact::name)
        .containsExactly("boot.img", "system.img");
    assertThat(verified.checkpoint().size()).isEqualTo(fx.logSize());
    assertThat(links).extracting(VerifiedLink::link).containsExactly(ChainLink.values());
    assertThat(verified.links()).isEqualTo(links);
    assertThat(dir.resolve("state/checkpoint")).exists();
    assertThat(dir.resolve("state/tuf/timestamp.json")).exists();
  }

  @Test
  void aWholeReleaseVerifiesByItsIdAndItsArtifactsDownloadVerified() {
    ReleaseChainVerifier verifier = verifier();

    VerifiedRelease verified = verifier.verifyRelease(release.releaseId());

    assertThat(verified.targetPaths())
        .containsExactlyInAnyOrder(PHONE + "/14.0.1/system.img", PHONE + "/14.0.1/boot.img");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    verifier.download(PHONE + "/14.0.1/system.img", out);
    assertThat(out.toByteArray()).isEqualTo(IMAGE);
  }

  @Test
  void aReleaseWithAWithheldArtifactIsRefused() {
    fx.removeTarget(PHONE, "14.0.1", "boot.img");

    assertThatThrownBy(() -> verifier().verifyRelease(release.releaseId()))
        .isInstanceOf(TargetNotFoundException.class)
        .hasMessageContaining("the release record lists boot.img");
  }

  @Test
  void aFileIsFoundByItsDigestAmongEveryProduct() {
    assertThat(verifier().findTargets(Sha256.of(IMAGE), IMAGE.length, java.util.Optional.empty()))
        .singleElement()
        .satisfies(t -> assertThat(t.path()).isEqualTo(PHONE + "/14.0.1/system.img"));
    assertThat(verifier().findTargets(Sha256.of(IMAGE), IMAGE.length, java.util.Optional.of(WATCH)))
        .isEmpty();
  }

  @Test
  void theChainVerifiesBeforeTheBytesAreFetched() {
    VerifiedRelease verified = verifier().verifyTarget(PHONE, "14.0.1", "system.img");

    assertThat(verified.artifacts())
        .contains(new LoggedRelease.Artifact("system.img", Sha256.of(IMAGE), IMAGE.length));
    assertThat(verified.links()).extracting(VerifiedLink::link).doesNotContain(ChainLink.ARTIFACT);
  }

  @Test
  void aPolicyListingASmallOrderCertifierKeyIsRefused() {
    // The attack: an all-zero Ed25519 key for a certifier.
    ObjectNode zeroKey = CanonicalJson.mapper().createObjectNode();
    zeroKey.put("keytype", "ed25519").put("scheme", "ed25519");
    zeroKey.putObject("keyval").put("public", "00".repeat(32));
    ObjectNode certifier = CanonicalJson.mapper().createObjectNode();
    certifier.put("id", "lab-z").put("version", 1);
    certifier
        .putArray("keys")
        .addObject()
        .put("key_id", Sha256.of(CanonicalJson.encode(zeroKey)).hex())
        .set("key", zeroKey);
    List<ObjectNode> certifiers = new ArrayList<>(fx.currentCertifiers(PHONE));
    certifiers.add(certifier);
    ObjectNode s = fx.statement(PHONE, 2, certifiers, ChainFixture.change("policy-changed"));
    fx.appendPolicy(
        s,
        List.of(
            ChainFixture.endorsePolicy("lab-a", fx.certifier("lab-a").keys.get(0), s),
            ChainFixture.endorsePolicy("lab-b", fx.certifier("lab-b").keys.get(0), s)));
    fx.publish(PHONE, "14.0.2", Map.of("system.img", IMAGE), "lab-a", "lab-b");

    assertThatThrownBy(
            () ->
                verifier()
                    .verifyTarget(PHONE, "14.0.2", "system.img", Sha256.of(IMAGE), IMAGE.length))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("small order");
  }

  @Test
  void aTargetWhoseRecordIsNotInTheLogIsRefused() {
    // The online product key lists a target that points past the end of the log.
    fx.addTargets(PHONE, PHONE, "15.0", "01JFAKE", fx.logSize() + 5, Map.of("system.img", IMAGE));

    assertThatThrownBy(
            () ->
                verifier()
                    .verifyTarget(PHONE, "15.0", "system.img", Sha256.of(IMAGE), IMAGE.length))
        .isInstanceOf(NotInLogException.class)
        .hasMessageContaining("not in the log's signed tree");
  }

  @Test
  void aTargetPointingAtAnotherEntryIsRefused() {
    // Index of a real entry, but a leaf hash of a record that was never logged.
    fx.addTargets(PHONE, PHONE, "15.0", "01JFAKE", fx.logSize() + 1, Map.of("system.img", IMAGE));
    fx.append("an unrelated entry".getBytes());
    fx.append("another".getBytes());

    assertThatThrownBy(
            () ->
                verifier()
                    .verifyTarget(PHONE, "15.0", "system.img", Sha256.of(IMAGE), IMAGE.length))
        .isInstanceOf(NotInLogException.class)
        .hasMessageContaining("leaf hash");
  }

  @Test
  void aRevokedReleaseStillListedInTufIsRefused() {
    long revocation = fx.revoke(release, "bricks devices on boot");

    assertThatThrownBy(this::verifyImage)
        .isInstanceOfSatisfying(
            RevokedReleaseException.class,
            e -> assertThat(e.revocationIndex()).isEqualTo(revocation))
        .hasMessageContaining("bricks devices on boot");
  }

  @Test
  void aRevokedReleaseRemovedFromTufIsNotFound() {
    fx.revoke(release, "withdrawn");
    fx.removeTargets(PHONE, "14.0.1");

    assertThatThrownBy(this::verifyImage).isInstanceOf(TargetNotFoundException.class);
  }

  @Test
  void aRevokedReleaseRemovedFromTufIsNamedRevokedWithTheLoggedReason() {
    long revocation = fx.revoke(release, "bricks devices on boot");
    fx.removeTargets(PHONE, "14.0.1");

    assertThatThrownBy(() -> verifier().verifyRelease(release.releaseId()))
        .isInstanceOfSatisfying(
            RevokedReleaseException.class,
            e -> assertThat(e.revocationIndex()).isEqualTo(revocation))
        .hasMessageContaining("revocation at index " + revocation)
        .hasMessageContaining("bricks devices on boot");
  }

  @Test
  void aLoggedReleaseMissingFromTufWithoutRevocationIsReportedAsWithheld() {
    fx.removeTargets(PHONE, "14.0.1");

    assertThatThrownBy(() -> verifier().verifyRelease(release.releaseId()))
        .isInstanceOf(TargetNotFoundException.class)
        .hasMessageContaining("no revocation of it: the server withholds a published release");
  }

  @Test
  void aReleaseTheLogNeverRecordedIsReportedAsNeverPublished() {
    assertThatThrownBy(() -> verifier().verifyRelease("rel_never_published"))
        .isInstanceOf(TargetNotFoundException.class)
        .hasMessageContaining("it was never published");
  }

  @Test
  void aForkedLogIsRefusedAndBothCheckpointsAreKept() throws Exception {
    VerifierState state = VerifierState.inDirectory(dir);
    verifier(state, new ArrayList<>())
        .verifyTarget(PHONE, "14.0.1", "system.img", Sha256.of(IMAGE), IMAGE.length);
    byte[] stored = Files.readAllBytes(dir.resolve("checkpoint"));
    // The log shows another history that keeps the release but rewrites what came before.
    List<byte[]> kept = new ArrayList<>();
    for (long i = 0; i < fx.logSize(); i++) {
      kept.add(fx.entry(i));
    }
    fx.fork(0, "a rewritten first entry".getBytes());
    for (byte[] e : kept) {
      fx.append(e);
    }

    assertThatThrownBy(
            () ->
                verifier(state, new ArrayList<>())
                    .verifyTarget(PHONE, "14.0.1", "system.img", Sha256.of(IMAGE), IMAGE.length))
        .isInstanceOfSatisfying(
            LogForkException.class,
            e -> {
              assertThat(e.evidence()).isPresent();
              assertThat(e.evidence().get().resolve("stored.checkpoint")).hasBinaryContent(stored);
              assertThat(e.evidence().get().resolve("offered.checkpoint"))
                  .hasBinaryContent(fx.signedCheckpoint());
            })
        .hasMessageContaining("forked");
    assertThat(dir.resolve("checkpoint")).hasBinaryContent(stored);
  }

  @Test
  void aLogThatGrewConsistentlyIsAcceptedAndTheNewCheckpointStored() throws Exception {
    VerifierState state = VerifierState.inDirectory(dir);
    verifier(state, new ArrayList<>()).verifyRelease(release.releaseId());
    fx.publish(WATCH, "2.0", Map.of("watch.img", "w".getBytes()), "lab-c");

    List<VerifiedLink> links = new ArrayList<>();
    verifier(state, links).verifyRelease(release.releaseId());

    assertThat(links.get(2).detail()).contains("consistent with the stored size");
    assertThat(dir.resolve("checkpoint")).hasBinaryContent(fx.signedCheckpoint());
  }

  @Test
  void aReplayedTimestampIsRefused() {
    VerifierState state = VerifierState.inDirectory(dir);
    byte[] oldTimestamp = fx.metadata(TufLayout.TIMESTAMP_JSON);
    fx.publishTuf();
    verifier(state, new ArrayList<>()).verifyRelease(release.releaseId());
    fx.serve(TufLayout.TIMESTAMP_JSON, oldTimestamp);

    assertThatThrownBy(() -> verifier(state, new ArrayList<>()).verifyRelease(release.releaseId()))
        .isInstanceOf(TufMetadataRefusedException.class)
        .hasCauseInstanceOf(RollbackException.class);
  }

  @Test
  void anExpiredTimestampIsRefused() {
    fx.clock.advance(Duration.ofDays(2));

    assertThatThrownBy(this::verifyImage)
        .isInstanceOf(TufMetadataRefusedException.class)
        .hasCauseInstanceOf(ExpiredMetadataException.class);
  }

  @Test
  void metadataSignedByTooFewKeysIsRefused() {
    var current =
        dev.sluice.trust.tuf.model.Metadata.parse(
                fx.metadata(TufLayout.TIMESTAMP_JSON), dev.sluice.trust.tuf.model.Timestamp.class)
            .signed();
    fx.publishTimestamp(current, List.of(TestKeys.ed25519()));

    assertThatThrownBy(this::verifyImage)
        .isInstanceOf(TufMetadataRefusedException.class)
        .hasCauseInstanceOf(SignatureThresholdException.class);
  }

  @Test
  void aTamperedArtifactIsRefused() {
    byte[] tampered = "system image 14.0.1 + backdoor".getBytes();

    assertThatThrownBy(
            () ->
                verifier()
                    .verifyTarget(
                        PHONE, "14.0.1", "system.img", Sha256.of(tampered), tampered.length))
        .isInstanceOf(ArtifactMismatchException.class);
    fx.tamperTarget(PHONE, "14.0.1", "system.img", tampered);
    ReleaseChainVerifier verifier = verifier();
    verifier.verifyRelease(release.releaseId());
    assertThatThrownBy(
            () -> verifier.download(PHONE + "/14.0.1/system.img", new ByteArrayOutputStream()))
        .isInstanceOf(ArtifactMismatchException.class);
  }

  @Test
  void anArtifactOfAnotherProductIsRefused() {
    Published watch = fx.publish(WATCH, "2.0", Map.of("system.img", IMAGE), "lab-c");
    // The phone's online role key lists the watch's certified release as a phone update.
    fx.addTargets(
        PHONE, PHONE, "2.0", watch.releaseId(), watch.index(), Map.of("system.img", IMAGE));

    assertThatThrownBy(
            () ->
                verifier().verifyTarget(PHONE, "2.0", "system.img", Sha256.of(IMAGE), IMAGE.length))
        .isInstanceOf(RecordMismatchException.class)
        .hasMessageContaining("release of product " + WATCH);
  }

  @Test
  void signOffsBelowThePolicyThresholdAreRefused() {
    Published weak = fx.publish(PHONE, "14.0.2", Map.of("system.img", IMAGE), "lab-a");

    assertThatThrownBy(
            () ->
                verifier()
                    .verifyTarget(PHONE, "14.0.2", "system.img", Sha256.of(IMAGE), IMAGE.length))
        .isInstanceOfSatisfying(
            PolicyThresholdNotMetException.class,
            e -> {
              assertThat(e.valid()).isEqualTo(1);
              assertThat(e.threshold()).isEqualTo(2);
            });
    assertThat(weak.index()).isPositive();
  }

  @Test
  void aSignOffByAKeyNotInThePolicyDoesNotCount() {
    // The admin's own key, presented as lab-b's: the "2 of 2 with one person".
    SigningKey adminKey = TestKeys.ed25519();
    ObjectNode record = fx.releaseRecord(PHONE, "14.0.2", Map.of("system.img", IMAGE), List.of());
    ChainFixture.resign(
        record,
        List.of(
            Map.entry("lab-a", fx.certifier("lab-a").keys.get(0)), Map.entry("lab-b", adminKey)));
    fx.publish(record, Map.of("system.img", IMAGE));

    assertThatThrownBy(
            () ->
                verifier()
                    .verifyTarget(PHONE, "14.0.2", "system.img", Sha256.of(IMAGE), IMAGE.length))
        .isInstanceOf(PolicyThresholdNotMetException.class)
        .hasMessageContaining("not counted")
        .hasMessageContaining(adminKey.keyId());
  }

  @Test
  void aForgedSignOffWithAPolicyKeyIsRefused() {
    ObjectNode record =
        fx.releaseRecord(PHONE, "14.0.2", Map.of("system.img", IMAGE), List.of("lab-a", "lab-b"));
    ObjectNode signoff = (ObjectNode) record.path("signoffs").get(1);
    signoff.put(
        "signature",
        java.util.Base64.getEncoder()
            .encodeToString(fx.certifier("lab-b").keys.get(0).sign("something else".getBytes())));
    fx.publish(record, Map.of("system.img", IMAGE));

    assertThatThrownBy(
            () ->
                verifier()
                    .verifyTarget(PHONE, "14.0.2", "system.img", Sha256.of(IMAGE), IMAGE.length))
        .isInstanceOf(InvalidSignOffException.class)
        .hasMessageContaining("lab-b");
  }

  @Test
  void aStatementThatDoesNotMatchTheRecordIsRefused() {
    ObjectNode record =
        fx.releaseRecord(PHONE, "14.0.2", Map.of("system.img", IMAGE), List.of("lab-a", "lab-b"));
    record.put("report_sha256", Sha256.of("another report".getBytes()).hex());
    fx.publish(record, Map.of("system.img", IMAGE));

    assertThatThrownBy(
            () ->
                verifier()
                    .verifyTarget(PHONE, "14.0.2", "system.img", Sha256.of(IMAGE), IMAGE.length))
        .isInstanceOf(StatementMismatchException.class);
  }

  @Test
  void anUnendorsedPolicyChangeIsRefused() {
    // The operator lowers the threshold to 1 with no certifier's endorsement, then certifies alone.
    fx.changePolicy(PHONE, 1, List.of("lab-a", "lab-b", "lab-c"), List.of());
    fx.publish(PHONE, "14.0.2", Map.of("system.img", IMAGE), "lab-a");

    assertThatThrownBy(
            () ->
                verifier()
                    .verifyTarget(PHONE, "14.0.2", "system.img", Sha256.of(IMAGE), IMAGE.length))
        .isInstanceOf(UnendorsedPolicyChangeException.class)
        .hasMessageContaining("requires 2");
  }

  @Test
  void aKeyAddedByTheOperatorWithoutTheCertifiersSignatureIsRefused() {
    SigningKey adminKey = TestKeys.ed25519();
    fx.certifier("lab-b").version++;
    fx.certifier("lab-b").keys.add(adminKey);
    ObjectNode s =
        fx.statement(
            PHONE,
            2,
            fx.currentCertifiers(PHONE),
            ChainFixture.keyChange("key-added", "lab-b", adminKey.keyId()));
    // Endorsed by the new key itself, which the previous policy does not list.
    fx.appendPolicy(
        s,
        List.of(
            ChainFixture.endorseKeyChange(
                "lab-b", adminKey, "add", adminKey, fx.certifier("lab-b").version)));
    ObjectNode record = fx.releaseRecord(PHONE, "14.0.2", Map.of("system.img", IMAGE), List.of());
    ChainFixture.resign(
        record,
        List.of(
            Map.entry("lab-a", fx.certifier("lab-a").keys.get(0)), Map.entry("lab-b", adminKey)));
    fx.publish(record, Map.of("system.img", IMAGE));

    assertThatThrownBy(
            () ->
                verifier()
                    .verifyTarget(PHONE, "14.0.2", "system.img", Sha256.of(IMAGE), IMAGE.length))
        .isInstanceOf(UnendorsedPolicyChangeException.class)
        .hasMessageContaining("without a key-change endorsement");
  }

  @Test
  void endorsedChangesVerifyAcrossTheWholePolicyChain() {
    SigningKey second = TestKeys.ed25519();
    fx.addKey(PHONE, "lab-b", second);
    fx.changePolicy(
        PHONE, 2, List.of("lab-a", "lab-b", "lab-c", "lab-d"), List.of("lab-a", "lab-c"));
    fx.revokeKey(PHONE, "lab-b", fx.certifier("lab-b").keys.get(0));
    Published next = fx.publish(PHONE, "14.1", Map.of("system.img", BOOT), "lab-b", "lab-d");

    List<VerifiedLink> links = new ArrayList<>();
    VerifiedRelease verified =
        verifier(VerifierState.inMemory(), links)
            .verifyTarget(PHONE, "14.1", "system.img", Sha256.of(BOOT), BOOT.length);

    assertThat(verified.releaseId()).isEqualTo(next.releaseId());
    assertThat(verified.policy().sequence()).isEqualTo(4);
    assertThat(verified.signers()).containsExactly("lab-b", "lab-d");
    assertThat(links.getLast().detail())
        .contains("product-created → key-added → policy-changed → key-revoked");
  }

  @Test
  void aReplayedKeyChangeIsRefused() {
    // lab-b adds a key (version 2), then revokes it (version 3); the operator re-adds it with the
    // old, genuinely signed version-2 key change.
    SigningKey leaked = TestKeys.ed25519();
    SigningKey original = fx.certifier("lab-b").keys.get(0);
    fx.addKey(PHONE, "lab-b", leaked);
    ObjectNode oldEndorsement = ChainFixture.endorseKeyChange("lab-b", original, "add", leaked, 2);
    fx.revokeKey(PHONE, "lab-b", leaked);
    List<ObjectNode> certifiers = new ArrayList<>(fx.currentCertifiers(PHONE));
    certifiers.replaceAll(
        c ->
            c.path("id").asText().equals("lab-b")
                ? ChainFixture.certifierJson("lab-b", 2, List.of(original, leaked))
                : c);
    fx.appendPolicy(
        fx.statement(
            PHONE, 2, certifiers, ChainFixture.keyChange("key-added", "lab-b", leaked.keyId())),
        List.of(oldEndorsement));
    ObjectNode record = fx.releaseRecord(PHONE, "14.0.2", Map.of("system.img", IMAGE), List.of());
    ChainFixture.resign(
        record,
        List.of(Map.entry("lab-a", fx.certifier("lab-a").keys.get(0)), Map.entry("lab-b", leaked)));
    fx.publish(record, Map.of("system.img", IMAGE));

    assertThatThrownBy(
            () ->
                verifier()
                    .verifyTarget(PHONE, "14.0.2", "system.img", Sha256.of(IMAGE), IMAGE.length))
        .isInstanceOf(KeyChangeReplayException.class)
        .hasMessageContaining("version 2");
  }

  @Test
  void aReleaseSignedWithAKeyRevokedBeforeItWasLoggedIsRefused() {
    long old = fx.policyHead(PHONE);
    SigningKey revoked = fx.certifier("lab-a").keys.get(0);
    fx.revokeKey(PHONE, "lab-a", revoked);
    // Signed with lab-a's revoked key, which only the old policy lists, and naming that policy.
    ObjectNode record = fx.releaseRecord(PHONE, "14.0.2", Map.of("system.img", IMAGE), List.of());
    record
        .putObject("policy")
        .put("log_index", old)
        .put("record_sha256", Sha256.of(fx.entry(old)).hex());
    ChainFixture.resign(
        record,
        List.of(
            Map.entry("lab-a", revoked), Map.entry("lab-b", fx.certifier("lab-b").keys.get(0))));
    fx.publish(record, Map.of("system.img", IMAGE));

    assertThatThrownBy(
            () ->
                verifier()
                    .verifyTarget(PHONE, "14.0.2", "system.img", Sha256.of(IMAGE), IMAGE.length))
        .isInstanceOf(PolicyThresholdNotMetException.class)
        .hasMessageContaining("not counted");
  }

  @Test
  void aReleaseNamingThePolicyBeforeAnUnrelatedKeyAdditionStillVerifies() {
    // The release was certified under policy sequence 1; a key was added to lab-c before the
    // release record was logged (a race the server may lose): the sign-offs meet both.
    long named = fx.policyHead(PHONE);
    fx.addKey(PHONE, "lab-c", TestKeys.ed25519());
    ObjectNode record =
        fx.releaseRecord(PHONE, "14.0.2", Map.of("system.img", IMAGE), List.of("lab-a", "lab-b"));
    record
        .putObject("policy")
        .put("log_index", named)
        .put("record_sha256", Sha256.of(fx.entry(named)).hex());
    fx.publish(record, Map.of("system.img", IMAGE));

    VerifiedRelease verified =
        verifier().verifyTarget(PHONE, "14.0.2", "system.img", Sha256.of(IMAGE), IMAGE.length);

    assertThat(verified.policy().logIndex()).isEqualTo(named);
    assertThat(verified.links())
        .filteredOn(l -> l.link() == ChainLink.SIGNOFFS)
        .hasSize(2)
        .last()
        .satisfies(l -> assertThat(l.detail()).contains("in force when the release was logged"));
  }

  @Test
  void aV1RecordIsRefusedAsCertifiedBeforePoliciesWereLogged() {
    ObjectNode record =
        fx.releaseRecord(PHONE, "13.0", Map.of("system.img", IMAGE), List.of("lab-a", "lab-b"));
    record.put("format", "sluice.release-record/v1");
    record.remove("policy");
    fx.publish(record, Map.of("system.img", IMAGE));

    assertThatThrownBy(
            () ->
                verifier()
                    .verifyTarget(PHONE, "13.0", "system.img", Sha256.of(IMAGE), IMAGE.length))
        .isInstanceOf(UnverifiableRecordException.class)
        .hasMessageContaining("certified before certification policies were logged");
  }

  @Test
  void anOfflineBundleVerifiesWithNoServer() {
    BundleChainSource.Gathered gathered =
        BundleChainSource.gather(
            fx, fx.rootJson(), NoteVerifier.parse(fx.logKey()), release.releaseId(), fx.clock);
    VerifyBundle bundle = VerifyBundle.parse(gathered.bundle().toBytes());

    VerifiedRelease offline =
        ReleaseChainVerifier.builder()
            .source(new BundleChainSource(bundle, "x.bundle.json"))
            .trustedRoot(fx.rootJson())
            .logKey(NoteVerifier.parse(fx.logKey()))
            .clock(fx.clock)
            .build()
            .verifyTarget(PHONE, "14.0.1", "system.img", Sha256.of(IMAGE), IMAGE.length);

    assertThat(offline.releaseId()).isEqualTo(release.releaseId());
    assertThat(offline.links()).extracting(VerifiedLink::link).containsExactly(ChainLink.values());
  }

  @Test
  void aBundleWithAForgedCheckpointIsRefused() {
    VerifyBundle bundle =
        BundleChainSource.gather(
                fx, fx.rootJson(), NoteVerifier.parse(fx.logKey()), release.releaseId(), fx.clock)
            .bundle();
    byte[] forged =
        dev.sluice.trust.tlog.SignedNote.sign(
                new String(bundle.checkpoint(), StandardCharsets.UTF_8).split("\n\n")[0] + "\n",
                dev.sluice.trust.tlog.NoteSigner.generate(ChainFixture.LOG_NAME))
            .getBytes(StandardCharsets.UTF_8);
    VerifyBundle tampered =
        new VerifyBundle(
            bundle.releaseId(),
            bundle.server(),
            bundle.created(),
            bundle.tuf(),
            forged,
            bundle.tiles());

    assertThatThrownBy(
            () ->
                ReleaseChainVerifier.builder()
                    .source(new BundleChainSource(tampered, "x"))
                    .trustedRoot(fx.rootJson())
                    .logKey(NoteVerifier.parse(fx.logKey()))
                    .clock(fx.clock)
                    .build()
                    .verifyRelease(release.releaseId()))
        .isInstanceOf(CheckpointRefusedException.class);
  }

  @Test
  void everyRefusalNamesItsLink() {
    fx.clock.advance(Duration.ofDays(2));
    try {
      verifyImage();
    } catch (ChainVerificationException e) {
      assertThat(e.link()).isEqualTo(ChainLink.TUF);
      assertThat(e.getMessage()).startsWith("TUF metadata: ");
      assertThat(e.reason()).doesNotStartWith("TUF metadata");
      return;
    }
    throw new AssertionError("expired metadata verified");
  }

  static String json(ObjectNode node) {
    return new String(CanonicalJson.encode(node), StandardCharsets.UTF_8);
  }
}
