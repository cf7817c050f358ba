import { AppError } from '../core/errors.ts';
import type { Queryable } from '../db/database.ts';
import { insertLoginAttempt, loginAttemptCounts } from './login-attempt-store.ts';

/**
 * Sign-in throttles. Counted by the username as typed (known or not, so an unknown name behaves
 * exactly like a real one) and by the requester's address. Nothing here locks an account: the
 * owner signing in from an address they used before is only subject to that address's own
 * counter, and anyone else meets an account-wide slowdown, not a wall.
 */
const WINDOW_MINUTES = 15;
/** Wrong passwords (or codes) from one address for one username before that pair waits. */
const PER_ADDRESS_AND_ACCOUNT = 5;
/** Wrong passwords from one address across all usernames (password spraying). */
const PER_ADDRESS = 15;
/** Failures at one account from everywhere before unfamiliar addresses are slowed down… */
const ACCOUNT_WIDE = 10;
/** …to one attempt per this many seconds at that account. */
const ACCOUNT_SLOWDOWN_SECONDS = 30;
/** An address the account signed in from successfully within this many days is familiar. */
const FAMILIAR_DAYS = 30;

/** Refuses with 429 when this address, or an unfamiliar address at a busy account, must wait. */
export async function checkLoginThrottle(db: Queryable, username: string, address: string, now: Date): Promise<void> {
  const c = await loginAttemptCounts(db, username, address, { windowMinutes: WINDOW_MINUTES, familiarDays: FAMILIAR_DAYS }, now);
  if (c.pair >= PER_ADDRESS_AND_ACCOUNT || c.address >= PER_ADDRESS) throw new AppError('rate_limited', { retryAfterSeconds: 900 });
  const busy = c.account >= ACCOUNT_WIDE && !c.familiar;
  if (busy && c.secondsSinceAccountFailure !== null && c.secondsSinceAccountFailure < ACCOUNT_SLOWDOWN_SECONDS) {
    throw new AppError('rate_limited', { retryAfterSeconds: ACCOUNT_SLOWDOWN_SECONDS });
  }
}

/** Records one sign-in attempt (what the throttles count). */
export async function recordLoginAttempt(db: Queryable, username: string, address: string, ok: boolean, now: Date): Promise<void> {
  await insertLoginAttempt(db, username, address, ok, now);
}
