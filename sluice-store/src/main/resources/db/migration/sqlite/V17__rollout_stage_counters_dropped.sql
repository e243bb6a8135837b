-- A rollout's counters are counted from its members' rows (rollout_devices) when read, since
-- session 9: a device's report no longer updates its stage's row, the one row every report of a
-- stage used to lock. The counter columns were left unwritten; they go, so that an instance of an
-- older version, which would read and write them, fails loudly against this schema instead of
-- deciding on counters no one keeps.
ALTER TABLE rollout_stages DROP COLUMN assigned;
ALTER TABLE rollout_stages DROP COLUMN open;
ALTER TABLE rollout_stages DROP COLUMN succeeded;
ALTER TABLE rollout_stages DROP COLUMN failed;
ALTER TABLE rollout_stages DROP COLUMN canceled;
