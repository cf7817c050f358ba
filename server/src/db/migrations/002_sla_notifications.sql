-- SLA clocks, business calendars, escalation, and the notifications outbox.

-- Two-factor enrolment keeps the new secret apart until it is confirmed, so starting an
-- enrolment never weakens the one in force.
ALTER TABLE staff_users ADD COLUMN totp_pending_secret text;

-- A working week per calendar: {"6": [[420, 840]], ...} — weekday (0 = Sunday … 6 = Saturday,
-- as Date#getUTCDay numbers the local date) to working intervals in minutes after local midnight.
CREATE TABLE calendars (
  id        serial PRIMARY KEY,
  code      text NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9_-]{1,40}$'),
  name_fa   text NOT NULL,
  timezone  text NOT NULL DEFAULT 'Asia/Tehran',
  week      jsonb NOT NULL
);

-- Holidays as local (Gregorian) dates, entered and shown as Jalali. calendar_id NULL = national.
CREATE TABLE holidays (
  id           serial PRIMARY KEY,
  calendar_id  integer REFERENCES calendars(id),
  day          date NOT NULL,
  jalali       text NOT NULL CHECK (jalali ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
  name_fa      text NOT NULL,
  kind         text NOT NULL DEFAULT 'solar' CHECK (kind IN ('solar', 'lunar', 'other'))
);
CREATE UNIQUE INDEX holidays_day ON holidays (COALESCE(calendar_id, 0), day);

-- A unit (usually an agency root) may follow its own calendar; units without one inherit.
ALTER TABLE units ADD COLUMN calendar_id integer REFERENCES calendars(id);

-- Versioned SLA policies. A policy applies to a category and/or an agency (NULL = any); the most
-- specific active one wins. Changing a policy supersedes it with a new version; complaints keep
-- the version they were filed under.
CREATE TABLE sla_policies (
  id                    serial PRIMARY KEY,
  category_id           integer REFERENCES categories(id),
  agency_id             integer REFERENCES units(id),
  version               integer NOT NULL CHECK (version >= 1),
  clock                 text NOT NULL CHECK (clock IN ('24x7', 'business')),
  first_action_minutes  integer NOT NULL CHECK (first_action_minutes > 0),
  answer_minutes        integer NOT NULL CHECK (answer_minutes > 0),
  warn_fractions        numeric[] NOT NULL DEFAULT '{0.5,0.8}',
  satisfaction_hours    integer NOT NULL DEFAULT 72 CHECK (satisfaction_hours > 0),
  created_at            timestamptz NOT NULL DEFAULT now(),
  created_by            integer REFERENCES staff_users(id),
  superseded_at         timestamptz,
  CHECK (first_action_minutes <= answer_minutes)
);
CREATE UNIQUE INDEX sla_policies_active ON sla_policies (COALESCE(category_id, 0), COALESCE(agency_id, 0)) WHERE superseded_at IS NULL;

ALTER TABLE complaints ADD COLUMN sla_policy_id integer REFERENCES sla_policies(id);
ALTER TABLE complaints ADD COLUMN first_action_due_at timestamptz;
ALTER TABLE complaints ADD COLUMN first_action_at timestamptz;
ALTER TABLE complaints ADD COLUMN breach_count integer NOT NULL DEFAULT 0;

-- Every pending deadline of every complaint, found by one index on the next firing time.
CREATE TABLE sla_timers (
  id             bigserial PRIMARY KEY,
  complaint_id   uuid NOT NULL REFERENCES complaints(id),
  kind           text NOT NULL CHECK (kind IN ('first_action', 'answer', 'satisfaction')),
  stage          text NOT NULL CHECK (stage IN ('warning', 'breach', 'expiry')),
  fraction       numeric NOT NULL CHECK (fraction > 0 AND fraction <= 1),
  fire_at        timestamptz NOT NULL,
  due_at         timestamptz NOT NULL,
  unit_id        integer REFERENCES units(id),
  claimed_until  timestamptz,
  fired_at       timestamptz
);
CREATE INDEX sla_timers_due ON sla_timers (fire_at) WHERE fired_at IS NULL;
CREATE INDEX sla_timers_complaint ON sla_timers (complaint_id) WHERE fired_at IS NULL;

-- A breach is recorded against the unit and the manager (its inspection head) who held it.
CREATE TABLE sla_breaches (
  id            bigserial PRIMARY KEY,
  complaint_id  uuid NOT NULL REFERENCES complaints(id),
  unit_id       integer NOT NULL REFERENCES units(id),
  manager_id    integer REFERENCES staff_users(id),
  kind          text NOT NULL CHECK (kind IN ('first_action', 'answer')),
  due_at        timestamptz NOT NULL,
  breached_at   timestamptz NOT NULL,
  escalated_to  integer REFERENCES units(id)
);
CREATE INDEX sla_breaches_unit ON sla_breaches (unit_id, breached_at);
CREATE INDEX sla_breaches_manager ON sla_breaches (manager_id, breached_at) WHERE manager_id IS NOT NULL;

-- Every message to a person, written in the transaction of the event that caused it.
CREATE TABLE outbox (
  id                  bigserial PRIMARY KEY,
  complaint_id        uuid REFERENCES complaints(id),
  event_seq           integer,
  template            text NOT NULL,
  channel             text NOT NULL CHECK (channel IN ('sms', 'web', 'telegram', 'bale')),
  recipient_user_id   integer REFERENCES staff_users(id),
  recipient_address   text,
  language            text NOT NULL DEFAULT 'fa' CHECK (language IN ('fa', 'en')),
  body                text NOT NULL,
  sms_parts           integer,
  delivery_key        text NOT NULL UNIQUE,
  status              text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'dead')),
  attempts            integer NOT NULL DEFAULT 0,
  next_attempt_at     timestamptz NOT NULL DEFAULT now(),
  claimed_until       timestamptz,
  last_error          text,
  provider_message_id text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  sent_at             timestamptz,
  CHECK (recipient_user_id IS NOT NULL OR recipient_address IS NOT NULL)
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status IN ('pending', 'sending');

-- Staff notifications shown in the web app (the 'web' channel delivers here).
CREATE TABLE staff_notifications (
  id            bigserial PRIMARY KEY,
  user_id       integer NOT NULL REFERENCES staff_users(id),
  complaint_id  uuid REFERENCES complaints(id),
  template      text NOT NULL,
  body          text NOT NULL,
  delivery_key  text NOT NULL UNIQUE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  read_at       timestamptz
);
CREATE INDEX staff_notifications_user ON staff_notifications (user_id, created_at DESC);
