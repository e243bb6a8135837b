-- Sluice schema V16 for PostgreSQL: a revoked release's open actions are cancelled in the
-- transaction that records its revocation; this index finds them without reading every action.
-- Keep equivalent to sqlite/V16__actions_open_by_release.sql.
CREATE INDEX actions_open_by_release ON actions (release_id, id)
  WHERE status IN ('waiting_confirmation', 'denied', 'offered', 'running', 'downloaded',
                   'installed', 'awaiting_version', 'canceling');
