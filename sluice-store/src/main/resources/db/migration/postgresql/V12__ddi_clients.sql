-- Sluice schema V9 for PostgreSQL: what the device API needs to serve every hawkBit client. Keep
-- equivalent to sqlite/V9__ddi_clients.sql.

-- The chunk part DDI shows for a product's releases (hawkBit's module type; Zephyr wants 'bApp'),
-- and whether installing them needs the device owner's consent (DDI confirmationBase).
ALTER TABLE products ADD COLUMN ddi_part TEXT NOT NULL DEFAULT 'os';
ALTER TABLE products ADD COLUMN ddi_consent INTEGER NOT NULL DEFAULT 0 CHECK (ddi_consent IN (0, 1));

-- Two open statuses for consent (waiting_confirmation, denied) and one for a device that reported
-- closed/success and is awaiting its running version (awaiting_version).
DROP INDEX actions_open_by_device;
CREATE INDEX actions_open_by_device ON actions (device_id, id)
  WHERE status IN ('waiting_confirmation', 'denied', 'offered', 'running', 'downloaded',
                   'installed', 'awaiting_version', 'canceling');

-- The feedback history of an action, read in order.
CREATE INDEX action_feedback_by_action_seq ON action_feedback (action_id, seq);
