package dev.sluice.cli.release;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.cli.client.Release;
import dev.sluice.cli.command.CommandFailedException;
import dev.sluice.trust.json.CanonicalJson;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CertifyCommandTest {
  private static final String A = "a".repeat(64);
  private static final String B = "b".repeat(64);
  private static final String M = "c".repeat(64);
  private static final String R = "d".repeat(64);

  private static JsonNode json(String text) {
    return CanonicalJson.parse(text.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
  }

  private static Release release(String artifactDigest) {
    return new Release(
        json(
            "{'id':'r1','product':'acme','version':'1.0.0','state':'checked',"
                + "'manifest_sha256':'"
                + M
                + "','artifacts':[{'name':'os.img','sha256':'"
                + artifactDigest
                + "','size':3}],"
                + "'check':{'report':{'verdict':'passed','results':[]},'report_sha256':'"
                + R
                + "'}}"));
  }

  private static JsonNode statement(String artifactDigest) {
    return json(
        "{'type':'sluice.release-statement/v1','product':'acme','version':'1.0.0',"
            + "'artifacts':[{'name':'os.img','sha256':'"
            + artifactDigest
            + "','size':3}],'manifest_sha256':'"
            + M
            + "','standards':{'id':'default','version':1},'report_sha256':'"
            + R
            + "'}");
  }

  @Test
  void aStatementOfTheShownReleaseMayBeSigned() {
    assertThatCode(() -> CertifyCommand.requireDescribes(statement(A), release(A)))
        .doesNotThrowAnyException();
  }

  @Test
  void aStatementNamingOtherArtifactBytesIsRefused() {
    assertThatThrownBy(() -> CertifyCommand.requireDescribes(statement(B), release(A)))
        .isInstanceOf(CommandFailedException.class)
        .hasMessageContaining("artifacts")
        .hasMessageContaining("refusing to sign");
  }
}
