-- Staff merge duplicates by hand: a duplicate is closed with the outcome 'merged' and points at
-- the case it joined; splitting it off again clears both. A complaint merged before triage has
-- no unit, so a closed complaint needs a unit only when it was not merged.
ALTER TABLE complaints ADD COLUMN merged_into_id uuid REFERENCES complaints(id);
ALTER TABLE complaints DROP CONSTRAINT complaints_outcome_check;
ALTER TABLE complaints ADD CONSTRAINT complaints_outcome_check CHECK (outcome IN ('satisfied', 'no_rating', 'rejected', 'merged'));
ALTER TABLE complaints ADD CONSTRAINT complaints_merged CHECK ((outcome = 'merged') = (merged_into_id IS NOT NULL));
ALTER TABLE complaints ADD CONSTRAINT complaints_merged_closed CHECK (merged_into_id IS NULL OR status = 'closed');
ALTER TABLE complaints ADD CONSTRAINT complaints_not_merged_into_itself CHECK (merged_into_id <> id);

-- The unnamed CHECK of 001 that wants a unit on every routed or closed complaint: found by its
-- text (its generated name is not something to rely on), replaced by one that allows a merged
-- complaint without a unit.
DO $$
DECLARE
  found text;
BEGIN
  SELECT conname INTO found FROM pg_constraint
  WHERE conrelid = 'complaints'::regclass AND contype = 'c'
    AND pg_get_constraintdef(oid) LIKE '%''answered''::text, ''closed''::text%unit_id IS NOT NULL%';
  IF found IS NULL THEN
    RAISE EXCEPTION 'the unit-on-routed-complaints constraint was not found';
  END IF;
  EXECUTE format('ALTER TABLE complaints DROP CONSTRAINT %I', found);
END $$;
ALTER TABLE complaints ADD CONSTRAINT complaints_routed_unit
  CHECK (status NOT IN ('referred', 'assigned', 'in_progress', 'answered', 'closed') OR unit_id IS NOT NULL OR outcome = 'merged');

CREATE INDEX complaints_merged_into ON complaints (merged_into_id) WHERE merged_into_id IS NOT NULL;
