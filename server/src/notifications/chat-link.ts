import { createHmac, randomInt } from 'node:crypto';
import type { Database, Queryable } from '../db/database.ts';
import { toAsciiDigits } from '../domain/persian-text.ts';
import { putLinkCode, setAlertChat, takeLinkCode } from './chat-link-store.ts';

/** How long a link code works. */
export const LINK_CODE_MINUTES = 15;

/** Letters and digits that cannot be mistaken for one another (no 0/O, 1/I/L): easy to read off a screen and type. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const LENGTH = 8;
const SHAPE = new RegExp(`^[${ALPHABET}]{${LENGTH}}$`);

/** A code as typed (any case, spaces or dashes, Persian digits) in its canonical form, or null when it cannot be a code. */
export function normaliseLinkCode(text: string): string | null {
  const code = toAsciiDigits(text)
    .replace(/[\s\-‐-―_]/g, '')
    .toUpperCase();
  return SHAPE.test(code) ? code : null;
}

// A keyed hash, as auth/tokens.ts makes them (not imported: auth already depends on notifications through events).
const hashOf = (code: string, secret: string) => createHmac('sha256', secret).update(`chat-link:${code}`).digest('hex');

/**
 * A fresh one-time code that links the person's Telegram or Bale chat to their alerts (any earlier
 * code of theirs stops working). Only its keyed hash is stored.
 */
export async function issueLinkCode(db: Queryable, secret: string, userId: number, now: Date): Promise<{ code: string; expiresAt: Date }> {
  const code = Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  const expiresAt = new Date(now.getTime() + LINK_CODE_MINUTES * 60_000);
  await putLinkCode(db, userId, hashOf(code, secret), now, expiresAt);
  return { code, expiresAt };
}

/**
 * A chat sent a code: if it is live, that chat becomes its owner's alert address on this
 * messenger (quiet hours kept) and the code is used up; a wrong or expired code changes nothing.
 * Returns the owner's id, or null.
 */
export async function redeemLinkCode(
  db: Database,
  secret: string,
  input: { code: string; channel: 'telegram' | 'bale'; chatId: string },
  now: Date,
): Promise<number | null> {
  const code = normaliseLinkCode(input.code);
  if (!code) return null;
  return db.transaction(async (tx) => {
    const userId = await takeLinkCode(tx, hashOf(code, secret), now);
    if (userId !== null) await setAlertChat(tx, userId, input.channel, input.chatId, now);
    return userId;
  });
}
