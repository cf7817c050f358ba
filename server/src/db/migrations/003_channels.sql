-- Channels: an SMS or a bot message may arrive without a place; the 128 operators set it at
-- triage. A complaint with a unit always has a province.
ALTER TABLE complaints ALTER COLUMN province_id DROP NOT NULL;
ALTER TABLE complaints ADD CONSTRAINT complaints_place CHECK (province_id IS NOT NULL OR unit_id IS NULL);

-- Where answers go back: the messenger chat a complaint came from (SMS uses the contact phone).
ALTER TABLE complaints ADD COLUMN reply_channel text CHECK (reply_channel IN ('sms', 'telegram', 'bale'));
ALTER TABLE complaints ADD COLUMN reply_address text;
ALTER TABLE complaints ADD CONSTRAINT complaints_reply CHECK ((reply_channel IS NULL) = (reply_address IS NULL));
