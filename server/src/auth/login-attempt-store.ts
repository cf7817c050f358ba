import type { Queryable } from '../db/database.ts';

/** The sign-in attempts the throttles weigh (login-throttle.ts). */
export interface LoginAttemptCounts {
  /** Failures from this address at this username within the window. */
  pair: number;
  /** Failures from this address at any username within the window. */
  address: number;
  /** Failures at this username from anywhere within the window. */
  account: number;
  /** Whether this username signed in from this address within `familiarDays`. */
  familiar: boolean;
  secondsSinceAccountFailure: number | null;
}

/** Counts a username's and an address's sign-in attempts in the windows before `now` (the injected clock's). */
export async function loginAttemptCounts(
  db: Queryable,
  username: string,
  address: string,
  window: { windowMinutes: number; familiarDays: number },
  now: Date,
): Promise<LoginAttemptCounts> {
  const { rows } = await db.query<LoginAttemptCounts>(
    `SELECT
       (SELECT count(*)::int FROM login_attempts WHERE username = $1 AND address = $2 AND NOT ok AND at > $5::timestamptz - make_interval(mins => $4)) AS pair,
       (SELECT count(*)::int FROM login_attempts WHERE address = $2 AND NOT ok AND at > $5::timestamptz - make_interval(mins => $4)) AS address,
       (SELECT count(*)::int FROM login_attempts WHERE username = $1 AND NOT ok AND at > $5::timestamptz - make_interval(mins => $4)) AS account,
       EXISTS (SELECT 1 FROM login_attempts WHERE username = $1 AND address = $2 AND ok AND at > $5::timestamptz - make_interval(days => $3)) AS familiar,
       (SELECT extract(epoch FROM $5::timestamptz - max(at))::float8 FROM login_attempts WHERE username = $1 AND NOT ok) AS "secondsSinceAccountFailure"`,
    [username, address, window.familiarDays, window.windowMinutes, now],
  );
  return rows[0]!;
}

/** Records one sign-in attempt, successful or not, at `now` (the windows above count from it). */
export async function insertLoginAttempt(db: Queryable, username: string, address: string, ok: boolean, now: Date): Promise<void> {
  await db.query('INSERT INTO login_attempts (username, address, ok, at) VALUES ($1, $2, $3, $4)', [username, address, ok, now]);
}
