-- What the operator says happened to a sent SMS (SMPP delivery receipts), by its message id.
ALTER TABLE outbox ADD COLUMN delivery_state text;
ALTER TABLE outbox ADD COLUMN delivery_reported_at timestamptz;
CREATE INDEX outbox_provider_message ON outbox (provider_message_id) WHERE provider_message_id IS NOT NULL;
