-- Sluice schema V8 for SQLite: the device change feed. Keep equivalent to
-- postgresql/V8__device_changes.sql.

-- One row per change that can alter a device's poll answer (an action assigned, moved, cancelled;
-- reported attributes or version), written in the transaction that makes the change. Every server
-- sharing the database reads the rows after the last one it saw and drops those devices' cached
-- poll answers; rows older than an hour are pruned.
CREATE TABLE device_changes (
  seq           INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  controller_id TEXT    NOT NULL,
  at            INTEGER NOT NULL
);

CREATE INDEX device_changes_at ON device_changes (at);
