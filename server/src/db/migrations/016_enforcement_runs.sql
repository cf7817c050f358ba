-- Every run of the enforcement rules, scheduled or manual. The schedule runs the rules once for
-- each Jalali month after it has ended in Tehran plus a settle delay, across all instances: an
-- instance claims a month by inserting its 'running' row, and the partial unique index lets only
-- one scheduled row per month be running or done. A failed attempt stays as a 'failed' row (the
-- failure is visible) and a later tick inserts the next attempt, after a backoff.
CREATE TABLE enforcement_runs (
  id            serial PRIMARY KEY,
  -- the Jalali month (YYYY-MM) the run's suggestions are about
  period        text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  trigger       text NOT NULL CHECK (trigger IN ('schedule', 'manual')),
  -- the national admin who ran it by hand
  requested_by  integer REFERENCES staff_users(id),
  -- the instant the rules were evaluated as of (a scheduled run: the end of its month)
  as_of         timestamptz NOT NULL,
  attempt       integer NOT NULL DEFAULT 1 CHECK (attempt >= 1),
  status        text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'failed')),
  started_at    timestamptz NOT NULL,
  finished_at   timestamptz,
  -- suggestions the run created (new enforcement_actions rows)
  created       integer CHECK (created >= 0),
  error         text CHECK (length(error) <= 2000),
  CHECK ((trigger = 'manual') = (requested_by IS NOT NULL)),
  CHECK ((status = 'running') = (finished_at IS NULL)),
  CHECK ((status = 'done') = (created IS NOT NULL)),
  CHECK ((status = 'failed') = (error IS NOT NULL))
);
-- The schedule runs a month once: one scheduled row per month that is running or done...
CREATE UNIQUE INDEX enforcement_runs_scheduled_once ON enforcement_runs (period) WHERE trigger = 'schedule' AND status <> 'failed';
-- ...and each attempt once, so two instances that saw the same failure do not both retry it.
CREATE UNIQUE INDEX enforcement_runs_attempt ON enforcement_runs (period, attempt) WHERE trigger = 'schedule';
CREATE INDEX enforcement_runs_recent ON enforcement_runs (started_at DESC, id DESC);
