/**
 * Replica offload bench: what DATABASE_REPLICA_URL takes off the primary (issue 14).
 *
 *   npm run bench:replica        (as root: the loopback cluster runs as `postgres`; ops/install once)
 *
 * Brings the Patroni cluster up (ops/cluster up; it is left running: `ops/cluster down` after),
 * makes a fresh database foad_bench_replica through HAProxy's primary port, migrates it, and runs
 * the same mixed load twice against one app instance (RUN_WORKERS on, demo seed):
 *   A. DATABASE_URL = HAProxy's primary port only;
 *   B. the same plus DATABASE_REPLICA_URL = HAProxy's replica port (REPLICA_MAX_LAG_SECONDS 5).
 * The load (ops/drills/load.ts plus two loops here): intake, public tracking lookups, staff
 * notes, the live dashboard and the public report-card portal. For each run it prints, on the
 * primary and on the standbys: transactions committed and rows read (pg_stat_database of this
 * database) and CPU seconds of all PostgreSQL processes (from /proc), per 1000 requests served —
 * throughput differs between runs, so shares are taken per request — and the share of the
 * primary's work that moved. The app's own count of reads per pool (foad_db_reads) is printed too.
 * Settings: BENCH_SECONDS (30 per run).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import * as OTPAuth from 'otpauth';
import { cluster, dbUrl, freshDatabase, log, queryOnce, queryRetrying, runCli, sleep, startInstance, stopInstance } from '../../ops/drills/lib.ts';
import { loadWorkload } from '../../ops/drills/load.ts';
import { ensureWebBuilt } from '../../web/build.ts';
import { envInt, processCpuMs } from '../lib.ts';
import { type Counts, type Kind, pacedLoad, RATES } from './load.ts';

const DB = 'foad_bench_replica';
const NODE_PORTS = [15431, 15432, 15433];
const REPLICA_PORT = Number(process.env.HAPROXY_REPLICA_PORT || 15441);
const SECONDS = envInt('BENCH_SECONDS', 30, 5, 600);
const DEMO_TOTP_SECRET = new OTPAuth.Secret({ size: 20 }).base32;
const METRICS_TOKEN = `bench-${Date.now()}-metrics-token`;

interface NodeSample {
  port: number;
  primary: boolean;
  xacts: number;
  rowsRead: number;
  cpuMs: number;
}

/** PostgreSQL's processes per node: the postmaster (its data directory names the port) and its children. */
function postgresCpuMs(): Map<number, number> {
  const byPid = new Map<number, { ppid: number; cpuMs: number; port: number | null }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (!stat.includes('(postgres)') && !stat.includes('(postmaster)')) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const port = /-p\s*(\d+)|--port=(\d+)/.exec(cmd.replace(/\0/g, ' '));
      // A postmaster's cutime + cstime hold the CPU of its backends that have exited (reaped), so
      // a backend that ends between two samples still counts.
      const reaped = port ? ((Number(fields[13]) + Number(fields[14])) * 1000) / 100 : 0;
      byPid.set(Number(entry), { ppid: Number(fields[1]), cpuMs: (processCpuMs(Number(entry)) ?? 0) + reaped, port: port ? Number(port[1] ?? port[2]) : null });
    } catch {
      // gone meanwhile
    }
  }
  const totals = new Map<number, number>();
  for (const [pid, p] of byPid) {
    const master = p.port !== null ? p : byPid.get(p.ppid);
    const port = master?.port ?? null;
    if (port === null || !NODE_PORTS.includes(port)) continue;
    totals.set(port, (totals.get(port) ?? 0) + p.cpuMs);
    void pid;
  }
  return totals;
}

async function sample(): Promise<NodeSample[]> {
  await sleep(1500); // backends flush their statistics about once a second when idle
  const cpu = postgresCpuMs();
  const out: NodeSample[] = [];
  for (const port of NODE_PORTS) {
    const rows = await queryOnce<{ primary: boolean; xacts: string; rows_read: string }>(
      dbUrl(DB, port),
      `SELECT NOT pg_is_in_recovery() AS primary, xact_commit + xact_rollback AS xacts, tup_returned + tup_fetched AS rows_read
       FROM pg_stat_database WHERE datname = current_database()`,
    ).catch(() => []);
    const r = rows[0];
    if (r) out.push({ port, primary: r.primary, xacts: Number(r.xacts), rowsRead: Number(r.rows_read), cpuMs: cpu.get(port) ?? 0 });
  }
  return out;
}

interface RunResult {
  label: string;
  counts: Counts;
  /** Between the two samples: the load, its last answers and one sampling pause. */
  seconds: number;
  /** The primary's CPU per second with the app up and idle (workers polling, replication, Patroni). */
  idlePrimaryCpuMsPerSecond: number;
  primary: { xacts: number; rowsRead: number; cpuMs: number };
  standbys: { xacts: number; rowsRead: number; cpuMs: number };
  reads: string;
}

/** A port nobody listens on (other benches on a shared machine take fixed ones). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

async function run(label: string, url: string, env: Record<string, string>, seed: boolean): Promise<RunResult> {
  const app = await startInstance(`bench-replica-${label}`, await freePort(), { ...env, SEED_DEMO: seed ? 'true' : 'false' });
  try {
    const token = await login(app.base);
    const w = await loadWorkload(url);
    // The demo seed's aftermath (autovacuum, the workers' first folds) must not fall in a measured run.
    await queryOnce(url, 'VACUUM (ANALYZE)', [], 60_000);
    await sleep(15_000);
    const idle0 = await sample();
    await sleep(10_000);
    const idle1 = await sample();
    const primaryCpu = (xs: NodeSample[]) => xs.filter((x) => x.primary).reduce((t, x) => t + x.cpuMs, 0);
    const idlePrimaryCpuMsPerSecond = (primaryCpu(idle1) - primaryCpu(idle0)) / 11.5; // sample() waits 1.5 s
    // A short warm-up (not measured) so the first lookups and notes have complaints to ask about.
    await pacedLoad(app.base, w, token, 3, `bench-replica-${label}-warm-${Date.now()}`);
    const before = await sample();
    const t0 = Date.now();
    const counts = await pacedLoad(app.base, w, token, SECONDS, `bench-replica-${label}-${Date.now()}`);
    const after = await sample();
    const seconds = (Date.now() - t0) / 1000;
    const metrics = await fetch(`${app.base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }).then(
      (r) => r.text(),
      () => '',
    );
    const reads = metrics
      .split('\n')
      .filter((l) => l.startsWith('foad_db_reads'))
      .join(' ');
    const sum = (primary: boolean) => {
      const acc = { xacts: 0, rowsRead: 0, cpuMs: 0 };
      for (const a of after.filter((n) => n.primary === primary)) {
        const b = before.find((n) => n.port === a.port);
        if (!b) continue;
        acc.xacts += a.xacts - b.xacts;
        acc.rowsRead += a.rowsRead - b.rowsRead;
        acc.cpuMs += a.cpuMs - b.cpuMs;
      }
      return acc;
    };
    return { label, counts, seconds, idlePrimaryCpuMsPerSecond, primary: sum(true), standbys: sum(false), reads: reads || '(no replica)' };
  } finally {
    await stopInstance(app);
  }
}

async function login(base: string): Promise<string> {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      username: 'admin',
      password: process.env.DEMO_PASSWORD || 'foad-demo-128',
      totp: new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(DEMO_TOTP_SECRET), digits: 6, period: 30 }).generate(),
    }),
  });
  if (!r.ok) throw new Error(`login failed: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { token: string }).token;
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '—');

async function main(): Promise<number> {
  const loadAtStart = os.loadavg()[0]!;
  cluster('up');
  await ensureWebBuilt(log);
  const url = await freshDatabase(DB);
  const migrated = runCli('server/src/cli/migrate.ts', [], url);
  if (migrated.code !== 0) throw new Error(`migrate failed: ${migrated.output}`);
  const env = {
    DATABASE_URL: url,
    MIGRATE_ON_START: 'false',
    RUN_WORKERS: 'true',
    SMS_PROVIDER: 'console',
    INTAKE_RATE_LIMIT: '1000000',
    PUBLIC_RATE_LIMIT: '1000000',
    HOTSPOT_INTERVAL_MS: '0',
    DATABASE_POOL_SIZE: '8',
    DEMO_TOTP_SECRET,
    METRICS_TOKEN,
  };
  try {
    const a = await run('primary-only', url, env, true);
    const b = await run('with-replica', url, { ...env, DATABASE_REPLICA_URL: dbUrl(DB, REPLICA_PORT), REPLICA_MAX_LAG_SECONDS: '5' }, false);
    const total = (r: RunResult) => Object.values(r.counts.ok).reduce((x, y) => x + y, 0);
    const net = (r: RunResult) => Math.max(0, r.primary.cpuMs - r.idlePrimaryCpuMsPerSecond * r.seconds);
    const moved = (f: (r: RunResult) => number) => 1 - f(b) / total(b) / (f(a) / total(a));
    const kinds = Object.keys(RATES) as Kind[];
    const row = (r: RunResult) =>
      `${r.label.padEnd(14)}${kinds
        .map((k) => `${r.counts.ok[k]}`)
        .join('/')
        .padStart(22)}${String(total(r)).padStart(7)}` +
      `${String(r.primary.xacts).padStart(9)}${String(r.primary.rowsRead).padStart(11)}${fmt(r.primary.cpuMs / 1000, 2).padStart(8)}${fmt(net(r) / 1000, 2).padStart(8)}` +
      `${String(r.standbys.xacts).padStart(9)}${fmt(r.standbys.cpuMs / 1000, 2).padStart(8)}`;
    console.log(
      [
        '',
        `Foad replica offload bench — ${SECONDS} s per run at fixed rates (per second: ${kinds.map((k) => `${k} ${RATES[k]}`).join(', ')}),`,
        'one app instance (workers on), Patroni cluster (3 × PostgreSQL 15) behind HAProxy',
        `machine: ${os.cpus().length} cores, load average ${fmt(loadAtStart, 2)} at start, ${fmt(os.loadavg()[0]!, 2)} at the end`,
        '',
        `${''.padEnd(14)}${'answered'.padStart(22)}${''.padStart(7)}${'—— on the primary ——'.padStart(36)}${'— standbys —'.padStart(17)}`,
        `${'run'.padEnd(14)}${kinds.join('/').padStart(22)}${'total'.padStart(7)}${'xacts'.padStart(9)}${'rows read'.padStart(11)}${'CPU s'.padStart(8)}${'net'.padStart(8)}${'xacts'.padStart(9)}${'CPU s'.padStart(8)}`,
        row(a),
        row(b),
        '',
        `moved off the primary, per answered request: transactions ${fmt(100 * moved((r) => r.primary.xacts))} %, rows read ${fmt(100 * moved((r) => r.primary.rowsRead))} %, ` +
          `CPU ${fmt(100 * moved((r) => r.primary.cpuMs))} % (net of idle: ${fmt(100 * moved(net))} %)`,
        `app's stale-tolerant reads in the replica run: ${b.reads}`,
        'net: CPU less what the primary used per second with the app up and no requests (10 s before each run)',
        `skipped (more than 16 in flight): ${JSON.stringify(a.counts.skipped)} / ${JSON.stringify(b.counts.skipped)}; failed: ${JSON.stringify(a.counts.failed)} / ${JSON.stringify(b.counts.failed)}`,
        '',
      ].join('\n'),
    );
    console.log(JSON.stringify({ bench: 'replica', seconds: SECONDS, runs: [a, b], loadAverage: [loadAtStart, os.loadavg()[0]] }));
    return total(a) > 0 && total(b) > 0 ? 0 : 1;
  } finally {
    await queryRetrying(dbUrl('postgres'), `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`).catch(() => undefined);
    log('the cluster is still up: ops/cluster down (or reset) when done');
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`replica bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
