package dev.sluice.store.stats;

import dev.sluice.store.StoreException;
import dev.sluice.store.db.Database;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jdbi.v3.core.JdbiException;

/**
 * Aggregate counts for monitoring: devices by status, actions by status, rollouts by state, log
 * entries waiting to be sequenced. Each is one grouped query; nothing about any single device or
 * its owner is returned.
 */
public final class FleetStatistics {
  private final Database database;

  public FleetStatistics(Database database) {
    this.database = Objects.requireNonNull(database, "database");
  }

  /** Devices by status ({@code unknown}, {@code in_sync}, {@code pending}, {@code error}). */
  public Map<String, Long> devicesByStatus() {
    return grouped("SELECT status AS k, COUNT(*) AS n FROM devices GROUP BY status");
  }

  /** Device actions by status ({@code offered}, {@code running}, …, {@code succeeded}). */
  public Map<String, Long> actionsByStatus() {
    return grouped("SELECT status AS k, COUNT(*) AS n FROM actions GROUP BY status");
  }

  /** Rollouts by state ({@code created}, {@code running}, {@code halted}, …). */
  public Map<String, Long> rolloutsByState() {
    return grouped("SELECT state AS k, COUNT(*) AS n FROM rollouts GROUP BY state");
  }

  /** Log entries appended but not yet sequenced into the tree. */
  public long pendingLogEntries() {
    try {
      return database
          .jdbi()
          .withHandle(
              h -> h.createQuery("SELECT COUNT(*) FROM log_pending").mapTo(Long.class).one());
    } catch (JdbiException e) {
      throw new StoreException("cannot count the log's pending entries", e);
    }
  }

  private Map<String, Long> grouped(String sql) {
    try {
      return database
          .jdbi()
          .withHandle(
              h -> {
                Map<String, Long> out = new TreeMap<>();
                h.createQuery(sql)
                    .map((rs, ctx) -> Map.entry(rs.getString("k"), rs.getLong("n")))
                    .forEach(e -> out.put(e.getKey(), e.getValue()));
                return out;
              });
    } catch (JdbiException e) {
      throw new StoreException("cannot read statistics", e);
    }
  }
}
