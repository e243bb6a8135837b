-- Sluice schema V3 for SQLite: publication and the TUF repository. Keep equivalent to
-- postgresql/V3__publication.sql.

-- Every TUF metadata file ever written, by role name and version; never overwritten.
CREATE TABLE tuf_metadata (
  role       TEXT    NOT NULL,
  version    INTEGER NOT NULL CHECK (version >= 1),
  bytes      BLOB    NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (role, version)
) STRICT;

CREATE TRIGGER tuf_metadata_no_update BEFORE UPDATE ON tuf_metadata
BEGIN
  SELECT RAISE(ABORT, 'TUF metadata files are never overwritten');
END;

CREATE TRIGGER tuf_metadata_no_delete BEFORE DELETE ON tuf_metadata
BEGIN
  SELECT RAISE(ABORT, 'TUF metadata files are never deleted');
END;

-- One publication (kind 'release') and at most one revocation (kind 'revocation') per release:
-- the exact log record bytes, so a retry or a restart appends the same entry again.
CREATE TABLE publications (
  release_id  TEXT    NOT NULL REFERENCES releases (id),
  kind        TEXT    NOT NULL CHECK (kind IN ('release', 'revocation')),
  record      BLOB    NOT NULL,
  leaf_hash   BLOB    NOT NULL UNIQUE CHECK (length(leaf_hash) = 32),
  state       TEXT    NOT NULL CHECK (state IN ('logged', 'done')),
  created_at  INTEGER NOT NULL,
  finished_at INTEGER,
  PRIMARY KEY (release_id, kind)
) STRICT;
