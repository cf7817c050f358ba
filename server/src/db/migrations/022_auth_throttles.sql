-- Abuse throttles for sign-in and one-time codes (issue 11, "Abuse"). Counters are kept per
-- requester address AND per target, so an attacker's guesses slow the attacker, not the owner.

-- Every wrong one-time-code guess: which code, which complaint, from which address.
CREATE TABLE otp_wrong_guesses (
  otp_id        bigint NOT NULL REFERENCES citizen_otps(id) ON DELETE CASCADE,
  complaint_id  uuid NOT NULL REFERENCES complaints(id),
  address       text NOT NULL,
  at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX otp_wrong_guesses_code ON otp_wrong_guesses (otp_id, address);
CREATE INDEX otp_wrong_guesses_address ON otp_wrong_guesses (address, at);

-- Staff sign-in attempts by typed username (known or not, so both behave the same) and address.
CREATE TABLE login_attempts (
  username  text NOT NULL,
  address   text NOT NULL,
  ok        boolean NOT NULL,
  at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_attempts_user ON login_attempts (username, at);
CREATE INDEX login_attempts_address ON login_attempts (address, at);
