import type { Queryable } from '../db/database.ts';

/** Stores a person's link code (its hash), replacing any earlier one: one code per person. */
export async function putLinkCode(db: Queryable, userId: number, codeHash: string, now: Date, expiresAt: Date): Promise<void> {
  await db.query(
    `INSERT INTO staff_chat_link_codes (user_id, code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (user_id) DO UPDATE SET code_hash = $2, created_at = $3, expires_at = $4`,
    [userId, codeHash, now, expiresAt],
  );
}

/** Takes a live code (deletes it, so it works once) and returns whose it was; null for a wrong or expired one (left as it is). */
export async function takeLinkCode(db: Queryable, codeHash: string, now: Date): Promise<number | null> {
  const { rows } = await db.query<{ userId: number }>(
    `DELETE FROM staff_chat_link_codes WHERE code_hash = $1 AND expires_at > $2 RETURNING user_id AS "userId"`,
    [codeHash, now],
  );
  return rows[0]?.userId ?? null;
}

/** Sends a person's alerts to a messenger chat, keeping their quiet hours and urgent setting; stamped `now`. */
export async function setAlertChat(db: Queryable, userId: number, channel: 'telegram' | 'bale', chatId: string, now: Date): Promise<void> {
  await db.query(
    `INSERT INTO staff_alert_settings (user_id, channel, address, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (user_id) DO UPDATE SET channel = $2, address = $3, updated_at = $4`,
    [userId, channel, chatId, now],
  );
}
