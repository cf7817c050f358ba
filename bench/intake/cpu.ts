import { readFileSync } from 'node:fs';
import os from 'node:os';
import type pg from 'pg';
import { processCpuMs } from '../lib.ts';

// ── CPU accounting (Linux /proc; skipped elsewhere) ─────────────────────────────────────────

export interface CpuSnapshot {
  server: number | null;
  self: number;
  /** PostgreSQL backends serving the bench database, by pid. */
  backends: Map<number, number>;
  /** Whole machine, from /proc/stat: [busy, total] jiffies. */
  machine: [number, number] | null;
}

export async function cpuSnapshot(pool: pg.Pool, serverPid: number | undefined): Promise<CpuSnapshot> {
  const backends = new Map<number, number>();
  const { rows } = await pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()');
  for (const { pid } of rows) {
    const ms = processCpuMs(pid);
    if (ms !== null) backends.set(pid, ms);
  }
  let machine: [number, number] | null = null;
  try {
    const jiffies = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = jiffies.reduce((a, b) => a + b, 0);
    machine = [total - jiffies[3]! - jiffies[4]!, total];
  } catch {
    // not Linux
  }
  const usage = process.cpuUsage();
  return { server: serverPid ? processCpuMs(serverPid) : null, self: (usage.user + usage.system) / 1000, backends, machine };
}

export interface CpuUse {
  /** CPU ms per complaint in the server process, PostgreSQL backends and this process (the load generator, or the baseline's pg client). */
  serverMs: number | null;
  postgresMs: number | null;
  benchMs: number;
  /** Cores busy with anything else on the machine during the run (other processes, PostgreSQL's own background processes). */
  otherCores: number | null;
}

export function cpuUse(before: CpuSnapshot, after: CpuSnapshot, complaints: number, seconds: number): CpuUse {
  const per = (ms: number) => ms / Math.max(1, complaints);
  let postgres = 0;
  for (const [pid, ms] of after.backends) postgres += ms - (before.backends.get(pid) ?? 0);
  const server = before.server !== null && after.server !== null ? after.server - before.server : null;
  const bench = after.self - before.self;
  let otherCores: number | null = null;
  if (before.machine && after.machine) {
    const cores = os.cpus().length;
    const busyCores = ((after.machine[0] - before.machine[0]) / (after.machine[1] - before.machine[1])) * cores;
    otherCores = Math.max(0, busyCores - (postgres + (server ?? 0) + bench) / 1000 / seconds);
  }
  return { serverMs: server === null ? null : per(server), postgresMs: after.backends.size ? per(postgres) : null, benchMs: per(bench), otherCores };
}
