package dev.sluice.trust.tuf.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.trust.TrustException;
import dev.sluice.trust.json.CanonicalJson;
import dev.sluice.trust.key.SigningKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A TUF metadata file (TUF 1.0 §4.3): a {@link Signed} object and its signatures. It keeps the
 * exact canonical JSON bytes the signatures cover: for parsed metadata these are the canonical form
 * of the {@code signed} object as received (fields this model does not read included), so a
 * signature is always checked against what the signer signed, never against a re-serialisation.
 *
 * <p>Instances are immutable; a parsed instance has not been verified (see {@code
 * dev.sluice.trust.tuf.TufVerifier}).
 */
public final class Metadata<T extends Signed> {
  private final T signed;
  private final byte[] signedBytes;
  private final List<Signature> signatures;

  private Metadata(T signed, byte[] signedBytes, List<Signature> signatures) {
    this.signed = signed;
    this.signedBytes = signedBytes;
    this.signatures = List.copyOf(signatures);
  }

  /** Metadata with no signatures yet. */
  public static <T extends Signed> Metadata<T> unsigned(T signed) {
    Objects.requireNonNull(signed, "signed");
    return new Metadata<>(signed, CanonicalJson.encode(signed.toJson()), List.of());
  }

  /** Metadata signed by each key, in order, over the canonical JSON of {@code signed}. */
  public static <T extends Signed> Metadata<T> sign(T signed, SigningKey... keys) {
    return sign(signed, List.of(keys));
  }

  /** Metadata signed by each key, in order, over the canonical JSON of {@code signed}. */
  public static <T extends Signed> Metadata<T> sign(T signed, List<SigningKey> keys) {
    Metadata<T> metadata = unsigned(signed);
    for (SigningKey key : keys) {
      metadata = metadata.appendSignature(key);
    }
    return metadata;
  }

  /** A copy with one more signature, by {@code key}, over {@link #signedBytes()}. */
  public Metadata<T> appendSignature(SigningKey key) {
    return appendSignature(Signature.of(key.keyId(), key.sign(signedBytes)));
  }

  /** A copy with one more signature made elsewhere (an offline key holder). */
  public Metadata<T> appendSignature(Signature signature) {
    List<Signature> all = new ArrayList<>(signatures);
    all.add(Objects.requireNonNull(signature, "signature"));
    return new Metadata<>(signed, signedBytes, all);
  }

  /** A copy of the same signed bytes with exactly these signatures. */
  public Metadata<T> withSignatures(List<Signature> signatures) {
    return new Metadata<>(signed, signedBytes, signatures);
  }

  public T signed() {
    return signed;
  }

  public List<Signature> signatures() {
    return signatures;
  }

  /** The canonical JSON of the {@code signed} object: exactly what every signature covers. */
  public byte[] signedBytes() {
    return signedBytes.clone();
  }

  /**
   * The metadata file: {@code {"signatures": [...], "signed": {...}}} as ordinary, compact JSON
   * with sorted keys. Signatures cover the canonical form of {@code signed}, which every client
   * recomputes from the parsed object; the file itself must be standard JSON, because the canonical
   * form writes control characters raw (the line breaks of a PEM key, for one), which standard JSON
   * parsers such as tuf-js's refuse.
   */
  public byte[] toBytes() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    ArrayNode sigs = json.putArray("signatures");
    for (Signature s : signatures) {
      sigs.addObject().put("keyid", s.keyId()).put("sig", s.sig());
    }
    json.set("signed", CanonicalJson.parse(signedBytes));
    try {
      return CanonicalJson.mapper().writeValueAsBytes(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  /**
   * Parses a metadata file of the given type. Refuses what {@link CanonicalJson#parse} refuses
   * (duplicate keys, malformed UTF-8, trailing content), floats anywhere in {@code signed}, a wrong
   * {@code _type}, a malformed {@code expires}, a spec major version other than 1, and anything the
   * model's records refuse.
   *
   * @throws MalformedMetadataException if the bytes are not such metadata
   */
  public static <T extends Signed> Metadata<T> parse(byte[] json, Class<T> type) {
    String what = typeName(type);
    try {
      JsonNode root = Json.object(CanonicalJson.parse(json), "metadata");
      JsonNode signedJson = Json.objectField(root, "signed");
      byte[] signedBytes = CanonicalJson.encode(signedJson);
      T signed = type.cast(parser(type).apply(signedJson));
      JsonNode sigs = Json.field(root, "signatures");
      if (!sigs.isArray()) {
        throw new IllegalArgumentException("\"signatures\" must be an array");
      }
      List<Signature> signatures = new ArrayList<>();
      for (JsonNode s : sigs) {
        Json.object(s, "a signature");
        signatures.add(new Signature(Json.string(s, "keyid"), Json.string(s, "sig")));
      }
      return new Metadata<>(signed, signedBytes, signatures);
    } catch (IllegalArgumentException | TrustException e) {
      throw new MalformedMetadataException(what, e.getMessage(), e);
    }
  }

  private static Function<JsonNode, ? extends Signed> parser(Class<? extends Signed> type) {
    if (type == Root.class) {
      return Root::fromJson;
    } else if (type == Targets.class) {
      return Targets::fromJson;
    } else if (type == Snapshot.class) {
      return Snapshot::fromJson;
    } else if (type == Timestamp.class) {
      return Timestamp::fromJson;
    }
    throw new IllegalArgumentException("not a metadata type: " + type);
  }

  private static String typeName(Class<? extends Signed> type) {
    return type.getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }

  /** Equal when the signed bytes and the signatures are equal. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Metadata<?> other
        && Arrays.equals(signedBytes, other.signedBytes)
        && signatures.equals(other.signatures);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(signedBytes) + signatures.hashCode();
  }

  @Override
  public String toString() {
    return "Metadata["
        + signed.type()
        + " v"
        + signed.version()
        + ", "
        + signatures.size()
        + " sig]";
  }
}
