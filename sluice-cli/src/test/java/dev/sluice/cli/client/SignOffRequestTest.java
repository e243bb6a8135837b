package dev.sluice.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.trust.hash.Sha256;
import dev.sluice.trust.key.KeyScheme;
import dev.sluice.trust.key.SignatureVerificationException;
import dev.sluice.trust.key.SigningKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SignOffRequestTest {
  private static final byte[] STATEMENT =
      "{\"product\":\"acme\",\"type\":\"sluice.release-statement/v1\",\"version\":\"1.0.0\"}"
          .getBytes(StandardCharsets.UTF_8);

  private final SigningKey key = SigningKey.generate(KeyScheme.ED25519);
  private final Statement statement = Statement.verified(STATEMENT, Sha256.of(STATEMENT));

  @Test
  void anApprovalSignsTheStatementsExactBytes() {
    SignOffRequest request = SignOffRequest.approve(statement, key);

    assertThat(request.decision()).isEqualTo("approve");
    assertThat(request.keyId()).isEqualTo(key.keyId());
    assertThat(request.statementSha256()).isEqualTo(Sha256.of(STATEMENT));
    assertThat(request.reason()).isEmpty();
    key.verificationKey().verify(STATEMENT, Base64.getDecoder().decode(request.signatureBase64()));
  }

  @Test
  void aRejectionSignsTheCanonicalRejectionMessageNotTheStatement() {
    SignOffRequest request = SignOffRequest.reject(statement, key, "fails EMC test 4.2");
    byte[] signature = Base64.getDecoder().decode(request.signatureBase64());

    key.verificationKey()
        .verify(SignOffRequest.rejectionBytes(statement.sha256(), "fails EMC test 4.2"), signature);
    assertThatThrownBy(() -> key.verificationKey().verify(STATEMENT, signature))
        .isInstanceOf(SignatureVerificationException.class);
    assertThat(request.toWire().reason()).isEqualTo("fails EMC test 4.2");
  }

  @Test
  void theRejectionMessageIsCanonicalJsonWithSortedKeys() {
    Sha256 digest = Sha256.of(STATEMENT);
    String text =
        new String(SignOffRequest.rejectionBytes(digest, "bad \"radio\""), StandardCharsets.UTF_8);
    assertThat(text)
        .isEqualTo(
            "{\"reason\":\"bad \\\"radio\\\"\",\"statement_sha256\":\""
                + digest.hex()
                + "\",\"type\":\"sluice.release-rejection/v1\"}");
  }

  @Test
  void aStatementWhoseBytesDoNotMatchTheDeclaredDigestIsRefused() {
    byte[] tampered = STATEMENT.clone();
    tampered[tampered.length - 3] = '2';
    assertThatThrownBy(() -> Statement.verified(tampered, Sha256.of(STATEMENT)))
        .isInstanceOf(TransportException.class)
        .hasMessageContaining("refusing");
  }

  @Test
  void aRejectionWithoutAReasonCannotBeBuilt() {
    assertThatThrownBy(() -> SignOffRequest.reject(statement, key, " "))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
