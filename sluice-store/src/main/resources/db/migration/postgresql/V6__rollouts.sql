-- Sluice schema V6 for PostgreSQL: rollouts. Keep equivalent to sqlite/V6__rollouts.sql.

-- One row per rollout: its spec (JSON, RolloutSpecJson), state and the evaluator's bookmarks.
CREATE TABLE rollouts (
  id                 TEXT    NOT NULL PRIMARY KEY,
  product            TEXT    NOT NULL REFERENCES products (name),
  release_id         TEXT    NOT NULL REFERENCES releases (id),
  spec_json          TEXT    NOT NULL,
  state              TEXT    NOT NULL CHECK (state IN ('created', 'scheduled', 'running', 'paused',
                       'waiting-approval', 'halted', 'finished', 'canceled')),
  stage              INTEGER NOT NULL CHECK (stage >= -1),
  baseline           DOUBLE PRECISION,
  halt_json          TEXT,
  gate_reply         TEXT,
  created_by         TEXT    NOT NULL,
  created_at         BIGINT NOT NULL,
  updated_at         BIGINT NOT NULL,
  started_at         BIGINT,
  membership_done    SMALLINT NOT NULL DEFAULT 0 CHECK (membership_done IN (0, 1)),
  membership_after   TEXT,
  joined_since       BIGINT,
  joined_after       TEXT,
  gate_checked_at    BIGINT,
  lease_owner        TEXT,
  lease_until        BIGINT
);

CREATE INDEX rollouts_state ON rollouts (state, id);
CREATE INDEX rollouts_product_state ON rollouts (product, state);

-- Per-stage counters, updated incrementally (one row update per device outcome).
CREATE TABLE rollout_stages (
  rollout_id TEXT    NOT NULL REFERENCES rollouts (id),
  stage      INTEGER NOT NULL CHECK (stage >= 0),
  assigned   BIGINT NOT NULL DEFAULT 0 CHECK (assigned >= 0),
  open       BIGINT NOT NULL DEFAULT 0 CHECK (open >= 0),
  succeeded  BIGINT NOT NULL DEFAULT 0 CHECK (succeeded >= 0),
  failed     BIGINT NOT NULL DEFAULT 0 CHECK (failed >= 0),
  canceled   BIGINT NOT NULL DEFAULT 0 CHECK (canceled >= 0),
  PRIMARY KEY (rollout_id, stage)
);

-- Every device of a rollout: its rank (the rollout's reproducible random order), stage (-1 until
-- the stages are cut), status and current action.
CREATE TABLE rollout_devices (
  rollout_id TEXT    NOT NULL REFERENCES rollouts (id),
  device_id  TEXT    NOT NULL,
  rank       BIGINT NOT NULL,
  stage      INTEGER NOT NULL CHECK (stage >= -1),
  status     TEXT    NOT NULL CHECK (status IN ('pending', 'open', 'retry', 'canceling',
               'succeeded', 'failed', 'canceled')),
  action_id  BIGINT,
  attempt    INTEGER NOT NULL DEFAULT 0 CHECK (attempt >= 0),
  timed_out  SMALLINT NOT NULL DEFAULT 0 CHECK (timed_out IN (0, 1)),
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (rollout_id, device_id)
);

CREATE INDEX rollout_devices_rank ON rollout_devices (rollout_id, stage, rank, device_id);
CREATE INDEX rollout_devices_status ON rollout_devices (rollout_id, status, stage, rank);
CREATE INDEX rollout_devices_silent ON rollout_devices (rollout_id, status, updated_at);

-- Dynamic rollouts page through devices registered since their last look.
CREATE INDEX devices_registered ON devices (product, registered_at, controller_id);
