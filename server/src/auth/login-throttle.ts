import { AppError } from '../core/errors.ts';
import type { Queryable } from '../db/database.ts';

/**
 * Sign-in throttles. Counted by the username as typed (known or not, so an unknown name behaves
 * exactly like a real one) and by the requester's address. Nothing here locks an account: the
 * owner signing in from an address they used before is only subject to that address's own
 * counter, and anyone else meets an account-wide slowdown, not a wall.
 */
const WINDOW = "interval '15 minutes'";
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

interface Counts {
  pair: number;
  address: number;
  account: number;
  familiar: boolean;
  secondsSinceAccountFailure: number | null;
}

/** Refuses with 429 when this address, or an unfamiliar address at a busy account, must wait. */
export async function checkLoginThrottle(db: Queryable, username: string, address: string): Promise<void> {
  const { rows } = await db.query<Counts>(
    `SELECT
       (SELECT count(*)::int FROM login_attempts WHERE username = $1 AND address = $2 AND NOT ok AND at > now() - ${WINDOW}) AS pair,
       (SELECT count(*)::int FROM login_attempts WHERE address = $2 AND NOT ok AND at > now() - ${WINDOW}) AS address,
       (SELECT count(*)::int FROM login_attempts WHERE username = $1 AND NOT ok AND at > now() - ${WINDOW}) AS account,
       EXISTS (SELECT 1 FROM login_attempts WHERE username = $1 AND address = $2 AND ok AND at > now() - make_interval(days => $3)) AS familiar,
       (SELECT extract(epoch FROM now() - max(at))::float8 FROM login_attempts WHERE username = $1 AND NOT ok) AS "secondsSinceAccountFailure"`,
    [username, address, FAMILIAR_DAYS],
  );
  const c = rows[0]!;
  if (c.pair >= PER_ADDRESS_AND_ACCOUNT || c.address >= PER_ADDRESS) throw new AppError('rate_limited', { retryAfterSeconds: 900 });
  const busy = c.account >= ACCOUNT_WIDE && !c.familiar;
  if (busy && c.secondsSinceAccountFailure !== null && c.secondsSinceAccountFailure < ACCOUNT_SLOWDOWN_SECONDS) {
    throw new AppError('rate_limited', { retryAfterSeconds: ACCOUNT_SLOWDOWN_SECONDS });
  }
}

export async function recordLoginAttempt(db: Queryable, username: string, address: string, ok: boolean): Promise<void> {
  await db.query('INSERT INTO login_attempts (username, address, ok) VALUES ($1, $2, $3)', [username, address, ok]);
}
