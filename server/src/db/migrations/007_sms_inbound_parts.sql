-- Parts of concatenated SMS, stored before the SMSC is told they arrived (deliver_sm_resp), so
-- a crash while a long text is still incomplete loses nothing; a restart picks them up again.
CREATE TABLE sms_inbound_parts (
  set_key      text NOT NULL,
  seq          integer NOT NULL CHECK (seq >= 1),
  total        integer NOT NULL CHECK (total >= 1 AND total <= 255),
  source       text NOT NULL,
  ref          text NOT NULL,
  text         text NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (set_key, seq)
);
