package dev.sluice.trust.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** SHA-256 values: the standard's test vectors, validation, and digests shared by no caller. */
class Sha256Test {

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void hashesTheStandardsTestVectors() {
    assertThat(Sha256.of(ascii("")).hex())
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(Sha256.of(ascii("abc")).hex())
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(Sha256.of(ascii("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).hex())
        .isEqualTo("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  }

  @Test
  void aNewDigestStartsEmptyEvenAfterOthersWereFed() {
    MessageDigest first = Sha256.newDigest();
    first.update(ascii("abc"));
    MessageDigest second = Sha256.newDigest();
    assertThat(second).isNotSameAs(first);
    assertThat(HexFormat.of().formatHex(second.digest()))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void manyVirtualThreadsHashingAtOnceEachGetTheirOwnInputsDigest() throws Exception {
    Random random = new Random(42);
    List<byte[]> inputs = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      byte[] input = new byte[random.nextInt(1, 300)];
      random.nextBytes(input);
      inputs.add(input);
    }
    List<Future<Boolean>> results = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (byte[] input : inputs) {
        results.add(
            threads.submit(
                () -> {
                  byte[] expected = MessageDigest.getInstance("SHA-256").digest(input);
                  return Sha256.of(input).equals(Sha256.fromBytes(expected));
                }));
      }
    }
    for (Future<Boolean> result : results) {
      assertThat(result.get()).isTrue();
    }
  }

  @Test
  void onlySixtyFourLowercaseHexCharactersAreADigest() {
    String good = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    assertThat(new Sha256(good).hex()).isEqualTo(good);
    for (String bad :
        new String[] {
          good.toUpperCase(java.util.Locale.ROOT),
          good.substring(1),
          good + "0",
          good.substring(1) + "g",
          good.substring(1) + " ",
          ""
        }) {
      assertThatThrownBy(() -> new Sha256(bad)).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> new Sha256(null)).isInstanceOf(IllegalArgumentException.class);
    assertThat(Sha256.parse("sha256:" + good.toUpperCase(java.util.Locale.ROOT)).hex())
        .isEqualTo(good);
  }

  @Test
  void matchesOnlyTheSameDigest() {
    Sha256 abc = Sha256.of(ascii("abc"));
    assertThat(abc.matches(Sha256.parse(abc.hex().toUpperCase(java.util.Locale.ROOT)))).isTrue();
    assertThat(abc.matches(Sha256.of(ascii("abd")))).isFalse();
    assertThat(Sha256.fromBytes(abc.bytes())).isEqualTo(abc);
  }
}
