package dev.sluice.store.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.auth.Role;
import dev.sluice.core.token.ApiToken;
import dev.sluice.store.jdbi.JdbiTransactions;
import dev.sluice.trust.hash.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Schema V11 (credentials) on a database made before it: existing API tokens (even one labelled
 * "system") get a stable id from their hash, keep working, and from then on appear in the audit as
 * {@code token:ID(label)}; existing audit rows stay as they were.
 */
class CredentialsMigrationTest {

  @Test
  void tokensMadeBeforeTheCredentialsMigrationGetAStableIdAndKeepWorking(@TempDir Path dir)
      throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("sluice.db");
    Flyway.configure()
        .dataSource(url, null, null)
        .locations("classpath:db/migration/sqlite")
        .target("8")
        .load()
        .migrate();
    Sha256 hash = Sha256.of("sluice_legacy".getBytes(StandardCharsets.US_ASCII));
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO api_tokens (token_sha256, role, label, created_at) VALUES (?, ?, ?, ?)")) {
      insert.setString(1, hash.hex());
      insert.setString(2, "admin");
      insert.setString(3, "system");
      insert.setLong(4, 1_700_000_000_000L);
      insert.executeUpdate();
    }

    try (Database db = Database.open(url)) {
      JdbiTransactions tx = new JdbiTransactions(db);
      List<ApiToken> tokens = tx.read(repos -> repos.tokens().list());
      assertThat(tokens).hasSize(1);
      ApiToken legacy = tokens.get(0);
      assertThat(legacy.id().value()).isEqualTo(hash.hex().substring(0, 26).toUpperCase());
      assertThat(legacy.role()).isEqualTo(Role.ADMIN);
      assertThat(legacy.expiresAt()).isEmpty();
      assertThat(legacy.principal().name()).isEqualTo("token:" + legacy.id() + "(system)");
      java.util.Optional<ApiToken> found = tx.read(repos -> repos.tokens().find(hash));
      assertThat(found).contains(legacy);
    }
  }
}
