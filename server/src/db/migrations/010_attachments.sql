-- Photos, videos and voice notes on complaints. The bytes live in the attachment storage (local
-- disk or S3-compatible); this row is the record of what was stored, by whom, and where.
CREATE TABLE attachments (
  id              uuid PRIMARY KEY,
  complaint_id    uuid NOT NULL REFERENCES complaints(id),
  kind            text NOT NULL CHECK (kind IN ('image', 'video', 'voice')),
  mime            text NOT NULL CHECK (mime ~ '^[a-z]+/[a-z0-9.+-]+$'),
  size_bytes      bigint NOT NULL CHECK (size_bytes > 0),
  sha256          text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  storage_key     text NOT NULL UNIQUE,
  thumbnail_key   text UNIQUE,
  width           integer CHECK (width > 0),
  height          integer CHECK (height > 0),
  source          text NOT NULL CHECK (source IN ('web', 'staff', 'telegram', 'bale')),
  -- What the channel calls the file (a Bot API file_unique_id): a redelivered file is stored once.
  source_ref      text,
  uploaded_by_kind text NOT NULL CHECK (uploaded_by_kind IN ('citizen', 'staff', 'system')),
  uploaded_by_id  integer REFERENCES staff_users(id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK ((uploaded_by_kind = 'staff') = (uploaded_by_id IS NOT NULL)),
  -- Only images are re-encoded and get a thumbnail.
  CHECK (kind = 'image' OR (thumbnail_key IS NULL AND width IS NULL AND height IS NULL)),
  CHECK (kind <> 'image' OR thumbnail_key IS NOT NULL)
);
CREATE INDEX attachments_complaint ON attachments (complaint_id, created_at);
CREATE UNIQUE INDEX attachments_source_ref ON attachments (complaint_id, source, source_ref) WHERE source_ref IS NOT NULL;
