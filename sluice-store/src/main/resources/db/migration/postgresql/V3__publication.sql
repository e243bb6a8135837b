-- Sluice schema V3 for PostgreSQL: publication and the TUF repository. Keep equivalent to
-- sqlite/V3__publication.sql.

-- Every TUF metadata file ever written, by role name and version; never overwritten.
CREATE TABLE tuf_metadata (
  role       TEXT   NOT NULL,
  version    BIGINT NOT NULL CHECK (version >= 1),
  bytes      BYTEA  NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (role, version)
);

CREATE FUNCTION tuf_metadata_immutable() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'TUF metadata files are never overwritten or deleted';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER tuf_metadata_immutable BEFORE UPDATE OR DELETE ON tuf_metadata
  FOR EACH ROW EXECUTE FUNCTION tuf_metadata_immutable();
CREATE TRIGGER tuf_metadata_no_truncate BEFORE TRUNCATE ON tuf_metadata
  FOR EACH STATEMENT EXECUTE FUNCTION tuf_metadata_immutable();

-- One publication (kind 'release') and at most one revocation (kind 'revocation') per release:
-- the exact log record bytes, so a retry or a restart appends the same entry again.
CREATE TABLE publications (
  release_id  TEXT   NOT NULL REFERENCES releases (id),
  kind        TEXT   NOT NULL CHECK (kind IN ('release', 'revocation')),
  record      BYTEA  NOT NULL,
  leaf_hash   BYTEA  NOT NULL UNIQUE CHECK (length(leaf_hash) = 32),
  state       TEXT   NOT NULL CHECK (state IN ('logged', 'done')),
  created_at  BIGINT NOT NULL,
  finished_at BIGINT,
  PRIMARY KEY (release_id, kind)
);
