-- 034: the citizen's one appeal to the provincial supervision group (docs/appeals.md), and
-- staff alerts by SMS or messenger with quiet hours (docs/staff-alerts.md).

-- A complaint under appeal has its own status; an appeal rejected closes it with its own outcome.
ALTER TABLE complaints DROP CONSTRAINT complaints_status_check;
ALTER TABLE complaints ADD CONSTRAINT complaints_status_check
  CHECK (status IN ('received', 'referred', 'assigned', 'in_progress', 'answered', 'closed', 'rejected', 'appealed'));
ALTER TABLE complaints DROP CONSTRAINT complaints_outcome_check;
ALTER TABLE complaints ADD CONSTRAINT complaints_outcome_check CHECK (outcome IN ('satisfied', 'no_rating', 'rejected', 'merged', 'appeal_rejected'));
-- An appeal is always against the unit that answered at the top of the tree.
ALTER TABLE complaints ADD CONSTRAINT complaints_appealed_unit CHECK (status <> 'appealed' OR unit_id IS NOT NULL);

-- The supervision group's own clock, on the policy's clock (business minutes by default: ten working days of eight hours).
ALTER TABLE sla_policies ADD COLUMN appeal_minutes integer NOT NULL DEFAULT 4800 CHECK (appeal_minutes > 0);
ALTER TABLE sla_timers DROP CONSTRAINT sla_timers_kind_check;
ALTER TABLE sla_timers ADD CONSTRAINT sla_timers_kind_check CHECK (kind IN ('first_action', 'answer', 'satisfaction', 'appeal'));

-- One appeal per complaint: the primary key is the "once" rule, under the lifecycle's own check.
CREATE TABLE complaint_appeals (
  complaint_id   uuid PRIMARY KEY REFERENCES complaints(id),
  -- The province whose supervision group decides (the complaint's place when it was appealed).
  province_id    integer REFERENCES provinces(id),
  unit_id        integer NOT NULL REFERENCES units(id),
  reason         text NOT NULL CHECK (length(reason) BETWEEN 3 AND 2000),
  appealed_at    timestamptz NOT NULL,
  due_at         timestamptz NOT NULL,
  decision       text CHECK (decision IN ('upheld', 'rejected')),
  decision_text  text CHECK (decision_text IS NULL OR length(decision_text) BETWEEN 3 AND 2000),
  decided_by     integer REFERENCES staff_users(id),
  decided_at     timestamptz,
  CHECK ((decision IS NULL) = (decided_at IS NULL) AND (decision IS NULL) = (decision_text IS NULL))
);
CREATE INDEX complaint_appeals_open ON complaint_appeals (province_id, due_at) WHERE decision IS NULL;

-- Per person: where their alerts go and when they are held back. Quiet hours are minutes of the
-- day in Tehran time; start > end spans midnight (22:00–07:00).
CREATE TABLE staff_alert_settings (
  user_id             integer PRIMARY KEY REFERENCES staff_users(id),
  channel             text NOT NULL DEFAULT 'web' CHECK (channel IN ('web', 'sms', 'telegram', 'bale')),
  -- A mobile number for SMS, a chat id for Telegram or Bale; none for the web app alone.
  address             text CHECK (address IS NULL OR length(address) BETWEEN 3 AND 64),
  quiet_start_minute  integer CHECK (quiet_start_minute BETWEEN 0 AND 1439),
  quiet_end_minute    integer CHECK (quiet_end_minute BETWEEN 0 AND 1439),
  -- A breach (the complaint went up a level) may still wake the person in quiet hours.
  urgent_overrides    boolean NOT NULL DEFAULT true,
  updated_at          timestamptz NOT NULL DEFAULT now(),
  CHECK (channel = 'web' OR address IS NOT NULL),
  CHECK ((quiet_start_minute IS NULL) = (quiet_end_minute IS NULL)),
  CHECK (quiet_start_minute IS NULL OR quiet_start_minute <> quiet_end_minute)
);
