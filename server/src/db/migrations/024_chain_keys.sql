-- Tamper evidence that holds against someone who can write to the database (docs/tamper-evidence.md).
-- Events are now linked with HMAC-SHA256 under a key kept outside the database; `key_id` names
-- the key (derived from it, revealing nothing). Rows from before this migration keep NULL: they
-- are version-1 links (plain SHA-256), accepted by verify only when made before CHAIN_UNKEYED_BEFORE
-- and sealed by the first daily checkpoint. Rows cannot be re-keyed here: the key is not in SQL,
-- and the events are append-only.
ALTER TABLE complaint_events ADD COLUMN key_id text CHECK (key_id IS NULL OR key_id ~ '^h[0-9a-f]{12}$');

-- Daily checkpoints: a Merkle root over the heads of the complaints that changed in a UTC day
-- (the first one: all history), chained to the previous checkpoint and signed with Ed25519.
-- The signing key is not here, and the roots are published, so a row changed here is detected.
CREATE TABLE chain_checkpoints (
  day          date PRIMARY KEY,
  period_start timestamptz,
  period_end   timestamptz NOT NULL,
  leaf_count   integer NOT NULL CHECK (leaf_count >= 0),
  root         text NOT NULL CHECK (root ~ '^[0-9a-f]{64}$'),
  prev         text NOT NULL CHECK (prev ~ '^[0-9a-f]{64}$'),
  key_id       text NOT NULL,
  signature    text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
