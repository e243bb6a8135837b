package dev.sluice.trust.tlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckpointTest {
  // C2SP tlog-checkpoint example.
  private static final String SPEC_BODY =
      "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

  @Test
  void specExampleParsesAndPrintsBackIdentically() {
    Checkpoint checkpoint = Checkpoint.parse(SPEC_BODY);

    assertThat(checkpoint.origin()).isEqualTo("example.com/behind-the-sofa");
    assertThat(checkpoint.size()).isEqualTo(20852163);
    assertThat(checkpoint.rootHash().base64())
        .isEqualTo("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=");
    assertThat(checkpoint.extensions()).isEmpty();
    assertThat(checkpoint.toBody()).isEqualTo(SPEC_BODY);
  }

  @Test
  void extensionLinesRoundTrip() {
    Checkpoint checkpoint =
        new Checkpoint("sluice.example/log", 0, MerkleHash.emptyRoot(), List.of("ext one", "two"));

    String body = checkpoint.toBody();

    assertThat(body)
        .isEqualTo(
            "sluice.example/log\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\next one\ntwo\n");
    assertThat(Checkpoint.parse(body)).isEqualTo(checkpoint);
  }

  @Test
  void nonCanonicalBodiesAreRejected() {
    String root = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";
    List<String> malformed =
        List.of(
            "",
            "origin\n5\n" + root,
            "origin\n5\n",
            "\n5\n" + root + "\n",
            "origin\n05\n" + root + "\n",
            "origin\n+5\n" + root + "\n",
            "origin\n-5\n" + root + "\n",
            "origin\n5 \n" + root + "\n",
            "origin\n99999999999999999999\n" + root + "\n",
            "origin\n9223372036854775808\n" + root + "\n",
            "origin\n5\n" + root.replace("=", "") + "\n",
            "origin\n5\nCsUYapGGPo4dkMgIAUqom_Xajj7h2fB2MPA3j2jxq2I=\n",
            "origin\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n",
            "origin\n5\n" + root + "\n\n",
            "origin\n5\n" + root + "\nextension\n\n",
            "ori\tgin\n5\n" + root + "\n");
    for (String body : malformed) {
      assertThatThrownBy(() -> Checkpoint.parse(body))
          .as("%s", body)
          .isInstanceOf(MalformedCheckpointException.class);
    }
  }

  @Test
  void invalidValuesCannotBeConstructed() {
    Hash root = MerkleHash.emptyRoot();

    assertThatThrownBy(() -> new Checkpoint("", 0, root))
        .isInstanceOf(MalformedCheckpointException.class);
    assertThatThrownBy(() -> new Checkpoint("two\nlines", 0, root))
        .isInstanceOf(MalformedCheckpointException.class);
    assertThatThrownBy(() -> new Checkpoint("origin", -1, root))
        .isInstanceOf(MalformedCheckpointException.class);
    assertThatThrownBy(() -> new Checkpoint("origin", 0, root, List.of("")))
        .isInstanceOf(MalformedCheckpointException.class);
  }

  @Test
  void signedCheckpointOpensToTheSameCheckpoint() {
    NoteSigner log = NoteSigner.generate("sluice.example/log");
    InMemoryHashReader tree = Rfc6962Vectors.tree(8);
    Checkpoint checkpoint = new Checkpoint("sluice.example/log", tree.size(), tree.root());

    String note = SignedNote.sign(checkpoint.toBody(), log);
    VerifiedNote opened = SignedNote.open(note.getBytes(StandardCharsets.UTF_8), log.verifier());

    assertThat(Checkpoint.fromVerifiedNote(opened)).isEqualTo(checkpoint);
  }
}
