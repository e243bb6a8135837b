-- Sluice schema V7 for SQLite: offline keys for products' delegated targets roles, and role
-- metadata awaiting their holder's signature. Keep equivalent to
-- postgresql/V7__offline_product_keys.sql.

-- A product role listed here is signed offline by this key (the canonical JSON of a TUF key
-- object); a role not listed is signed by the server's online key for the product.
CREATE TABLE tuf_offline_keys (
  role       TEXT    NOT NULL PRIMARY KEY,
  key_id     TEXT    NOT NULL CHECK (length(key_id) = 64),
  key_json   TEXT    NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

-- The next version of an offline role, unsigned: the exact canonical JSON of its "signed" object,
-- which the holder signs. At most one per role; removed when its signature arrives.
CREATE TABLE tuf_pending (
  role       TEXT    NOT NULL PRIMARY KEY,
  version    INTEGER NOT NULL CHECK (version >= 1),
  signed     BLOB    NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

-- A publication whose role is signed offline waits in 'awaiting_signature'. SQLite cannot change
-- a CHECK constraint in place, so the table is rebuilt (nothing references it).
CREATE TABLE publications_v7 (
  release_id  TEXT    NOT NULL REFERENCES releases (id),
  kind        TEXT    NOT NULL CHECK (kind IN ('release', 'revocation')),
  record      BLOB    NOT NULL,
  leaf_hash   BLOB    NOT NULL UNIQUE CHECK (length(leaf_hash) = 32),
  state       TEXT    NOT NULL CHECK (state IN ('logged', 'awaiting_signature', 'done')),
  created_at  INTEGER NOT NULL,
  finished_at INTEGER,
  PRIMARY KEY (release_id, kind)
) STRICT;

INSERT INTO publications_v7 (release_id, kind, record, leaf_hash, state, created_at, finished_at)
  SELECT release_id, kind, record, leaf_hash, state, created_at, finished_at FROM publications;
DROP TABLE publications;
ALTER TABLE publications_v7 RENAME TO publications;
