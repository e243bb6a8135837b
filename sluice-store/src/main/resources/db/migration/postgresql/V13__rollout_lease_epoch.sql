-- A fencing token for the rollout lease (issue 15): every claim increments it, and each write the
-- holder makes first checks that the epoch is still its own, so an instance that paused past its
-- lease and lost it cannot write once another instance claimed the rollout.
-- Keep equivalent to sqlite/V13__rollout_lease_epoch.sql.
ALTER TABLE rollouts ADD COLUMN lease_epoch BIGINT NOT NULL DEFAULT 0;
