-- 044: one-time codes that link a staff member's Telegram or Bale chat to their alerts.
--
-- The alerts page («اعلان‌ها») gives a short code; the person sends it to the bot (`/start <code>`
-- through a deep link, or the code alone) and the bot records that chat as their alert address
-- (staff_alert_settings). One code per person (a new one replaces the old), kept only as a keyed
-- hash, valid for minutes and taken (deleted) by the one chat that uses it.
CREATE TABLE staff_chat_link_codes (
  user_id     integer PRIMARY KEY REFERENCES staff_users(id) ON DELETE CASCADE,
  code_hash   text NOT NULL UNIQUE,
  expires_at  timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (expires_at > created_at)
);
