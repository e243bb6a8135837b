-- Sluice schema V7 for PostgreSQL: offline keys for products' delegated targets roles, and role
-- metadata awaiting their holder's signature. Keep equivalent to
-- sqlite/V7__offline_product_keys.sql.

-- A product role listed here is signed offline by this key (the canonical JSON of a TUF key
-- object); a role not listed is signed by the server's online key for the product.
CREATE TABLE tuf_offline_keys (
  role       TEXT   NOT NULL PRIMARY KEY,
  key_id     TEXT   NOT NULL CHECK (length(key_id) = 64),
  key_json   TEXT   NOT NULL,
  created_at BIGINT NOT NULL
);

-- The next version of an offline role, unsigned: the exact canonical JSON of its "signed" object,
-- which the holder signs. At most one per role; removed when its signature arrives.
CREATE TABLE tuf_pending (
  role       TEXT   NOT NULL PRIMARY KEY,
  version    BIGINT NOT NULL CHECK (version >= 1),
  signed     BYTEA  NOT NULL,
  created_at BIGINT NOT NULL
);

-- A publication whose role is signed offline waits in 'awaiting_signature'.
ALTER TABLE publications DROP CONSTRAINT publications_state_check;
ALTER TABLE publications ADD CONSTRAINT publications_state_check
  CHECK (state IN ('logged', 'awaiting_signature', 'done'));
