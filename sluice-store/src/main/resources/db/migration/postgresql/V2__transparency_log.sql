-- Sluice schema V2 for PostgreSQL: the transparency log. Keep equivalent to
-- sqlite/V2__transparency_log.sql. Hashes are 32 raw bytes (BYTEA), entries raw bytes.

-- The committed tree: one row, locked (SELECT ... FOR UPDATE) by the sequencer while it
-- integrates, so concurrent server instances never assign the same index. vkey binds the log
-- key on first start so a server with another key is refused.
CREATE TABLE log_state (
  id         INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
  tree_size  BIGINT  NOT NULL CHECK (tree_size >= 0),
  root_hash  BYTEA   NOT NULL CHECK (length(root_hash) = 32),
  vkey       TEXT,
  updated_at BIGINT  NOT NULL
);

-- The empty tree: size 0, root SHA-256("").
INSERT INTO log_state (id, tree_size, root_hash, vkey, updated_at)
VALUES (1, 0, decode('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'hex'), NULL, 0);

CREATE FUNCTION log_state_never_shrinks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.tree_size < OLD.tree_size THEN
    RAISE EXCEPTION 'the transparency log never shrinks';
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER log_state_never_shrinks BEFORE UPDATE ON log_state
  FOR EACH ROW EXECUTE FUNCTION log_state_never_shrinks();

-- Appended entries waiting for an index; at most one per leaf hash.
CREATE TABLE log_pending (
  seq       BIGINT NOT NULL GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  leaf_hash BYTEA  NOT NULL UNIQUE CHECK (length(leaf_hash) = 32),
  entry     BYTEA  NOT NULL,
  queued_at BIGINT NOT NULL
);

-- Integrated entries: index = position in the log, leaf_hash = RFC 9162 leaf hash of entry.
CREATE TABLE log_entries (
  idx           BIGINT NOT NULL PRIMARY KEY CHECK (idx >= 0),
  leaf_hash     BYTEA  NOT NULL UNIQUE CHECK (length(leaf_hash) = 32),
  entry         BYTEA  NOT NULL,
  integrated_at BIGINT NOT NULL
);

-- Every perfect subtree's hash: (level, idx) is the subtree of 2^level leaves from leaf
-- idx * 2^level. Tiles are read straight from here (tile level L = tree level 8L).
CREATE TABLE log_hashes (
  level INTEGER NOT NULL CHECK (level >= 0 AND level < 64),
  idx   BIGINT  NOT NULL CHECK (idx >= 0),
  hash  BYTEA   NOT NULL CHECK (length(hash) = 32),
  PRIMARY KEY (level, idx)
);

-- Every checkpoint the log ever signed (and so may have served), by tree size.
CREATE TABLE log_checkpoints (
  tree_size BIGINT NOT NULL PRIMARY KEY CHECK (tree_size >= 0),
  root_hash BYTEA  NOT NULL CHECK (length(root_hash) = 32),
  note      TEXT   NOT NULL,
  signed_at BIGINT NOT NULL
);

-- The tree is append-only: entries, hashes and checkpoints are never changed or removed.
CREATE FUNCTION log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;

CREATE TRIGGER log_entries_append_only BEFORE UPDATE OR DELETE ON log_entries
  FOR EACH ROW EXECUTE FUNCTION log_append_only();
CREATE TRIGGER log_entries_no_truncate BEFORE TRUNCATE ON log_entries
  FOR EACH STATEMENT EXECUTE FUNCTION log_append_only();
CREATE TRIGGER log_hashes_append_only BEFORE UPDATE OR DELETE ON log_hashes
  FOR EACH ROW EXECUTE FUNCTION log_append_only();
CREATE TRIGGER log_hashes_no_truncate BEFORE TRUNCATE ON log_hashes
  FOR EACH STATEMENT EXECUTE FUNCTION log_append_only();
CREATE TRIGGER log_checkpoints_append_only BEFORE UPDATE OR DELETE ON log_checkpoints
  FOR EACH ROW EXECUTE FUNCTION log_append_only();
CREATE TRIGGER log_checkpoints_no_truncate BEFORE TRUNCATE ON log_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION log_append_only();
