-- Report rollups without hot rows. 012 kept the rollups exact by upserting three rows in every
-- counted complaint change; but every change about the same office, agency and province in a
-- month lands on the same rows, so concurrent writers (the SLA sweeper's batches, intake bursts)
-- queued on each other's row locks. Now a change only appends its signed contribution to
-- report_rollup_deltas (an insert: no conflicts), and report_rollups_fold() — one at a time,
-- under an advisory lock — moves the committed deltas into the rollups. Card reads fold first,
-- so they stay exact; a worker folds every few seconds so the delta table stays small.

CREATE TABLE report_rollup_deltas (
  id               bigserial PRIMARY KEY,
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
  an_bucket        smallint
);

-- One complaint's contribution, now appended instead of upserted (same signature as in 012).
CREATE OR REPLACE FUNCTION report_contribute(c complaints, sign integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  mk integer;
BEGIN
  IF c.responsible_unit_id IS NULL OR c.province_id IS NULL THEN RETURN; END IF;
  mk := report_month_key(c.created_at);
  IF mk IS NULL THEN RETURN; END IF;
  INSERT INTO report_rollup_deltas (month_key, unit_id, manager_id, agency_id, province_id, indicator_id, sign, open, answered, answered_in_sla,
      rejected, first_actioned, breaches, breached, escalations, escalated, reopened, rated, satisfied, dissatisfied, no_rating, fa_bucket, an_bucket)
  VALUES (mk, c.responsible_unit_id, coalesce(c.responsible_manager_id, 0), coalesce(c.agency_id, 0), c.province_id, coalesce(c.report_indicator_id, 0),
      sign,
      sign * (c.status NOT IN ('closed', 'rejected'))::integer,
      sign * (c.answered_at IS NOT NULL)::integer,
      sign * (c.answered_at IS NOT NULL AND c.breach_count = 0)::integer,
      sign * (c.status = 'rejected')::integer,
      sign * (c.first_action_at IS NOT NULL)::integer,
      sign * c.breach_count,
      sign * (c.breach_count > 0)::integer,
      sign * c.escalation_count,
      sign * (c.escalation_count > 0)::integer,
      sign * (c.reopen_count > 0)::integer,
      sign * (c.outcome IS NOT DISTINCT FROM 'satisfied' OR c.dissatisfied_count > 0)::integer,
      sign * (c.outcome IS NOT DISTINCT FROM 'satisfied')::integer,
      sign * (c.dissatisfied_count > 0)::integer,
      sign * (c.outcome IS NOT DISTINCT FROM 'no_rating')::integer,
      report_bucket(extract(epoch FROM c.first_action_at - c.created_at) / 60),
      report_bucket(extract(epoch FROM c.answered_at - c.created_at) / 60));
END;
$$;

-- An 80-bucket histogram from parallel arrays of buckets (NULL: none) and signs.
CREATE FUNCTION report_hist_of(buckets smallint[], signs smallint[]) RETURNS integer[] LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  h integer[] := array_fill(0, ARRAY[80]);
  i integer;
BEGIN
  FOR i IN 1 .. coalesce(array_length(buckets, 1), 0) LOOP
    IF buckets[i] IS NOT NULL THEN h[buckets[i]] := h[buckets[i]] + signs[i]; END IF;
  END LOOP;
  RETURN h;
END;
$$;

CREATE FUNCTION report_hist_add(a integer[], b integer[]) RETURNS integer[] LANGUAGE sql IMMUTABLE AS $$
  SELECT array_agg(x + y ORDER BY i) FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i)
$$;

-- Moves the committed deltas into the rollups: one upsert per rollup row touched, one folder at
-- a time (deltas of transactions still open are not visible and wait for the next fold).
-- Returns how many deltas it folded.
CREATE FUNCTION report_rollups_fold() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  n integer;
BEGIN
  PERFORM pg_advisory_xact_lock(128014);
  DROP TABLE IF EXISTS report_fold;
  CREATE TEMP TABLE report_fold ON COMMIT DROP AS
    WITH d AS (DELETE FROM report_rollup_deltas RETURNING *) SELECT * FROM d;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n = 0 THEN
    DROP TABLE report_fold;
    RETURN 0;
  END IF;
  INSERT INTO report_rollups AS r (month_key, unit_id, manager_id, agency_id, province_id, received, open, answered, answered_in_sla, rejected,
      first_actioned, breaches, breached, escalations, escalated, reopened, rated, satisfied, dissatisfied, no_rating, hist_first_action, hist_answer)
  SELECT month_key, unit_id, manager_id, agency_id, province_id, sum(sign), sum(open), sum(answered), sum(answered_in_sla), sum(rejected),
      sum(first_actioned), sum(breaches), sum(breached), sum(escalations), sum(escalated), sum(reopened), sum(rated), sum(satisfied),
      sum(dissatisfied), sum(no_rating), report_hist_of(array_agg(fa_bucket), array_agg(sign)), report_hist_of(array_agg(an_bucket), array_agg(sign))
  FROM report_fold GROUP BY month_key, unit_id, manager_id, agency_id, province_id
  ORDER BY month_key, unit_id, manager_id, agency_id, province_id
  ON CONFLICT (month_key, unit_id, manager_id, agency_id, province_id) DO UPDATE SET
    received = r.received + EXCLUDED.received,
    open = r.open + EXCLUDED.open,
    answered = r.answered + EXCLUDED.answered,
    answered_in_sla = r.answered_in_sla + EXCLUDED.answered_in_sla,
    rejected = r.rejected + EXCLUDED.rejected,
    first_actioned = r.first_actioned + EXCLUDED.first_actioned,
    breaches = r.breaches + EXCLUDED.breaches,
    breached = r.breached + EXCLUDED.breached,
    escalations = r.escalations + EXCLUDED.escalations,
    escalated = r.escalated + EXCLUDED.escalated,
    reopened = r.reopened + EXCLUDED.reopened,
    rated = r.rated + EXCLUDED.rated,
    satisfied = r.satisfied + EXCLUDED.satisfied,
    dissatisfied = r.dissatisfied + EXCLUDED.dissatisfied,
    no_rating = r.no_rating + EXCLUDED.no_rating,
    hist_first_action = report_hist_add(r.hist_first_action, EXCLUDED.hist_first_action),
    hist_answer = report_hist_add(r.hist_answer, EXCLUDED.hist_answer);
  INSERT INTO report_area_rollups AS r (month_key, agency_id, province_id, received, open, answered, answered_in_sla, rejected,
      first_actioned, breaches, breached, escalations, escalated, reopened, rated, satisfied, dissatisfied, no_rating, hist_first_action, hist_answer)
  SELECT month_key, agency_id, province_id, sum(sign), sum(open), sum(answered), sum(answered_in_sla), sum(rejected),
      sum(first_actioned), sum(breaches), sum(breached), sum(escalations), sum(escalated), sum(reopened), sum(rated), sum(satisfied),
      sum(dissatisfied), sum(no_rating), report_hist_of(array_agg(fa_bucket), array_agg(sign)), report_hist_of(array_agg(an_bucket), array_agg(sign))
  FROM report_fold GROUP BY month_key, agency_id, province_id
  ORDER BY month_key, agency_id, province_id
  ON CONFLICT (month_key, agency_id, province_id) DO UPDATE SET
    received = r.received + EXCLUDED.received,
    open = r.open + EXCLUDED.open,
    answered = r.answered + EXCLUDED.answered,
    answered_in_sla = r.answered_in_sla + EXCLUDED.answered_in_sla,
    rejected = r.rejected + EXCLUDED.rejected,
    first_actioned = r.first_actioned + EXCLUDED.first_actioned,
    breaches = r.breaches + EXCLUDED.breaches,
    breached = r.breached + EXCLUDED.breached,
    escalations = r.escalations + EXCLUDED.escalations,
    escalated = r.escalated + EXCLUDED.escalated,
    reopened = r.reopened + EXCLUDED.reopened,
    rated = r.rated + EXCLUDED.rated,
    satisfied = r.satisfied + EXCLUDED.satisfied,
    dissatisfied = r.dissatisfied + EXCLUDED.dissatisfied,
    no_rating = r.no_rating + EXCLUDED.no_rating,
    hist_first_action = report_hist_add(r.hist_first_action, EXCLUDED.hist_first_action),
    hist_answer = report_hist_add(r.hist_answer, EXCLUDED.hist_answer);
  INSERT INTO report_indicator_rollups AS r (month_key, agency_id, province_id, indicator_id, received, answered_in_sla, rated, satisfied, dissatisfied, no_rating)
  SELECT month_key, agency_id, province_id, indicator_id, sum(sign), sum(answered_in_sla), sum(rated), sum(satisfied), sum(dissatisfied), sum(no_rating)
  FROM report_fold GROUP BY month_key, agency_id, province_id, indicator_id
  ORDER BY month_key, agency_id, province_id, indicator_id
  ON CONFLICT (month_key, agency_id, province_id, indicator_id) DO UPDATE SET
    received = r.received + EXCLUDED.received,
    answered_in_sla = r.answered_in_sla + EXCLUDED.answered_in_sla,
    rated = r.rated + EXCLUDED.rated,
    satisfied = r.satisfied + EXCLUDED.satisfied,
    dissatisfied = r.dissatisfied + EXCLUDED.dissatisfied,
    no_rating = r.no_rating + EXCLUDED.no_rating;
  DROP TABLE report_fold;
  RETURN n;
END;
$$;

-- A rebuild recomputes from the complaints, so pending deltas are already in it: drop them first,
-- under the fold's lock.
ALTER FUNCTION report_rollups_rebuild() RENAME TO report_rollups_rebuild_tables;
CREATE FUNCTION report_rollups_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(128014);
  DELETE FROM report_rollup_deltas;
  PERFORM report_rollups_rebuild_tables();
END;
$$;
