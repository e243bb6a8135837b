-- Sluice schema V15 for SQLite: console sign-ins shared by every instance behind a load balancer
-- (issue 15). Keep equivalent to postgresql/V15__console_sessions.sql.

-- id_sha256 is a hash of the session cookie, never the cookie; sealed_token is the signed-in
-- user's API token encrypted under a key derived from the cookie (AES-256-GCM), so the table
-- alone neither opens a session nor reveals a token. Expired rows are removed periodically.
CREATE TABLE console_sessions (
  id_sha256    TEXT   NOT NULL PRIMARY KEY,
  sealed_token TEXT   NOT NULL,
  csrf         TEXT   NOT NULL,
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL
);

CREATE INDEX console_sessions_last_used ON console_sessions (last_used_at);
