-- 048: the inbox's bounded count by status without a pass over the scope (issue 14).
--
-- The queue's default view counts what awaits staff in the viewer's scope, up to 10,001 rows
-- (complaints/store.ts listComplaints, LIST_COUNT_CAP). With a full national year in place that
-- count was the page's whole cost for a provincial supervisor of Tehran (a million complaints in
-- scope): 1.4 s, a bitmap AND of the status and province indexes and a heap pass, while the page
-- itself took 25 ms. With (scope, status) indexes the count is an index-only range read.
--
-- NEEDS A WINDOW on a large database, as 046 does: CREATE INDEX takes a SHARE lock on
-- `complaints` (intake and staff actions wait), about a minute each at six million rows. To avoid
-- it, build them first with `CREATE INDEX CONCURRENTLY` under the same names and definitions;
-- this migration then finds them and does nothing (IF NOT EXISTS).
CREATE INDEX IF NOT EXISTS complaints_province_status ON complaints (province_id, status);
CREATE INDEX IF NOT EXISTS complaints_unit_path_status ON complaints (unit_path text_pattern_ops, status);
