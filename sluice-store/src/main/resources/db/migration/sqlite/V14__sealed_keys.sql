-- Sluice schema V14 for SQLite: the online keys (the log's note key, the TUF online role keys) kept
-- in the database, so that instances need no shared data directory (issue 15). Keep equivalent to
-- postgresql/V14__sealed_keys.sql.

-- One row per key, written once and never updated: 'sealed' is the encrypted key file's JSON
-- (PBKDF2-HMAC-SHA256 + AES-256-GCM under the instances' passphrase; its attributes are
-- authenticated with the secret). Instances starting together insert with ON CONFLICT DO NOTHING
-- and re-read, so one key of each name wins.
CREATE TABLE sealed_keys (
  name       TEXT   NOT NULL PRIMARY KEY,
  purpose    TEXT   NOT NULL,
  sealed     TEXT   NOT NULL,
  created_at INTEGER NOT NULL
);
