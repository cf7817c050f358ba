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

/** Counts a username's and an address's recent sign-in attempts. */
export async function loginAttemptCounts(
  db: Queryable,
  username: string,
  address: string,
  window: { windowMinutes: number; familiarDays: number },
): Promise<LoginAttemptCounts> {
  const { rows } = await db.query<LoginAttemptCounts>(
    `SELECT
       (SELECT count(*)::int FROM login_attempts WHERE username = $1 AND address = $2 AND NOT ok AND at > now() - make_interval(mins => $4)) AS pair,
       (SELECT count(*)::int FROM login_attempts WHERE address = $2 AND NOT ok AND at > now() - make_interval(mins => $4)) AS address,
       (SELECT count(*)::int FROM login_attempts WHERE username = $1 AND NOT ok AND at > now() - make_interval(mins => $4)) AS account,
       EXISTS (SELECT 1 FROM login_attempts WHERE username = $1 AND address = $2 AND ok AND at > now() - make_interval(days => $3)) AS familiar,
       (SELECT extract(epoch FROM now() - max(at))::float8 FROM login_attempts WHERE username = $1 AND NOT ok) AS "secondsSinceAccountFailure"`,
    [username, address, window.familiarDays, window.windowMinutes],
  );
  return rows[0]!;
}

/** Records one sign-in attempt, successful or not. */
export async function insertLoginAttempt(db: Queryable, username: string, address: string, ok: boolean): Promise<void> {
  await db.query('INSERT INTO login_attempts (username, address, ok) VALUES ($1, $2, $3)', [username, address, ok]);
}
