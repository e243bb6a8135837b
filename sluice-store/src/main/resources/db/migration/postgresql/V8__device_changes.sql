-- Sluice schema V8 for PostgreSQL: the device change feed. Keep equivalent to
-- sqlite/V8__device_changes.sql.

-- One row per change that can alter a device's poll answer (an action assigned, moved, cancelled;
-- reported attributes or version), written in the transaction that makes the change. Every server
-- sharing the database reads the rows after the last one it saw and drops those devices' cached
-- poll answers; rows older than an hour are pruned.
CREATE TABLE device_changes (
  seq           BIGSERIAL NOT NULL PRIMARY KEY,
  controller_id TEXT      NOT NULL,
  at            BIGINT    NOT NULL
);

CREATE INDEX device_changes_at ON device_changes (at);
