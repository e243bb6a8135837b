-- Sluice schema V1 for SQLite. Keep equivalent to postgresql/V1__initial_schema.sql.
-- `position` columns keep the order of lists (a product's certifiers, a certifier's keys).
-- Instants are epoch milliseconds (INTEGER), JSON and hex/base64 are TEXT, ids are app-assigned.
-- STRICT tables reject values of the wrong type, as PostgreSQL does.

CREATE TABLE products (
  name              TEXT    NOT NULL PRIMARY KEY,
  description       TEXT    NOT NULL,
  threshold         INTEGER NOT NULL CHECK (threshold >= 1),
  max_artifact_size INTEGER NOT NULL CHECK (max_artifact_size > 0),
  created_at        INTEGER NOT NULL
) STRICT;

CREATE TABLE product_standards (
  product    TEXT    NOT NULL REFERENCES products (name),
  version    INTEGER NOT NULL CHECK (version >= 1),
  set_json   TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (product, version)
) STRICT;

CREATE TABLE certifiers (
  id           TEXT    NOT NULL PRIMARY KEY,
  display_name TEXT    NOT NULL,
  created_at   INTEGER NOT NULL
) STRICT;

CREATE TABLE certifier_keys (
  key_id       TEXT    NOT NULL PRIMARY KEY,
  certifier_id TEXT    NOT NULL REFERENCES certifiers (id),
  key_json     TEXT    NOT NULL,
  position     INTEGER NOT NULL,
  added_at     INTEGER NOT NULL,
  UNIQUE (certifier_id, key_id)
) STRICT;

CREATE TABLE product_certifiers (
  product      TEXT NOT NULL REFERENCES products (name),
  certifier_id TEXT NOT NULL REFERENCES certifiers (id),
  position     INTEGER NOT NULL,
  PRIMARY KEY (product, certifier_id)
) STRICT;

CREATE TABLE releases (
  id                TEXT    NOT NULL PRIMARY KEY,
  product           TEXT    NOT NULL REFERENCES products (name),
  version           TEXT    NOT NULL,
  state             TEXT    NOT NULL,
  manifest_json     TEXT    NOT NULL,
  manifest_sha256   TEXT    NOT NULL,
  created_by        TEXT    NOT NULL,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  standards_version INTEGER,
  report_json       TEXT,
  report_sha256     TEXT,
  statement_sha256  TEXT,
  checked_at        INTEGER,
  UNIQUE (product, version),
  FOREIGN KEY (product, standards_version) REFERENCES product_standards (product, version)
) STRICT;

CREATE INDEX releases_product_state ON releases (product, state);

CREATE TABLE release_artifacts (
  release_id  TEXT    NOT NULL REFERENCES releases (id),
  name        TEXT    NOT NULL,
  sha256      TEXT    NOT NULL,
  size        INTEGER NOT NULL CHECK (size >= 0),
  uploaded_at INTEGER NOT NULL,
  PRIMARY KEY (release_id, name)
) STRICT;

CREATE INDEX release_artifacts_sha256 ON release_artifacts (sha256);

CREATE TABLE signoffs (
  release_id       TEXT    NOT NULL REFERENCES releases (id),
  certifier_id     TEXT    NOT NULL,
  key_id           TEXT    NOT NULL,
  decision         TEXT    NOT NULL CHECK (decision IN ('approve', 'reject')),
  reason           TEXT,
  statement_sha256 TEXT    NOT NULL,
  signature        TEXT    NOT NULL,
  signed_at        INTEGER NOT NULL,
  PRIMARY KEY (release_id, certifier_id),
  FOREIGN KEY (certifier_id, key_id) REFERENCES certifier_keys (certifier_id, key_id)
) STRICT;

CREATE TABLE audit_events (
  seq         INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  at          INTEGER NOT NULL,
  actor       TEXT    NOT NULL,
  action      TEXT    NOT NULL,
  subject     TEXT    NOT NULL,
  detail_json TEXT    NOT NULL
) STRICT;

CREATE INDEX audit_events_subject ON audit_events (subject, seq);

-- The audit trail is append-only: rows can be inserted, never changed or removed.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
  SELECT RAISE(ABORT, 'audit_events is append-only');
END;

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
  SELECT RAISE(ABORT, 'audit_events is append-only');
END;

CREATE TABLE api_tokens (
  token_sha256 TEXT    NOT NULL PRIMARY KEY,
  role         TEXT    NOT NULL,
  certifier_id TEXT    REFERENCES certifiers (id),
  label        TEXT    NOT NULL,
  created_at   INTEGER NOT NULL,
  revoked_at   INTEGER
) STRICT;
