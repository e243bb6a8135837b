-- Device actions (DDI): a release assigned to one device, and what the device reported.
-- Action ids are what DDI clients see; they stay below 2^31 (some clients parse them as C ints).
-- The device column has no foreign key: actions outlive nothing, but devices are managed in their
-- own table and the domain checks the device exists before it assigns.
CREATE TABLE actions (
  id                 INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT CHECK (id < 2147483648),
  device_id          TEXT    NOT NULL,
  release_id         TEXT    NOT NULL REFERENCES releases (id),
  rollout_id         TEXT,
  stage              INTEGER NOT NULL,
  type               TEXT    NOT NULL,
  forced_at          INTEGER,
  window_schedule    TEXT,
  window_duration_ms INTEGER,
  window_zone        TEXT,
  confirmation       TEXT    NOT NULL,
  attempt            INTEGER NOT NULL,
  status             TEXT    NOT NULL,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  last_message       TEXT
) STRICT;

CREATE INDEX actions_open_by_device ON actions (device_id, id)
  WHERE status IN ('offered', 'running', 'downloaded', 'installed', 'canceling');
CREATE INDEX actions_by_device ON actions (device_id, id);
CREATE INDEX actions_by_rollout ON actions (rollout_id, status) WHERE rollout_id IS NOT NULL;
CREATE INDEX actions_by_status_updated ON actions (status, updated_at);

CREATE TABLE action_feedback (
  seq        INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  action_id  INTEGER NOT NULL REFERENCES actions (id),
  at         INTEGER NOT NULL,
  execution  TEXT    NOT NULL,
  result     TEXT    NOT NULL,
  body       TEXT    NOT NULL
) STRICT;

CREATE INDEX action_feedback_by_action ON action_feedback (action_id, execution, result);

-- SHA-1 and MD5 of stored blobs, which DDI clients expect beside SHA-256; computed on first need.
CREATE TABLE artifact_hashes (
  sha256 TEXT NOT NULL PRIMARY KEY,
  sha1   TEXT NOT NULL,
  md5    TEXT NOT NULL
) STRICT;

-- Gateway tokens (role device-gateway) are bound to one product.
ALTER TABLE api_tokens ADD COLUMN product TEXT REFERENCES products (name);
