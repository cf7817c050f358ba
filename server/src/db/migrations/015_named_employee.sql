-- The employee a citizen names, as they wrote it (tidied): what inspectors read. `named_employee`
-- (013) is its grouping key — titles dropped, letter forms unified — which the hotspot detector
-- counts. Both or neither. Neither is ever shown in public outputs, and the event chain keeps only
-- a digest of the pair (domain/named-employee.ts), so a name can still be corrected or erased.
ALTER TABLE complaints ADD COLUMN named_employee_text text
  CHECK (named_employee_text IS NULL OR length(named_employee_text) BETWEEN 2 AND 120);
-- Nothing wrote named_employee before this migration; if anything did, its key is the best text there is.
UPDATE complaints SET named_employee_text = named_employee WHERE named_employee IS NOT NULL AND named_employee_text IS NULL;
-- A random salt per name written, in the chain's digest of it and overwritten on correction or
-- erasure, so the digests the append-only chain keeps cannot be matched against guessed surnames.
ALTER TABLE complaints ADD COLUMN named_employee_salt text;
UPDATE complaints SET named_employee_salt = md5(random()::text) WHERE named_employee IS NOT NULL AND named_employee_salt IS NULL;
ALTER TABLE complaints ADD CONSTRAINT complaints_named_employee_pair
  CHECK ((named_employee IS NULL) = (named_employee_text IS NULL) AND (named_employee IS NULL) = (named_employee_salt IS NULL));
