-- Sluice schema V4 for SQLite: registered devices. Keep equivalent to postgresql/V4__devices.sql.
-- Only the SHA-256 of a device's target token is stored. version_key is the installed version
-- encoded so that comparing keys as bytes orders versions by Sluice precedence (filters use it
-- for =lt=/=gt=; see VersionKey). last_seen is written in batches, never lowered.

CREATE TABLE devices (
  controller_id     TEXT    NOT NULL PRIMARY KEY,
  product           TEXT    NOT NULL REFERENCES products (name),
  token_sha256      TEXT    NOT NULL,
  installed_version TEXT,
  version_key       TEXT,
  installed_release TEXT    REFERENCES releases (id),
  status            TEXT    NOT NULL CHECK (status IN ('unknown', 'in_sync', 'pending', 'error')),
  registered_at     INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  last_seen         INTEGER,
  CHECK ((installed_version IS NULL) = (version_key IS NULL))
) STRICT;

CREATE INDEX devices_product ON devices (product, controller_id);
CREATE INDEX devices_status ON devices (status, controller_id);
CREATE INDEX devices_version ON devices (installed_version);
CREATE INDEX devices_version_key ON devices (version_key);
CREATE INDEX devices_last_seen ON devices (last_seen);

-- What the device reported in DDI configData: one row per key.
CREATE TABLE device_attributes (
  controller_id TEXT NOT NULL REFERENCES devices (controller_id),
  name          TEXT NOT NULL,
  value         TEXT NOT NULL,
  PRIMARY KEY (controller_id, name)
) STRICT, WITHOUT ROWID;

CREATE INDEX device_attributes_name_value ON device_attributes (name, value, controller_id);

-- Operator-set labels.
CREATE TABLE device_tags (
  controller_id TEXT NOT NULL REFERENCES devices (controller_id),
  tag           TEXT NOT NULL,
  PRIMARY KEY (controller_id, tag)
) STRICT, WITHOUT ROWID;

CREATE INDEX device_tags_tag ON device_tags (tag, controller_id);
