-- The outbox grows by every message ever sent (issue 14): partitioned by month of created_at
-- (PostgreSQL declarative partitioning), so delivered months are dropped whole instead of
-- DELETEd row by row (no bloat, no long vacuum). Only the DEFAULT partition is made here: the
-- partition worker (server/src/partitions/) creates each month's partition ahead of time and the
-- DEFAULT one takes whatever arrives if it has not (nothing is ever refused).
--
-- A partitioned table's unique keys must contain the partition key: the primary key becomes
-- (id, created_at) (id still comes from the same sequence, so it stays unique) and the delivery
-- key (delivery_key, created_at). Delivery keys are made of the complaint, its event's seq, the
-- template and the recipient, and events are unique per (complaint, seq): a key can only recur
-- inside the transaction that wrote its event, which shares one now() and so one created_at.
--
-- Rewrites the table (every row copied) under an exclusive lock: needs a maintenance window on a
-- large database (docs/operations.md).

ALTER TABLE outbox RENAME TO outbox_unpartitioned;
ALTER TABLE outbox_unpartitioned RENAME CONSTRAINT outbox_pkey TO outbox_unpartitioned_pkey;
ALTER TABLE outbox_unpartitioned RENAME CONSTRAINT outbox_delivery_key_key TO outbox_unpartitioned_delivery_key_key;
ALTER INDEX outbox_due RENAME TO outbox_unpartitioned_due;
ALTER INDEX outbox_provider_message RENAME TO outbox_unpartitioned_provider_message;

CREATE TABLE outbox (
  id                   bigint NOT NULL DEFAULT nextval('outbox_id_seq'),
  complaint_id         uuid REFERENCES complaints(id),
  event_seq            integer,
  template             text NOT NULL,
  channel              text NOT NULL CHECK (channel IN ('sms', 'web', 'telegram', 'bale')),
  recipient_user_id    integer REFERENCES staff_users(id),
  recipient_address    text,
  language             text NOT NULL DEFAULT 'fa' CHECK (language IN ('fa', 'en')),
  body                 text NOT NULL,
  sms_parts            integer,
  delivery_key         text NOT NULL,
  status               text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'dead')),
  attempts             integer NOT NULL DEFAULT 0,
  next_attempt_at      timestamptz NOT NULL DEFAULT now(),
  claimed_until        timestamptz,
  last_error           text,
  provider_message_id  text,
  created_at           timestamptz NOT NULL DEFAULT now(),
  sent_at              timestamptz,
  delivery_state       text,
  delivery_reported_at timestamptz,
  CHECK (recipient_user_id IS NOT NULL OR recipient_address IS NOT NULL),
  PRIMARY KEY (id, created_at),
  UNIQUE (delivery_key, created_at)
) PARTITION BY RANGE (created_at);
CREATE TABLE outbox_default PARTITION OF outbox DEFAULT;
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_provider_message ON outbox (provider_message_id) WHERE provider_message_id IS NOT NULL;
-- the dispatcher and the receipts find a row by id alone
CREATE INDEX outbox_id ON outbox (id);

INSERT INTO outbox (id, complaint_id, event_seq, template, channel, recipient_user_id, recipient_address, language, body, sms_parts,
    delivery_key, status, attempts, next_attempt_at, claimed_until, last_error, provider_message_id, created_at, sent_at,
    delivery_state, delivery_reported_at)
  SELECT id, complaint_id, event_seq, template, channel, recipient_user_id, recipient_address, language, body, sms_parts,
    delivery_key, status, attempts, next_attempt_at, claimed_until, last_error, provider_message_id, created_at, sent_at,
    delivery_state, delivery_reported_at
  FROM outbox_unpartitioned;
ALTER SEQUENCE outbox_id_seq OWNED BY outbox.id;
DROP TABLE outbox_unpartitioned;
