-- 031: report cards say how many complaints rest on a verified phone (issue 11, citizens' trust).
--
-- complaints.phone_verified (018) says the phone was proved by who sent it (an SMS sender, an
-- operator's caller id, a bot contact) rather than typed into a form. A card's readers weigh a
-- count differently when most of it comes from proved phones, so every rollup carries
-- verified_phone beside received: appended by the contribution, summed by the fold, recounted by
-- the rebuild — the same three paths as every other counter.

ALTER TABLE report_rollup_deltas ADD COLUMN verified_phone smallint NOT NULL DEFAULT 0;
ALTER TABLE report_rollups ADD COLUMN verified_phone integer NOT NULL DEFAULT 0;
ALTER TABLE report_area_rollups ADD COLUMN verified_phone integer NOT NULL DEFAULT 0;

-- One complaint's contribution (028's, plus verified_phone).
CREATE OR REPLACE FUNCTION report_contribute(c complaints, sign integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  mk integer;
BEGIN
  IF c.responsible_unit_id IS NULL OR c.province_id IS NULL THEN RETURN; END IF;
  mk := report_month_key(c.created_at);
  IF mk IS NULL THEN RETURN; END IF;
  INSERT INTO report_rollup_deltas (month_key, unit_id, manager_id, agency_id, province_id, indicator_id, sign, open, answered, answered_in_sla,
      rejected, first_actioned, breaches, breached, escalations, escalated, reopened, rated, satisfied, dissatisfied, no_rating, fa_bucket, an_bucket,
      verified_phone)
  VALUES (mk, c.responsible_unit_id, coalesce(c.responsible_manager_id, 0), coalesce(c.organisation_id, 0), c.province_id, coalesce(c.report_indicator_id, 0),
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
      report_bucket(extract(epoch FROM c.answered_at - c.created_at) / 60),
      sign * c.phone_verified::integer);
END;
$$;

-- The update trigger also fires when the proof changes (no writer changes it today; a later
-- proof by one-time code would, and must not leave the rollup behind).
DROP TRIGGER complaints_report_rollup_update ON complaints;
CREATE TRIGGER complaints_report_rollup_update AFTER UPDATE ON complaints
  FOR EACH ROW WHEN ((OLD.responsible_unit_id, OLD.responsible_manager_id, OLD.report_indicator_id, OLD.organisation_id, OLD.province_id,
      OLD.created_at, OLD.status, OLD.answered_at, OLD.first_action_at, OLD.outcome, OLD.reopen_count, OLD.escalation_count,
      OLD.dissatisfied_count, OLD.breach_count, OLD.phone_verified)
    IS DISTINCT FROM (NEW.responsible_unit_id, NEW.responsible_manager_id, NEW.report_indicator_id, NEW.organisation_id, NEW.province_id,
      NEW.created_at, NEW.status, NEW.answered_at, NEW.first_action_at, NEW.outcome, NEW.reopen_count, NEW.escalation_count,
      NEW.dissatisfied_count, NEW.breach_count, NEW.phone_verified))
  EXECUTE FUNCTION complaints_report_rollup();

-- The fold (014's, reached through 017's fast path), plus verified_phone.
CREATE OR REPLACE FUNCTION report_rollups_fold_pending() RETURNS integer LANGUAGE plpgsql AS $$
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
      first_actioned, breaches, breached, escalations, escalated, reopened, rated, satisfied, dissatisfied, no_rating, hist_first_action, hist_answer,
      verified_phone)
  SELECT month_key, unit_id, manager_id, agency_id, province_id, sum(sign), sum(open), sum(answered), sum(answered_in_sla), sum(rejected),
      sum(first_actioned), sum(breaches), sum(breached), sum(escalations), sum(escalated), sum(reopened), sum(rated), sum(satisfied),
      sum(dissatisfied), sum(no_rating), report_hist_of(array_agg(fa_bucket), array_agg(sign)), report_hist_of(array_agg(an_bucket), array_agg(sign)),
      sum(verified_phone)
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
    hist_answer = report_hist_add(r.hist_answer, EXCLUDED.hist_answer),
    verified_phone = r.verified_phone + EXCLUDED.verified_phone;
  INSERT INTO report_area_rollups AS r (month_key, agency_id, province_id, received, open, answered, answered_in_sla, rejected,
      first_actioned, breaches, breached, escalations, escalated, reopened, rated, satisfied, dissatisfied, no_rating, hist_first_action, hist_answer,
      verified_phone)
  SELECT month_key, agency_id, province_id, sum(sign), sum(open), sum(answered), sum(answered_in_sla), sum(rejected),
      sum(first_actioned), sum(breaches), sum(breached), sum(escalations), sum(escalated), sum(reopened), sum(rated), sum(satisfied),
      sum(dissatisfied), sum(no_rating), report_hist_of(array_agg(fa_bucket), array_agg(sign)), report_hist_of(array_agg(an_bucket), array_agg(sign)),
      sum(verified_phone)
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
    hist_answer = report_hist_add(r.hist_answer, EXCLUDED.hist_answer),
    verified_phone = r.verified_phone + EXCLUDED.verified_phone;
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

-- The rebuild: 028's set-based recount, then verified_phone counted the same way (Tehran day →
-- month by one hash join) and set on the rows it made. A second pass rather than a third copy of
-- 028's long statement; a rebuild is a rare repair, and the extra pass reads the complaints once.
ALTER FUNCTION report_rollups_rebuild_tables() RENAME TO report_rollups_rebuild_counts;
CREATE FUNCTION report_rollups_rebuild_tables() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_rollups_rebuild_counts();
  CREATE TEMP TABLE report_verified_days ON COMMIT DROP AS
    SELECT d::date AS day, month_key FROM jalali_months,
      generate_series(starts_at AT TIME ZONE 'Asia/Tehran', ends_at AT TIME ZONE 'Asia/Tehran' - interval '1 day', interval '1 day') AS d;
  CREATE TEMP TABLE report_verified ON COMMIT DROP AS
    SELECT m.month_key, c.responsible_unit_id AS unit_id, coalesce(c.responsible_manager_id, 0) AS manager_id,
           coalesce(c.organisation_id, 0) AS agency_id, c.province_id, count(*)::integer AS n
    FROM complaints c JOIN report_verified_days m ON m.day = (c.created_at AT TIME ZONE 'Asia/Tehran')::date
    WHERE c.phone_verified AND c.responsible_unit_id IS NOT NULL AND c.province_id IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5;
  UPDATE report_rollups r SET verified_phone = v.n FROM report_verified v
  WHERE (r.month_key, r.unit_id, r.manager_id, r.agency_id, r.province_id) = (v.month_key, v.unit_id, v.manager_id, v.agency_id, v.province_id);
  UPDATE report_area_rollups r SET verified_phone = v.n
  FROM (SELECT month_key, agency_id, province_id, sum(n)::integer AS n FROM report_verified GROUP BY 1, 2, 3) v
  WHERE (r.month_key, r.agency_id, r.province_id) = (v.month_key, v.agency_id, v.province_id);
  DROP TABLE report_verified;
  DROP TABLE report_verified_days;
END;
$$;

-- Rollups made before this migration count no verified phones yet.
SELECT report_rollups_rebuild();
