-- Open311 showed the tracking code, which is a secret (it unlocks the one-time-code SMS to the
-- citizen), and listed every complaint. Open311 now shows a separate public id: 128 random bits
-- (gen_random_uuid draws from the server's strong random source), unrelated to the tracking
-- code, so knowing one says nothing about the other and ids cannot be guessed. The volatile
-- default gives every existing complaint its own id as the column is added (the backfill), and
-- every new one at insert time without the intake code naming it.
ALTER TABLE complaints ADD COLUMN public_id text NOT NULL DEFAULT replace(gen_random_uuid()::text, '-', '');
ALTER TABLE complaints ADD CONSTRAINT complaints_public_id UNIQUE (public_id);

-- The citizen's consent to list the complaint publicly (Open311 lists, the status of a request
-- by its public id). Not public unless they said so; a confidential complaint is never listed.
ALTER TABLE complaints ADD COLUMN public_listing boolean NOT NULL DEFAULT false;
CREATE INDEX complaints_public_listing ON complaints (created_at DESC) WHERE public_listing AND NOT confidential;
