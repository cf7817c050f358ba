import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { envInt, loopbackDatabaseUrl } from '../lib.ts';

/** The intake bench's settings, from the environment (see run.ts). */

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const POOL_SIZE = 16;

export const SECONDS = envInt('BENCH_SECONDS', 15, 1, 600);
export const CONNECTIONS = envInt('BENCH_CONNECTIONS', 32, 1, 1000);
export const WARMUP_SECONDS = envInt('BENCH_WARMUP_SECONDS', 2, 0, 60);
export const PREFERRED_PORT = envInt('BENCH_PORT', 31280, 1024, 65535);
export const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
export const ADMIN_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
export const DB_NAME = `foad_bench_${process.pid}`;
/** Everything (seeding, both runs, shutdown) must finish within this, or the bench cleans up and fails. */
export const DEADLINE_MS = (2 * (SECONDS + WARMUP_SECONDS) + 240) * 1000;

export function benchDatabaseUrl(): string {
  return loopbackDatabaseUrl(ADMIN_URL, DB_NAME);
}
