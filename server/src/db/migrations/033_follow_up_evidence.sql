-- Closure with evidence (docs/pages.md, "Closure with evidence"): a category whose answers must
-- carry a photo from the office. The staff answer is refused without one (complaints/staff-actions.ts).
ALTER TABLE categories ADD COLUMN answer_needs_evidence boolean NOT NULL DEFAULT false;

-- Satisfaction follow-up calls (docs/follow-up-calls.md). One row per drawn week: the draw and its
-- calls are written in one transaction that first claims this row, so a week is drawn once
-- across every instance.
CREATE TABLE follow_up_draws (
  week_start date PRIMARY KEY,
  drawn_at   timestamptz NOT NULL DEFAULT now(),
  calls      integer NOT NULL CHECK (calls >= 0)
);

-- A closed complaint the 128 operators are to call, and what the call found. The outcome is also
-- a chained event on the complaint (follow_up_recorded); this row is the queue and the tally.
CREATE TABLE follow_up_calls (
  id           bigserial PRIMARY KEY,
  week_start   date NOT NULL REFERENCES follow_up_draws(week_start),
  complaint_id uuid NOT NULL REFERENCES complaints(id),
  -- The office that closed the complaint: the card counts the call for it.
  unit_id      integer NOT NULL REFERENCES units(id),
  outcome      text CHECK (outcome IN ('reached_satisfied', 'reached_not_satisfied', 'not_reachable')),
  attempts     integer CHECK (attempts BETWEEN 1 AND 20),
  called_by    integer REFERENCES staff_users(id),
  called_at    timestamptz,
  UNIQUE (week_start, complaint_id),
  CHECK ((outcome IS NULL) = (called_at IS NULL) AND (outcome IS NULL) = (called_by IS NULL)),
  CHECK (outcome IS DISTINCT FROM 'not_reachable' OR attempts IS NOT NULL)
);
CREATE INDEX follow_up_calls_due ON follow_up_calls (week_start) WHERE outcome IS NULL;
CREATE INDEX follow_up_calls_unit ON follow_up_calls (unit_id, week_start);
