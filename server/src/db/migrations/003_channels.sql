-- Channels: an SMS or a bot message may arrive without a place; the 128 operators set it at
-- triage. A complaint with a unit always has a province.
ALTER TABLE complaints ALTER COLUMN province_id DROP NOT NULL;
ALTER TABLE complaints ADD CONSTRAINT complaints_place CHECK (province_id IS NOT NULL OR unit_id IS NULL);
