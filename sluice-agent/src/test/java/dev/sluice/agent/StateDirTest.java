package dev.sluice.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.trust.key.KeyScheme;
import dev.sluice.trust.key.SigningKey;
import dev.sluice.trust.tlog.Ed25519NoteVerifier;
import dev.sluice.trust.tuf.RepositoryBuilder;
import dev.sluice.trust.tuf.RepositoryBuilder.RoleKeySet;
import dev.sluice.trust.tuf.model.Root;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirTest {
  @TempDir Path temp;

  private static byte[] root() {
    SigningKey key = SigningKey.generate(KeyScheme.ED25519);
    RepositoryBuilder builder =
        new RepositoryBuilder(Clock.systemUTC(), RepositoryBuilder.Expiry.defaults());
    Root root =
        builder.root(
            1,
            RoleKeySet.of(1, List.of(key)),
            RoleKeySet.of(1, List.of(key)),
            RoleKeySet.of(1, List.of(key)),
            RoleKeySet.of(1, List.of(key)));
    return RepositoryBuilder.signRoot(root, List.of(key)).toBytes();
  }

  private static String logKey() {
    byte[] pub = SigningKey.generate(KeyScheme.ED25519).verificationKey().publicKeyBytes();
    return Ed25519NoteVerifier.create("example.org/log", pub).vkey();
  }

  private AgentConfig config(Path state) {
    return new AgentConfig(
        URI.create("http://127.0.0.1:8080/"),
        "DEFAULT",
        "dev-1",
        Optional.empty(),
        state.resolve("slots"),
        Optional.empty(),
        UpdatePolicy.parse("defer:3"),
        Optional.of("true"),
        3,
        Optional.empty());
  }

  @Test
  void initWritesEverythingAndTheTokenIsOwnerOnly() throws Exception {
    Path dir = temp.resolve("state");
    StateDir state = StateDir.init(dir, config(dir), root(), logKey(), "secret-token");

    assertThat(state.config()).isEqualTo(config(dir));
    assertThat(state.token()).isEqualTo("secret-token");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("token"))))
        .isEqualTo("rw-------");
    assertThat(state.config().server().toString()).isEqualTo("http://127.0.0.1:8080");
  }

  @Test
  void initRefusesAnExistingDirectoryABadRootAndABadLogKey() throws Exception {
    Path dir = temp.resolve("state");
    Files.createDirectories(dir);
    assertThatThrownBy(() -> StateDir.init(dir, config(dir), root(), logKey(), "t"))
        .isInstanceOf(AgentStateException.class)
        .hasMessageContaining("already exists");

    Path other = temp.resolve("other");
    byte[] notRoot = "{}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> StateDir.init(other, config(other), notRoot, logKey(), "t"))
        .isInstanceOf(AgentStateException.class)
        .hasMessageContaining("--root");
    assertThatThrownBy(() -> StateDir.init(other, config(other), root(), "not a key", "t"))
        .isInstanceOf(AgentStateException.class)
        .hasMessageContaining("--log-key");
    assertThat(other).doesNotExist();
    try (var left = Files.list(temp)) {
      assertThat(left.map(p -> p.getFileName().toString()).toList()).containsExactly("state");
    }
  }

  @Test
  void secondAgentOnTheSameStateIsRefused() throws Exception {
    Path dir = temp.resolve("state");
    StateDir state = StateDir.init(dir, config(dir), root(), logKey(), "t");
    try (var lock = state.lock()) {
      assertThat(lock.isValid()).isTrue();
      assertThatThrownBy(() -> StateDir.open(dir).lock())
          .isInstanceOf(AgentStateException.class)
          .hasMessageContaining("another agent");
    }
  }

  @Test
  void openingADirectoryThatIsNoStateSaysSo() {
    assertThatThrownBy(() -> StateDir.open(temp))
        .isInstanceOf(AgentStateException.class)
        .hasMessageContaining("sluice agent init");
  }

  @Test
  void invalidConfigValuesNameTheOption() {
    assertThatThrownBy(
            () ->
                new AgentConfig(
                    URI.create("ftp://x"),
                    "DEFAULT",
                    "dev-1",
                    Optional.empty(),
                    temp,
                    Optional.empty(),
                    UpdatePolicy.parse("auto"),
                    Optional.empty(),
                    3,
                    Optional.empty()))
        .hasMessageContaining("--server");
    assertThatThrownBy(
            () ->
                new AgentConfig(
                    URI.create("http://x"),
                    "DEFAULT",
                    "dev 1",
                    Optional.empty(),
                    temp,
                    Optional.empty(),
                    UpdatePolicy.parse("auto"),
                    Optional.empty(),
                    0,
                    Optional.empty()))
        .hasMessageContaining("--controller-id");
  }
}
