-- Sluice schema V9 for SQLite: a release manager's public status note and target date on a
-- release, shown on the transparency portal. Keep equivalent to postgresql/V9__release_status_notes.sql.
CREATE TABLE release_status_notes (
  release_id  TEXT    NOT NULL PRIMARY KEY REFERENCES releases (id),
  note        TEXT    NOT NULL,
  target_date TEXT,
  updated_by  TEXT    NOT NULL,
  updated_at  INTEGER NOT NULL
) STRICT;
