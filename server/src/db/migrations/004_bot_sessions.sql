-- Messenger bots (Telegram, Bale): the conversation state of each chat, so a half-filed
-- complaint survives a restart and any instance can take the chat's next update.
-- `key` is "<channel>:<bot id>:<chat id>"; `data` is the bot's own JSON (the draft and the step).
-- Rows are small and short-lived: the bot ignores, and overwrites, a session older than a day.
CREATE TABLE IF NOT EXISTS bot_sessions (
  key text PRIMARY KEY,
  data jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS bot_sessions_updated_at ON bot_sessions (updated_at);
