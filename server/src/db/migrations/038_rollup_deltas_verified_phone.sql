-- 038: the rollup deltas get back verified_phone (031), which 036 lost.
--
-- 036 recreated report_rollup_deltas as a partitioned table from the column list it was written
-- against, before 031 had merged, so the table lost verified_phone while 031's contribution
-- (report_contribute) still inserts it: every complaint write failed with "column verified_phone
-- does not exist". 036 now keeps the column, so on a new database this does nothing; a database
-- that ran the first 036 gets the column back here (on the parent: every partition gets it). The
-- deltas that 036 copied were pending a fold of a few seconds, so at most a handful of
-- verified_phone counts were lost there, which `SELECT report_rollups_rebuild()` recounts.
ALTER TABLE report_rollup_deltas ADD COLUMN IF NOT EXISTS verified_phone smallint NOT NULL DEFAULT 0;
