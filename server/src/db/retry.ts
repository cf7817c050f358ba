import type pg from 'pg';

/**
 * What a failover looks like from the pool: the old primary's sessions are cut (HAProxy's
 * on-marked-down shutdown-sessions, or the server going away), new connections are refused or
 * closed until the new primary is up, and a node that is still in recovery refuses writes.
 */
const CONNECTION_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTCONN', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '25006']);

export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08'))) return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error|server closed the connection/i.test(error.message);
}

/** A statement that only reads: a retry after a lost connection cannot do anything twice. */
export function isReadOnly(text: string): boolean {
  return (
    /^\s*(select|with|show|values)\b/i.test(text) &&
    !/\b(insert|update|delete|merge|nextval|setval|pg_notify|for\s+(no\s+key\s+)?update|for\s+(key\s+)?share|pg_advisory)/i.test(text)
  );
}

export interface RetryPolicy {
  /** How long to keep trying before giving the error to the caller (a failover takes 5–30 s). */
  budgetMs: number;
  /** First pause between attempts; doubles up to one second. */
  firstDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { budgetMs: 20_000, firstDelayMs: 100 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` again while it fails with a connection error and `retryable(error)` says a
 * repeat is harmless, within the time budget. Any other error goes to the caller at once.
 */
export async function withRetry<T>(attempt: () => Promise<T>, retryable: (error: unknown) => boolean, policy: RetryPolicy = DEFAULT_RETRY): Promise<T> {
  const deadline = Date.now() + policy.budgetMs;
  let delay = policy.firstDelayMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!isConnectionError(error) || !retryable(error) || Date.now() + delay > deadline) throw error;
      await sleep(delay);
      delay = Math.min(delay * 2, 1_000);
    }
  }
}

/** Marks an error as raised before anything was sent (so repeating the work is always safe). */
export class NothingSent extends Error {
  constructor(override readonly cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.code = (cause as { code?: string }).code;
  }
  code: string | undefined;
}

/** A pooled client, with the cause kept when connecting itself failed. */
export async function connectMarked(pool: pg.Pool): Promise<pg.PoolClient> {
  try {
    return await pool.connect();
  } catch (error) {
    throw new NothingSent(error);
  }
}

/** A client whose connection broke goes back to the pool destroyed, never handed out again. */
export function releaseClient(client: pg.PoolClient, error: unknown): void {
  client.release(error !== undefined && isConnectionError(error) ? (error as Error) : undefined);
}

/** The original error for a caller (not our wrapper). */
export function unwrap(error: unknown): unknown {
  return error instanceof NothingSent ? error.cause : error;
}
