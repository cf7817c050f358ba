--
-- PostgreSQL database dump
--

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: pg_trgm; Type: EXTENSION; Schema: -; Owner: -
--

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

--
-- Name: EXTENSION pg_trgm; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON EXTENSION pg_trgm IS 'text similarity measurement and index searching based on trigrams';

--
-- Name: agency_search_key(text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.agency_search_key(t text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
  SELECT btrim(regexp_replace(regexp_replace(
    translate(lower(t),
      U&'\0629\06C0\06D5\0623\0625\0622\0671\064A\0649\0626\0643\0624'
        || U&'\0660\0661\0662\0663\0664\0665\0666\0667\0668\0669\06F0\06F1\06F2\06F3\06F4\06F5\06F6\06F7\06F8\06F9'
        || U&'\200C\060C\061B\061F\00AB\00BB\00A0'
        -- deleted: tanwin, harakat, hamza above/below (U+064B–U+065F), superscript alef, tatweel, ZWJ, bidi marks
        || U&'\064B\064C\064D\064E\064F\0650\0651\0652\0653\0654\0655\0656\0657\0658\0659\065A\065B\065C\065D\065E\065F\0670\0640\200D\200E\200F',
      U&'\0647\0647\0647\0627\0627\0627\0627\06CC\06CC\06CC\06A9\0648'
        || '01234567890123456789'
        || '       '),
    '[\x21-\x2F\x3A-\x40\x5B-\x60\x7B-\x7E]', ' ', 'g'),
    '\s+', ' ', 'g'))
$$;

--
-- Name: complaint_events_append_only(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.complaint_events_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  RAISE EXCEPTION 'complaint_events is append-only';
END;
$$;

--
-- Name: complaint_events_references_exist(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.complaint_events_references_exist() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF NEW.actor_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM staff_users WHERE id = NEW.actor_id) THEN
    PERFORM missing_reference('complaint_events', 'actor_id', 'staff_users', NEW.actor_id);
  END IF;
  RETURN NEW;
END $$;

--
-- Name: complaints_references_exist(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.complaints_references_exist() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
  fresh boolean := TG_OP = 'INSERT';
BEGIN
  IF NEW.agency_id IS NOT NULL AND (fresh OR NEW.agency_id IS DISTINCT FROM OLD.agency_id) AND NOT EXISTS (SELECT 1 FROM units WHERE id = NEW.agency_id) THEN
    PERFORM missing_reference('complaints', 'agency_id', 'units', NEW.agency_id);
  END IF;
  IF NEW.unit_id IS NOT NULL AND (fresh OR NEW.unit_id IS DISTINCT FROM OLD.unit_id) AND NOT EXISTS (SELECT 1 FROM units WHERE id = NEW.unit_id) THEN
    PERFORM missing_reference('complaints', 'unit_id', 'units', NEW.unit_id);
  END IF;
  IF NEW.organisation_id IS NOT NULL AND (fresh OR NEW.organisation_id IS DISTINCT FROM OLD.organisation_id)
     AND NOT EXISTS (SELECT 1 FROM units WHERE id = NEW.organisation_id) THEN
    PERFORM missing_reference('complaints', 'organisation_id', 'units', NEW.organisation_id);
  END IF;
  IF NEW.responsible_unit_id IS NOT NULL AND (fresh OR NEW.responsible_unit_id IS DISTINCT FROM OLD.responsible_unit_id)
     AND NOT EXISTS (SELECT 1 FROM units WHERE id = NEW.responsible_unit_id) THEN
    PERFORM missing_reference('complaints', 'responsible_unit_id', 'units', NEW.responsible_unit_id);
  END IF;
  IF NEW.category_id IS NOT NULL AND (fresh OR NEW.category_id IS DISTINCT FROM OLD.category_id)
     AND NOT EXISTS (SELECT 1 FROM categories WHERE id = NEW.category_id) THEN
    PERFORM missing_reference('complaints', 'category_id', 'categories', NEW.category_id);
  END IF;
  IF NEW.county_id IS NOT NULL AND (fresh OR NEW.county_id IS DISTINCT FROM OLD.county_id) AND NOT EXISTS (SELECT 1 FROM counties WHERE id = NEW.county_id) THEN
    PERFORM missing_reference('complaints', 'county_id', 'counties', NEW.county_id);
  END IF;
  IF NEW.province_id IS NOT NULL AND (fresh OR NEW.province_id IS DISTINCT FROM OLD.province_id)
     AND NOT EXISTS (SELECT 1 FROM provinces WHERE id = NEW.province_id) THEN
    PERFORM missing_reference('complaints', 'province_id', 'provinces', NEW.province_id);
  END IF;
  IF NEW.service_id IS NOT NULL AND (fresh OR NEW.service_id IS DISTINCT FROM OLD.service_id) AND NOT EXISTS (SELECT 1 FROM services WHERE id = NEW.service_id) THEN
    PERFORM missing_reference('complaints', 'service_id', 'services', NEW.service_id);
  END IF;
  IF NEW.sla_policy_id IS NOT NULL AND (fresh OR NEW.sla_policy_id IS DISTINCT FROM OLD.sla_policy_id)
     AND NOT EXISTS (SELECT 1 FROM sla_policies WHERE id = NEW.sla_policy_id) THEN
    PERFORM missing_reference('complaints', 'sla_policy_id', 'sla_policies', NEW.sla_policy_id);
  END IF;
  IF NEW.report_indicator_id IS NOT NULL AND (fresh OR NEW.report_indicator_id IS DISTINCT FROM OLD.report_indicator_id)
     AND NOT EXISTS (SELECT 1 FROM quality_indicators WHERE id = NEW.report_indicator_id) THEN
    PERFORM missing_reference('complaints', 'report_indicator_id', 'quality_indicators', NEW.report_indicator_id);
  END IF;
  IF NEW.assignee_id IS NOT NULL AND (fresh OR NEW.assignee_id IS DISTINCT FROM OLD.assignee_id)
     AND NOT EXISTS (SELECT 1 FROM staff_users WHERE id = NEW.assignee_id) THEN
    PERFORM missing_reference('complaints', 'assignee_id', 'staff_users', NEW.assignee_id);
  END IF;
  IF NEW.operator_id IS NOT NULL AND (fresh OR NEW.operator_id IS DISTINCT FROM OLD.operator_id)
     AND NOT EXISTS (SELECT 1 FROM staff_users WHERE id = NEW.operator_id) THEN
    PERFORM missing_reference('complaints', 'operator_id', 'staff_users', NEW.operator_id);
  END IF;
  IF NEW.responsible_manager_id IS NOT NULL AND (fresh OR NEW.responsible_manager_id IS DISTINCT FROM OLD.responsible_manager_id)
     AND NOT EXISTS (SELECT 1 FROM staff_users WHERE id = NEW.responsible_manager_id) THEN
    PERFORM missing_reference('complaints', 'responsible_manager_id', 'staff_users', NEW.responsible_manager_id);
  END IF;
  RETURN NEW;
END $$;

--
-- Name: complaints_report_rollup(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.complaints_report_rollup() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN PERFORM report_contribute(OLD, -1); END IF;
  PERFORM report_contribute(NEW, 1);
  RETURN NULL;
END;
$$;

--
-- Name: complaints_responsibility(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.complaints_responsibility() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: complaints_search(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.complaints_search() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  NEW.search := to_tsvector('simple', replace(NEW.description, U&'\200C', ' '));
  RETURN NEW;
END;
$$;

--
-- Name: contact_readable(text, boolean, boolean); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.contact_readable(role text, share_identity boolean, confidential boolean) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    AS $$
  SELECT CASE
    WHEN role IN ('national_admin', 'provincial_supervisor', 'operator') THEN true
    WHEN role IN ('inspection_head', 'leader_senior', 'leader_middle', 'leader_county', 'responder') THEN share_identity AND NOT confidential
    ELSE false
  END
$$;

--
-- Name: foad_live_notify(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.foad_live_notify() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  PERFORM pg_notify('foad_live', TG_ARGV[0] || NEW.id::text);
  RETURN NULL;
END;
$$;

--
-- Name: missing_reference(text, text, text, bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.missing_reference(tbl text, col text, ref text, id bigint) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
  RAISE EXCEPTION 'insert or update on table "%" violates foreign key constraint "%_%_fkey"', tbl, tbl, col
    USING ERRCODE = 'foreign_key_violation', CONSTRAINT = tbl || '_' || col || '_fkey', TABLE = tbl, COLUMN = col,
          DETAIL = format('Key (%s)=(%s) is not present in table "%s".', col, id, ref);
END $$;

--
-- Name: outbox_references_exist(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.outbox_references_exist() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF NEW.recipient_user_id IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.recipient_user_id IS DISTINCT FROM OLD.recipient_user_id)
     AND NOT EXISTS (SELECT 1 FROM staff_users WHERE id = NEW.recipient_user_id) THEN
    PERFORM missing_reference('outbox', 'recipient_user_id', 'staff_users', NEW.recipient_user_id);
  END IF;
  RETURN NEW;
END $$;

--
-- Name: reference_row_stays(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.reference_row_stays() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION '% row % is never deleted (complaints and their records may name it): deactivate it instead', TG_TABLE_NAME, OLD.id
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  RAISE EXCEPTION '% row % keeps its id (complaints and their records may name it)', TG_TABLE_NAME, OLD.id USING ERRCODE = 'foreign_key_violation';
END $$;

--
-- Name: report_bucket(double precision); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.report_bucket(minutes double precision) RETURNS integer
    LANGUAGE sql IMMUTABLE
    AS $$
  SELECT CASE WHEN minutes IS NULL THEN NULL
              WHEN minutes < 1 THEN 1
              ELSE least(80, 2 + floor(4 * ln(minutes) / ln(2))::integer) END
$$;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: complaints; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.complaints (
    id uuid NOT NULL,
    tracking_code text NOT NULL,
    channel text NOT NULL,
    status text NOT NULL,
    agency_id integer,
    unit_id integer,
    unit_path text,
    office_text text,
    province_id integer,
    county_id integer,
    category_id integer,
    service_id integer,
    urgent boolean DEFAULT false NOT NULL,
    description text NOT NULL,
    location_lat double precision,
    location_lng double precision,
    location_text text,
    confidential boolean DEFAULT false NOT NULL,
    language text DEFAULT 'fa'::text NOT NULL,
    country text DEFAULT 'IR'::text NOT NULL,
    assignee_id integer,
    operator_id integer,
    due_at timestamp with time zone,
    answer text,
    answered_at timestamp with time zone,
    closed_at timestamp with time zone,
    outcome text,
    reopen_count integer DEFAULT 0 NOT NULL,
    escalation_count integer DEFAULT 0 NOT NULL,
    dissatisfied_count integer DEFAULT 0 NOT NULL,
    idempotency_key text,
    request_hash text,
    last_seq integer NOT NULL,
    head_hash text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    sla_policy_id integer,
    first_action_due_at timestamp with time zone,
    first_action_at timestamp with time zone,
    breach_count integer DEFAULT 0 NOT NULL,
    reply_channel text,
    reply_address text,
    search tsvector,
    merged_into_id uuid,
    responsible_unit_id integer,
    responsible_manager_id integer,
    report_indicator_id integer,
    named_employee text,
    named_employee_text text,
    named_employee_salt text,
    case_of_id uuid,
    phone_verified boolean DEFAULT false NOT NULL,
    share_identity boolean DEFAULT false NOT NULL,
    public_id text DEFAULT replace((gen_random_uuid())::text, '-'::text, ''::text) NOT NULL,
    public_listing boolean DEFAULT false NOT NULL,
    organisation_id integer,
    shown_incident_id integer,
    CONSTRAINT complaints_appealed_unit CHECK (((status <> 'appealed'::text) OR (unit_id IS NOT NULL))),
    CONSTRAINT complaints_case_not_itself CHECK ((case_of_id <> id)),
    CONSTRAINT complaints_channel_check CHECK ((channel = ANY (ARRAY['web'::text, 'app'::text, 'sms'::text, 'telegram'::text, 'bale'::text, 'phone'::text, 'open311'::text]))),
    CONSTRAINT complaints_check CHECK (((status <> 'received'::text) OR (unit_id IS NULL))),
    CONSTRAINT complaints_check2 CHECK (((unit_id IS NULL) = (unit_path IS NULL))),
    CONSTRAINT complaints_check3 CHECK (((agency_id IS NOT NULL) OR (office_text IS NOT NULL))),
    CONSTRAINT complaints_check4 CHECK (((status <> ALL (ARRAY['assigned'::text, 'in_progress'::text])) OR (assignee_id IS NOT NULL))),
    CONSTRAINT complaints_check5 CHECK (((status <> 'answered'::text) OR (answer IS NOT NULL))),
    CONSTRAINT complaints_language_check CHECK ((language = ANY (ARRAY['fa'::text, 'en'::text]))),
    CONSTRAINT complaints_location_lat_check CHECK (((location_lat >= ('-90'::integer)::double precision) AND (location_lat <= (90)::double precision))),
    CONSTRAINT complaints_location_lng_check CHECK (((location_lng >= ('-180'::integer)::double precision) AND (location_lng <= (180)::double precision))),
    CONSTRAINT complaints_merged CHECK (((outcome = 'merged'::text) = (merged_into_id IS NOT NULL))),
    CONSTRAINT complaints_merged_closed CHECK (((merged_into_id IS NULL) OR (status = 'closed'::text))),
    CONSTRAINT complaints_named_employee_check CHECK (((named_employee IS NULL) OR ((length(named_employee) >= 2) AND (length(named_employee) <= 120)))),
    CONSTRAINT complaints_named_employee_pair CHECK ((((named_employee IS NULL) = (named_employee_text IS NULL)) AND ((named_employee IS NULL) = (named_employee_salt IS NULL)))),
    CONSTRAINT complaints_named_employee_text_check CHECK (((named_employee_text IS NULL) OR ((length(named_employee_text) >= 2) AND (length(named_employee_text) <= 120)))),
    CONSTRAINT complaints_not_merged_into_itself CHECK ((merged_into_id <> id)),
    CONSTRAINT complaints_outcome_check CHECK ((outcome = ANY (ARRAY['satisfied'::text, 'no_rating'::text, 'rejected'::text, 'merged'::text, 'appeal_rejected'::text]))),
    CONSTRAINT complaints_place CHECK (((province_id IS NOT NULL) OR (unit_id IS NULL))),
    CONSTRAINT complaints_reply CHECK (((reply_channel IS NULL) = (reply_address IS NULL))),
    CONSTRAINT complaints_reply_channel_check CHECK ((reply_channel = ANY (ARRAY['sms'::text, 'telegram'::text, 'bale'::text]))),
    CONSTRAINT complaints_routed_unit CHECK (((status <> ALL (ARRAY['referred'::text, 'assigned'::text, 'in_progress'::text, 'answered'::text, 'closed'::text])) OR (unit_id IS NOT NULL) OR (outcome = 'merged'::text))),
    CONSTRAINT complaints_status_check CHECK ((status = ANY (ARRAY['received'::text, 'referred'::text, 'assigned'::text, 'in_progress'::text, 'answered'::text, 'closed'::text, 'rejected'::text, 'appealed'::text]))),
    CONSTRAINT complaints_tracking_code_check CHECK ((tracking_code ~ '^[1-9][0-9]{11}$'::text))
);

--
-- Name: report_contribute(public.complaints, integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.report_contribute(c public.complaints, sign integer) RETURNS void
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: report_hist_add(integer[], integer[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.report_hist_add(a integer[], b integer[]) RETURNS integer[]
    LANGUAGE sql IMMUTABLE
    AS $$
  SELECT array_agg(x + y ORDER BY i) FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i)
$$;

--
-- Name: report_hist_of(smallint[], smallint[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.report_hist_of(buckets smallint[], signs smallint[]) RETURNS integer[]
    LANGUAGE plpgsql IMMUTABLE
    AS $$
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

--
-- Name: report_hist_one(integer, integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.report_hist_one(bucket integer, sign integer) RETURNS integer[]
    LANGUAGE sql IMMUTABLE
    AS $$
  SELECT CASE WHEN bucket IS NULL THEN array_fill(0, ARRAY[80])
              ELSE array_fill(0, ARRAY[bucket - 1]) || sign || array_fill(0, ARRAY[80 - bucket]) END
$$;

--
-- Name: report_month_key(timestamp with time zone); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.report_month_key(at timestamp with time zone) RETURNS integer
    LANGUAGE sql STABLE
    AS $$
  SELECT month_key FROM (SELECT month_key, ends_at FROM jalali_months WHERE starts_at <= at ORDER BY starts_at DESC LIMIT 1) m
  WHERE at < m.ends_at
$$;

--
-- Name: report_rollups_fold(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.report_rollups_fold() RETURNS integer
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM report_rollup_deltas) THEN
    RETURN 0;
  END IF;
  RETURN report_rollups_fold_pending();
END;
$$;

--
-- Name: report_rollups_fold_pending(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.report_rollups_fold_pending() RETURNS integer
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: report_rollups_rebuild(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.report_rollups_rebuild() RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(128014);
  DELETE FROM report_rollup_deltas;
  PERFORM report_rollups_rebuild_tables();
END;
$$;

--
-- Name: report_rollups_rebuild_counts(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.report_rollups_rebuild_counts() RETURNS void
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: report_rollups_rebuild_tables(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.report_rollups_rebuild_tables() RETURNS void
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: sla_breaches_references_exist(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sla_breaches_references_exist() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
  fresh boolean := TG_OP = 'INSERT';
BEGIN
  IF NEW.unit_id IS NOT NULL AND (fresh OR NEW.unit_id IS DISTINCT FROM OLD.unit_id) AND NOT EXISTS (SELECT 1 FROM units WHERE id = NEW.unit_id) THEN
    PERFORM missing_reference('sla_breaches', 'unit_id', 'units', NEW.unit_id);
  END IF;
  IF NEW.escalated_to IS NOT NULL AND (fresh OR NEW.escalated_to IS DISTINCT FROM OLD.escalated_to)
     AND NOT EXISTS (SELECT 1 FROM units WHERE id = NEW.escalated_to) THEN
    PERFORM missing_reference('sla_breaches', 'escalated_to', 'units', NEW.escalated_to);
  END IF;
  IF NEW.manager_id IS NOT NULL AND (fresh OR NEW.manager_id IS DISTINCT FROM OLD.manager_id)
     AND NOT EXISTS (SELECT 1 FROM staff_users WHERE id = NEW.manager_id) THEN
    PERFORM missing_reference('sla_breaches', 'manager_id', 'staff_users', NEW.manager_id);
  END IF;
  RETURN NEW;
END $$;

--
-- Name: sla_timers_references_exist(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.sla_timers_references_exist() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF NEW.unit_id IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.unit_id IS DISTINCT FROM OLD.unit_id) AND NOT EXISTS (SELECT 1 FROM units WHERE id = NEW.unit_id) THEN
    PERFORM missing_reference('sla_timers', 'unit_id', 'units', NEW.unit_id);
  END IF;
  RETURN NEW;
END $$;

--
-- Name: staff_notifications_references_exist(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.staff_notifications_references_exist() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
  IF NEW.user_id IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.user_id IS DISTINCT FROM OLD.user_id) AND NOT EXISTS (SELECT 1 FROM staff_users WHERE id = NEW.user_id) THEN
    PERFORM missing_reference('staff_notifications', 'user_id', 'staff_users', NEW.user_id);
  END IF;
  RETURN NEW;
END $$;

--
-- Name: unit_organisation(integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.unit_organisation(unit integer) RETURNS integer
    LANGUAGE sql STABLE
    AS $$
  SELECT a.id FROM units u JOIN units a ON a.id = ANY (string_to_array(trim(BOTH '/' FROM u.path), '/')::integer[])
  WHERE u.id = unit AND a.kind IN ('ministry', 'organisation')
  ORDER BY a.depth DESC LIMIT 1
$$;

--
-- Name: attachments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.attachments (
    id uuid NOT NULL,
    complaint_id uuid NOT NULL,
    kind text NOT NULL,
    mime text NOT NULL,
    size_bytes bigint NOT NULL,
    sha256 text NOT NULL,
    storage_key text NOT NULL,
    thumbnail_key text,
    width integer,
    height integer,
    source text NOT NULL,
    source_ref text,
    uploaded_by_kind text NOT NULL,
    uploaded_by_id integer,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT attachments_check CHECK (((uploaded_by_kind = 'staff'::text) = (uploaded_by_id IS NOT NULL))),
    CONSTRAINT attachments_check1 CHECK (((kind = 'image'::text) OR ((thumbnail_key IS NULL) AND (width IS NULL) AND (height IS NULL)))),
    CONSTRAINT attachments_check2 CHECK (((kind <> 'image'::text) OR (thumbnail_key IS NOT NULL))),
    CONSTRAINT attachments_height_check CHECK ((height > 0)),
    CONSTRAINT attachments_kind_check CHECK ((kind = ANY (ARRAY['image'::text, 'video'::text, 'voice'::text]))),
    CONSTRAINT attachments_mime_check CHECK ((mime ~ '^[a-z]+/[a-z0-9.+-]+$'::text)),
    CONSTRAINT attachments_sha256_check CHECK ((sha256 ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT attachments_size_bytes_check CHECK ((size_bytes > 0)),
    CONSTRAINT attachments_source_check CHECK ((source = ANY (ARRAY['web'::text, 'staff'::text, 'telegram'::text, 'bale'::text]))),
    CONSTRAINT attachments_uploaded_by_kind_check CHECK ((uploaded_by_kind = ANY (ARRAY['citizen'::text, 'staff'::text, 'system'::text]))),
    CONSTRAINT attachments_width_check CHECK ((width > 0))
);

--
-- Name: bot_sessions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.bot_sessions (
    key text NOT NULL,
    data jsonb NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: calendars; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.calendars (
    id integer NOT NULL,
    code text NOT NULL,
    name_fa text NOT NULL,
    timezone text DEFAULT 'Asia/Tehran'::text NOT NULL,
    week jsonb NOT NULL,
    CONSTRAINT calendars_code_check CHECK ((code ~ '^[a-z][a-z0-9_-]{1,40}$'::text))
);

--
-- Name: calendars_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.calendars_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: calendars_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.calendars_id_seq OWNED BY public.calendars.id;

--
-- Name: categories; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.categories (
    id integer NOT NULL,
    code text NOT NULL,
    name_fa text NOT NULL,
    name_en text NOT NULL,
    description_fa text DEFAULT ''::text NOT NULL,
    description_en text DEFAULT ''::text NOT NULL,
    indicator_id integer NOT NULL,
    urgent boolean NOT NULL,
    answer_hours integer NOT NULL,
    sort_order integer DEFAULT 0 NOT NULL,
    active boolean DEFAULT true NOT NULL,
    answer_needs_evidence boolean DEFAULT false NOT NULL,
    CONSTRAINT categories_answer_hours_check CHECK (((answer_hours >= 1) AND (answer_hours <= 8760))),
    CONSTRAINT categories_code_check CHECK ((code ~ '^[a-z][a-z0-9_]{1,40}$'::text))
);

--
-- Name: categories_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.categories_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: categories_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.categories_id_seq OWNED BY public.categories.id;

--
-- Name: chain_checkpoints; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.chain_checkpoints (
    day date NOT NULL,
    period_start timestamp with time zone,
    period_end timestamp with time zone NOT NULL,
    leaf_count integer NOT NULL,
    root text NOT NULL,
    prev text NOT NULL,
    key_id text NOT NULL,
    signature text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT chain_checkpoints_leaf_count_check CHECK ((leaf_count >= 0)),
    CONSTRAINT chain_checkpoints_prev_check CHECK ((prev ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT chain_checkpoints_root_check CHECK ((root ~ '^[0-9a-f]{64}$'::text))
);

--
-- Name: citizen_otps; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.citizen_otps (
    id bigint NOT NULL,
    complaint_id uuid NOT NULL,
    code_hash text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    consumed_at timestamp with time zone,
    device_hash text,
    address text,
    owner_budget boolean DEFAULT false NOT NULL
);

--
-- Name: citizen_otps_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.citizen_otps_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: citizen_otps_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.citizen_otps_id_seq OWNED BY public.citizen_otps.id;

--
-- Name: citizen_owner_devices; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.citizen_owner_devices (
    complaint_id uuid NOT NULL,
    device_hash text NOT NULL,
    verified_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: citizen_sessions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.citizen_sessions (
    token_hash text NOT NULL,
    complaint_id uuid NOT NULL,
    expires_at timestamp with time zone NOT NULL
);

--
-- Name: complainant_contacts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.complainant_contacts (
    complaint_id uuid NOT NULL,
    phone text NOT NULL,
    name text,
    national_id text,
    CONSTRAINT complainant_contacts_national_id_check CHECK ((national_id ~ '^[0-9]{10}$'::text)),
    CONSTRAINT complainant_contacts_phone_check CHECK ((phone ~ '^\+[1-9][0-9]{6,14}$'::text))
);

--
-- Name: complaint_appeals; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.complaint_appeals (
    complaint_id uuid NOT NULL,
    province_id integer,
    unit_id integer NOT NULL,
    reason text NOT NULL,
    appealed_at timestamp with time zone NOT NULL,
    due_at timestamp with time zone NOT NULL,
    decision text,
    decision_text text,
    decided_by integer,
    decided_at timestamp with time zone,
    CONSTRAINT complaint_appeals_check CHECK ((((decision IS NULL) = (decided_at IS NULL)) AND ((decision IS NULL) = (decision_text IS NULL)))),
    CONSTRAINT complaint_appeals_decision_check CHECK ((decision = ANY (ARRAY['upheld'::text, 'rejected'::text]))),
    CONSTRAINT complaint_appeals_decision_text_check CHECK (((decision_text IS NULL) OR ((length(decision_text) >= 3) AND (length(decision_text) <= 2000)))),
    CONSTRAINT complaint_appeals_reason_check CHECK (((length(reason) >= 3) AND (length(reason) <= 2000)))
);

--
-- Name: complaint_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.complaint_events (
    id bigint NOT NULL,
    complaint_id uuid NOT NULL,
    seq integer NOT NULL,
    type text NOT NULL,
    actor_kind text NOT NULL,
    actor_id integer,
    data jsonb NOT NULL,
    created_at timestamp with time zone NOT NULL,
    prev_hash text NOT NULL,
    hash text NOT NULL,
    key_id text,
    CONSTRAINT complaint_events_actor_kind_check CHECK ((actor_kind = ANY (ARRAY['citizen'::text, 'staff'::text, 'system'::text]))),
    CONSTRAINT complaint_events_check CHECK (((actor_kind = 'staff'::text) = (actor_id IS NOT NULL))),
    CONSTRAINT complaint_events_hash_check CHECK ((hash ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT complaint_events_key_id_check CHECK (((key_id IS NULL) OR (key_id ~ '^h[0-9a-f]{12}$'::text))),
    CONSTRAINT complaint_events_prev_hash_check CHECK ((prev_hash ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT complaint_events_seq_check CHECK ((seq >= 1))
);

--
-- Name: complaint_events_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.complaint_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: complaint_events_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.complaint_events_id_seq OWNED BY public.complaint_events.id;

--
-- Name: contact_read_counts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.contact_read_counts (
    complaint_id uuid NOT NULL,
    reader_id integer NOT NULL,
    hour timestamp with time zone NOT NULL,
    reads integer DEFAULT 0 NOT NULL
)
PARTITION BY RANGE (hour);

--
-- Name: contact_read_counts_default; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.contact_read_counts_default (
    complaint_id uuid NOT NULL,
    reader_id integer NOT NULL,
    hour timestamp with time zone NOT NULL,
    reads integer DEFAULT 0 NOT NULL
);

--
-- Name: counties; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.counties (
    id integer NOT NULL,
    province_id integer NOT NULL,
    code text NOT NULL,
    name_fa text NOT NULL,
    name_en text NOT NULL
);

--
-- Name: counties_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.counties_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: counties_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.counties_id_seq OWNED BY public.counties.id;

--
-- Name: enforcement_actions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.enforcement_actions (
    id integer NOT NULL,
    kind text NOT NULL,
    manager_id integer NOT NULL,
    unit_id integer NOT NULL,
    unit_path text NOT NULL,
    province_id integer,
    rule_id integer,
    period text NOT NULL,
    evidence jsonb NOT NULL,
    proposed_by integer,
    proposed_at timestamp with time zone NOT NULL,
    reply_due_at timestamp with time zone NOT NULL,
    reply text,
    replied_at timestamp with time zone,
    status text DEFAULT 'proposed'::text NOT NULL,
    decided_by integer,
    decided_at timestamp with time zone,
    decision_reason text,
    evidence_url text,
    appeal text,
    appealed_at timestamp with time zone,
    appeal_status text,
    appeal_decided_by integer,
    appeal_decided_at timestamp with time zone,
    appeal_reason text,
    CONSTRAINT enforcement_actions_appeal_status_check CHECK ((appeal_status = ANY (ARRAY['pending'::text, 'upheld'::text, 'overturned'::text]))),
    CONSTRAINT enforcement_actions_check CHECK (((reply IS NULL) = (replied_at IS NULL))),
    CONSTRAINT enforcement_actions_check1 CHECK (((status = 'proposed'::text) = (decided_at IS NULL))),
    CONSTRAINT enforcement_actions_check2 CHECK (((status = 'proposed'::text) OR ((decided_by IS NOT NULL) AND (decision_reason IS NOT NULL) AND (evidence_url IS NOT NULL)))),
    CONSTRAINT enforcement_actions_check3 CHECK ((((appeal IS NULL) = (appeal_status IS NULL)) AND ((appeal IS NULL) OR (status = 'confirmed'::text)))),
    CONSTRAINT enforcement_actions_check4 CHECK (((appeal_status = ANY (ARRAY['upheld'::text, 'overturned'::text])) = (appeal_decided_at IS NOT NULL))),
    CONSTRAINT enforcement_actions_kind_check CHECK ((kind = ANY (ARRAY['warning'::text, 'commendation'::text, 'dismissal'::text]))),
    CONSTRAINT enforcement_actions_period_check CHECK ((period ~ '^[0-9]{4}-[0-9]{2}$'::text)),
    CONSTRAINT enforcement_actions_status_check CHECK ((status = ANY (ARRAY['proposed'::text, 'confirmed'::text, 'dropped'::text])))
);

--
-- Name: enforcement_actions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.enforcement_actions_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: enforcement_actions_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.enforcement_actions_id_seq OWNED BY public.enforcement_actions.id;

--
-- Name: enforcement_rules; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.enforcement_rules (
    id integer NOT NULL,
    code text NOT NULL,
    action text NOT NULL,
    condition text NOT NULL,
    threshold numeric,
    periods integer DEFAULT 1 NOT NULL,
    min_complaints integer DEFAULT 10 NOT NULL,
    prior_warnings integer DEFAULT 0 NOT NULL,
    active boolean DEFAULT true NOT NULL,
    description_fa text DEFAULT ''::text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT enforcement_rules_action_check CHECK ((action = ANY (ARRAY['warning'::text, 'commendation'::text, 'dismissal'::text]))),
    CONSTRAINT enforcement_rules_check CHECK (((condition = 'top_decile'::text) OR (threshold IS NOT NULL))),
    CONSTRAINT enforcement_rules_code_check CHECK ((code ~ '^[a-z][a-z0-9_]{1,40}$'::text)),
    CONSTRAINT enforcement_rules_condition_check CHECK ((condition = ANY (ARRAY['above_for_periods'::text, 'top_decile'::text, 'severe_after_warnings'::text]))),
    CONSTRAINT enforcement_rules_min_complaints_check CHECK ((min_complaints >= 1)),
    CONSTRAINT enforcement_rules_periods_check CHECK (((periods >= 1) AND (periods <= 24))),
    CONSTRAINT enforcement_rules_prior_warnings_check CHECK ((prior_warnings >= 0)),
    CONSTRAINT enforcement_rules_threshold_check CHECK (((threshold IS NULL) OR ((threshold >= (0)::numeric) AND (threshold <= (1)::numeric))))
);

--
-- Name: enforcement_rules_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.enforcement_rules_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: enforcement_rules_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.enforcement_rules_id_seq OWNED BY public.enforcement_rules.id;

--
-- Name: enforcement_runs; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.enforcement_runs (
    id integer NOT NULL,
    period text NOT NULL,
    trigger text NOT NULL,
    requested_by integer,
    as_of timestamp with time zone NOT NULL,
    attempt integer DEFAULT 1 NOT NULL,
    status text DEFAULT 'running'::text NOT NULL,
    started_at timestamp with time zone NOT NULL,
    finished_at timestamp with time zone,
    created integer,
    error text,
    CONSTRAINT enforcement_runs_attempt_check CHECK ((attempt >= 1)),
    CONSTRAINT enforcement_runs_check CHECK (((trigger = 'manual'::text) = (requested_by IS NOT NULL))),
    CONSTRAINT enforcement_runs_check1 CHECK (((status = 'running'::text) = (finished_at IS NULL))),
    CONSTRAINT enforcement_runs_check2 CHECK (((status = 'done'::text) = (created IS NOT NULL))),
    CONSTRAINT enforcement_runs_check3 CHECK (((status = 'failed'::text) = (error IS NOT NULL))),
    CONSTRAINT enforcement_runs_created_check CHECK ((created >= 0)),
    CONSTRAINT enforcement_runs_error_check CHECK ((length(error) <= 2000)),
    CONSTRAINT enforcement_runs_period_check CHECK ((period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'::text)),
    CONSTRAINT enforcement_runs_status_check CHECK ((status = ANY (ARRAY['running'::text, 'done'::text, 'failed'::text]))),
    CONSTRAINT enforcement_runs_trigger_check CHECK ((trigger = ANY (ARRAY['schedule'::text, 'manual'::text])))
);

--
-- Name: enforcement_runs_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.enforcement_runs_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: enforcement_runs_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.enforcement_runs_id_seq OWNED BY public.enforcement_runs.id;

--
-- Name: follow_up_calls; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.follow_up_calls (
    id bigint NOT NULL,
    week_start date NOT NULL,
    complaint_id uuid NOT NULL,
    unit_id integer NOT NULL,
    outcome text,
    attempts integer,
    called_by integer,
    called_at timestamp with time zone,
    CONSTRAINT follow_up_calls_attempts_check CHECK (((attempts >= 1) AND (attempts <= 20))),
    CONSTRAINT follow_up_calls_check CHECK ((((outcome IS NULL) = (called_at IS NULL)) AND ((outcome IS NULL) = (called_by IS NULL)))),
    CONSTRAINT follow_up_calls_check1 CHECK (((outcome IS DISTINCT FROM 'not_reachable'::text) OR (attempts IS NOT NULL))),
    CONSTRAINT follow_up_calls_outcome_check CHECK ((outcome = ANY (ARRAY['reached_satisfied'::text, 'reached_not_satisfied'::text, 'not_reachable'::text])))
);

--
-- Name: follow_up_calls_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.follow_up_calls_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: follow_up_calls_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.follow_up_calls_id_seq OWNED BY public.follow_up_calls.id;

--
-- Name: follow_up_draws; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.follow_up_draws (
    week_start date NOT NULL,
    drawn_at timestamp with time zone DEFAULT now() NOT NULL,
    calls integer NOT NULL,
    CONSTRAINT follow_up_draws_calls_check CHECK ((calls >= 0))
);

--
-- Name: holidays; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.holidays (
    id integer NOT NULL,
    calendar_id integer,
    day date NOT NULL,
    jalali text NOT NULL,
    name_fa text NOT NULL,
    kind text DEFAULT 'solar'::text NOT NULL,
    CONSTRAINT holidays_jalali_check CHECK ((jalali ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'::text)),
    CONSTRAINT holidays_kind_check CHECK ((kind = ANY (ARRAY['solar'::text, 'lunar'::text, 'other'::text])))
);

--
-- Name: holidays_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.holidays_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: holidays_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.holidays_id_seq OWNED BY public.holidays.id;

--
-- Name: hotspot_alerts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.hotspot_alerts (
    id integer NOT NULL,
    dimension text NOT NULL,
    subject_key text NOT NULL,
    unit_id integer,
    unit_path text,
    province_id integer,
    category_id integer,
    named_employee text,
    window_count integer NOT NULL,
    expected double precision NOT NULL,
    p_value double precision NOT NULL,
    opened_at timestamp with time zone NOT NULL,
    last_seen_at timestamp with time zone NOT NULL,
    peak_count integer NOT NULL,
    closed_at timestamp with time zone,
    verified_count integer DEFAULT 0 NOT NULL,
    CONSTRAINT hotspot_alerts_dimension_check CHECK ((dimension = ANY (ARRAY['unit'::text, 'category'::text, 'employee'::text])))
);

--
-- Name: hotspot_alerts_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.hotspot_alerts_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: hotspot_alerts_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.hotspot_alerts_id_seq OWNED BY public.hotspot_alerts.id;

--
-- Name: hotspot_settings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.hotspot_settings (
    dimension text NOT NULL,
    window_minutes integer NOT NULL,
    baseline_hours integer NOT NULL,
    min_count integer NOT NULL,
    max_p_value double precision NOT NULL,
    min_expected double precision NOT NULL,
    active boolean DEFAULT true NOT NULL,
    CONSTRAINT hotspot_settings_baseline_hours_check CHECK (((baseline_hours >= 1) AND (baseline_hours <= 2160))),
    CONSTRAINT hotspot_settings_dimension_check CHECK ((dimension = ANY (ARRAY['unit'::text, 'category'::text, 'employee'::text]))),
    CONSTRAINT hotspot_settings_max_p_value_check CHECK (((max_p_value > (0)::double precision) AND (max_p_value < (1)::double precision))),
    CONSTRAINT hotspot_settings_min_count_check CHECK ((min_count >= 1)),
    CONSTRAINT hotspot_settings_min_expected_check CHECK ((min_expected > (0)::double precision)),
    CONSTRAINT hotspot_settings_window_minutes_check CHECK (((window_minutes >= 5) AND (window_minutes <= 1440)))
);

--
-- Name: incident_links; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.incident_links (
    id integer NOT NULL,
    incident_id integer NOT NULL,
    complaint_id uuid NOT NULL,
    how text NOT NULL,
    linked_by integer,
    linked_at timestamp with time zone NOT NULL,
    ended_at timestamp with time zone,
    ended_how text,
    ended_by integer,
    CONSTRAINT incident_links_check CHECK (((how = 'arrival'::text) = (linked_by IS NULL))),
    CONSTRAINT incident_links_check1 CHECK (((ended_at IS NULL) = (ended_how IS NULL))),
    CONSTRAINT incident_links_check2 CHECK (((ended_at IS NULL) OR (ended_at >= linked_at))),
    CONSTRAINT incident_links_ended_how_check CHECK ((ended_how = ANY (ARRAY['unlinked'::text, 'closed'::text]))),
    CONSTRAINT incident_links_how_check CHECK ((how = ANY (ARRAY['opened'::text, 'arrival'::text])))
);

--
-- Name: incident_links_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.incident_links_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: incident_links_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.incident_links_id_seq OWNED BY public.incident_links.id;

--
-- Name: incidents; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.incidents (
    id integer NOT NULL,
    organisation_id integer NOT NULL,
    title_fa text NOT NULL,
    public_status text DEFAULT 'handling'::text NOT NULL,
    scope_unit_path text,
    scope_province_id integer,
    opened_by integer NOT NULL,
    opened_at timestamp with time zone NOT NULL,
    checked_until timestamp with time zone NOT NULL,
    answer text,
    closed_by integer,
    closed_at timestamp with time zone,
    CONSTRAINT incidents_answer_check CHECK (((answer IS NULL) OR (char_length(btrim(answer)) >= 10))),
    CONSTRAINT incidents_check CHECK ((((closed_at IS NULL) = (closed_by IS NULL)) AND ((closed_at IS NULL) = (answer IS NULL)))),
    CONSTRAINT incidents_check1 CHECK (((closed_at IS NULL) = (public_status <> 'resolved'::text))),
    CONSTRAINT incidents_check2 CHECK (((closed_at IS NULL) OR (closed_at >= opened_at))),
    CONSTRAINT incidents_public_status_check CHECK ((public_status = ANY (ARRAY['investigating'::text, 'handling'::text, 'resolved'::text]))),
    CONSTRAINT incidents_scope_unit_path_check CHECK (((scope_unit_path IS NULL) OR (scope_unit_path ~ '^/([0-9]+/)+$'::text))),
    CONSTRAINT incidents_title_fa_check CHECK (((char_length(btrim(title_fa)) >= 5) AND (char_length(btrim(title_fa)) <= 200)))
);

--
-- Name: incidents_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.incidents_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: incidents_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.incidents_id_seq OWNED BY public.incidents.id;

--
-- Name: inspection_complaints; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.inspection_complaints (
    inspection_id integer NOT NULL,
    complaint_id uuid NOT NULL
);

--
-- Name: inspection_findings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.inspection_findings (
    inspection_id integer NOT NULL,
    indicator_id integer NOT NULL,
    score integer NOT NULL,
    notes text DEFAULT ''::text NOT NULL,
    CONSTRAINT inspection_findings_score_check CHECK (((score >= 0) AND (score <= 100)))
);

--
-- Name: inspection_photos; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.inspection_photos (
    id integer NOT NULL,
    inspection_id integer NOT NULL,
    storage_key text NOT NULL,
    media_type text NOT NULL,
    bytes integer NOT NULL,
    sha256 text NOT NULL,
    uploaded_by integer NOT NULL,
    uploaded_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT inspection_photos_bytes_check CHECK ((bytes > 0)),
    CONSTRAINT inspection_photos_media_type_check CHECK ((media_type = ANY (ARRAY['image/jpeg'::text, 'image/png'::text, 'image/webp'::text, 'image/heic'::text]))),
    CONSTRAINT inspection_photos_sha256_check CHECK ((sha256 ~ '^[0-9a-f]{64}$'::text))
);

--
-- Name: inspection_photos_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.inspection_photos_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: inspection_photos_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.inspection_photos_id_seq OWNED BY public.inspection_photos.id;

--
-- Name: inspections; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.inspections (
    id integer NOT NULL,
    unit_id integer NOT NULL,
    unit_path text NOT NULL,
    province_id integer,
    inspector_id integer NOT NULL,
    dispatched_by integer NOT NULL,
    dispatched_at timestamp with time zone DEFAULT now() NOT NULL,
    reason text NOT NULL,
    random_seed text,
    candidates integer,
    note text,
    status text DEFAULT 'dispatched'::text NOT NULL,
    visited_at timestamp with time zone,
    filed_at timestamp with time zone,
    summary text,
    CONSTRAINT inspections_check CHECK (((reason = 'random'::text) = (random_seed IS NOT NULL))),
    CONSTRAINT inspections_check1 CHECK (((status = 'filed'::text) = (filed_at IS NOT NULL))),
    CONSTRAINT inspections_reason_check CHECK ((reason = ANY (ARRAY['cluster'::text, 'random'::text]))),
    CONSTRAINT inspections_status_check CHECK ((status = ANY (ARRAY['dispatched'::text, 'filed'::text])))
);

--
-- Name: inspections_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.inspections_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: inspections_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.inspections_id_seq OWNED BY public.inspections.id;

--
-- Name: jalali_months; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.jalali_months (
    month_key integer NOT NULL,
    starts_at timestamp with time zone NOT NULL,
    ends_at timestamp with time zone NOT NULL,
    days integer NOT NULL,
    CONSTRAINT jalali_months_check CHECK ((ends_at > starts_at)),
    CONSTRAINT jalali_months_days_check CHECK (((days >= 29) AND (days <= 31))),
    CONSTRAINT jalali_months_month_key_check CHECK ((((month_key % 100) >= 1) AND ((month_key % 100) <= 12)))
);

--
-- Name: login_attempts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.login_attempts (
    username text NOT NULL,
    address text NOT NULL,
    ok boolean NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: open311_clients; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.open311_clients (
    id integer NOT NULL,
    name text NOT NULL,
    api_key_hash text NOT NULL,
    active boolean DEFAULT true NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: open311_clients_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.open311_clients_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: open311_clients_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.open311_clients_id_seq OWNED BY public.open311_clients.id;

--
-- Name: otp_wrong_guesses; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.otp_wrong_guesses (
    otp_id bigint NOT NULL,
    complaint_id uuid NOT NULL,
    address text NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: outbox; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.outbox (
    id bigint NOT NULL,
    complaint_id uuid,
    event_seq integer,
    template text NOT NULL,
    channel text NOT NULL,
    recipient_user_id integer,
    recipient_address text,
    language text DEFAULT 'fa'::text NOT NULL,
    body text NOT NULL,
    sms_parts integer,
    delivery_key text NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    next_attempt_at timestamp with time zone DEFAULT now() NOT NULL,
    claimed_until timestamp with time zone,
    last_error text,
    provider_message_id text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    sent_at timestamp with time zone,
    delivery_state text,
    delivery_reported_at timestamp with time zone,
    CONSTRAINT outbox_channel_check1 CHECK ((channel = ANY (ARRAY['sms'::text, 'web'::text, 'telegram'::text, 'bale'::text]))),
    CONSTRAINT outbox_check1 CHECK (((recipient_user_id IS NOT NULL) OR (recipient_address IS NOT NULL))),
    CONSTRAINT outbox_language_check1 CHECK ((language = ANY (ARRAY['fa'::text, 'en'::text]))),
    CONSTRAINT outbox_status_check1 CHECK ((status = ANY (ARRAY['pending'::text, 'sending'::text, 'sent'::text, 'dead'::text])))
)
PARTITION BY RANGE (created_at);

--
-- Name: outbox_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.outbox_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: outbox_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.outbox_id_seq OWNED BY public.outbox.id;

--
-- Name: outbox_default; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.outbox_default (
    id bigint DEFAULT nextval('public.outbox_id_seq'::regclass) NOT NULL,
    complaint_id uuid,
    event_seq integer,
    template text NOT NULL,
    channel text NOT NULL,
    recipient_user_id integer,
    recipient_address text,
    language text DEFAULT 'fa'::text NOT NULL,
    body text NOT NULL,
    sms_parts integer,
    delivery_key text NOT NULL,
    status text DEFAULT 'pending'::text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    next_attempt_at timestamp with time zone DEFAULT now() NOT NULL,
    claimed_until timestamp with time zone,
    last_error text,
    provider_message_id text,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    sent_at timestamp with time zone,
    delivery_state text,
    delivery_reported_at timestamp with time zone,
    CONSTRAINT outbox_channel_check1 CHECK ((channel = ANY (ARRAY['sms'::text, 'web'::text, 'telegram'::text, 'bale'::text]))),
    CONSTRAINT outbox_check1 CHECK (((recipient_user_id IS NOT NULL) OR (recipient_address IS NOT NULL))),
    CONSTRAINT outbox_language_check1 CHECK ((language = ANY (ARRAY['fa'::text, 'en'::text]))),
    CONSTRAINT outbox_status_check1 CHECK ((status = ANY (ARRAY['pending'::text, 'sending'::text, 'sent'::text, 'dead'::text])))
);

--
-- Name: provinces; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.provinces (
    id integer NOT NULL,
    code text NOT NULL,
    name_fa text NOT NULL,
    name_en text NOT NULL,
    population integer,
    CONSTRAINT provinces_population_check CHECK (((population IS NULL) OR (population > 0)))
);

--
-- Name: provinces_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.provinces_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: provinces_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.provinces_id_seq OWNED BY public.provinces.id;

--
-- Name: quality_indicators; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.quality_indicators (
    id integer NOT NULL,
    code text NOT NULL,
    pillar text NOT NULL,
    name_fa text NOT NULL,
    name_en text NOT NULL,
    sort_order integer DEFAULT 0 NOT NULL,
    active boolean DEFAULT true NOT NULL,
    weight numeric DEFAULT 1 NOT NULL,
    CONSTRAINT quality_indicators_code_check CHECK ((code ~ '^[a-z][a-z0-9_]{1,40}$'::text)),
    CONSTRAINT quality_indicators_pillar_check CHECK ((pillar = ANY (ARRAY['ease'::text, 'continuity'::text, 'dignity'::text]))),
    CONSTRAINT quality_indicators_weight_check CHECK (((weight >= (0)::numeric) AND (weight <= (100)::numeric)))
);

--
-- Name: quality_indicators_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.quality_indicators_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: quality_indicators_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.quality_indicators_id_seq OWNED BY public.quality_indicators.id;

--
-- Name: report_area_rollups; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.report_area_rollups (
    month_key integer NOT NULL,
    agency_id integer NOT NULL,
    province_id integer NOT NULL,
    received integer DEFAULT 0 NOT NULL,
    open integer DEFAULT 0 NOT NULL,
    answered integer DEFAULT 0 NOT NULL,
    answered_in_sla integer DEFAULT 0 NOT NULL,
    rejected integer DEFAULT 0 NOT NULL,
    first_actioned integer DEFAULT 0 NOT NULL,
    breaches integer DEFAULT 0 NOT NULL,
    breached integer DEFAULT 0 NOT NULL,
    escalations integer DEFAULT 0 NOT NULL,
    escalated integer DEFAULT 0 NOT NULL,
    reopened integer DEFAULT 0 NOT NULL,
    rated integer DEFAULT 0 NOT NULL,
    satisfied integer DEFAULT 0 NOT NULL,
    dissatisfied integer DEFAULT 0 NOT NULL,
    no_rating integer DEFAULT 0 NOT NULL,
    hist_first_action integer[] DEFAULT array_fill(0, ARRAY[80]) NOT NULL,
    hist_answer integer[] DEFAULT array_fill(0, ARRAY[80]) NOT NULL,
    verified_phone integer DEFAULT 0 NOT NULL
);

--
-- Name: report_card_versions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.report_card_versions (
    id bigint NOT NULL,
    period_kind text NOT NULL,
    period_key text NOT NULL,
    audience text NOT NULL,
    version integer NOT NULL,
    content jsonb NOT NULL,
    note text DEFAULT ''::text NOT NULL,
    published_at timestamp with time zone NOT NULL,
    published_by integer NOT NULL,
    superseded_at timestamp with time zone,
    CONSTRAINT report_card_versions_audience_check CHECK ((audience = ANY (ARRAY['public'::text, 'official'::text]))),
    CONSTRAINT report_card_versions_check CHECK (((version = 1) OR (note <> ''::text))),
    CONSTRAINT report_card_versions_period_key_check CHECK ((period_key ~ '^[0-9]{4}(-([0-9]{2}|Q[1-4]))?$'::text)),
    CONSTRAINT report_card_versions_period_kind_check CHECK ((period_kind = ANY (ARRAY['month'::text, 'quarter'::text, 'year'::text]))),
    CONSTRAINT report_card_versions_version_check CHECK ((version >= 1))
);

--
-- Name: report_card_versions_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.report_card_versions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: report_card_versions_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.report_card_versions_id_seq OWNED BY public.report_card_versions.id;

--
-- Name: report_indicator_rollups; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.report_indicator_rollups (
    month_key integer NOT NULL,
    agency_id integer NOT NULL,
    province_id integer NOT NULL,
    indicator_id integer NOT NULL,
    received integer DEFAULT 0 NOT NULL,
    answered_in_sla integer DEFAULT 0 NOT NULL,
    rated integer DEFAULT 0 NOT NULL,
    satisfied integer DEFAULT 0 NOT NULL,
    dissatisfied integer DEFAULT 0 NOT NULL,
    no_rating integer DEFAULT 0 NOT NULL
);

--
-- Name: report_rollup_deltas; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.report_rollup_deltas (
    id bigint NOT NULL,
    month_key integer NOT NULL,
    unit_id integer NOT NULL,
    manager_id integer NOT NULL,
    agency_id integer NOT NULL,
    province_id integer NOT NULL,
    indicator_id integer NOT NULL,
    sign smallint NOT NULL,
    open smallint NOT NULL,
    answered smallint NOT NULL,
    answered_in_sla smallint NOT NULL,
    rejected smallint NOT NULL,
    first_actioned smallint NOT NULL,
    breaches integer NOT NULL,
    breached smallint NOT NULL,
    escalations integer NOT NULL,
    escalated smallint NOT NULL,
    reopened smallint NOT NULL,
    rated smallint NOT NULL,
    satisfied smallint NOT NULL,
    dissatisfied smallint NOT NULL,
    no_rating smallint NOT NULL,
    fa_bucket smallint,
    an_bucket smallint,
    verified_phone smallint DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT report_rollup_deltas_sign_check1 CHECK ((sign = ANY (ARRAY['-1'::integer, 1])))
)
PARTITION BY RANGE (created_at);

--
-- Name: report_rollup_deltas_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.report_rollup_deltas_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: report_rollup_deltas_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.report_rollup_deltas_id_seq OWNED BY public.report_rollup_deltas.id;

--
-- Name: report_rollup_deltas_default; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.report_rollup_deltas_default (
    id bigint DEFAULT nextval('public.report_rollup_deltas_id_seq'::regclass) NOT NULL,
    month_key integer NOT NULL,
    unit_id integer NOT NULL,
    manager_id integer NOT NULL,
    agency_id integer NOT NULL,
    province_id integer NOT NULL,
    indicator_id integer NOT NULL,
    sign smallint NOT NULL,
    open smallint NOT NULL,
    answered smallint NOT NULL,
    answered_in_sla smallint NOT NULL,
    rejected smallint NOT NULL,
    first_actioned smallint NOT NULL,
    breaches integer NOT NULL,
    breached smallint NOT NULL,
    escalations integer NOT NULL,
    escalated smallint NOT NULL,
    reopened smallint NOT NULL,
    rated smallint NOT NULL,
    satisfied smallint NOT NULL,
    dissatisfied smallint NOT NULL,
    no_rating smallint NOT NULL,
    fa_bucket smallint,
    an_bucket smallint,
    verified_phone smallint DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT report_rollup_deltas_sign_check1 CHECK ((sign = ANY (ARRAY['-1'::integer, 1])))
);

--
-- Name: report_rollups; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.report_rollups (
    month_key integer NOT NULL,
    unit_id integer NOT NULL,
    manager_id integer NOT NULL,
    agency_id integer NOT NULL,
    province_id integer NOT NULL,
    received integer DEFAULT 0 NOT NULL,
    open integer DEFAULT 0 NOT NULL,
    answered integer DEFAULT 0 NOT NULL,
    answered_in_sla integer DEFAULT 0 NOT NULL,
    rejected integer DEFAULT 0 NOT NULL,
    first_actioned integer DEFAULT 0 NOT NULL,
    breaches integer DEFAULT 0 NOT NULL,
    breached integer DEFAULT 0 NOT NULL,
    escalations integer DEFAULT 0 NOT NULL,
    escalated integer DEFAULT 0 NOT NULL,
    reopened integer DEFAULT 0 NOT NULL,
    rated integer DEFAULT 0 NOT NULL,
    satisfied integer DEFAULT 0 NOT NULL,
    dissatisfied integer DEFAULT 0 NOT NULL,
    no_rating integer DEFAULT 0 NOT NULL,
    hist_first_action integer[] DEFAULT array_fill(0, ARRAY[80]) NOT NULL,
    hist_answer integer[] DEFAULT array_fill(0, ARRAY[80]) NOT NULL,
    verified_phone integer DEFAULT 0 NOT NULL
);

--
-- Name: schema_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_migrations (
    name text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: service_volumes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.service_volumes (
    unit_id integer NOT NULL,
    month_key integer NOT NULL,
    services integer NOT NULL,
    source text DEFAULT ''::text NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT service_volumes_services_check CHECK ((services >= 0))
);

--
-- Name: services; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.services (
    id integer NOT NULL,
    agency_id integer NOT NULL,
    code text NOT NULL,
    name_fa text NOT NULL,
    name_en text DEFAULT ''::text NOT NULL,
    active boolean DEFAULT true NOT NULL
);

--
-- Name: services_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.services_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: services_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.services_id_seq OWNED BY public.services.id;

--
-- Name: sla_breaches; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.sla_breaches (
    id bigint NOT NULL,
    complaint_id uuid NOT NULL,
    unit_id integer NOT NULL,
    manager_id integer,
    kind text NOT NULL,
    due_at timestamp with time zone NOT NULL,
    breached_at timestamp with time zone NOT NULL,
    escalated_to integer,
    CONSTRAINT sla_breaches_kind_check CHECK ((kind = ANY (ARRAY['first_action'::text, 'answer'::text])))
);

--
-- Name: sla_breaches_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.sla_breaches_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: sla_breaches_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.sla_breaches_id_seq OWNED BY public.sla_breaches.id;

--
-- Name: sla_policies; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.sla_policies (
    id integer NOT NULL,
    category_id integer,
    agency_id integer,
    version integer NOT NULL,
    clock text NOT NULL,
    first_action_minutes integer NOT NULL,
    answer_minutes integer NOT NULL,
    warn_fractions numeric[] DEFAULT '{0.5,0.8}'::numeric[] NOT NULL,
    satisfaction_hours integer DEFAULT 72 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    created_by integer,
    superseded_at timestamp with time zone,
    appeal_minutes integer DEFAULT 4800 NOT NULL,
    CONSTRAINT sla_policies_answer_minutes_check CHECK ((answer_minutes > 0)),
    CONSTRAINT sla_policies_appeal_minutes_check CHECK ((appeal_minutes > 0)),
    CONSTRAINT sla_policies_check CHECK ((first_action_minutes <= answer_minutes)),
    CONSTRAINT sla_policies_clock_check CHECK ((clock = ANY (ARRAY['24x7'::text, 'business'::text]))),
    CONSTRAINT sla_policies_first_action_minutes_check CHECK ((first_action_minutes > 0)),
    CONSTRAINT sla_policies_satisfaction_hours_check CHECK ((satisfaction_hours > 0)),
    CONSTRAINT sla_policies_version_check CHECK ((version >= 1))
);

--
-- Name: sla_policies_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.sla_policies_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: sla_policies_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.sla_policies_id_seq OWNED BY public.sla_policies.id;

--
-- Name: sla_timers; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.sla_timers (
    id bigint NOT NULL,
    complaint_id uuid NOT NULL,
    kind text NOT NULL,
    stage text NOT NULL,
    fraction numeric NOT NULL,
    fire_at timestamp with time zone NOT NULL,
    due_at timestamp with time zone NOT NULL,
    unit_id integer,
    claimed_until timestamp with time zone,
    fired_at timestamp with time zone,
    later jsonb DEFAULT '[]'::jsonb NOT NULL,
    CONSTRAINT sla_timers_fraction_check CHECK (((fraction > (0)::numeric) AND (fraction <= (1)::numeric))),
    CONSTRAINT sla_timers_kind_check CHECK ((kind = ANY (ARRAY['first_action'::text, 'answer'::text, 'satisfaction'::text, 'appeal'::text]))),
    CONSTRAINT sla_timers_stage_check CHECK ((stage = ANY (ARRAY['warning'::text, 'breach'::text, 'expiry'::text])))
);

--
-- Name: sla_timers_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.sla_timers_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: sla_timers_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.sla_timers_id_seq OWNED BY public.sla_timers.id;

--
-- Name: sms_inbound_parts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.sms_inbound_parts (
    set_key text NOT NULL,
    seq integer NOT NULL,
    total integer NOT NULL,
    source text NOT NULL,
    ref text NOT NULL,
    text text NOT NULL,
    received_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT sms_inbound_parts_seq_check CHECK ((seq >= 1)),
    CONSTRAINT sms_inbound_parts_total_check CHECK (((total >= 1) AND (total <= 255)))
);

--
-- Name: staff_alert_settings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.staff_alert_settings (
    user_id integer NOT NULL,
    channel text DEFAULT 'web'::text NOT NULL,
    address text,
    quiet_start_minute integer,
    quiet_end_minute integer,
    urgent_overrides boolean DEFAULT true NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT staff_alert_settings_address_check CHECK (((address IS NULL) OR ((length(address) >= 3) AND (length(address) <= 64)))),
    CONSTRAINT staff_alert_settings_channel_check CHECK ((channel = ANY (ARRAY['web'::text, 'sms'::text, 'telegram'::text, 'bale'::text]))),
    CONSTRAINT staff_alert_settings_check CHECK (((channel = 'web'::text) OR (address IS NOT NULL))),
    CONSTRAINT staff_alert_settings_check1 CHECK (((quiet_start_minute IS NULL) = (quiet_end_minute IS NULL))),
    CONSTRAINT staff_alert_settings_check2 CHECK (((quiet_start_minute IS NULL) OR (quiet_start_minute <> quiet_end_minute))),
    CONSTRAINT staff_alert_settings_quiet_end_minute_check CHECK (((quiet_end_minute >= 0) AND (quiet_end_minute <= 1439))),
    CONSTRAINT staff_alert_settings_quiet_start_minute_check CHECK (((quiet_start_minute >= 0) AND (quiet_start_minute <= 1439)))
);

--
-- Name: staff_chat_link_codes; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.staff_chat_link_codes (
    user_id integer NOT NULL,
    code_hash text NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT staff_chat_link_codes_check CHECK ((expires_at > created_at))
);

--
-- Name: staff_notifications; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.staff_notifications (
    id bigint NOT NULL,
    user_id integer NOT NULL,
    complaint_id uuid,
    template text NOT NULL,
    body text NOT NULL,
    delivery_key text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    read_at timestamp with time zone
);

--
-- Name: staff_notifications_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.staff_notifications_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: staff_notifications_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.staff_notifications_id_seq OWNED BY public.staff_notifications.id;

--
-- Name: staff_sessions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.staff_sessions (
    token_hash text NOT NULL,
    user_id integer NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL
);

--
-- Name: staff_users; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.staff_users (
    id integer NOT NULL,
    username text NOT NULL,
    display_name text NOT NULL,
    password_hash text NOT NULL,
    totp_secret text,
    totp_enabled boolean DEFAULT false NOT NULL,
    role text NOT NULL,
    unit_id integer,
    province_id integer,
    language text DEFAULT 'fa'::text NOT NULL,
    active boolean DEFAULT true NOT NULL,
    failed_logins integer DEFAULT 0 NOT NULL,
    locked_until timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    totp_pending_secret text,
    totp_last_step bigint,
    CONSTRAINT staff_users_check CHECK (((role <> ALL (ARRAY['inspection_head'::text, 'leader_senior'::text, 'leader_middle'::text, 'leader_county'::text, 'responder'::text])) OR (unit_id IS NOT NULL))),
    CONSTRAINT staff_users_check1 CHECK (((role <> 'provincial_supervisor'::text) OR ((province_id IS NOT NULL) AND (unit_id IS NULL)))),
    CONSTRAINT staff_users_check2 CHECK (((role <> 'national_admin'::text) OR ((province_id IS NULL) AND (unit_id IS NULL)))),
    CONSTRAINT staff_users_language_check CHECK ((language = ANY (ARRAY['fa'::text, 'en'::text]))),
    CONSTRAINT staff_users_role_check CHECK ((role = ANY (ARRAY['national_admin'::text, 'provincial_supervisor'::text, 'inspection_head'::text, 'leader_senior'::text, 'leader_middle'::text, 'leader_county'::text, 'responder'::text, 'operator'::text, 'auditor'::text]))),
    CONSTRAINT staff_users_username_check CHECK ((username ~ '^[a-z0-9][a-z0-9._-]{2,63}$'::text))
);

--
-- Name: staff_users_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.staff_users_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: staff_users_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.staff_users_id_seq OWNED BY public.staff_users.id;

--
-- Name: units; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.units (
    id integer NOT NULL,
    code text NOT NULL,
    parent_id integer,
    kind text NOT NULL,
    name_fa text NOT NULL,
    name_en text DEFAULT ''::text NOT NULL,
    name_search text NOT NULL,
    province_id integer,
    county_id integer,
    path text NOT NULL,
    depth integer NOT NULL,
    active boolean DEFAULT true NOT NULL,
    inspection_head_id integer,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    calendar_id integer,
    search_key text GENERATED ALWAYS AS (public.agency_search_key(((name_fa || ' '::text) || name_en))) STORED,
    CONSTRAINT units_check CHECK (((kind = ANY (ARRAY['ministry'::text, 'organisation'::text])) = (province_id IS NULL))),
    CONSTRAINT units_check1 CHECK (((kind = 'county_office'::text) = (county_id IS NOT NULL))),
    CONSTRAINT units_check2 CHECK (((kind <> 'ministry'::text) OR (parent_id IS NULL))),
    CONSTRAINT units_check3 CHECK (((kind = ANY (ARRAY['ministry'::text, 'organisation'::text])) OR (parent_id IS NOT NULL))),
    CONSTRAINT units_code_check CHECK ((code ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'::text)),
    CONSTRAINT units_depth_check CHECK ((depth >= 1)),
    CONSTRAINT units_kind_check CHECK ((kind = ANY (ARRAY['ministry'::text, 'organisation'::text, 'provincial_directorate'::text, 'county_office'::text]))),
    CONSTRAINT units_name_fa_check CHECK (((length(name_fa) >= 2) AND (length(name_fa) <= 200)))
);

--
-- Name: units_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.units_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: units_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.units_id_seq OWNED BY public.units.id;

--
-- Name: contact_read_counts_default; Type: TABLE ATTACH; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contact_read_counts ATTACH PARTITION public.contact_read_counts_default DEFAULT;

--
-- Name: outbox_default; Type: TABLE ATTACH; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox ATTACH PARTITION public.outbox_default DEFAULT;

--
-- Name: report_rollup_deltas_default; Type: TABLE ATTACH; Schema: public; Owner: -
--

ALTER TABLE ONLY public.report_rollup_deltas ATTACH PARTITION public.report_rollup_deltas_default DEFAULT;

--
-- Name: calendars id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.calendars ALTER COLUMN id SET DEFAULT nextval('public.calendars_id_seq'::regclass);

--
-- Name: categories id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.categories ALTER COLUMN id SET DEFAULT nextval('public.categories_id_seq'::regclass);

--
-- Name: citizen_otps id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.citizen_otps ALTER COLUMN id SET DEFAULT nextval('public.citizen_otps_id_seq'::regclass);

--
-- Name: complaint_events id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complaint_events ALTER COLUMN id SET DEFAULT nextval('public.complaint_events_id_seq'::regclass);

--
-- Name: counties id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.counties ALTER COLUMN id SET DEFAULT nextval('public.counties_id_seq'::regclass);

--
-- Name: enforcement_actions id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.enforcement_actions ALTER COLUMN id SET DEFAULT nextval('public.enforcement_actions_id_seq'::regclass);

--
-- Name: enforcement_rules id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.enforcement_rules ALTER COLUMN id SET DEFAULT nextval('public.enforcement_rules_id_seq'::regclass);

--
-- Name: enforcement_runs id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.enforcement_runs ALTER COLUMN id SET DEFAULT nextval('public.enforcement_runs_id_seq'::regclass);

--
-- Name: follow_up_calls id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.follow_up_calls ALTER COLUMN id SET DEFAULT nextval('public.follow_up_calls_id_seq'::regclass);

--
-- Name: holidays id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.holidays ALTER COLUMN id SET DEFAULT nextval('public.holidays_id_seq'::regclass);

--
-- Name: hotspot_alerts id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hotspot_alerts ALTER COLUMN id SET DEFAULT nextval('public.hotspot_alerts_id_seq'::regclass);

--
-- Name: incident_links id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.incident_links ALTER COLUMN id SET DEFAULT nextval('public.incident_links_id_seq'::regclass);

--
-- Name: incidents id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.incidents ALTER COLUMN id SET DEFAULT nextval('public.incidents_id_seq'::regclass);

--
-- Name: inspection_photos id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.inspection_photos ALTER COLUMN id SET DEFAULT nextval('public.inspection_photos_id_seq'::regclass);

--
-- Name: inspections id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.inspections ALTER COLUMN id SET DEFAULT nextval('public.inspections_id_seq'::regclass);

--
-- Name: open311_clients id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.open311_clients ALTER COLUMN id SET DEFAULT nextval('public.open311_clients_id_seq'::regclass);

--
-- Name: outbox id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox ALTER COLUMN id SET DEFAULT nextval('public.outbox_id_seq'::regclass);

--
-- Name: provinces id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.provinces ALTER COLUMN id SET DEFAULT nextval('public.provinces_id_seq'::regclass);

--
-- Name: quality_indicators id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.quality_indicators ALTER COLUMN id SET DEFAULT nextval('public.quality_indicators_id_seq'::regclass);

--
-- Name: report_card_versions id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.report_card_versions ALTER COLUMN id SET DEFAULT nextval('public.report_card_versions_id_seq'::regclass);

--
-- Name: report_rollup_deltas id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.report_rollup_deltas ALTER COLUMN id SET DEFAULT nextval('public.report_rollup_deltas_id_seq'::regclass);

--
-- Name: services id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.services ALTER COLUMN id SET DEFAULT nextval('public.services_id_seq'::regclass);

--
-- Name: sla_breaches id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sla_breaches ALTER COLUMN id SET DEFAULT nextval('public.sla_breaches_id_seq'::regclass);

--
-- Name: sla_policies id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sla_policies ALTER COLUMN id SET DEFAULT nextval('public.sla_policies_id_seq'::regclass);

--
-- Name: sla_timers id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sla_timers ALTER COLUMN id SET DEFAULT nextval('public.sla_timers_id_seq'::regclass);

--
-- Name: staff_notifications id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff_notifications ALTER COLUMN id SET DEFAULT nextval('public.staff_notifications_id_seq'::regclass);

--
-- Name: staff_users id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff_users ALTER COLUMN id SET DEFAULT nextval('public.staff_users_id_seq'::regclass);

--
-- Name: units id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.units ALTER COLUMN id SET DEFAULT nextval('public.units_id_seq'::regclass);

--
-- Name: attachments attachments_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.attachments
    ADD CONSTRAINT attachments_pkey PRIMARY KEY (id);

--
-- Name: attachments attachments_storage_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.attachments
    ADD CONSTRAINT attachments_storage_key_key UNIQUE (storage_key);

--
-- Name: attachments attachments_thumbnail_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.attachments
    ADD CONSTRAINT attachments_thumbnail_key_key UNIQUE (thumbnail_key);

--
-- Name: bot_sessions bot_sessions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.bot_sessions
    ADD CONSTRAINT bot_sessions_pkey PRIMARY KEY (key);

--
-- Name: calendars calendars_code_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.calendars
    ADD CONSTRAINT calendars_code_key UNIQUE (code);

--
-- Name: calendars calendars_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.calendars
    ADD CONSTRAINT calendars_pkey PRIMARY KEY (id);

--
-- Name: categories categories_code_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.categories
    ADD CONSTRAINT categories_code_key UNIQUE (code);

--
-- Name: categories categories_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.categories
    ADD CONSTRAINT categories_pkey PRIMARY KEY (id);

--
-- Name: chain_checkpoints chain_checkpoints_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.chain_checkpoints
    ADD CONSTRAINT chain_checkpoints_pkey PRIMARY KEY (day);

--
-- Name: citizen_otps citizen_otps_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.citizen_otps
    ADD CONSTRAINT citizen_otps_pkey PRIMARY KEY (id);

--
-- Name: citizen_owner_devices citizen_owner_devices_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.citizen_owner_devices
    ADD CONSTRAINT citizen_owner_devices_pkey PRIMARY KEY (complaint_id, device_hash);

--
-- Name: citizen_sessions citizen_sessions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.citizen_sessions
    ADD CONSTRAINT citizen_sessions_pkey PRIMARY KEY (token_hash);

--
-- Name: complainant_contacts complainant_contacts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complainant_contacts
    ADD CONSTRAINT complainant_contacts_pkey PRIMARY KEY (complaint_id);

--
-- Name: complaint_appeals complaint_appeals_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complaint_appeals
    ADD CONSTRAINT complaint_appeals_pkey PRIMARY KEY (complaint_id);

--
-- Name: complaint_events complaint_events_complaint_id_seq_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complaint_events
    ADD CONSTRAINT complaint_events_complaint_id_seq_key UNIQUE (complaint_id, seq);

--
-- Name: complaint_events complaint_events_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complaint_events
    ADD CONSTRAINT complaint_events_hash_key UNIQUE (hash);

--
-- Name: complaint_events complaint_events_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complaint_events
    ADD CONSTRAINT complaint_events_pkey PRIMARY KEY (id);

--
-- Name: complaints complaints_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complaints
    ADD CONSTRAINT complaints_pkey PRIMARY KEY (id);

--
-- Name: complaints complaints_public_id; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complaints
    ADD CONSTRAINT complaints_public_id UNIQUE (public_id);

--
-- Name: complaints complaints_tracking_code_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complaints
    ADD CONSTRAINT complaints_tracking_code_key UNIQUE (tracking_code);

--
-- Name: contact_read_counts contact_read_counts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contact_read_counts
    ADD CONSTRAINT contact_read_counts_pkey PRIMARY KEY (complaint_id, reader_id, hour);

--
-- Name: contact_read_counts_default contact_read_counts_default_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.contact_read_counts_default
    ADD CONSTRAINT contact_read_counts_default_pkey PRIMARY KEY (complaint_id, reader_id, hour);

--
-- Name: counties counties_code_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.counties
    ADD CONSTRAINT counties_code_key UNIQUE (code);

--
-- Name: counties counties_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.counties
    ADD CONSTRAINT counties_pkey PRIMARY KEY (id);

--
-- Name: counties counties_province_id_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.counties
    ADD CONSTRAINT counties_province_id_id_key UNIQUE (province_id, id);

--
-- Name: enforcement_actions enforcement_actions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.enforcement_actions
    ADD CONSTRAINT enforcement_actions_pkey PRIMARY KEY (id);

--
-- Name: enforcement_rules enforcement_rules_code_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.enforcement_rules
    ADD CONSTRAINT enforcement_rules_code_key UNIQUE (code);

--
-- Name: enforcement_rules enforcement_rules_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.enforcement_rules
    ADD CONSTRAINT enforcement_rules_pkey PRIMARY KEY (id);

--
-- Name: enforcement_runs enforcement_runs_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.enforcement_runs
    ADD CONSTRAINT enforcement_runs_pkey PRIMARY KEY (id);

--
-- Name: follow_up_calls follow_up_calls_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.follow_up_calls
    ADD CONSTRAINT follow_up_calls_pkey PRIMARY KEY (id);

--
-- Name: follow_up_calls follow_up_calls_week_start_complaint_id_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.follow_up_calls
    ADD CONSTRAINT follow_up_calls_week_start_complaint_id_key UNIQUE (week_start, complaint_id);

--
-- Name: follow_up_draws follow_up_draws_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.follow_up_draws
    ADD CONSTRAINT follow_up_draws_pkey PRIMARY KEY (week_start);

--
-- Name: holidays holidays_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.holidays
    ADD CONSTRAINT holidays_pkey PRIMARY KEY (id);

--
-- Name: hotspot_alerts hotspot_alerts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hotspot_alerts
    ADD CONSTRAINT hotspot_alerts_pkey PRIMARY KEY (id);

--
-- Name: hotspot_settings hotspot_settings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hotspot_settings
    ADD CONSTRAINT hotspot_settings_pkey PRIMARY KEY (dimension);

--
-- Name: incident_links incident_links_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.incident_links
    ADD CONSTRAINT incident_links_pkey PRIMARY KEY (id);

--
-- Name: incidents incidents_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.incidents
    ADD CONSTRAINT incidents_pkey PRIMARY KEY (id);

--
-- Name: inspection_complaints inspection_complaints_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.inspection_complaints
    ADD CONSTRAINT inspection_complaints_pkey PRIMARY KEY (inspection_id, complaint_id);

--
-- Name: inspection_findings inspection_findings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.inspection_findings
    ADD CONSTRAINT inspection_findings_pkey PRIMARY KEY (inspection_id, indicator_id);

--
-- Name: inspection_photos inspection_photos_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.inspection_photos
    ADD CONSTRAINT inspection_photos_pkey PRIMARY KEY (id);

--
-- Name: inspection_photos inspection_photos_storage_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.inspection_photos
    ADD CONSTRAINT inspection_photos_storage_key_key UNIQUE (storage_key);

--
-- Name: inspections inspections_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.inspections
    ADD CONSTRAINT inspections_pkey PRIMARY KEY (id);

--
-- Name: jalali_months jalali_months_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.jalali_months
    ADD CONSTRAINT jalali_months_pkey PRIMARY KEY (month_key);

--
-- Name: jalali_months jalali_months_starts_at_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.jalali_months
    ADD CONSTRAINT jalali_months_starts_at_key UNIQUE (starts_at);

--
-- Name: open311_clients open311_clients_api_key_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.open311_clients
    ADD CONSTRAINT open311_clients_api_key_hash_key UNIQUE (api_key_hash);

--
-- Name: open311_clients open311_clients_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.open311_clients
    ADD CONSTRAINT open311_clients_pkey PRIMARY KEY (id);

--
-- Name: outbox outbox_delivery_key_created_at_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox
    ADD CONSTRAINT outbox_delivery_key_created_at_key UNIQUE (delivery_key, created_at);

--
-- Name: outbox_default outbox_default_delivery_key_created_at_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox_default
    ADD CONSTRAINT outbox_default_delivery_key_created_at_key UNIQUE (delivery_key, created_at);

--
-- Name: outbox outbox_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox
    ADD CONSTRAINT outbox_pkey PRIMARY KEY (id, created_at);

--
-- Name: outbox_default outbox_default_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox_default
    ADD CONSTRAINT outbox_default_pkey PRIMARY KEY (id, created_at);

--
-- Name: provinces provinces_code_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.provinces
    ADD CONSTRAINT provinces_code_key UNIQUE (code);

--
-- Name: provinces provinces_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.provinces
    ADD CONSTRAINT provinces_pkey PRIMARY KEY (id);

--
-- Name: quality_indicators quality_indicators_code_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.quality_indicators
    ADD CONSTRAINT quality_indicators_code_key UNIQUE (code);

--
-- Name: quality_indicators quality_indicators_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.quality_indicators
    ADD CONSTRAINT quality_indicators_pkey PRIMARY KEY (id);

--
-- Name: report_area_rollups report_area_rollups_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.report_area_rollups
    ADD CONSTRAINT report_area_rollups_pkey PRIMARY KEY (month_key, agency_id, province_id);

--
-- Name: report_card_versions report_card_versions_period_key_audience_version_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.report_card_versions
    ADD CONSTRAINT report_card_versions_period_key_audience_version_key UNIQUE (period_key, audience, version);

--
-- Name: report_card_versions report_card_versions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.report_card_versions
    ADD CONSTRAINT report_card_versions_pkey PRIMARY KEY (id);

--
-- Name: report_indicator_rollups report_indicator_rollups_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.report_indicator_rollups
    ADD CONSTRAINT report_indicator_rollups_pkey PRIMARY KEY (month_key, agency_id, province_id, indicator_id);

--
-- Name: report_rollup_deltas report_rollup_deltas_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.report_rollup_deltas
    ADD CONSTRAINT report_rollup_deltas_pkey PRIMARY KEY (id, created_at);

--
-- Name: report_rollup_deltas_default report_rollup_deltas_default_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.report_rollup_deltas_default
    ADD CONSTRAINT report_rollup_deltas_default_pkey PRIMARY KEY (id, created_at);

--
-- Name: report_rollups report_rollups_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.report_rollups
    ADD CONSTRAINT report_rollups_pkey PRIMARY KEY (month_key, unit_id, manager_id, agency_id, province_id);

--
-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (name);

--
-- Name: service_volumes service_volumes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.service_volumes
    ADD CONSTRAINT service_volumes_pkey PRIMARY KEY (unit_id, month_key);

--
-- Name: services services_code_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.services
    ADD CONSTRAINT services_code_key UNIQUE (code);

--
-- Name: services services_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.services
    ADD CONSTRAINT services_pkey PRIMARY KEY (id);

--
-- Name: sla_breaches sla_breaches_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sla_breaches
    ADD CONSTRAINT sla_breaches_pkey PRIMARY KEY (id);

--
-- Name: sla_policies sla_policies_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sla_policies
    ADD CONSTRAINT sla_policies_pkey PRIMARY KEY (id);

--
-- Name: sla_timers sla_timers_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sla_timers
    ADD CONSTRAINT sla_timers_pkey PRIMARY KEY (id);

--
-- Name: sms_inbound_parts sms_inbound_parts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sms_inbound_parts
    ADD CONSTRAINT sms_inbound_parts_pkey PRIMARY KEY (set_key, seq);

--
-- Name: staff_alert_settings staff_alert_settings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff_alert_settings
    ADD CONSTRAINT staff_alert_settings_pkey PRIMARY KEY (user_id);

--
-- Name: staff_chat_link_codes staff_chat_link_codes_code_hash_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff_chat_link_codes
    ADD CONSTRAINT staff_chat_link_codes_code_hash_key UNIQUE (code_hash);

--
-- Name: staff_chat_link_codes staff_chat_link_codes_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff_chat_link_codes
    ADD CONSTRAINT staff_chat_link_codes_pkey PRIMARY KEY (user_id);

--
-- Name: staff_notifications staff_notifications_delivery_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff_notifications
    ADD CONSTRAINT staff_notifications_delivery_key_key UNIQUE (delivery_key);

--
-- Name: staff_notifications staff_notifications_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff_notifications
    ADD CONSTRAINT staff_notifications_pkey PRIMARY KEY (id);

--
-- Name: staff_sessions staff_sessions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff_sessions
    ADD CONSTRAINT staff_sessions_pkey PRIMARY KEY (token_hash);

--
-- Name: staff_users staff_users_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff_users
    ADD CONSTRAINT staff_users_pkey PRIMARY KEY (id);

--
-- Name: staff_users staff_users_username_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff_users
    ADD CONSTRAINT staff_users_username_key UNIQUE (username);

--
-- Name: units units_code_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.units
    ADD CONSTRAINT units_code_key UNIQUE (code);

--
-- Name: units units_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.units
    ADD CONSTRAINT units_pkey PRIMARY KEY (id);

--
-- Name: attachments_complaint; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX attachments_complaint ON public.attachments USING btree (complaint_id, created_at);

--
-- Name: attachments_source_ref; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX attachments_source_ref ON public.attachments USING btree (complaint_id, source, source_ref) WHERE (source_ref IS NOT NULL);

--
-- Name: bot_sessions_updated_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX bot_sessions_updated_at ON public.bot_sessions USING btree (updated_at);

--
-- Name: citizen_otps_address; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX citizen_otps_address ON public.citizen_otps USING btree (address, created_at);

--
-- Name: citizen_otps_complaint; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX citizen_otps_complaint ON public.citizen_otps USING btree (complaint_id, created_at DESC);

--
-- Name: citizen_otps_device; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX citizen_otps_device ON public.citizen_otps USING btree (complaint_id, device_hash, created_at DESC);

--
-- Name: complainant_contacts_phone; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX complainant_contacts_phone ON public.complainant_contacts USING btree (phone);

--
-- Name: complaint_appeals_open; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX complaint_appeals_open ON public.complaint_appeals USING btree (province_id, due_at) WHERE (decision IS NULL);

--
-- Name: complaint_events_created; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX complaint_events_created ON public.complaint_events USING btree (created_at);

--
-- Name: complaint_events_staff_referrals; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX complaint_events_staff_referrals ON public.complaint_events USING btree (id) WHERE ((type = 'referred'::text) AND (actor_kind = 'staff'::text));

--
-- Name: complaints_assignee; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX complaints_assignee ON public.complaints USING btree (assignee_id) WHERE (assignee_id IS NOT NULL);

--
-- Name: complaints_case_of; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX complaints_case_of ON public.complaints USING btree (case_of_id) WHERE (case_of_id IS NOT NULL);

--
-- Name: complaints_created; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX complaints_created ON public.complaints USING btree (created_at DESC);

--
-- Name: complaints_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX complaints_due ON public.complaints USING btree (due_at, created_at, id);

--
-- Name: complaints_idempotency; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX complaints_idempotency ON public.complaints USING btree (idempotency_key) WHERE (idempotency_key IS NOT NULL);

--
-- Name: complaints_merged_into; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX complaints_merged_into ON public.complaints USING btree (merged_into_id) WHERE (merged_into_id IS NOT NULL);

--
-- Name: complaints_named_employee; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX complaints_named_employee ON public.complaints USING btree (named_employee, created_at) WHERE (named_employee IS NOT NULL);

--
-- Name: complaints_province; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX complaints_province ON public.complaints USING btree (province_id, created_at DESC);

--
-- Name: complaints_province_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX complaints_province_due ON public.complaints USING btree (province_id, due_at, created_at, id);

--
-- Name: complaints_province_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX complaints_province_status ON public.complaints USING btree (province_id, status);

--
-- Name: complaints_public_listing; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX complaints_public_listing ON public.complaints USING btree (created_at DESC) WHERE (public_listing AND (NOT confidential));

--
-- Name: complaints_search; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX complaints_search ON public.complaints USING gin (search);

--
-- Name: complaints_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX complaints_status ON public.complaints USING btree (status, due_at);

--
-- Name: complaints_unit_path; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX complaints_unit_path ON public.complaints USING btree (unit_path text_pattern_ops, created_at DESC);

--
-- Name: complaints_unit_path_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX complaints_unit_path_due ON public.complaints USING btree (unit_path text_pattern_ops, due_at, created_at, id);

--
-- Name: complaints_unit_path_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX complaints_unit_path_status ON public.complaints USING btree (unit_path text_pattern_ops, status);

--
-- Name: contact_read_counts_reader; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX contact_read_counts_reader ON ONLY public.contact_read_counts USING btree (reader_id, hour);

--
-- Name: contact_read_counts_default_reader_id_hour_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX contact_read_counts_default_reader_id_hour_idx ON public.contact_read_counts_default USING btree (reader_id, hour);

--
-- Name: counties_province; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX counties_province ON public.counties USING btree (province_id);

--
-- Name: enforcement_actions_manager; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX enforcement_actions_manager ON public.enforcement_actions USING btree (manager_id, proposed_at DESC);

--
-- Name: enforcement_actions_once; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX enforcement_actions_once ON public.enforcement_actions USING btree (rule_id, manager_id, unit_id, period) WHERE (rule_id IS NOT NULL);

--
-- Name: enforcement_actions_unit; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX enforcement_actions_unit ON public.enforcement_actions USING btree (unit_path text_pattern_ops);

--
-- Name: enforcement_runs_attempt; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX enforcement_runs_attempt ON public.enforcement_runs USING btree (period, attempt) WHERE (trigger = 'schedule'::text);

--
-- Name: enforcement_runs_recent; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX enforcement_runs_recent ON public.enforcement_runs USING btree (started_at DESC, id DESC);

--
-- Name: enforcement_runs_scheduled_once; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX enforcement_runs_scheduled_once ON public.enforcement_runs USING btree (period) WHERE ((trigger = 'schedule'::text) AND (status <> 'failed'::text));

--
-- Name: follow_up_calls_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX follow_up_calls_due ON public.follow_up_calls USING btree (week_start) WHERE (outcome IS NULL);

--
-- Name: follow_up_calls_unit; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX follow_up_calls_unit ON public.follow_up_calls USING btree (unit_id, week_start);

--
-- Name: holidays_day; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX holidays_day ON public.holidays USING btree (COALESCE(calendar_id, 0), day);

--
-- Name: hotspot_alerts_open; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX hotspot_alerts_open ON public.hotspot_alerts USING btree (dimension, subject_key) WHERE (closed_at IS NULL);

--
-- Name: hotspot_alerts_opened; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX hotspot_alerts_opened ON public.hotspot_alerts USING btree (opened_at DESC);

--
-- Name: incident_links_complaint; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX incident_links_complaint ON public.incident_links USING btree (complaint_id, incident_id);

--
-- Name: incident_links_current; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX incident_links_current ON public.incident_links USING btree (complaint_id) WHERE (ended_at IS NULL);

--
-- Name: incident_links_incident; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX incident_links_incident ON public.incident_links USING btree (incident_id);

--
-- Name: incidents_open; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX incidents_open ON public.incidents USING btree (organisation_id) WHERE (closed_at IS NULL);

--
-- Name: inspection_photos_inspection; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX inspection_photos_inspection ON public.inspection_photos USING btree (inspection_id);

--
-- Name: inspections_inspector; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX inspections_inspector ON public.inspections USING btree (inspector_id, status);

--
-- Name: inspections_unit; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX inspections_unit ON public.inspections USING btree (unit_id, filed_at);

--
-- Name: login_attempts_address; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX login_attempts_address ON public.login_attempts USING btree (address, at);

--
-- Name: login_attempts_user; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX login_attempts_user ON public.login_attempts USING btree (username, at);

--
-- Name: otp_wrong_guesses_address; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX otp_wrong_guesses_address ON public.otp_wrong_guesses USING btree (address, at);

--
-- Name: otp_wrong_guesses_code; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX otp_wrong_guesses_code ON public.otp_wrong_guesses USING btree (otp_id, address);

--
-- Name: outbox_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX outbox_id ON ONLY public.outbox USING btree (id);

--
-- Name: outbox_default_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX outbox_default_id_idx ON public.outbox_default USING btree (id);

--
-- Name: outbox_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX outbox_due ON ONLY public.outbox USING btree (next_attempt_at) WHERE (status = ANY (ARRAY['pending'::text, 'sending'::text]));

--
-- Name: outbox_default_next_attempt_at_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX outbox_default_next_attempt_at_idx ON public.outbox_default USING btree (next_attempt_at) WHERE (status = ANY (ARRAY['pending'::text, 'sending'::text]));

--
-- Name: outbox_provider_message; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX outbox_provider_message ON ONLY public.outbox USING btree (provider_message_id) WHERE (provider_message_id IS NOT NULL);

--
-- Name: outbox_default_provider_message_id_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX outbox_default_provider_message_id_idx ON public.outbox_default USING btree (provider_message_id) WHERE (provider_message_id IS NOT NULL);

--
-- Name: report_card_versions_current; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX report_card_versions_current ON public.report_card_versions USING btree (period_key, audience) WHERE (superseded_at IS NULL);

--
-- Name: report_rollups_unit; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX report_rollups_unit ON public.report_rollups USING btree (unit_id, month_key);

--
-- Name: sla_breaches_manager; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX sla_breaches_manager ON public.sla_breaches USING btree (manager_id, breached_at) WHERE (manager_id IS NOT NULL);

--
-- Name: sla_breaches_time; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX sla_breaches_time ON public.sla_breaches USING btree (breached_at);

--
-- Name: sla_breaches_unit; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX sla_breaches_unit ON public.sla_breaches USING btree (unit_id, breached_at);

--
-- Name: sla_policies_active; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX sla_policies_active ON public.sla_policies USING btree (COALESCE(category_id, 0), COALESCE(agency_id, 0)) WHERE (superseded_at IS NULL);

--
-- Name: sla_timers_complaint; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX sla_timers_complaint ON public.sla_timers USING btree (complaint_id) WHERE (fired_at IS NULL);

--
-- Name: sla_timers_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX sla_timers_due ON public.sla_timers USING btree (fire_at) WHERE (fired_at IS NULL);

--
-- Name: sla_timers_fired_warnings; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX sla_timers_fired_warnings ON public.sla_timers USING btree (complaint_id, due_at) WHERE ((stage = 'warning'::text) AND (fired_at IS NOT NULL));

--
-- Name: staff_notifications_user; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX staff_notifications_user ON public.staff_notifications USING btree (user_id, created_at DESC);

--
-- Name: staff_sessions_user; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX staff_sessions_user ON public.staff_sessions USING btree (user_id);

--
-- Name: staff_users_unit; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX staff_users_unit ON public.staff_users USING btree (unit_id);

--
-- Name: units_parent; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX units_parent ON public.units USING btree (parent_id);

--
-- Name: units_path; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX units_path ON public.units USING btree (path text_pattern_ops);

--
-- Name: units_place; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX units_place ON public.units USING btree (province_id, county_id) WHERE active;

--
-- Name: units_search_key; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX units_search_key ON public.units USING gin (search_key public.gin_trgm_ops);

--
-- Name: contact_read_counts_default_pkey; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.contact_read_counts_pkey ATTACH PARTITION public.contact_read_counts_default_pkey;

--
-- Name: contact_read_counts_default_reader_id_hour_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.contact_read_counts_reader ATTACH PARTITION public.contact_read_counts_default_reader_id_hour_idx;

--
-- Name: outbox_default_delivery_key_created_at_key; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.outbox_delivery_key_created_at_key ATTACH PARTITION public.outbox_default_delivery_key_created_at_key;

--
-- Name: outbox_default_id_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.outbox_id ATTACH PARTITION public.outbox_default_id_idx;

--
-- Name: outbox_default_next_attempt_at_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.outbox_due ATTACH PARTITION public.outbox_default_next_attempt_at_idx;

--
-- Name: outbox_default_pkey; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.outbox_pkey ATTACH PARTITION public.outbox_default_pkey;

--
-- Name: outbox_default_provider_message_id_idx; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.outbox_provider_message ATTACH PARTITION public.outbox_default_provider_message_id_idx;

--
-- Name: report_rollup_deltas_default_pkey; Type: INDEX ATTACH; Schema: public; Owner: -
--

ALTER INDEX public.report_rollup_deltas_pkey ATTACH PARTITION public.report_rollup_deltas_default_pkey;

--
-- Name: categories categories_keeps_id; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER categories_keeps_id BEFORE UPDATE OF id ON public.categories FOR EACH ROW WHEN ((new.id IS DISTINCT FROM old.id)) EXECUTE FUNCTION public.reference_row_stays();

--
-- Name: categories categories_row_stays; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER categories_row_stays BEFORE DELETE ON public.categories FOR EACH ROW EXECUTE FUNCTION public.reference_row_stays();

--
-- Name: complaint_events complaint_events_no_update; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER complaint_events_no_update BEFORE DELETE OR UPDATE ON public.complaint_events FOR EACH ROW EXECUTE FUNCTION public.complaint_events_append_only();

--
-- Name: complaint_events complaint_events_references_exist; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER complaint_events_references_exist BEFORE INSERT ON public.complaint_events FOR EACH ROW EXECUTE FUNCTION public.complaint_events_references_exist();

--
-- Name: complaints complaints_references_exist; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER complaints_references_exist BEFORE INSERT OR UPDATE OF agency_id, unit_id, organisation_id, responsible_unit_id, category_id, county_id, province_id, service_id, sla_policy_id, report_indicator_id, assignee_id, operator_id, responsible_manager_id ON public.complaints FOR EACH ROW EXECUTE FUNCTION public.complaints_references_exist();

--
-- Name: complaints complaints_report_rollup_insert; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER complaints_report_rollup_insert AFTER INSERT ON public.complaints FOR EACH ROW EXECUTE FUNCTION public.complaints_report_rollup();

--
-- Name: complaints complaints_report_rollup_update; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER complaints_report_rollup_update AFTER UPDATE ON public.complaints FOR EACH ROW WHEN ((((((((((((((((old.responsible_unit_id IS DISTINCT FROM new.responsible_unit_id) OR (old.responsible_manager_id IS DISTINCT FROM new.responsible_manager_id)) OR (old.report_indicator_id IS DISTINCT FROM new.report_indicator_id)) OR (old.organisation_id IS DISTINCT FROM new.organisation_id)) OR (old.province_id IS DISTINCT FROM new.province_id)) OR (old.created_at IS DISTINCT FROM new.created_at)) OR (old.status IS DISTINCT FROM new.status)) OR (old.answered_at IS DISTINCT FROM new.answered_at)) OR (old.first_action_at IS DISTINCT FROM new.first_action_at)) OR (old.outcome IS DISTINCT FROM new.outcome)) OR (old.reopen_count IS DISTINCT FROM new.reopen_count)) OR (old.escalation_count IS DISTINCT FROM new.escalation_count)) OR (old.dissatisfied_count IS DISTINCT FROM new.dissatisfied_count)) OR (old.breach_count IS DISTINCT FROM new.breach_count)) OR (old.phone_verified IS DISTINCT FROM new.phone_verified))) EXECUTE FUNCTION public.complaints_report_rollup();

--
-- Name: complaints complaints_responsibility; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER complaints_responsibility BEFORE INSERT OR UPDATE OF unit_id, category_id, agency_id ON public.complaints FOR EACH ROW EXECUTE FUNCTION public.complaints_responsibility();

--
-- Name: complaints complaints_search; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER complaints_search BEFORE INSERT OR UPDATE OF description ON public.complaints FOR EACH ROW EXECUTE FUNCTION public.complaints_search();

--
-- Name: counties counties_keeps_id; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER counties_keeps_id BEFORE UPDATE OF id ON public.counties FOR EACH ROW WHEN ((new.id IS DISTINCT FROM old.id)) EXECUTE FUNCTION public.reference_row_stays();

--
-- Name: counties counties_row_stays; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER counties_row_stays BEFORE DELETE ON public.counties FOR EACH ROW EXECUTE FUNCTION public.reference_row_stays();

--
-- Name: hotspot_alerts hotspot_alerts_live; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER hotspot_alerts_live AFTER INSERT ON public.hotspot_alerts FOR EACH ROW EXECUTE FUNCTION public.foad_live_notify('a');

--
-- Name: outbox outbox_references_exist; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER outbox_references_exist BEFORE INSERT OR UPDATE OF recipient_user_id ON public.outbox FOR EACH ROW EXECUTE FUNCTION public.outbox_references_exist();

--
-- Name: provinces provinces_keeps_id; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER provinces_keeps_id BEFORE UPDATE OF id ON public.provinces FOR EACH ROW WHEN ((new.id IS DISTINCT FROM old.id)) EXECUTE FUNCTION public.reference_row_stays();

--
-- Name: provinces provinces_row_stays; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER provinces_row_stays BEFORE DELETE ON public.provinces FOR EACH ROW EXECUTE FUNCTION public.reference_row_stays();

--
-- Name: quality_indicators quality_indicators_keeps_id; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER quality_indicators_keeps_id BEFORE UPDATE OF id ON public.quality_indicators FOR EACH ROW WHEN ((new.id IS DISTINCT FROM old.id)) EXECUTE FUNCTION public.reference_row_stays();

--
-- Name: quality_indicators quality_indicators_row_stays; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER quality_indicators_row_stays BEFORE DELETE ON public.quality_indicators FOR EACH ROW EXECUTE FUNCTION public.reference_row_stays();

--
-- Name: services services_keeps_id; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER services_keeps_id BEFORE UPDATE OF id ON public.services FOR EACH ROW WHEN ((new.id IS DISTINCT FROM old.id)) EXECUTE FUNCTION public.reference_row_stays();

--
-- Name: services services_row_stays; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER services_row_stays BEFORE DELETE ON public.services FOR EACH ROW EXECUTE FUNCTION public.reference_row_stays();

--
-- Name: sla_breaches sla_breaches_references_exist; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER sla_breaches_references_exist BEFORE INSERT OR UPDATE OF unit_id, escalated_to, manager_id ON public.sla_breaches FOR EACH ROW EXECUTE FUNCTION public.sla_breaches_references_exist();

--
-- Name: sla_policies sla_policies_keeps_id; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER sla_policies_keeps_id BEFORE UPDATE OF id ON public.sla_policies FOR EACH ROW WHEN ((new.id IS DISTINCT FROM old.id)) EXECUTE FUNCTION public.reference_row_stays();

--
-- Name: sla_policies sla_policies_row_stays; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER sla_policies_row_stays BEFORE DELETE ON public.sla_policies FOR EACH ROW EXECUTE FUNCTION public.reference_row_stays();

--
-- Name: sla_timers sla_timers_references_exist; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER sla_timers_references_exist BEFORE INSERT OR UPDATE OF unit_id ON public.sla_timers FOR EACH ROW EXECUTE FUNCTION public.sla_timers_references_exist();

--
-- Name: staff_notifications staff_notifications_references_exist; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER staff_notifications_references_exist BEFORE INSERT OR UPDATE OF user_id ON public.staff_notifications FOR EACH ROW EXECUTE FUNCTION public.staff_notifications_references_exist();

--
-- Name: staff_users staff_users_keeps_id; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER staff_users_keeps_id BEFORE UPDATE OF id ON public.staff_users FOR EACH ROW WHEN ((new.id IS DISTINCT FROM old.id)) EXECUTE FUNCTION public.reference_row_stays();

--
-- Name: staff_users staff_users_row_stays; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER staff_users_row_stays BEFORE DELETE ON public.staff_users FOR EACH ROW EXECUTE FUNCTION public.reference_row_stays();

--
-- Name: units units_keeps_id; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER units_keeps_id BEFORE UPDATE OF id ON public.units FOR EACH ROW WHEN ((new.id IS DISTINCT FROM old.id)) EXECUTE FUNCTION public.reference_row_stays();

--
-- Name: units units_row_stays; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER units_row_stays BEFORE DELETE ON public.units FOR EACH ROW EXECUTE FUNCTION public.reference_row_stays();

--
-- Name: attachments attachments_complaint_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.attachments
    ADD CONSTRAINT attachments_complaint_id_fkey FOREIGN KEY (complaint_id) REFERENCES public.complaints(id);

--
-- Name: attachments attachments_uploaded_by_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.attachments
    ADD CONSTRAINT attachments_uploaded_by_id_fkey FOREIGN KEY (uploaded_by_id) REFERENCES public.staff_users(id);

--
-- Name: categories categories_indicator_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.categories
    ADD CONSTRAINT categories_indicator_id_fkey FOREIGN KEY (indicator_id) REFERENCES public.quality_indicators(id);

--
-- Name: citizen_otps citizen_otps_complaint_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.citizen_otps
    ADD CONSTRAINT citizen_otps_complaint_id_fkey FOREIGN KEY (complaint_id) REFERENCES public.complaints(id);

--
-- Name: citizen_owner_devices citizen_owner_devices_complaint_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.citizen_owner_devices
    ADD CONSTRAINT citizen_owner_devices_complaint_id_fkey FOREIGN KEY (complaint_id) REFERENCES public.complaints(id) ON DELETE CASCADE;

--
-- Name: citizen_sessions citizen_sessions_complaint_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.citizen_sessions
    ADD CONSTRAINT citizen_sessions_complaint_id_fkey FOREIGN KEY (complaint_id) REFERENCES public.complaints(id);

--
-- Name: complainant_contacts complainant_contacts_complaint_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complainant_contacts
    ADD CONSTRAINT complainant_contacts_complaint_id_fkey FOREIGN KEY (complaint_id) REFERENCES public.complaints(id);

--
-- Name: complaint_appeals complaint_appeals_complaint_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complaint_appeals
    ADD CONSTRAINT complaint_appeals_complaint_id_fkey FOREIGN KEY (complaint_id) REFERENCES public.complaints(id);

--
-- Name: complaint_appeals complaint_appeals_decided_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complaint_appeals
    ADD CONSTRAINT complaint_appeals_decided_by_fkey FOREIGN KEY (decided_by) REFERENCES public.staff_users(id);

--
-- Name: complaint_appeals complaint_appeals_province_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complaint_appeals
    ADD CONSTRAINT complaint_appeals_province_id_fkey FOREIGN KEY (province_id) REFERENCES public.provinces(id);

--
-- Name: complaint_appeals complaint_appeals_unit_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complaint_appeals
    ADD CONSTRAINT complaint_appeals_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES public.units(id);

--
-- Name: complaint_events complaint_events_complaint_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complaint_events
    ADD CONSTRAINT complaint_events_complaint_id_fkey FOREIGN KEY (complaint_id) REFERENCES public.complaints(id);

--
-- Name: complaints complaints_case_of_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complaints
    ADD CONSTRAINT complaints_case_of_id_fkey FOREIGN KEY (case_of_id) REFERENCES public.complaints(id);

--
-- Name: complaints complaints_merged_into_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.complaints
    ADD CONSTRAINT complaints_merged_into_id_fkey FOREIGN KEY (merged_into_id) REFERENCES public.complaints(id);

--
-- Name: contact_read_counts contact_read_counts_complaint_id_fkey1; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE public.contact_read_counts
    ADD CONSTRAINT contact_read_counts_complaint_id_fkey1 FOREIGN KEY (complaint_id) REFERENCES public.complaints(id);

--
-- Name: contact_read_counts contact_read_counts_reader_id_fkey1; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE public.contact_read_counts
    ADD CONSTRAINT contact_read_counts_reader_id_fkey1 FOREIGN KEY (reader_id) REFERENCES public.staff_users(id);

--
-- Name: counties counties_province_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.counties
    ADD CONSTRAINT counties_province_id_fkey FOREIGN KEY (province_id) REFERENCES public.provinces(id);

--
-- Name: enforcement_actions enforcement_actions_appeal_decided_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.enforcement_actions
    ADD CONSTRAINT enforcement_actions_appeal_decided_by_fkey FOREIGN KEY (appeal_decided_by) REFERENCES public.staff_users(id);

--
-- Name: enforcement_actions enforcement_actions_decided_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.enforcement_actions
    ADD CONSTRAINT enforcement_actions_decided_by_fkey FOREIGN KEY (decided_by) REFERENCES public.staff_users(id);

--
-- Name: enforcement_actions enforcement_actions_manager_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.enforcement_actions
    ADD CONSTRAINT enforcement_actions_manager_id_fkey FOREIGN KEY (manager_id) REFERENCES public.staff_users(id);

--
-- Name: enforcement_actions enforcement_actions_proposed_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.enforcement_actions
    ADD CONSTRAINT enforcement_actions_proposed_by_fkey FOREIGN KEY (proposed_by) REFERENCES public.staff_users(id);

--
-- Name: enforcement_actions enforcement_actions_province_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.enforcement_actions
    ADD CONSTRAINT enforcement_actions_province_id_fkey FOREIGN KEY (province_id) REFERENCES public.provinces(id);

--
-- Name: enforcement_actions enforcement_actions_rule_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.enforcement_actions
    ADD CONSTRAINT enforcement_actions_rule_id_fkey FOREIGN KEY (rule_id) REFERENCES public.enforcement_rules(id);

--
-- Name: enforcement_actions enforcement_actions_unit_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.enforcement_actions
    ADD CONSTRAINT enforcement_actions_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES public.units(id);

--
-- Name: enforcement_runs enforcement_runs_requested_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.enforcement_runs
    ADD CONSTRAINT enforcement_runs_requested_by_fkey FOREIGN KEY (requested_by) REFERENCES public.staff_users(id);

--
-- Name: follow_up_calls follow_up_calls_called_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.follow_up_calls
    ADD CONSTRAINT follow_up_calls_called_by_fkey FOREIGN KEY (called_by) REFERENCES public.staff_users(id);

--
-- Name: follow_up_calls follow_up_calls_complaint_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.follow_up_calls
    ADD CONSTRAINT follow_up_calls_complaint_id_fkey FOREIGN KEY (complaint_id) REFERENCES public.complaints(id);

--
-- Name: follow_up_calls follow_up_calls_unit_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.follow_up_calls
    ADD CONSTRAINT follow_up_calls_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES public.units(id);

--
-- Name: follow_up_calls follow_up_calls_week_start_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.follow_up_calls
    ADD CONSTRAINT follow_up_calls_week_start_fkey FOREIGN KEY (week_start) REFERENCES public.follow_up_draws(week_start);

--
-- Name: holidays holidays_calendar_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.holidays
    ADD CONSTRAINT holidays_calendar_id_fkey FOREIGN KEY (calendar_id) REFERENCES public.calendars(id);

--
-- Name: hotspot_alerts hotspot_alerts_category_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hotspot_alerts
    ADD CONSTRAINT hotspot_alerts_category_id_fkey FOREIGN KEY (category_id) REFERENCES public.categories(id);

--
-- Name: hotspot_alerts hotspot_alerts_province_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hotspot_alerts
    ADD CONSTRAINT hotspot_alerts_province_id_fkey FOREIGN KEY (province_id) REFERENCES public.provinces(id);

--
-- Name: hotspot_alerts hotspot_alerts_unit_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.hotspot_alerts
    ADD CONSTRAINT hotspot_alerts_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES public.units(id);

--
-- Name: incident_links incident_links_complaint_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.incident_links
    ADD CONSTRAINT incident_links_complaint_id_fkey FOREIGN KEY (complaint_id) REFERENCES public.complaints(id);

--
-- Name: incident_links incident_links_ended_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.incident_links
    ADD CONSTRAINT incident_links_ended_by_fkey FOREIGN KEY (ended_by) REFERENCES public.staff_users(id);

--
-- Name: incident_links incident_links_incident_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.incident_links
    ADD CONSTRAINT incident_links_incident_id_fkey FOREIGN KEY (incident_id) REFERENCES public.incidents(id);

--
-- Name: incident_links incident_links_linked_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.incident_links
    ADD CONSTRAINT incident_links_linked_by_fkey FOREIGN KEY (linked_by) REFERENCES public.staff_users(id);

--
-- Name: incidents incidents_closed_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.incidents
    ADD CONSTRAINT incidents_closed_by_fkey FOREIGN KEY (closed_by) REFERENCES public.staff_users(id);

--
-- Name: incidents incidents_opened_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.incidents
    ADD CONSTRAINT incidents_opened_by_fkey FOREIGN KEY (opened_by) REFERENCES public.staff_users(id);

--
-- Name: incidents incidents_organisation_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.incidents
    ADD CONSTRAINT incidents_organisation_id_fkey FOREIGN KEY (organisation_id) REFERENCES public.units(id);

--
-- Name: incidents incidents_scope_province_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.incidents
    ADD CONSTRAINT incidents_scope_province_id_fkey FOREIGN KEY (scope_province_id) REFERENCES public.provinces(id);

--
-- Name: inspection_complaints inspection_complaints_complaint_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.inspection_complaints
    ADD CONSTRAINT inspection_complaints_complaint_id_fkey FOREIGN KEY (complaint_id) REFERENCES public.complaints(id);

--
-- Name: inspection_complaints inspection_complaints_inspection_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.inspection_complaints
    ADD CONSTRAINT inspection_complaints_inspection_id_fkey FOREIGN KEY (inspection_id) REFERENCES public.inspections(id);

--
-- Name: inspection_findings inspection_findings_indicator_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.inspection_findings
    ADD CONSTRAINT inspection_findings_indicator_id_fkey FOREIGN KEY (indicator_id) REFERENCES public.quality_indicators(id);

--
-- Name: inspection_findings inspection_findings_inspection_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.inspection_findings
    ADD CONSTRAINT inspection_findings_inspection_id_fkey FOREIGN KEY (inspection_id) REFERENCES public.inspections(id);

--
-- Name: inspection_photos inspection_photos_inspection_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.inspection_photos
    ADD CONSTRAINT inspection_photos_inspection_id_fkey FOREIGN KEY (inspection_id) REFERENCES public.inspections(id);

--
-- Name: inspection_photos inspection_photos_uploaded_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.inspection_photos
    ADD CONSTRAINT inspection_photos_uploaded_by_fkey FOREIGN KEY (uploaded_by) REFERENCES public.staff_users(id);

--
-- Name: inspections inspections_dispatched_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.inspections
    ADD CONSTRAINT inspections_dispatched_by_fkey FOREIGN KEY (dispatched_by) REFERENCES public.staff_users(id);

--
-- Name: inspections inspections_inspector_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.inspections
    ADD CONSTRAINT inspections_inspector_id_fkey FOREIGN KEY (inspector_id) REFERENCES public.staff_users(id);

--
-- Name: inspections inspections_province_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.inspections
    ADD CONSTRAINT inspections_province_id_fkey FOREIGN KEY (province_id) REFERENCES public.provinces(id);

--
-- Name: inspections inspections_unit_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.inspections
    ADD CONSTRAINT inspections_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES public.units(id);

--
-- Name: otp_wrong_guesses otp_wrong_guesses_complaint_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.otp_wrong_guesses
    ADD CONSTRAINT otp_wrong_guesses_complaint_id_fkey FOREIGN KEY (complaint_id) REFERENCES public.complaints(id);

--
-- Name: otp_wrong_guesses otp_wrong_guesses_otp_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.otp_wrong_guesses
    ADD CONSTRAINT otp_wrong_guesses_otp_id_fkey FOREIGN KEY (otp_id) REFERENCES public.citizen_otps(id) ON DELETE CASCADE;

--
-- Name: outbox outbox_complaint_id_fkey1; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE public.outbox
    ADD CONSTRAINT outbox_complaint_id_fkey1 FOREIGN KEY (complaint_id) REFERENCES public.complaints(id);

--
-- Name: report_card_versions report_card_versions_published_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.report_card_versions
    ADD CONSTRAINT report_card_versions_published_by_fkey FOREIGN KEY (published_by) REFERENCES public.staff_users(id);

--
-- Name: service_volumes service_volumes_month_key_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.service_volumes
    ADD CONSTRAINT service_volumes_month_key_fkey FOREIGN KEY (month_key) REFERENCES public.jalali_months(month_key);

--
-- Name: service_volumes service_volumes_unit_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.service_volumes
    ADD CONSTRAINT service_volumes_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES public.units(id);

--
-- Name: services services_agency_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.services
    ADD CONSTRAINT services_agency_id_fkey FOREIGN KEY (agency_id) REFERENCES public.units(id);

--
-- Name: sla_breaches sla_breaches_complaint_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sla_breaches
    ADD CONSTRAINT sla_breaches_complaint_id_fkey FOREIGN KEY (complaint_id) REFERENCES public.complaints(id);

--
-- Name: sla_policies sla_policies_agency_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sla_policies
    ADD CONSTRAINT sla_policies_agency_id_fkey FOREIGN KEY (agency_id) REFERENCES public.units(id);

--
-- Name: sla_policies sla_policies_category_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sla_policies
    ADD CONSTRAINT sla_policies_category_id_fkey FOREIGN KEY (category_id) REFERENCES public.categories(id);

--
-- Name: sla_policies sla_policies_created_by_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sla_policies
    ADD CONSTRAINT sla_policies_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.staff_users(id);

--
-- Name: sla_timers sla_timers_complaint_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.sla_timers
    ADD CONSTRAINT sla_timers_complaint_id_fkey FOREIGN KEY (complaint_id) REFERENCES public.complaints(id);

--
-- Name: staff_alert_settings staff_alert_settings_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff_alert_settings
    ADD CONSTRAINT staff_alert_settings_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.staff_users(id);

--
-- Name: staff_chat_link_codes staff_chat_link_codes_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff_chat_link_codes
    ADD CONSTRAINT staff_chat_link_codes_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.staff_users(id) ON DELETE CASCADE;

--
-- Name: staff_notifications staff_notifications_complaint_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff_notifications
    ADD CONSTRAINT staff_notifications_complaint_id_fkey FOREIGN KEY (complaint_id) REFERENCES public.complaints(id);

--
-- Name: staff_sessions staff_sessions_user_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff_sessions
    ADD CONSTRAINT staff_sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.staff_users(id);

--
-- Name: staff_users staff_users_province_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff_users
    ADD CONSTRAINT staff_users_province_id_fkey FOREIGN KEY (province_id) REFERENCES public.provinces(id);

--
-- Name: staff_users staff_users_unit_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.staff_users
    ADD CONSTRAINT staff_users_unit_id_fkey FOREIGN KEY (unit_id) REFERENCES public.units(id);

--
-- Name: units units_calendar_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.units
    ADD CONSTRAINT units_calendar_id_fkey FOREIGN KEY (calendar_id) REFERENCES public.calendars(id);

--
-- Name: units units_county_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.units
    ADD CONSTRAINT units_county_id_fkey FOREIGN KEY (county_id) REFERENCES public.counties(id);

--
-- Name: units units_inspection_head_fk; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.units
    ADD CONSTRAINT units_inspection_head_fk FOREIGN KEY (inspection_head_id) REFERENCES public.staff_users(id);

--
-- Name: units units_parent_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.units
    ADD CONSTRAINT units_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES public.units(id);

--
-- Name: units units_province_id_county_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.units
    ADD CONSTRAINT units_province_id_county_id_fkey FOREIGN KEY (province_id, county_id) REFERENCES public.counties(province_id, id);

--
-- Name: units units_province_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.units
    ADD CONSTRAINT units_province_id_fkey FOREIGN KEY (province_id) REFERENCES public.provinces(id);

--
-- PostgreSQL database dump complete
--
