package dev.sluice.store.db;

import dev.sluice.store.StoreException;
import java.util.Locale;

/** The SQL databases Sluice runs on; each has its own migration folder. */
public enum Dialect {
  /** The embedded default: one file, nothing to install. */
  SQLITE("jdbc:sqlite:"),
  /** For scale: PostgreSQL or a compatible engine. */
  POSTGRESQL("jdbc:postgresql:");

  private final String urlPrefix;

  Dialect(String urlPrefix) {
    this.urlPrefix = urlPrefix;
  }

  /** The dialect a JDBC URL names; the URL itself is never echoed, as it may carry a password. */
  public static Dialect ofJdbcUrl(String jdbcUrl) {
    for (Dialect dialect : values()) {
      if (jdbcUrl.regionMatches(true, 0, dialect.urlPrefix, 0, dialect.urlPrefix.length())) {
        return dialect;
      }
    }
    int colon = jdbcUrl.indexOf(':', jdbcUrl.indexOf(':') + 1);
    String scheme = colon > 0 ? jdbcUrl.substring(0, colon + 1) : "(not a JDBC URL)";
    throw new StoreException(
        "unsupported database URL "
            + scheme
            + "...: Sluice runs on jdbc:sqlite:<file> and jdbc:postgresql://<host>/<database>");
  }

  /** The classpath folder of this dialect's Flyway migrations. */
  String migrationLocation() {
    return "classpath:" + migrationFolder();
  }

  /** The same folder as a resource path ({@code db/migration/<dialect>}). */
  String migrationFolder() {
    return "db/migration/" + name().toLowerCase(Locale.ROOT);
  }
}
