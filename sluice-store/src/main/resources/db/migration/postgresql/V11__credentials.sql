-- Sluice schema V9 for PostgreSQL: credentials that can be listed, expired and revoked. Keep
-- equivalent to sqlite/V9__credentials.sql.

-- API tokens get a public id (26 Crockford base32 characters, shown in lists and in the audit
-- actor) and an optional expiry. Tokens made before V9 get the first 26 hex digits of their hash,
-- upper-cased (valid Crockford characters too): the hash is public-safe, and the id stays stable.
ALTER TABLE api_tokens ADD COLUMN id TEXT;
ALTER TABLE api_tokens ADD COLUMN expires_at BIGINT;
UPDATE api_tokens SET id = upper(substr(token_sha256, 1, 26)) WHERE id IS NULL;
ALTER TABLE api_tokens ALTER COLUMN id SET NOT NULL;
CREATE UNIQUE INDEX api_tokens_id ON api_tokens (id);

-- A device's target token can be revoked (the device then speaks only through a gateway, until
-- its token is rotated), and a device can be decommissioned: no credential speaks for it any more,
-- it leaves fleet lists and rollouts, and its history stays.
ALTER TABLE devices ADD COLUMN token_revoked_at BIGINT;
ALTER TABLE devices ADD COLUMN decommissioned_at BIGINT;

-- Bulk registrations by Idempotency-Key: the SHA-256 of (the caller's token id, the key), the
-- SHA-256 of the request, and the salt its generated tokens were derived from (see
-- docs/security.md, "Credentials"). No token is stored.
CREATE TABLE idempotency_keys (
  key_sha256     TEXT   NOT NULL PRIMARY KEY,
  request_sha256 TEXT   NOT NULL,
  salt           TEXT   NOT NULL,
  created_at     BIGINT NOT NULL,
  expires_at     BIGINT NOT NULL
);

CREATE INDEX idempotency_keys_expires ON idempotency_keys (expires_at);
