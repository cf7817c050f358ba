import { readFileSync } from 'node:fs';
import os from 'node:os';
import type pg from 'pg';
import { openPostgres } from '../server/src/db/database.ts';
import { migrate } from '../server/src/db/migrate.ts';
import { seedDemo } from '../server/src/seed/demo.ts';
import { seedReference } from '../server/src/seed/reference.ts';
import { seedSlaReference } from '../server/src/seed/sla.ts';

/** What both benches share: settings from the environment, the loopback-only database, percentiles, clean-up on any exit. */

/** An integer setting from the environment, checked against its range. */
export function envInt(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  return value;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** The bench's own database on the admin URL's server; refuses anything but a loopback address. */
export function loopbackDatabaseUrl(adminUrl: string, dbName: string): string {
  const url = new URL(adminUrl);
  if (!LOOPBACK.has(url.hostname)) throw new Error(`BENCH_DATABASE_URL must point at a loopback address, got ${url.hostname}`);
  url.pathname = `/${dbName}`;
  return url.toString();
}

/** The p-th percentile of sorted values (nearest rank). */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Cleans up (and exits) on Ctrl-C, SIGTERM, or when the bench overruns `deadlineMs`; returns the deadline timer to clear at the end. */
export function cleanUpOnAbort(cleanup: () => Promise<void>, deadlineMs: number): NodeJS.Timeout {
  const abort = (why: string, code: number) => {
    console.error(`\n${why}: cleaning up`);
    void cleanup().finally(() => process.exit(code));
  };
  process.once('SIGINT', () => abort('interrupted', 130));
  process.once('SIGTERM', () => abort('terminated', 143));
  const deadline = setTimeout(() => abort(`the bench overran its ${deadlineMs / 1000} s limit`, 1), deadlineMs);
  deadline.unref();
  return deadline;
}

/** The server's version and the settings that move the figures (durability, memory, connections). */
export async function serverSettings(admin: pg.Client) {
  const version = await admin.query<{ server_version: string }>('SHOW server_version');
  const settings = await admin.query<{ name: string; setting: string }>(
    `SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'shared_buffers', 'max_connections') ORDER BY name`,
  );
  return { pgVersion: version.rows[0]!.server_version, settings: settings.rows };
}

/** Migrates a fresh bench database and seeds the reference, SLA and demo data, as `npm start` would. */
export async function seedBenchDatabase(databaseUrl: string): Promise<void> {
  const db = await openPostgres(databaseUrl, 4);
  try {
    await migrate(db);
    await seedReference(db);
    await seedSlaReference(db);
    await seedDemo(db, 'foad-bench-128');
  } finally {
    await db.close();
  }
}

/** The machine a bench ran on, for its JSON report: cores, CPU, memory, load, Node and PostgreSQL. */
export function machineFacts(loadAtStart: number, pgVersion: string, settings: { name: string; setting: string }[]) {
  const cpu = os.cpus();
  return {
    cores: cpu.length,
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    loadAverageAtStart: Number.isFinite(loadAtStart) ? Number(loadAtStart.toFixed(2)) : -1,
    node: process.version,
    postgres: pgVersion,
    ...Object.fromEntries(settings.map((s) => [s.name, s.setting])),
  };
}

/** Jiffies per second: USER_HZ, 100 on every mainstream Linux build. */
const CLOCK_TICKS = 100;

/** CPU time (user + system) a process has used so far, in ms; null when it cannot be read. */
export function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
