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
  public void recordAll(List<ControllerId> devices, Instant at) {
    Long millis = Columns.millis(at);
    new MultiRowInsert(
            handle,
            "device_changes",
            List.of("controller_id", "at"),
            new int[] {java.sql.Types.VARCHAR, java.sql.Types.BIGINT},
            false)
        .insert(devices.stream().map(d -> new Object[] {d.value(), millis}).toList());
  }

  /** At most this many positions in one {@code IN} list. */
  private static final int IN_CHUNK = 500;

  @Override
  public List<Change> after(long afterSeq, int limit) {
    // The primary key's range: never a scan of the feed, however long it is.
    return handle
        .createQuery(
            "SELECT seq, controller_id, at FROM device_changes WHERE seq > :seq"
                + " ORDER BY seq LIMIT :limit")
        .bind("seq", afterSeq)
        .bind("limit", limit)
        .map((rs, ctx) -> change(rs))
        .list();
  }

  @Override
  public List<Change> at(java.util.Collection<Long> seqs) {
    List<Long> wanted = List.copyOf(seqs);
    List<Change> found = new java.util.ArrayList<>();
    for (int from = 0; from < wanted.size(); from += IN_CHUNK) {
      found.addAll(
          handle
              .createQuery(
                  "SELECT seq, controller_id, at FROM device_changes WHERE seq IN (<seqs>)"
                      + " ORDER BY seq")
              .bindList("seqs", wanted.subList(from, Math.min(wanted.size(), from + IN_CHUNK)))
              .map((rs, ctx) -> change(rs))
              .list());
    }
    return found;
  }

  private static Change change(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Change(
        rs.getLong("seq"),
        new ControllerId(rs.getString("controller_id")),
        Columns.instant(rs, "at"));
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
