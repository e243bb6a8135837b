package dev.sluice.store.jdbi;

import dev.sluice.core.device.ControllerId;
import dev.sluice.core.device.DeviceChangeFeed;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;

/** The device change feed in {@code device_changes}. */
final class JdbiDeviceChangeFeed implements DeviceChangeFeed {
  private final Handle handle;

  JdbiDeviceChangeFeed(Handle handle) {
    this.handle = handle;
  }

  @Override
  public void record(ControllerId device, Instant at) {
    handle
        .createUpdate("INSERT INTO device_changes (controller_id, at) VALUES (:id, :at)")
        .bind("id", device.value())
        .bind("at", Columns.millis(at))
        .execute();
  }

  @Override
  public List<Change> after(long afterSeq, Instant since, int limit) {
    return handle
        .createQuery(
            """
            SELECT seq, controller_id, at FROM device_changes
            WHERE seq > :seq OR at >= :since
            ORDER BY seq LIMIT :limit
            """)
        .bind("seq", afterSeq)
        .bind("since", Columns.millis(since))
        .bind("limit", limit)
        .map(
            (rs, ctx) ->
                new Change(
                    rs.getLong("seq"),
                    new ControllerId(rs.getString("controller_id")),
                    Columns.instant(rs, "at")))
        .list();
  }

  @Override
  public long latestSeq() {
    return handle
        .createQuery("SELECT COALESCE(MAX(seq), 0) FROM device_changes")
        .mapTo(Long.class)
        .one();
  }

  @Override
  public int pruneBefore(Instant before) {
    return handle
        .createUpdate("DELETE FROM device_changes WHERE at < :before")
        .bind("before", Columns.millis(before))
        .execute();
  }
}
