-- 030: one-time codes bound to the browser that asked for them, and browsers that proved
-- ownership. A code issued to a browser (its `foad_device` cookie, stored as a keyed hash) is
-- checked only for that browser, so nobody else's guesses reach it; codes asked without the
-- cookie (API clients) keep device_hash NULL and are shared by such clients. A browser that
-- once verified a code for a complaint is its owner's device: its requests draw on a budget of
-- their own (owner_budget) that other requesters cannot spend.
ALTER TABLE citizen_otps ADD COLUMN device_hash text;
ALTER TABLE citizen_otps ADD COLUMN address text;
ALTER TABLE citizen_otps ADD COLUMN owner_budget boolean NOT NULL DEFAULT false;
CREATE INDEX citizen_otps_device ON citizen_otps (complaint_id, device_hash, created_at DESC);
CREATE INDEX citizen_otps_address ON citizen_otps (address, created_at);

CREATE TABLE citizen_owner_devices (
  complaint_id  uuid NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,
  device_hash   text NOT NULL,
  verified_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (complaint_id, device_hash)
);
