package dev.sluice.trust.tuf.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.key.KeyScheme;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.key.VerificationKey;
import dev.sluice.trust.testing.TestKeys;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every model value survives signing, serialisation and parsing unchanged. */
class ModelJsonProperties {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final List<SigningKey> KEYS =
      Stream.concat(
              TestKeys.generate(KeyScheme.ED25519, 3).stream(),
              TestKeys.generate(KeyScheme.ECDSA_P256, 2).stream())
          .toList();
  private static final SigningKey SIGNER = KEYS.get(0);

  private static <T extends Signed> void assertRoundTrip(T signed, Class<T> type) {
    Metadata<T> metadata = Metadata.sign(signed, SIGNER);
    byte[] file = metadata.toBytes();

    Metadata<T> parsed = Metadata.parse(file, type);

    assertThat(parsed.signed()).isEqualTo(signed);
    assertThat(parsed.toBytes()).isEqualTo(file);
    assertThat(Metadata.unsigned(parsed.signed()).signedBytes()).isEqualTo(metadata.signedBytes());
  }

  @Property(tries = 200)
  void timestampRoundTrips(@ForAll("timestamps") Timestamp timestamp) {
    assertRoundTrip(timestamp, Timestamp.class);
  }

  @Property(tries = 200)
  void snapshotRoundTrips(@ForAll("snapshots") Snapshot snapshot) {
    assertRoundTrip(snapshot, Snapshot.class);
  }

  @Property(tries = 200)
  void targetsRoundTrip(@ForAll("targets") Targets targets) {
    assertRoundTrip(targets, Targets.class);
  }

  @Property(tries = 100)
  void rootRoundTrips(@ForAll("roots") Root root) {
    assertRoundTrip(root, Root.class);
  }

  @Provide
  Arbitrary<Timestamp> timestamps() {
    return Combinators.combine(specVersions(), versions(), instants(), metaFiles())
        .as(Timestamp::new);
  }

  @Provide
  Arbitrary<Snapshot> snapshots() {
    Arbitrary<Map<String, MetaFile>> roles =
        Arbitraries.maps(roleNames().map(n -> n + ".json"), metaFiles()).ofMaxSize(5);
    return Combinators.combine(specVersions(), versions(), instants(), metaFiles(), roles)
        .as(
            (spec, version, expires, targets, others) -> {
              var meta = new java.util.HashMap<>(others);
              meta.put(Snapshot.TARGETS_JSON, targets);
              return new Snapshot(spec, version, expires, meta);
            });
  }

  @Provide
  Arbitrary<Targets> targets() {
    Arbitrary<Map<String, TargetFile>> files =
        Arbitraries.maps(paths(), targetFiles()).ofMaxSize(5);
    return Combinators.combine(
            specVersions(), versions(), instants(), files, delegations().optional(0.5))
        .as(Targets::new);
  }

  @Provide
  Arbitrary<Root> roots() {
    return Combinators.combine(
            specVersions(),
            versions(),
            instants(),
            Arbitraries.of(true, false),
            roleKeys(),
            roleKeys(),
            roleKeys(),
            roleKeys())
        .as(
            (spec, version, expires, consistent, root, targets, snapshot, timestamp) ->
                new Root(
                    spec,
                    version,
                    expires,
                    consistent,
                    keyMap(KEYS),
                    Map.of(
                        RoleType.ROOT, root,
                        RoleType.TARGETS, targets,
                        RoleType.SNAPSHOT, snapshot,
                        RoleType.TIMESTAMP, timestamp)));
  }

  private static Map<String, VerificationKey> keyMap(List<SigningKey> keys) {
    var map = new java.util.HashMap<String, VerificationKey>();
    keys.forEach(k -> map.put(k.keyId(), k.verificationKey()));
    return map;
  }

  private static Arbitrary<RoleKeys> roleKeys() {
    return Arbitraries.subsetOf(KEYS)
        .ofMinSize(1)
        .flatMap(
            keys ->
                Arbitraries.integers()
                    .between(1, keys.size() + 1)
                    .map(t -> new RoleKeys(keys.stream().map(SigningKey::keyId).toList(), t)));
  }

  private static Arbitrary<Delegations> delegations() {
    Arbitrary<TargetPaths> paths =
        Arbitraries.oneOf(
            Arbitraries.strings()
                .withChars("ab*?/.-")
                .ofMinLength(1)
                .ofMaxLength(8)
                .list()
                .ofMaxSize(3)
                .map(TargetPaths.Patterns::new),
            Arbitraries.strings()
                .withChars("0123456789abcdef")
                .ofMinLength(1)
                .ofMaxLength(4)
                .list()
                .ofMaxSize(3)
                .map(TargetPaths.HashPrefixes::new));
    Arbitrary<DelegatedRole> role =
        Combinators.combine(roleNames(), roleKeys(), paths, Arbitraries.of(true, false))
            .as(DelegatedRole::new);
    return role.list()
        .ofMaxSize(4)
        .uniqueElements(DelegatedRole::name)
        .map(roles -> new Delegations(keyMap(KEYS), new ArrayList<>(roles)));
  }

  private static Arbitrary<String> specVersions() {
    return Arbitraries.of("1.0.31", "1.0.0", "1.1", "1.0.34");
  }

  private static Arbitrary<Long> versions() {
    return Arbitraries.longs().between(1, Long.MAX_VALUE);
  }

  private static Arbitrary<Instant> instants() {
    return Arbitraries.longs()
        .between(
            Instant.parse("0000-01-01T00:00:00Z").getEpochSecond(),
            Instant.parse("9999-12-31T23:59:59Z").getEpochSecond())
        .map(Instant::ofEpochSecond);
  }

  private static Arbitrary<Sha256> digests() {
    return Arbitraries.bytes().array(byte[].class).ofSize(32).map(Sha256::fromBytes);
  }

  private static Arbitrary<MetaFile> metaFiles() {
    return Combinators.combine(
            versions(),
            Arbitraries.longs().between(0, Long.MAX_VALUE).optional(0.5),
            digests().optional(0.5))
        .as(
            (version, length, hash) ->
                new MetaFile(
                    version, length.map(OptionalLong::of).orElse(OptionalLong.empty()), hash));
  }

  private static Arbitrary<String> roleNames() {
    return Arbitraries.strings().withChars("abcxyz019-_.").ofMaxLength(12).map(s -> "r" + s);
  }

  private static Arbitrary<String> paths() {
    return Arbitraries.of("a", "b", "z", "-", "_", ".", "é", "€", "😀")
        .list()
        .ofMinSize(1)
        .ofMaxSize(6)
        .map(chars -> String.join("", chars))
        .filter(s -> !s.equals(".") && !s.equals(".."))
        .list()
        .ofMinSize(1)
        .ofMaxSize(3)
        .map(segments -> String.join("/", segments));
  }

  private static Arbitrary<TargetFile> targetFiles() {
    return Combinators.combine(
            Arbitraries.longs().between(0, Long.MAX_VALUE), digests(), customs().optional(0.5))
        .as(TargetFile::new);
  }

  private static Arbitrary<JsonNode> customs() {
    Arbitrary<JsonNode> leaf =
        Arbitraries.oneOf(
            Arbitraries.longs().map(NODES::numberNode),
            Arbitraries.strings().withCharRange(' ', '\ud7ff').ofMaxLength(8).map(NODES::textNode),
            Arbitraries.of(true, false).map(NODES::booleanNode),
            Arbitraries.just(NODES.nullNode()));
    Arbitrary<JsonNode> inner =
        Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(5), leaf)
            .ofMaxSize(3)
            .map(ModelJsonProperties::object);
    return Arbitraries.maps(
            Arbitraries.strings().alpha().ofMaxLength(5), Arbitraries.oneOf(leaf, inner))
        .ofMaxSize(4)
        .map(ModelJsonProperties::object);
  }

  private static JsonNode object(Map<String, JsonNode> fields) {
    ObjectNode node = NODES.objectNode();
    fields.forEach(node::set);
    return node;
  }
}
