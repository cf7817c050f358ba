-- 029: a staff TOTP code is accepted once. The time step (unix seconds / 30) of the last code
-- accepted for a user; a code whose step is not after it is a replay. Claimed in one conditional
-- UPDATE, so of two sign-ins racing with the same code exactly one wins.
ALTER TABLE staff_users ADD COLUMN totp_last_step bigint;
