import type pg from 'pg';
import type { Database } from './database.ts';
import { isConnectionError } from './retry.ts';

/** How far behind a replica may be before stale-tolerant reads leave it, and how often that is measured. */
export interface ReplicaSettings {
  maxLagSeconds: number;
  checkIntervalMs: number;
}

/** Where `Database.reads` sent its queries, and why. */
export interface ReadRouting {
  /** Queries run through `reads`, per pool; `fallbacks` counts replica failures answered by the primary. */
  counts: { replica: number; primary: number; fallbacks: number };
  /** Whether reads go to the replica now, its last measured lag (s), and why not when they do not. */
  state(): { usable: boolean; lagSeconds: number | null; reason: string };
  /** Measures the replica's lag now (a timer does it every `checkIntervalMs`). */
  check(): Promise<void>;
}

/**
 * The replica's replay lag in seconds. `now() - pg_last_xact_replay_timestamp()` alone grows
 * while the primary is idle (nothing to replay), so a replica that is streaming and has replayed
 * everything it received counts as 0. A replica whose stream broke falls back to the timestamp:
 * it leaves the routing once the primary has written something it has not seen for the bound.
 * A server that is not in recovery (a test pointing the replica URL at the primary) is 0.
 */
const LAG_SQL = `SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()
         AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') THEN 0
    ELSE COALESCE(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 1e9)
  END::float8 AS lag`;

/** A SQL error the server answered (it is up); anything else means the replica could not be reached. */
function serverAnswered(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && !isConnectionError(error);
}

/**
 * Gives `primary` a `reads` handle that sends its queries to `replica` while the replica is up
 * and within `maxLagSeconds`, and to the primary otherwise. A read that fails on the replica is
 * run again on the primary (harmless: it is a read; it also covers a query cancelled on the
 * replica by a conflict with recovery), and a replica that cannot be reached leaves the routing
 * until the next check finds it back. Writes, transactions and read-after-write stay on
 * `primary.pool`: only callers that chose `reads` are routed.
 */
export async function withReadReplica(primary: Database, replica: Database, settings: ReplicaSettings): Promise<Database> {
  const counts = { replica: 0, primary: 0, fallbacks: 0 };
  let usable = false;
  let lagSeconds: number | null = null;
  let reason = 'not checked yet';
  const primaryQuery = primary.pool.query.bind(primary.pool) as (...args: unknown[]) => Promise<unknown>;
  const replicaQuery = replica.pool.query.bind(replica.pool) as (...args: unknown[]) => Promise<unknown>;
  const markDown = (why: string) => {
    usable = false;
    reason = why;
  };
  const check = async () => {
    try {
      const { rows } = await replica.pool.query<{ lag: number }>(LAG_SQL);
      lagSeconds = rows[0]?.lag ?? null;
      if (lagSeconds !== null && lagSeconds <= settings.maxLagSeconds) {
        usable = true;
        reason = 'ok';
      } else markDown(`replay lag ${lagSeconds ?? '?'} s over ${settings.maxLagSeconds} s`);
    } catch (error) {
      lagSeconds = null;
      markDown(`unreachable: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const query = async (...args: unknown[]) => {
    if (usable) {
      counts.replica++;
      try {
        return await replicaQuery(...args);
      } catch (error) {
        if (!serverAnswered(error)) markDown(`unreachable: ${error instanceof Error ? error.message : String(error)}`);
        counts.fallbacks++;
      }
    }
    counts.primary++;
    return primaryQuery(...args);
  };
  await check();
  const timer = setInterval(() => void check(), settings.checkIntervalMs);
  timer.unref();
  const routing: ReadRouting = { counts, state: () => ({ usable, lagSeconds, reason }), check };
  return {
    ...primary,
    reads: { query } as unknown as Pick<pg.Pool, 'query'>,
    readRouting: routing,
    async close() {
      clearInterval(timer);
      await replica.close().catch(() => undefined);
      await primary.close();
    },
  };
}
