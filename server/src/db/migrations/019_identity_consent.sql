-- Since 1 Aban 1404 the complainant's name and phone reach the agency complained about only with
-- the citizen's consent. Default off on every channel; the choice is recorded in the complaint's
-- `received` event (so it is in the hash chain) and here, where the rule below reads it.
ALTER TABLE complaints ADD COLUMN share_identity boolean NOT NULL DEFAULT false;

-- Who may read a complainant's contact, decided in the database: the 128 centre (operators), the
-- supervisors and the national admin always (their reads are audited); the agency's own staff
-- only when the citizen agreed and the complaint is not confidential.
CREATE FUNCTION contact_readable(role text, share_identity boolean, confidential boolean) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN role IN ('national_admin', 'provincial_supervisor', 'operator') THEN true
    WHEN role IN ('inspection_head', 'leader_senior', 'leader_middle', 'leader_county', 'responder') THEN share_identity AND NOT confidential
    ELSE false
  END
$$;
