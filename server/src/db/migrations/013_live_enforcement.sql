-- Live feed, dashboard, enforcement (warnings, commendations, dismissal recommendations with due
-- process), field inspections and hotspot alerts.

-- Live feed: every committed complaint event and hotspot alert is announced on one channel.
-- A trigger (not a call in each writer) so the single-statement intake, appendEvents and any
-- future writer all announce, always in the writing transaction: PostgreSQL delivers a NOTIFY
-- only when that transaction commits, and drops it on rollback. The payload is a kind letter and
-- an id ('e123', 'a5'); listeners read the row back in the viewer's scope.
CREATE FUNCTION foad_live_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('foad_live', TG_ARGV[0] || NEW.id::text);
  RETURN NULL;
END;
$$;
CREATE TRIGGER complaint_events_live AFTER INSERT ON complaint_events
  FOR EACH ROW EXECUTE FUNCTION foad_live_notify('e');

-- Dashboard: breaches by time.
CREATE INDEX sla_breaches_time ON sla_breaches (breached_at);

-- Who a complaint names, when the citizen names an employee (normalised name). Nothing fills it
-- at intake yet; the hotspot detector already counts it.
ALTER TABLE complaints ADD COLUMN named_employee text CHECK (named_employee IS NULL OR length(named_employee) BETWEEN 2 AND 120);
CREATE INDEX complaints_named_employee ON complaints (named_employee, created_at) WHERE named_employee IS NOT NULL;

-- Enforcement rules are data: an action kind, a condition over the breach rate per Jalali month,
-- and its numbers. The defaults below can be changed by the national centre.
CREATE TABLE enforcement_rules (
  id              serial PRIMARY KEY,
  code            text NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9_]{1,40}$'),
  action          text NOT NULL CHECK (action IN ('warning', 'commendation', 'dismissal')),
  condition       text NOT NULL CHECK (condition IN ('above_for_periods', 'top_decile', 'severe_after_warnings')),
  -- breach rate (breaches / complaints the unit received) the condition compares with
  threshold       numeric CHECK (threshold IS NULL OR (threshold >= 0 AND threshold <= 1)),
  periods         integer NOT NULL DEFAULT 1 CHECK (periods BETWEEN 1 AND 24),
  min_complaints  integer NOT NULL DEFAULT 10 CHECK (min_complaints >= 1),
  -- severe_after_warnings: confirmed warnings in the last 12 months before it applies
  prior_warnings  integer NOT NULL DEFAULT 0 CHECK (prior_warnings >= 0),
  active          boolean NOT NULL DEFAULT true,
  description_fa  text NOT NULL DEFAULT '',
  updated_at      timestamptz NOT NULL DEFAULT now(),
  CHECK (condition = 'top_decile' OR threshold IS NOT NULL)
);
INSERT INTO enforcement_rules (code, action, condition, threshold, periods, min_complaints, prior_warnings, description_fa) VALUES
  ('breach_rate_warning', 'warning', 'above_for_periods', 0.20, 3, 10, 0,
   'نرخ گذشتن از مهلت بیش از ۲۰٪ در سه ماه پیاپی: تذکر'),
  ('top_decile_commendation', 'commendation', 'top_decile', NULL, 1, 20, 0,
   'دهک برتر کمترین نرخ گذشتن از مهلت در ماه: تشویق'),
  ('repeated_severe_dismissal', 'dismissal', 'severe_after_warnings', 0.50, 2, 10, 2,
   'نرخ گذشتن از مهلت بیش از ۵۰٪ در دو ماه پیاپی پس از دست‌کم دو تذکر در ۱۲ ماه: پیشنهاد برکناری');

-- An enforcement action on a manager's record. A rule (or a supervisor) proposes it; the manager
-- is told and may reply until reply_due_at; a supervisor in scope then confirms or drops it with a
-- reason and a link to the evidence; the manager may appeal a confirmed action once, and the
-- national centre decides the appeal.
CREATE TABLE enforcement_actions (
  id                  serial PRIMARY KEY,
  kind                text NOT NULL CHECK (kind IN ('warning', 'commendation', 'dismissal')),
  manager_id          integer NOT NULL REFERENCES staff_users(id),
  unit_id             integer NOT NULL REFERENCES units(id),
  unit_path           text NOT NULL,
  province_id         integer REFERENCES provinces(id),
  rule_id             integer REFERENCES enforcement_rules(id),
  period              text NOT NULL CHECK (period ~ '^[0-9]{4}-[0-9]{2}$'),
  evidence            jsonb NOT NULL,
  proposed_by         integer REFERENCES staff_users(id),
  proposed_at         timestamptz NOT NULL,
  reply_due_at        timestamptz NOT NULL,
  reply               text,
  replied_at          timestamptz,
  status              text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'confirmed', 'dropped')),
  decided_by          integer REFERENCES staff_users(id),
  decided_at          timestamptz,
  decision_reason     text,
  evidence_url        text,
  appeal              text,
  appealed_at         timestamptz,
  appeal_status       text CHECK (appeal_status IN ('pending', 'upheld', 'overturned')),
  appeal_decided_by   integer REFERENCES staff_users(id),
  appeal_decided_at   timestamptz,
  appeal_reason       text,
  CHECK ((reply IS NULL) = (replied_at IS NULL)),
  CHECK ((status = 'proposed') = (decided_at IS NULL)),
  CHECK (status = 'proposed' OR (decided_by IS NOT NULL AND decision_reason IS NOT NULL AND evidence_url IS NOT NULL)),
  CHECK ((appeal IS NULL) = (appeal_status IS NULL) AND (appeal IS NULL OR status = 'confirmed')),
  CHECK ((appeal_status IN ('upheld', 'overturned')) = (appeal_decided_at IS NOT NULL))
);
-- A rule proposes the same action for the same manager, unit and month once, however often it runs.
CREATE UNIQUE INDEX enforcement_actions_once ON enforcement_actions (rule_id, manager_id, unit_id, period) WHERE rule_id IS NOT NULL;
CREATE INDEX enforcement_actions_manager ON enforcement_actions (manager_id, proposed_at DESC);
CREATE INDEX enforcement_actions_unit ON enforcement_actions (unit_path text_pattern_ops);

-- Field inspections of an office, dispatched by the provincial group.
CREATE TABLE inspections (
  id             serial PRIMARY KEY,
  unit_id        integer NOT NULL REFERENCES units(id),
  unit_path      text NOT NULL,
  province_id    integer REFERENCES provinces(id),
  inspector_id   integer NOT NULL REFERENCES staff_users(id),
  dispatched_by  integer NOT NULL REFERENCES staff_users(id),
  dispatched_at  timestamptz NOT NULL DEFAULT now(),
  reason         text NOT NULL CHECK (reason IN ('cluster', 'random')),
  -- reason 'random': the seed and the candidate offices it drew from, so the draw can be re-done
  random_seed    text,
  candidates     integer,
  note           text,
  status         text NOT NULL DEFAULT 'dispatched' CHECK (status IN ('dispatched', 'filed')),
  visited_at     timestamptz,
  filed_at       timestamptz,
  summary        text,
  CHECK ((reason = 'random') = (random_seed IS NOT NULL)),
  CHECK ((status = 'filed') = (filed_at IS NOT NULL))
);
CREATE INDEX inspections_unit ON inspections (unit_id, filed_at);
CREATE INDEX inspections_inspector ON inspections (inspector_id, status);

CREATE TABLE inspection_complaints (
  inspection_id  integer NOT NULL REFERENCES inspections(id),
  complaint_id   uuid NOT NULL REFERENCES complaints(id),
  PRIMARY KEY (inspection_id, complaint_id)
);

-- One finding per quality indicator: a score 0–100 and notes.
CREATE TABLE inspection_findings (
  inspection_id  integer NOT NULL REFERENCES inspections(id),
  indicator_id   integer NOT NULL REFERENCES quality_indicators(id),
  score          integer NOT NULL CHECK (score BETWEEN 0 AND 100),
  notes          text NOT NULL DEFAULT '',
  PRIMARY KEY (inspection_id, indicator_id)
);

-- Photos taken on site: files under DATA_DIR, type checked by their first bytes.
CREATE TABLE inspection_photos (
  id             serial PRIMARY KEY,
  inspection_id  integer NOT NULL REFERENCES inspections(id),
  storage_key    text NOT NULL UNIQUE,
  media_type     text NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png', 'image/webp', 'image/heic')),
  bytes          integer NOT NULL CHECK (bytes > 0),
  sha256         text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  uploaded_by    integer NOT NULL REFERENCES staff_users(id),
  uploaded_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inspection_photos_inspection ON inspection_photos (inspection_id);

-- Hotspot detection settings per dimension (data, with defaults).
CREATE TABLE hotspot_settings (
  dimension         text PRIMARY KEY CHECK (dimension IN ('unit', 'category', 'employee')),
  window_minutes    integer NOT NULL CHECK (window_minutes BETWEEN 5 AND 1440),
  baseline_hours    integer NOT NULL CHECK (baseline_hours BETWEEN 1 AND 2160),
  min_count         integer NOT NULL CHECK (min_count >= 1),
  -- one-sided Poisson tail probability below which the window count is unusual
  max_p_value       double precision NOT NULL CHECK (max_p_value > 0 AND max_p_value < 1),
  -- expected count per window never taken below this (a quiet office's first complaints are not an outbreak)
  min_expected      double precision NOT NULL CHECK (min_expected > 0),
  active            boolean NOT NULL DEFAULT true
);
INSERT INTO hotspot_settings (dimension, window_minutes, baseline_hours, min_count, max_p_value, min_expected) VALUES
  ('unit', 60, 168, 5, 0.001, 0.5),
  ('category', 60, 168, 8, 0.001, 1.0),
  ('employee', 60, 168, 3, 0.001, 0.2);

-- An alert is open while the rise lasts: one open alert per subject (no repeats), closed when the
-- window count falls back under the threshold.
CREATE TABLE hotspot_alerts (
  id             serial PRIMARY KEY,
  dimension      text NOT NULL CHECK (dimension IN ('unit', 'category', 'employee')),
  subject_key    text NOT NULL,
  unit_id        integer REFERENCES units(id),
  unit_path      text,
  province_id    integer REFERENCES provinces(id),
  category_id    integer REFERENCES categories(id),
  named_employee text,
  window_count   integer NOT NULL,
  expected       double precision NOT NULL,
  p_value        double precision NOT NULL,
  opened_at      timestamptz NOT NULL,
  last_seen_at   timestamptz NOT NULL,
  peak_count     integer NOT NULL,
  closed_at      timestamptz
);
CREATE UNIQUE INDEX hotspot_alerts_open ON hotspot_alerts (dimension, subject_key) WHERE closed_at IS NULL;
CREATE INDEX hotspot_alerts_opened ON hotspot_alerts (opened_at DESC);
CREATE TRIGGER hotspot_alerts_live AFTER INSERT ON hotspot_alerts
  FOR EACH ROW EXECUTE FUNCTION foad_live_notify('a');

-- Dashboard: "warned" open complaints are those with a fired warning on a deadline still ahead.
CREATE INDEX sla_timers_fired_warnings ON sla_timers (complaint_id, due_at) WHERE stage = 'warning' AND fired_at IS NOT NULL;
