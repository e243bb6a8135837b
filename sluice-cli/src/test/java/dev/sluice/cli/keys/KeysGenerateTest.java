package dev.sluice.cli.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.Cli;
import dev.sluice.trust.key.KeyFiles;
import dev.sluice.trust.key.KeyScheme;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.key.VerificationKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysGenerateTest {
  @TempDir Path dir;

  @Test
  void writesAnOwnerOnlyPrivateKeyAndAPublicKeyThatBelongTogether() throws IOException {
    Path key = dir.resolve("lab-a.key");
    Cli.Result result = Cli.run("keys", "generate", "--out", key.toString());

    assertThat(result.code()).as(result.toString()).isZero();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
    Path pub = dir.resolve("lab-a.key.pub");
    assertThat(Files.readString(pub)).doesNotContain("private");
    SigningKey signing = KeyFiles.readPrivate(key);
    VerificationKey verification = KeyFiles.readPublic(pub);
    assertThat(verification.keyId()).isEqualTo(signing.keyId());
    assertThat(signing.scheme()).isEqualTo(KeyScheme.ED25519);
    byte[] message = "hello".getBytes(StandardCharsets.UTF_8);
    verification.verify(message, signing.sign(message));
    assertThat(result.out()).contains(signing.keyId()).contains(verification.publicValue());
  }

  @Test
  void refusesToOverwriteAnExistingKeyWithoutForce() throws IOException {
    Path key = dir.resolve("k");
    assertThat(Cli.run("keys", "generate", "--out", key.toString()).code()).isZero();
    String before = Files.readString(key);
    String pubBefore = Files.readString(dir.resolve("k.pub"));

    Cli.Result again = Cli.run("keys", "generate", "--out", key.toString());

    assertThat(again.code()).as(again.toString()).isEqualTo(1);
    assertThat(again.err()).contains("exists").contains("--force");
    assertThat(Files.readString(key)).isEqualTo(before);
    assertThat(Files.readString(dir.resolve("k.pub"))).isEqualTo(pubBefore);
  }

  @Test
  void refusesWhenOnlyThePublicFileExists() throws IOException {
    Path key = dir.resolve("k");
    Files.writeString(dir.resolve("k.pub"), "keep me");

    Cli.Result result = Cli.run("keys", "generate", "--out", key.toString());

    assertThat(result.code()).isEqualTo(1);
    assertThat(key).doesNotExist();
    assertThat(Files.readString(dir.resolve("k.pub"))).isEqualTo("keep me");
  }

  @Test
  void forceReplacesBothFilesWithANewKey() {
    Path key = dir.resolve("k");
    Cli.run("keys", "generate", "--out", key.toString());
    String oldId = KeyFiles.readPrivate(key).keyId();

    Cli.Result forced = Cli.run("keys", "generate", "--out", key.toString(), "--force");

    assertThat(forced.code()).as(forced.toString()).isZero();
    String newId = KeyFiles.readPrivate(key).keyId();
    assertThat(newId).isNotEqualTo(oldId);
    assertThat(KeyFiles.readPublic(dir.resolve("k.pub")).keyId()).isEqualTo(newId);
  }

  @Test
  void generatesEcdsaP256KeysOnRequest() {
    Path key = dir.resolve("ec");
    Cli.Result result =
        Cli.run("keys", "generate", "--out", key.toString(), "--scheme", "ecdsa-p256", "--json");

    assertThat(result.code()).as(result.toString()).isZero();
    assertThat(KeyFiles.readPrivate(key).scheme()).isEqualTo(KeyScheme.ECDSA_P256);
    assertThat(result.out()).contains("\"scheme\" : \"ecdsa-sha2-nistp256\"");
  }

  @Test
  void anUnknownSchemeIsAUsageError() {
    Cli.Result result =
        Cli.run("keys", "generate", "--out", dir.resolve("x").toString(), "--scheme", "rsa");
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).contains("ed25519").contains("ecdsa-p256");
    assertThat(dir.resolve("x")).doesNotExist();
  }
}
