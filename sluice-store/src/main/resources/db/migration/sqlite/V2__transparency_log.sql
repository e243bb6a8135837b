-- Sluice schema V2 for SQLite: the transparency log. Keep equivalent to
-- postgresql/V2__transparency_log.sql. Hashes are 32 raw bytes (BLOB), entries raw bytes.

-- The committed tree: one row, locked by the sequencer while it integrates. vkey binds the log
-- key on first start so a server with another key is refused.
CREATE TABLE log_state (
  id         INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  tree_size  INTEGER NOT NULL CHECK (tree_size >= 0),
  root_hash  BLOB    NOT NULL CHECK (length(root_hash) = 32),
  vkey       TEXT,
  updated_at INTEGER NOT NULL
) STRICT;

-- The empty tree: size 0, root SHA-256("").
INSERT INTO log_state (id, tree_size, root_hash, vkey, updated_at)
VALUES (1, 0, X'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', NULL, 0);

CREATE TRIGGER log_state_never_shrinks BEFORE UPDATE OF tree_size ON log_state
WHEN NEW.tree_size < OLD.tree_size
BEGIN
  SELECT RAISE(ABORT, 'the transparency log never shrinks');
END;

-- Appended entries waiting for an index; at most one per leaf hash.
CREATE TABLE log_pending (
  seq       INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
  leaf_hash BLOB    NOT NULL UNIQUE CHECK (length(leaf_hash) = 32),
  entry     BLOB    NOT NULL,
  queued_at INTEGER NOT NULL
) STRICT;

-- Integrated entries: index = position in the log, leaf_hash = RFC 9162 leaf hash of entry.
CREATE TABLE log_entries (
  idx           INTEGER NOT NULL PRIMARY KEY CHECK (idx >= 0),
  leaf_hash     BLOB    NOT NULL UNIQUE CHECK (length(leaf_hash) = 32),
  entry         BLOB    NOT NULL,
  integrated_at INTEGER NOT NULL
) STRICT;

-- Every perfect subtree's hash: (level, idx) is the subtree of 2^level leaves from leaf
-- idx * 2^level. Tiles are read straight from here (tile level L = tree level 8L).
CREATE TABLE log_hashes (
  level INTEGER NOT NULL CHECK (level >= 0 AND level < 64),
  idx   INTEGER NOT NULL CHECK (idx >= 0),
  hash  BLOB    NOT NULL CHECK (length(hash) = 32),
  PRIMARY KEY (level, idx)
) STRICT, WITHOUT ROWID;

-- Every checkpoint the log ever signed (and so may have served), by tree size.
CREATE TABLE log_checkpoints (
  tree_size INTEGER NOT NULL PRIMARY KEY CHECK (tree_size >= 0),
  root_hash BLOB    NOT NULL CHECK (length(root_hash) = 32),
  note      TEXT    NOT NULL,
  signed_at INTEGER NOT NULL
) STRICT;

-- The tree is append-only: entries, hashes and checkpoints are never changed or removed.
CREATE TRIGGER log_entries_no_update BEFORE UPDATE ON log_entries
BEGIN
  SELECT RAISE(ABORT, 'log_entries is append-only');
END;

CREATE TRIGGER log_entries_no_delete BEFORE DELETE ON log_entries
BEGIN
  SELECT RAISE(ABORT, 'log_entries is append-only');
END;

CREATE TRIGGER log_hashes_no_update BEFORE UPDATE ON log_hashes
BEGIN
  SELECT RAISE(ABORT, 'log_hashes is append-only');
END;

CREATE TRIGGER log_hashes_no_delete BEFORE DELETE ON log_hashes
BEGIN
  SELECT RAISE(ABORT, 'log_hashes is append-only');
END;

CREATE TRIGGER log_checkpoints_no_update BEFORE UPDATE ON log_checkpoints
BEGIN
  SELECT RAISE(ABORT, 'log_checkpoints is append-only');
END;

CREATE TRIGGER log_checkpoints_no_delete BEFORE DELETE ON log_checkpoints
BEGIN
  SELECT RAISE(ABORT, 'log_checkpoints is append-only');
END;
