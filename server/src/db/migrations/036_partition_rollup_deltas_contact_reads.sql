-- The other tables that grow without end, partitioned by month like the outbox (035; the
-- partition worker makes the months, the DEFAULT partition takes the rest):
--
-- * report_rollup_deltas: folded (deleted) every few seconds, so a month's partition is empty
--   once the month is over and is dropped whole, leaving no dead tuples behind. Partitioned by
--   insertion time (a new created_at), not by the complaint's month_key: a late change to an old
--   complaint must not keep an old partition alive.
-- * contact_read_counts: the audit of contact reads, one row per reader, complaint and hour,
--   partitioned by that hour (already in the primary key). Kept: it is an audit record.
--
-- complaint_events is not partitioned: its chain is keyed by (complaint_id, seq), which a month
-- partition could not keep unique across months without adding created_at to the key (see
-- docs/operations.md).
--
-- Both tables are rewritten (rows copied) under an exclusive lock: a maintenance window on a
-- large database, though the deltas are nearly empty at any time.

ALTER TABLE report_rollup_deltas RENAME TO report_rollup_deltas_unpartitioned;
ALTER TABLE report_rollup_deltas_unpartitioned RENAME CONSTRAINT report_rollup_deltas_pkey TO report_rollup_deltas_unpartitioned_pkey;
CREATE TABLE report_rollup_deltas (
  id               bigint NOT NULL DEFAULT nextval('report_rollup_deltas_id_seq'),
  month_key        integer NOT NULL,
  unit_id          integer NOT NULL,
  manager_id       integer NOT NULL,
  agency_id        integer NOT NULL,
  province_id      integer NOT NULL,
  indicator_id     integer NOT NULL,
  sign             smallint NOT NULL CHECK (sign IN (-1, 1)),
  open             smallint NOT NULL,
  answered         smallint NOT NULL,
  answered_in_sla  smallint NOT NULL,
  rejected         smallint NOT NULL,
  first_actioned   smallint NOT NULL,
  breaches         integer NOT NULL,
  breached         smallint NOT NULL,
  escalations      integer NOT NULL,
  escalated        smallint NOT NULL,
  reopened         smallint NOT NULL,
  rated            smallint NOT NULL,
  satisfied        smallint NOT NULL,
  dissatisfied     smallint NOT NULL,
  no_rating        smallint NOT NULL,
  fa_bucket        smallint,
  an_bucket        smallint,
  verified_phone   smallint NOT NULL DEFAULT 0,  -- 031 (report cards count verified phones)
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);
CREATE TABLE report_rollup_deltas_default PARTITION OF report_rollup_deltas DEFAULT;
INSERT INTO report_rollup_deltas (id, month_key, unit_id, manager_id, agency_id, province_id, indicator_id, sign, open, answered,
    answered_in_sla, rejected, first_actioned, breaches, breached, escalations, escalated, reopened, rated, satisfied, dissatisfied,
    no_rating, fa_bucket, an_bucket, verified_phone)
  SELECT id, month_key, unit_id, manager_id, agency_id, province_id, indicator_id, sign, open, answered,
    answered_in_sla, rejected, first_actioned, breaches, breached, escalations, escalated, reopened, rated, satisfied, dissatisfied,
    no_rating, fa_bucket, an_bucket, verified_phone
  FROM report_rollup_deltas_unpartitioned;
ALTER SEQUENCE report_rollup_deltas_id_seq OWNED BY report_rollup_deltas.id;
DROP TABLE report_rollup_deltas_unpartitioned;

ALTER TABLE contact_read_counts RENAME TO contact_read_counts_unpartitioned;
ALTER TABLE contact_read_counts_unpartitioned RENAME CONSTRAINT contact_read_counts_pkey TO contact_read_counts_unpartitioned_pkey;
ALTER INDEX contact_read_counts_reader RENAME TO contact_read_counts_unpartitioned_reader;
CREATE TABLE contact_read_counts (
  complaint_id  uuid NOT NULL REFERENCES complaints(id),
  reader_id     integer NOT NULL REFERENCES staff_users(id),
  hour          timestamptz NOT NULL,
  reads         integer NOT NULL DEFAULT 0,
  PRIMARY KEY (complaint_id, reader_id, hour)
) PARTITION BY RANGE (hour);
CREATE TABLE contact_read_counts_default PARTITION OF contact_read_counts DEFAULT;
CREATE INDEX contact_read_counts_reader ON contact_read_counts (reader_id, hour);
INSERT INTO contact_read_counts (complaint_id, reader_id, hour, reads)
  SELECT complaint_id, reader_id, hour, reads FROM contact_read_counts_unpartitioned;
DROP TABLE contact_read_counts_unpartitioned;
