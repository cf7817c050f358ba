-- 017: a card's fold costs nothing when there is nothing to fold.
--
-- Every report card folds the pending deltas first (so it is exact). With none pending, the fold
-- of 014 still took its lock and created and dropped a temporary table — catalogue writes and about
-- a millisecond and a half on every card. Now it looks first. A delta committed before this
-- statement is visible to the look; one being folded by another session (deleted, not yet
-- committed) is still visible too, so the card then waits on the lock for that fold, as before.
ALTER FUNCTION report_rollups_fold() RENAME TO report_rollups_fold_pending;
CREATE FUNCTION report_rollups_fold() RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM report_rollup_deltas) THEN
    RETURN 0;
  END IF;
  RETURN report_rollups_fold_pending();
END;
$$;
