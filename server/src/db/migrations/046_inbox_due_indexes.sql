-- 046: the staff inbox's page by due date without a pass over the whole scope (issue 14).
--
-- The queue orders a scope's complaints by `due_at ASC NULLS LAST, created_at, id`
-- (complaints/store.ts listComplaints). With these indexes a page is read in that order and
-- stops after 25 rows: a provincial supervisor's through (province_id, due_at, …); a unit's
-- either through its path range (unit_path, due_at, …: small subtrees, sorted in memory) or by
-- walking (due_at, …) and keeping its own (large subtrees, which fill a page quickly) — the
-- planner picks by the subtree's size, so neither end costs a pass over a million rows.
--
-- NEEDS A WINDOW on a large database: CREATE INDEX takes a SHARE lock on `complaints` (intake
-- and every staff action wait) for the three builds, ~1–2 minutes each at six million rows. To
-- avoid the window, build them first by hand with the same names and definitions using
-- `CREATE INDEX CONCURRENTLY` (outside a transaction); this migration then finds them and does
-- nothing (IF NOT EXISTS).
CREATE INDEX IF NOT EXISTS complaints_province_due ON complaints (province_id, due_at, created_at, id);
CREATE INDEX IF NOT EXISTS complaints_unit_path_due ON complaints (unit_path text_pattern_ops, due_at, created_at, id);
CREATE INDEX IF NOT EXISTS complaints_due ON complaints (due_at, created_at, id);
