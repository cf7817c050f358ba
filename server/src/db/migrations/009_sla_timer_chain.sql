-- Each clock keeps ONE pending row: its next stage, with the stages after it in `later` (fixed
-- when the clock starts, so a calendar change does not move a running clock). Firing a stage
-- writes the next one as a new row. Intake and every escalation write two rows instead of six.
-- Rows written before this keep `later` empty and fire as they are.
ALTER TABLE sla_timers ADD COLUMN later jsonb NOT NULL DEFAULT '[]'::jsonb;
