import { readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { processCpuMs } from '../lib.ts';
import { DB_NAME } from './settings.ts';

// ── CPU accounting (Linux /proc; skipped elsewhere) ─────────────────────────────────────────

/** Whole machine, from /proc/stat: [busy, total] jiffies. */
export function machineJiffies(): [number, number] | null {
  try {
    const jiffies = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = jiffies.reduce((a, b) => a + b, 0);
    return [total - jiffies[3]! - jiffies[4]!, total];
  } catch {
    return null;
  }
}

/**
 * Follows the CPU time of the backends of the bench database while the sweepers run. Backends
 * come and go (pools open connections on demand and close idle ones), so it samples every half
 * second and keeps each backend's last reading: one that exits loses at most half a second.
 */
export class BackendCpu {
  private readonly start = new Map<number, number>();
  private readonly last = new Map<number, { ms: number; type: string }>();
  private timer: NodeJS.Timeout | null = null;
  private machineStart: [number, number] | null = null;
  private selfStart = 0;
  private wallStart = 0;
  readable = true;

  constructor(
    private readonly admin: pg.Client,
    private readonly exclude: Set<number>,
  ) {}

  private async sample(): Promise<void> {
    const { rows } = await this.admin.query<{ pid: number; type: string }>(`SELECT pid, backend_type AS type FROM pg_stat_activity WHERE datname = $1`, [
      DB_NAME,
    ]);
    for (const { pid, type } of rows) {
      if (this.exclude.has(pid)) continue;
      const ms = processCpuMs(pid);
      if (ms === null) {
        this.readable = false;
        continue;
      }
      this.last.set(pid, { ms, type });
    }
  }

  async begin(): Promise<void> {
    await this.sample();
    for (const [pid, { ms }] of this.last) this.start.set(pid, ms);
    this.machineStart = machineJiffies();
    const usage = process.cpuUsage();
    this.selfStart = (usage.user + usage.system) / 1000;
    this.wallStart = performance.now();
    const tick = () => {
      this.timer = setTimeout(() => void this.sample().then(tick, tick), 500);
    };
    tick();
  }

  /** Total ms since begin(): client backends, autovacuum workers, this process, and the rest of the machine in cores. */
  async end(): Promise<{ backendsMs: number | null; autovacuumMs: number | null; benchMs: number; otherCores: number | null; backends: number }> {
    if (this.timer) clearTimeout(this.timer);
    await this.sample();
    const usage = process.cpuUsage();
    const benchMs = (usage.user + usage.system) / 1000 - this.selfStart;
    const seconds = (performance.now() - this.wallStart) / 1000;
    let backendsMs = 0;
    let autovacuumMs = 0;
    let backends = 0;
    for (const [pid, { ms, type }] of this.last) {
      const used = ms - (this.start.get(pid) ?? 0);
      if (type === 'client backend') {
        backendsMs += used;
        backends++;
      } else autovacuumMs += used;
    }
    const machineEnd = machineJiffies();
    let otherCores: number | null = null;
    if (this.machineStart && machineEnd) {
      const busyCores = ((machineEnd[0] - this.machineStart[0]) / (machineEnd[1] - this.machineStart[1])) * os.cpus().length;
      otherCores = Math.max(0, busyCores - (backendsMs + autovacuumMs + benchMs) / 1000 / seconds);
    }
    const ok = this.readable && this.last.size > 0;
    return { backendsMs: ok ? backendsMs : null, autovacuumMs: ok ? autovacuumMs : null, benchMs, otherCores, backends };
  }
}
