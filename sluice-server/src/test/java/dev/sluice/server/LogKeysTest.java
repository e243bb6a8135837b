package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.trust.tlog.NoteSigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogKeysTest {
  private static final String ORIGIN = "example.com/log";

  @TempDir Path data;

  @Test
  void aSuppliedPassphraseFileIsUsedWithoutItsTrailingNewlineAndNothingIsGenerated()
      throws Exception {
    Path file = data.resolve("secret");
    Files.writeString(file, "s3cret phrase\n");
    NoteSigner created = LogKeys.loadOrCreate(data, ORIGIN, Optional.of(file), Optional.empty());

    NoteSigner reopened =
        LogKeys.loadOrCreate(data, ORIGIN, Optional.empty(), Optional.of("s3cret phrase"));

    assertThat(reopened.verifier()).isEqualTo(created.verifier());
    assertThat(LogKeys.generatedPassphraseFile(data)).doesNotExist();
    assertThat(LogKeys.verifierKey(data)).isEqualTo(created.verifier().vkey());
  }

  @Test
  void anExistingKeyWithoutAnyPassphraseSourceIsRefusedWithAHint() throws Exception {
    LogKeys.loadOrCreate(data, ORIGIN, Optional.empty(), Optional.of("from the environment"));

    assertThatThrownBy(() -> LogKeys.loadOrCreate(data, ORIGIN, Optional.empty(), Optional.empty()))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining(LogKeys.PASSPHRASE_ENV)
        .hasMessageContaining("--key-passphrase-file");
  }

  @Test
  void withoutAPassphraseOneIsGeneratedNextToTheKeyOnFirstStart() throws Exception {
    NoteSigner created = LogKeys.loadOrCreate(data, ORIGIN, Optional.empty(), Optional.empty());

    assertThat(Files.readString(LogKeys.generatedPassphraseFile(data)).strip()).hasSize(43);
    assertThat(LogKeys.loadOrCreate(data, ORIGIN, Optional.empty(), Optional.empty()).verifier())
        .isEqualTo(created.verifier());
    assertThat(created.name()).isEqualTo(ORIGIN);
  }

  @Test
  void anEmptyPassphraseFileIsRefused() throws Exception {
    Path file = data.resolve("empty");
    Files.writeString(file, "\n");

    assertThatThrownBy(
            () -> LogKeys.loadOrCreate(data, ORIGIN, Optional.of(file), Optional.empty()))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("is empty");
  }
}
