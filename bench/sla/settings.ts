import { envInt, loopbackDatabaseUrl } from '../lib.ts';

/** The SLA bench's settings, from the environment (see run.ts). */

export const COMPLAINTS = envInt('BENCH_COMPLAINTS', 100_000, 1, 10_000_000);
export const WINDOW_SECONDS = envInt('BENCH_WINDOW_SECONDS', 60, 1, 3600);
export const INSTANCES = envInt('BENCH_INSTANCES', 2, 1, 32);
export const POOL_SIZE = envInt('BENCH_POOL_SIZE', 10, 2, 200);
export const BATCH_SIZE = envInt('BENCH_BATCH_SIZE', 200, 1, 100_000);
/** How far a lane's batch may grow while full (default: no growth). */
export const MAX_BATCH_SIZE = envInt('BENCH_MAX_BATCH_SIZE', BATCH_SIZE, BATCH_SIZE, 100_000);
export const INTERVAL_MS = envInt('BENCH_INTERVAL_MS', 200, 1, 60_000);
export const LEAD_SECONDS = envInt('BENCH_LEAD_SECONDS', 5 + Math.ceil(COMPLAINTS / 10_000), 1, 600);
export const DRAIN_SECONDS = envInt('BENCH_DRAIN_SECONDS', 600, 0, 3600);
export const CONCURRENCY = envInt('BENCH_CONCURRENCY', 2, 1, 200);
export const ADMIN_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
export const DB_NAME = `foad_sla_bench_${process.pid}`;
/** Setup allowance: migrations and seeds, then the bulk load (generous: ~1 min per 100k on a small machine). */
export const SETUP_MS = (120 + Math.ceil(COMPLAINTS / 1000)) * 1000;
/** Everything (setup, window, drain, shutdown) must finish within this, or the bench cleans up and fails. */
export const DEADLINE_MS = SETUP_MS + (LEAD_SECONDS + WINDOW_SECONDS + DRAIN_SECONDS + 120) * 1000;

export function benchDatabaseUrl(): string {
  return loopbackDatabaseUrl(ADMIN_URL, DB_NAME);
}
