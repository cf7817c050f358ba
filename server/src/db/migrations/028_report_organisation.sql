-- 028: report cards count the organisation, not whichever node the citizen picked.
--
-- Before, a card's "agency" was complaints.agency_id: the node chosen at filing. A complaint
-- filed at the Hamedan tax office and one filed at the Tax Organisation were two "agencies",
-- and the organisation was ranked against its own office. Now every complaint carries its
-- organisation: the deepest ministry/organisation node above (or at) the unit answering for it
-- (the responsible unit; before referral, the node picked). Rollups group by it, so a complaint
-- counts once for its organisation, once for that organisation in its province (the provincial
-- directorate level) and once for its office.
--
-- Materialised per complaint, as the responsible unit and manager are: set when the
-- responsibility is, so moving a unit later does not rewrite history, and the rollup trigger's
-- old and new contributions always name the same organisation they were counted under.

-- The organisation of a unit: the deepest ministry or affiliated organisation on its path.
CREATE FUNCTION unit_organisation(unit integer) RETURNS integer LANGUAGE sql STABLE AS $$
  SELECT a.id FROM units u JOIN units a ON a.id = ANY (string_to_array(trim(BOTH '/' FROM u.path), '/')::integer[])
  WHERE u.id = unit AND a.kind IN ('ministry', 'organisation')
  ORDER BY a.depth DESC LIMIT 1
$$;

ALTER TABLE complaints ADD COLUMN organisation_id integer REFERENCES units(id);

-- Existing complaints, set-based (no trigger looks at this column yet).
WITH orgs AS (
  SELECT u.id, (SELECT a.id FROM units a WHERE a.id = ANY (string_to_array(trim(BOTH '/' FROM u.path), '/')::integer[])
                  AND a.kind IN ('ministry', 'organisation') ORDER BY a.depth DESC LIMIT 1) AS org
  FROM units u
)
UPDATE complaints c SET organisation_id = o.org FROM orgs o WHERE o.id = coalesce(c.responsible_unit_id, c.agency_id);

CREATE OR REPLACE FUNCTION complaints_responsibility() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.unit_id IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.responsible_unit_id IS NULL OR (
       NEW.unit_id IS DISTINCT FROM OLD.unit_id
       AND NEW.escalation_count = OLD.escalation_count AND NEW.reopen_count = OLD.reopen_count)) THEN
    NEW.responsible_unit_id := NEW.unit_id;
    NEW.responsible_manager_id := (SELECT inspection_head_id FROM units WHERE id = NEW.unit_id);
  END IF;
  IF NEW.responsible_unit_id IS NOT NULL THEN
    IF TG_OP = 'INSERT' OR NEW.organisation_id IS NULL OR NEW.responsible_unit_id IS DISTINCT FROM OLD.responsible_unit_id THEN
      NEW.organisation_id := unit_organisation(NEW.responsible_unit_id);
    END IF;
  ELSIF TG_OP = 'INSERT' OR NEW.agency_id IS DISTINCT FROM OLD.agency_id OR NEW.organisation_id IS NULL THEN
    NEW.organisation_id := unit_organisation(NEW.agency_id);
  END IF;
  IF NEW.category_id IS NULL THEN
    NEW.report_indicator_id := NULL;
  ELSIF TG_OP = 'INSERT' OR NEW.category_id IS DISTINCT FROM OLD.category_id THEN
    NEW.report_indicator_id := (SELECT indicator_id FROM categories WHERE id = NEW.category_id);
  END IF;
  RETURN NEW;
END;
$$;
DROP TRIGGER complaints_responsibility ON complaints;
CREATE TRIGGER complaints_responsibility BEFORE INSERT OR UPDATE OF unit_id, category_id, agency_id ON complaints
  FOR EACH ROW EXECUTE FUNCTION complaints_responsibility();

-- The contribution keys its agency column by the organisation (same signature as in 014).
CREATE OR REPLACE FUNCTION report_contribute(c complaints, sign integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  mk integer;
BEGIN
  IF c.responsible_unit_id IS NULL OR c.province_id IS NULL THEN RETURN; END IF;
  mk := report_month_key(c.created_at);
  IF mk IS NULL THEN RETURN; END IF;
  INSERT INTO report_rollup_deltas (month_key, unit_id, manager_id, agency_id, province_id, indicator_id, sign, open, answered, answered_in_sla,
      rejected, first_actioned, breaches, breached, escalations, escalated, reopened, rated, satisfied, dissatisfied, no_rating, fa_bucket, an_bucket)
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
      report_bucket(extract(epoch FROM c.answered_at - c.created_at) / 60));
END;
$$;

DROP TRIGGER complaints_report_rollup_update ON complaints;
CREATE TRIGGER complaints_report_rollup_update AFTER UPDATE ON complaints
  FOR EACH ROW WHEN ((OLD.responsible_unit_id, OLD.responsible_manager_id, OLD.report_indicator_id, OLD.organisation_id, OLD.province_id,
      OLD.created_at, OLD.status, OLD.answered_at, OLD.first_action_at, OLD.outcome, OLD.reopen_count, OLD.escalation_count,
      OLD.dissatisfied_count, OLD.breach_count)
    IS DISTINCT FROM (NEW.responsible_unit_id, NEW.responsible_manager_id, NEW.report_indicator_id, NEW.organisation_id, NEW.province_id,
      NEW.created_at, NEW.status, NEW.answered_at, NEW.first_action_at, NEW.outcome, NEW.reopen_count, NEW.escalation_count,
      NEW.dissatisfied_count, NEW.breach_count))
  EXECUTE FUNCTION complaints_report_rollup();

-- The set-based rebuild (012's, renamed in 014) with the organisation as the agency key.
CREATE OR REPLACE FUNCTION report_rollups_rebuild_tables() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM report_rollups;
  DELETE FROM report_area_rollups;
  DELETE FROM report_indicator_rollups;
  -- Tehran days → month, so every complaint finds its month by one hash join (a range join
  -- against the months would compare each complaint with every month).
  CREATE TEMP TABLE report_days ON COMMIT DROP AS
    SELECT d::date AS day, month_key FROM jalali_months,
      generate_series(starts_at AT TIME ZONE 'Asia/Tehran', ends_at AT TIME ZONE 'Asia/Tehran' - interval '1 day', interval '1 day') AS d;
  ANALYZE report_days;
  CREATE TEMP TABLE report_facts ON COMMIT DROP AS
    SELECT m.month_key, c.responsible_unit_id AS unit_id, coalesce(c.responsible_manager_id, 0) AS manager_id,
           coalesce(c.organisation_id, 0) AS agency_id, c.province_id, coalesce(c.report_indicator_id, 0) AS indicator_id,
           c.status, c.answered_at IS NOT NULL AS answered, c.breach_count, c.escalation_count, c.reopen_count,
           c.dissatisfied_count, c.outcome, c.first_action_at IS NOT NULL AS first_actioned,
           report_bucket(extract(epoch FROM c.first_action_at - c.created_at) / 60) AS fa,
           report_bucket(extract(epoch FROM c.answered_at - c.created_at) / 60) AS an
    FROM complaints c JOIN report_days m ON m.day = (c.created_at AT TIME ZONE 'Asia/Tehran')::date
    WHERE c.responsible_unit_id IS NOT NULL AND c.province_id IS NOT NULL;
  INSERT INTO report_rollups (month_key, unit_id, manager_id, agency_id, province_id, received, open, answered, answered_in_sla, rejected, first_actioned, breaches, breached, escalations, escalated, reopened, rated, satisfied, dissatisfied, no_rating, hist_first_action, hist_answer)
  WITH counts AS (
    SELECT month_key, unit_id, manager_id, agency_id, province_id,
        count(*) AS received,
        count(*) FILTER (WHERE status NOT IN ('closed', 'rejected')) AS open,
        count(*) FILTER (WHERE answered) AS answered,
        count(*) FILTER (WHERE answered AND breach_count = 0) AS answered_in_sla,
        count(*) FILTER (WHERE status = 'rejected') AS rejected,
        count(*) FILTER (WHERE first_actioned) AS first_actioned,
        coalesce(sum(breach_count), 0) AS breaches,
        count(*) FILTER (WHERE breach_count > 0) AS breached,
        coalesce(sum(escalation_count), 0) AS escalations,
        count(*) FILTER (WHERE escalation_count > 0) AS escalated,
        count(*) FILTER (WHERE reopen_count > 0) AS reopened,
        count(*) FILTER (WHERE outcome = 'satisfied' OR dissatisfied_count > 0) AS rated,
        count(*) FILTER (WHERE outcome = 'satisfied') AS satisfied,
        count(*) FILTER (WHERE dissatisfied_count > 0) AS dissatisfied,
        count(*) FILTER (WHERE outcome = 'no_rating') AS no_rating
    FROM report_facts GROUP BY month_key, unit_id, manager_id, agency_id, province_id
  ), fa AS (
    SELECT month_key, unit_id, manager_id, agency_id, province_id, ARRAY[coalesce(sum(n) FILTER (WHERE b = 1), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 2), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 3), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 4), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 5), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 6), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 7), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 8), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 9), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 10), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 11), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 12), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 13), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 14), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 15), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 16), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 17), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 18), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 19), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 20), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 21), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 22), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 23), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 24), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 25), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 26), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 27), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 28), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 29), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 30), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 31), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 32), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 33), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 34), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 35), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 36), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 37), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 38), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 39), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 40), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 41), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 42), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 43), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 44), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 45), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 46), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 47), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 48), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 49), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 50), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 51), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 52), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 53), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 54), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 55), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 56), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 57), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 58), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 59), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 60), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 61), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 62), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 63), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 64), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 65), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 66), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 67), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 68), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 69), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 70), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 71), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 72), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 73), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 74), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 75), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 76), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 77), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 78), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 79), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 80), 0)::integer] AS hist
    FROM (SELECT month_key, unit_id, manager_id, agency_id, province_id, fa AS b, count(*) AS n FROM report_facts WHERE fa IS NOT NULL GROUP BY month_key, unit_id, manager_id, agency_id, province_id, fa) x
    GROUP BY month_key, unit_id, manager_id, agency_id, province_id
  ), an AS (
    SELECT month_key, unit_id, manager_id, agency_id, province_id, ARRAY[coalesce(sum(n) FILTER (WHERE b = 1), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 2), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 3), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 4), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 5), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 6), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 7), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 8), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 9), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 10), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 11), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 12), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 13), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 14), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 15), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 16), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 17), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 18), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 19), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 20), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 21), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 22), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 23), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 24), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 25), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 26), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 27), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 28), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 29), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 30), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 31), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 32), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 33), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 34), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 35), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 36), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 37), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 38), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 39), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 40), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 41), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 42), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 43), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 44), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 45), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 46), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 47), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 48), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 49), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 50), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 51), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 52), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 53), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 54), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 55), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 56), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 57), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 58), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 59), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 60), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 61), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 62), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 63), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 64), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 65), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 66), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 67), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 68), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 69), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 70), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 71), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 72), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 73), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 74), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 75), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 76), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 77), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 78), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 79), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 80), 0)::integer] AS hist
    FROM (SELECT month_key, unit_id, manager_id, agency_id, province_id, an AS b, count(*) AS n FROM report_facts WHERE an IS NOT NULL GROUP BY month_key, unit_id, manager_id, agency_id, province_id, an) x
    GROUP BY month_key, unit_id, manager_id, agency_id, province_id
  )
  SELECT c.month_key, c.unit_id, c.manager_id, c.agency_id, c.province_id, c.received, c.open, c.answered, c.answered_in_sla, c.rejected, c.first_actioned, c.breaches, c.breached, c.escalations, c.escalated, c.reopened, c.rated, c.satisfied, c.dissatisfied, c.no_rating,
      coalesce(fa.hist, array_fill(0, ARRAY[80])), coalesce(an.hist, array_fill(0, ARRAY[80]))
  FROM counts c LEFT JOIN fa USING (month_key, unit_id, manager_id, agency_id, province_id) LEFT JOIN an USING (month_key, unit_id, manager_id, agency_id, province_id);
  INSERT INTO report_area_rollups (month_key, agency_id, province_id, received, open, answered, answered_in_sla, rejected, first_actioned, breaches, breached, escalations, escalated, reopened, rated, satisfied, dissatisfied, no_rating, hist_first_action, hist_answer)
  WITH counts AS (
    SELECT month_key, agency_id, province_id,
        count(*) AS received,
        count(*) FILTER (WHERE status NOT IN ('closed', 'rejected')) AS open,
        count(*) FILTER (WHERE answered) AS answered,
        count(*) FILTER (WHERE answered AND breach_count = 0) AS answered_in_sla,
        count(*) FILTER (WHERE status = 'rejected') AS rejected,
        count(*) FILTER (WHERE first_actioned) AS first_actioned,
        coalesce(sum(breach_count), 0) AS breaches,
        count(*) FILTER (WHERE breach_count > 0) AS breached,
        coalesce(sum(escalation_count), 0) AS escalations,
        count(*) FILTER (WHERE escalation_count > 0) AS escalated,
        count(*) FILTER (WHERE reopen_count > 0) AS reopened,
        count(*) FILTER (WHERE outcome = 'satisfied' OR dissatisfied_count > 0) AS rated,
        count(*) FILTER (WHERE outcome = 'satisfied') AS satisfied,
        count(*) FILTER (WHERE dissatisfied_count > 0) AS dissatisfied,
        count(*) FILTER (WHERE outcome = 'no_rating') AS no_rating
    FROM report_facts GROUP BY month_key, agency_id, province_id
  ), fa AS (
    SELECT month_key, agency_id, province_id, ARRAY[coalesce(sum(n) FILTER (WHERE b = 1), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 2), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 3), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 4), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 5), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 6), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 7), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 8), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 9), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 10), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 11), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 12), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 13), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 14), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 15), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 16), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 17), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 18), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 19), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 20), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 21), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 22), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 23), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 24), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 25), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 26), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 27), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 28), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 29), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 30), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 31), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 32), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 33), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 34), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 35), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 36), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 37), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 38), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 39), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 40), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 41), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 42), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 43), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 44), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 45), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 46), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 47), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 48), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 49), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 50), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 51), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 52), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 53), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 54), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 55), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 56), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 57), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 58), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 59), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 60), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 61), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 62), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 63), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 64), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 65), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 66), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 67), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 68), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 69), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 70), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 71), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 72), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 73), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 74), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 75), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 76), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 77), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 78), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 79), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 80), 0)::integer] AS hist
    FROM (SELECT month_key, agency_id, province_id, fa AS b, count(*) AS n FROM report_facts WHERE fa IS NOT NULL GROUP BY month_key, agency_id, province_id, fa) x
    GROUP BY month_key, agency_id, province_id
  ), an AS (
    SELECT month_key, agency_id, province_id, ARRAY[coalesce(sum(n) FILTER (WHERE b = 1), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 2), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 3), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 4), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 5), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 6), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 7), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 8), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 9), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 10), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 11), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 12), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 13), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 14), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 15), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 16), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 17), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 18), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 19), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 20), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 21), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 22), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 23), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 24), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 25), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 26), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 27), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 28), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 29), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 30), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 31), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 32), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 33), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 34), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 35), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 36), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 37), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 38), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 39), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 40), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 41), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 42), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 43), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 44), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 45), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 46), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 47), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 48), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 49), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 50), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 51), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 52), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 53), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 54), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 55), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 56), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 57), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 58), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 59), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 60), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 61), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 62), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 63), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 64), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 65), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 66), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 67), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 68), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 69), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 70), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 71), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 72), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 73), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 74), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 75), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 76), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 77), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 78), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 79), 0)::integer, coalesce(sum(n) FILTER (WHERE b = 80), 0)::integer] AS hist
    FROM (SELECT month_key, agency_id, province_id, an AS b, count(*) AS n FROM report_facts WHERE an IS NOT NULL GROUP BY month_key, agency_id, province_id, an) x
    GROUP BY month_key, agency_id, province_id
  )
  SELECT c.month_key, c.agency_id, c.province_id, c.received, c.open, c.answered, c.answered_in_sla, c.rejected, c.first_actioned, c.breaches, c.breached, c.escalations, c.escalated, c.reopened, c.rated, c.satisfied, c.dissatisfied, c.no_rating,
      coalesce(fa.hist, array_fill(0, ARRAY[80])), coalesce(an.hist, array_fill(0, ARRAY[80]))
  FROM counts c LEFT JOIN fa USING (month_key, agency_id, province_id) LEFT JOIN an USING (month_key, agency_id, province_id);
  INSERT INTO report_indicator_rollups (month_key, agency_id, province_id, indicator_id, received, answered_in_sla, rated, satisfied, dissatisfied, no_rating)
  SELECT month_key, agency_id, province_id, indicator_id, count(*), count(*) FILTER (WHERE answered AND breach_count = 0), count(*) FILTER (WHERE outcome = 'satisfied' OR dissatisfied_count > 0), count(*) FILTER (WHERE outcome = 'satisfied'), count(*) FILTER (WHERE dissatisfied_count > 0), count(*) FILTER (WHERE outcome = 'no_rating')
  FROM report_facts GROUP BY month_key, agency_id, province_id, indicator_id;
  DROP TABLE report_facts;
  DROP TABLE report_days;
END;
$$;

-- Rollups counted under the picked node are recounted under the organisation.
SELECT report_rollups_rebuild();

