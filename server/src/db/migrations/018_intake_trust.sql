-- Intake never answers with someone else's complaint (issue 11). Every submission is a complaint
-- of its own with its own tracking code; when the same phone writes again about the same agency
-- while a case is open, the new complaint is only LINKED to that case (case_of_id), which staff
-- in scope see on both and the citizen sees only after proving the phone with a one-time code.
ALTER TABLE complaints ADD COLUMN case_of_id uuid REFERENCES complaints(id);
ALTER TABLE complaints ADD CONSTRAINT complaints_case_not_itself CHECK (case_of_id <> id);
CREATE INDEX complaints_case_of ON complaints (case_of_id) WHERE case_of_id IS NOT NULL;

-- Whether the complainant's phone was proved by who sent it (an operator's call with caller id,
-- the SMS sender, a contact shared in a bot, a one-time code) rather than typed into a form.
-- Accountability tools say how many of their complaints rest on a proved phone.
ALTER TABLE complaints ADD COLUMN phone_verified boolean NOT NULL DEFAULT false;
UPDATE complaints SET phone_verified = true WHERE channel = 'sms' OR (channel = 'phone' AND operator_id IS NOT NULL);

-- How many of an employee/unit alert's complaints came from a proved phone.
ALTER TABLE hotspot_alerts ADD COLUMN verified_count integer NOT NULL DEFAULT 0;
