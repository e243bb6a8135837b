-- Sluice schema V9 for SQLite: certification policies in the transparency log (issue 9). Keep
-- equivalent to postgresql/V9__certification_policies.sql.

-- A certifier's key-set version grows by one with every key added or revoked; revoked keys stay
-- (sign-offs name them) with the time and version of their revocation.
ALTER TABLE certifiers ADD COLUMN key_version INTEGER NOT NULL DEFAULT 1 CHECK (key_version >= 1);
ALTER TABLE certifier_keys ADD COLUMN added_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE certifier_keys ADD COLUMN revoked_at INTEGER;
ALTER TABLE certifier_keys ADD COLUMN revoked_version INTEGER;

ALTER TABLE products ADD COLUMN security_updates_deferrable INTEGER NOT NULL DEFAULT 1
  CHECK (security_updates_deferrable IN (0, 1));

-- Every policy record of a product (sequence 1, 2, ...), with its exact log entry bytes and, once
-- the sequencer gave it one, its log index. change_* say which certifier key a key change touched.
CREATE TABLE product_policies (
  product          TEXT    NOT NULL REFERENCES products (name),
  sequence         INTEGER NOT NULL CHECK (sequence >= 1),
  record           BLOB    NOT NULL,
  leaf_hash        BLOB    NOT NULL UNIQUE CHECK (length(leaf_hash) = 32),
  log_index        INTEGER,
  change_kind      TEXT    NOT NULL,
  change_certifier TEXT,
  change_key_id    TEXT,
  created_at       INTEGER NOT NULL,
  PRIMARY KEY (product, sequence)
) STRICT;

CREATE INDEX product_policies_key ON product_policies (change_key_id);

-- At most one proposed policy change per product, and the certifiers' signatures over it.
CREATE TABLE pending_policies (
  product     TEXT    NOT NULL PRIMARY KEY REFERENCES products (name),
  statement   BLOB    NOT NULL,
  proposed_by TEXT    NOT NULL,
  proposed_at INTEGER NOT NULL
) STRICT;

CREATE TABLE pending_policy_signatures (
  product      TEXT    NOT NULL REFERENCES pending_policies (product),
  certifier_id TEXT    NOT NULL REFERENCES certifiers (id),
  key_id       TEXT    NOT NULL,
  signature    TEXT    NOT NULL,
  signed_at    INTEGER NOT NULL,
  PRIMARY KEY (product, certifier_id)
) STRICT;
