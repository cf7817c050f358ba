-- 038: the rollup deltas get back verified_phone (031), which 036 lost.
--
-- 036 recreated report_rollup_deltas as a partitioned table from the column list it was written
-- against, before 031 had merged, so the table lost verified_phone while 031's contribution
-- (report_contribute) still inserts it: every complaint write failed with "column verified_phone
-- does not exist". The column comes back here (on the parent: every partition gets it). 036 is
-- left as it ran; the deltas it copied were pending a fold of a few seconds, so at most a handful
-- of verified_phone counts were lost, which `SELECT report_rollups_rebuild()` recounts.
ALTER TABLE report_rollup_deltas ADD COLUMN IF NOT EXISTS verified_phone smallint NOT NULL DEFAULT 0;
