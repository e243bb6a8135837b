package dev.sluice.server.testing.swupdate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A signed SWUpdate image ({@code .swu}): a cpio newc archive holding {@code sw-description}
 * (libconfig syntax) first, its CMS signature {@code sw-description.sig} second, then one payload
 * per {@code files} entry, each installed by the {@code rawfile} handler into an absolute path and
 * checked against the sha256 in the signed description.
 */
public final class SwuImage {
  public static final String DESCRIPTION = "sw-description";
  public static final String SIGNATURE = "sw-description.sig";

  private final byte[] bytes;
  private final String description;
  private final Map<String, Integer> payloadOffsets;

  private SwuImage(byte[] bytes, String description, Map<String, Integer> payloadOffsets) {
    this.bytes = bytes;
    this.description = description;
    this.payloadOffsets = Map.copyOf(payloadOffsets);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The archive. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The {@code sw-description} text that was signed. */
  public String description() {
    return description;
  }

  public long size() {
    return bytes.length;
  }

  /** Hex SHA-1 of the archive (hawkBit DDI {@code hashes.sha1}, which SWUpdate checks). */
  public String sha1() {
    return hex("SHA-1", bytes);
  }

  public String sha256() {
    return hex("SHA-256", bytes);
  }

  public Path writeTo(Path file) {
    try {
      return Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The same archive with one byte of payload {@code filename} flipped: still a well-formed cpio
   * archive with a valid signature over {@code sw-description}, but the payload no longer matches
   * the signed sha256, so SWUpdate refuses it before writing anything.
   */
  public SwuImage withCorruptedPayload(String filename) {
    Integer offset = payloadOffsets.get(filename);
    if (offset == null) {
      throw new IllegalArgumentException("no payload " + filename);
    }
    byte[] corrupted = bytes.clone();
    corrupted[offset] ^= 0x01;
    return new SwuImage(corrupted, description, payloadOffsets);
  }

  private static String hex(String algorithm, byte[] data) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Builds and signs an image. */
  public static final class Builder {
    private static final String NAME = "[A-Za-z0-9._-]{1,64}";

    private String version = "1.0.0";
    private final List<String> hardware = new ArrayList<>();
    private final Map<String, RawFile> files = new LinkedHashMap<>();

    private record RawFile(byte[] content, Path target) {}

    private Builder() {}

    /** The image's {@code software.version}. */
    public Builder version(String version) {
      this.version = checked(version, "[A-Za-z0-9.+~_-]{1,64}", "a version");
      return this;
    }

    /**
     * Hardware revisions the image is for ({@code hardware-compatibility}); SWUpdate compares them
     * with the revision in {@code -H board:revision}. None: any hardware.
     */
    public Builder hardwareCompatibility(String... revisions) {
      for (String revision : revisions) {
        hardware.add(checked(revision, NAME, "a hardware revision"));
      }
      return this;
    }

    /** A payload that the {@code rawfile} handler writes to the absolute path {@code target}. */
    public Builder rawFile(String filename, byte[] content, Path target) {
      checked(filename, NAME, "a payload file name");
      if (filename.equals(DESCRIPTION)
          || filename.equals(SIGNATURE)
          || files.containsKey(filename)) {
        throw new IllegalArgumentException("payload name " + filename + " is taken");
      }
      Objects.requireNonNull(content, "content");
      if (!target.isAbsolute() || !target.toString().matches("[A-Za-z0-9/._+-]{1,200}")) {
        throw new IllegalArgumentException(
            "a rawfile target is an absolute path of safe characters");
      }
      files.put(filename, new RawFile(content.clone(), target));
      return this;
    }

    /** Writes {@code sw-description}, signs it with {@code signer} and archives everything. */
    public SwuImage build(SigningCertificate signer) {
      if (files.isEmpty()) {
        throw new IllegalStateException("an image needs at least one payload");
      }
      String description = description();
      byte[] descriptionBytes = description.getBytes(StandardCharsets.UTF_8);
      NewcArchive archive =
          new NewcArchive()
              .add(DESCRIPTION, descriptionBytes)
              .add(SIGNATURE, signer.signCms(descriptionBytes));
      files.forEach((name, file) -> archive.add(name, file.content()));
      byte[] bytes = archive.finish();
      Map<String, Integer> offsets = new LinkedHashMap<>();
      files.keySet().forEach(name -> offsets.put(name, archive.dataOffset(name)));
      return new SwuImage(bytes, description, offsets);
    }

    // libconfig syntax, as in SWUpdate's sw-description examples. Values are restricted to
    // characters that need no escaping.
    private String description() {
      StringBuilder text = new StringBuilder();
      text.append("software =\n{\n");
      text.append("\tversion = \"").append(version).append("\";\n");
      if (!hardware.isEmpty()) {
        text.append("\thardware-compatibility: [ ");
        text.append(String.join(", ", hardware.stream().map(h -> "\"" + h + "\"").toList()));
        text.append(" ];\n");
      }
      text.append("\tfiles: (\n");
      List<String> entries = new ArrayList<>();
      files.forEach(
          (name, file) ->
              entries.add(
                  "\t\t{\n"
                      + ("\t\t\tfilename = \"" + name + "\";\n")
                      + "\t\t\ttype = \"rawfile\";\n"
                      + ("\t\t\tpath = \"" + file.target() + "\";\n")
                      + ("\t\t\tsha256 = \"" + hex("SHA-256", file.content()) + "\";\n")
                      + "\t\t}"));
      text.append(String.join(",\n", entries)).append("\n\t);\n}\n");
      return text.toString();
    }

    private static String checked(String value, String pattern, String what) {
      if (value == null || !value.matches(pattern)) {
        throw new IllegalArgumentException(
            what + " must match " + pattern + ", got '" + value + "'");
      }
      return value;
    }
  }
}
