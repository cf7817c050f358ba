/**
 * Tracking lookup benchmark: public `GET /api/v1/track/:code` through the real HTTP server
 * against a raw prepared `SELECT … FROM complaints WHERE tracking_code = $1` over a pg pool, in
 * the same run, on a local PostgreSQL server; prints the ratio (issue 14's target: ≥ 0.3).
 *
 *   npm run bench:tracking
 *
 * Settings (environment): BENCH_DATABASE_URL (admin URL, loopback only; default
 * postgres://postgres@127.0.0.1:5432/postgres), BENCH_SECONDS (10), BENCH_CONNECTIONS (32),
 * BENCH_COMPLAINTS (2,000 filed through HTTP first), BENCH_WARMUP_SECONDS (2, not measured),
 * BENCH_SERVER_NODE_ARGS (extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
 *
 * It creates foad_bench_tracking_<pid>, migrates and seeds it, starts the server (pool 16,
 * rate limits off), files the complaints, then: (1) autocannon GETs /track/:code over the
 * codes in turn; (2) the baseline: a pg pool of 16 at the same concurrency running the named
 * prepared statement `SELECT tracking_code, status, due_at FROM complaints WHERE tracking_code = $1`
 * over the same codes. Both must return 200/a row for every code. Then it drops the database.
 * Beside each run it prints the CPU ms per lookup of the server process, the PostgreSQL backends
 * and the bench process (autocannon, or the baseline's pg client): on a small machine all three
 * share the cores, so the ratio is bounded by what the load generator itself costs.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { type CpuUse, cpuSnapshot, cpuUse } from '../intake/cpu.ts';
import { cleanUpOnAbort, envInt, loopbackDatabaseUrl, percentile, seedBenchDatabase, serverSettings } from '../lib.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const POOL_SIZE = 16;
const SECONDS = envInt('BENCH_SECONDS', 10, 1, 600);
const CONNECTIONS = envInt('BENCH_CONNECTIONS', 32, 1, 1000);
const COMPLAINTS = envInt('BENCH_COMPLAINTS', 2000, 10, 1_000_000);
const WARMUP_SECONDS = envInt('BENCH_WARMUP_SECONDS', 2, 0, 60);
const PORT = envInt('BENCH_PORT', 31290, 1024, 65535);
const ADMIN_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = `foad_bench_tracking_${process.pid}`;
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);

interface Measure {
  ok: number;
  failed: number;
  perSecond: number;
  p50: number;
  p99: number;
}

function measure(latencies: number[], failed: number, seconds: number): Measure {
  const sorted = Float64Array.from(latencies).sort();
  return { ok: latencies.length, failed, perSecond: latencies.length / seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

function runHttp(base: string, seconds: number, codes: string[]): Promise<Measure> {
  let i = 0;
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    let failed = 0;
    const started = performance.now();
    const instance = autocannon(
      {
        url: base,
        connections: CONNECTIONS,
        duration: seconds,
        requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: `/api/v1/track/${codes[i++ % codes.length]}` }) }],
      },
      (error) => (error ? reject(error) : resolve(measure(latencies, failed, (performance.now() - started) / 1000))),
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status === 200) latencies.push(ms);
      else failed++;
    });
  });
}

async function runBaseline(pool: pg.Pool, seconds: number, codes: string[]): Promise<Measure> {
  let i = 0;
  const latencies: number[] = [];
  let failed = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      const { rows } = await pool.query({
        name: 'bench_track_raw',
        text: 'SELECT tracking_code, status, due_at FROM complaints WHERE tracking_code = $1',
        values: [codes[i++ % codes.length]],
      });
      if (rows.length === 1) latencies.push(performance.now() - t0);
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  return measure(latencies, failed, (performance.now() - started) / 1000);
}

async function startServer(databaseUrl: string): Promise<{ child: ChildProcess; base: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    PORT: String(PORT),
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'false',
    RUN_WORKERS: 'false',
    DATABASE_POOL_SIZE: String(POOL_SIZE),
    INTAKE_RATE_LIMIT: '1000000',
    PUBLIC_RATE_LIMIT: '100000000',
  };
  delete env.NODE_ENV;
  const child = spawn(process.execPath, [...SERVER_NODE_ARGS, '--import', 'tsx', 'server/src/main.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${PORT}`;
  const until = Date.now() + 180_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    if (
      await fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { child, base };
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  child.kill('SIGKILL');
  throw new Error('the server did not become ready');
}

async function fileComplaints(base: string, pool: pg.Pool): Promise<string[]> {
  const agency = (await pool.query<{ id: number }>(`SELECT id FROM units WHERE code = 'MOH'`)).rows[0]!.id;
  const county = (await pool.query<{ id: number }>('SELECT id FROM counties ORDER BY id LIMIT 1')).rows[0]!.id;
  const category = (await pool.query<{ id: number }>('SELECT id FROM categories WHERE active ORDER BY sort_order, id LIMIT 1')).rows[0]!.id;
  const codes: string[] = [];
  let n = 0;
  const worker = async () => {
    while (n < COMPLAINTS) {
      const k = n++;
      const r = await fetch(`${base}/api/v1/complaints`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `bench-track-${k}` },
        body: JSON.stringify({
          channel: 'web',
          agencyId: agency,
          countyId: county,
          categoryId: category,
          description: 'سه هفته است برای یک امضا مرا از این میز به آن میز می‌فرستند.',
          contact: { phone: `0912${String(1_000_000 + k).padStart(7, '0')}` },
        }),
      });
      if (r.status !== 201) throw new Error(`intake answered ${r.status}: ${await r.text()}`);
      codes.push(((await r.json()) as { trackingCode: string }).trackingCode);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return codes;
}

async function main(): Promise<number> {
  const url = loopbackDatabaseUrl(ADMIN_URL, DB_NAME);
  const loadAtStart = os.loadavg()[0]!;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  let server: ChildProcess | null = null;
  let pool: pg.Pool | null = null;
  const cleanup = async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await once(server, 'exit');
    }
    await pool?.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`).catch(() => undefined);
    await admin.end().catch(() => undefined);
  };
  const deadline = cleanUpOnAbort(cleanup, (4 * (SECONDS + WARMUP_SECONDS) + 600) * 1000);
  try {
    const { pgVersion } = await serverSettings(admin);
    await admin.query(`CREATE DATABASE ${DB_NAME}`);
    await seedBenchDatabase(url);
    pool = new pg.Pool({ connectionString: url, max: POOL_SIZE });
    pool.on('error', () => undefined); // the drop at the end ends idle connections
    const started = await startServer(url);
    server = started.child;
    const codes = await fileComplaints(started.base, pool);
    console.log(`${codes.length} complaints filed; ${SECONDS} s per run, ${CONNECTIONS} concurrent, pool ${POOL_SIZE}`);
    if (WARMUP_SECONDS) {
      await runHttp(started.base, WARMUP_SECONDS, codes);
      await runBaseline(pool, WARMUP_SECONDS, codes);
    }
    const httpBefore = await cpuSnapshot(pool, server.pid);
    const http = await runHttp(started.base, SECONDS, codes);
    const httpCpu = cpuUse(httpBefore, await cpuSnapshot(pool, server.pid), http.ok, http.ok / http.perSecond);
    const rawBefore = await cpuSnapshot(pool, undefined);
    const raw = await runBaseline(pool, SECONDS, codes);
    const rawCpu = cpuUse(rawBefore, await cpuSnapshot(pool, undefined), raw.ok, raw.ok / raw.perSecond);
    const ratio = http.perSecond / raw.perSecond;
    const ms = (v: number | null) => (v === null ? '—' : v.toFixed(3)).padStart(9);
    const cpuRow = (label: string, c: CpuUse) =>
      `${label.padEnd(34)}${ms(c.serverMs)}${ms(c.postgresMs)}${ms(c.benchMs)}   ${c.otherCores === null ? '—' : c.otherCores.toFixed(2)} cores`;
    const row = (label: string, m: Measure) =>
      `${label.padEnd(34)}${m.perSecond.toFixed(0).padStart(8)}/s  p50 ${m.p50.toFixed(2)} ms  p99 ${m.p99.toFixed(2)} ms  ok ${m.ok}  failed ${m.failed}`;
    console.log(
      [
        '',
        `Foad tracking lookup bench — ${os.cpus().length} cores, load average ${loadAtStart.toFixed(2)} at start, Node ${process.version}, PostgreSQL ${pgVersion}`,
        row('GET /api/v1/track/:code (HTTP)', http),
        row('prepared SELECT by tracking_code', raw),
        `ratio HTTP / raw prepared read:   ${ratio.toFixed(2)} (target ≥ 0.3)`,
        '',
        `${'CPU ms per lookup'.padEnd(34)}${'server'.padStart(9)}${'postgres'.padStart(9)}${'bench'.padStart(9)}   other load`,
        cpuRow('HTTP (bench = autocannon)', httpCpu),
        cpuRow('raw (bench = pg client)', rawCpu),
        '',
      ].join('\n'),
    );
    const cpu = { http: httpCpu, raw: rawCpu };
    console.log(
      JSON.stringify({ bench: 'tracking', seconds: SECONDS, connections: CONNECTIONS, http, raw, ratio: Number(ratio.toFixed(3)), cpuMsPerLookup: cpu }),
    );
    return http.failed === 0 && raw.failed === 0 ? 0 : 1;
  } finally {
    clearTimeout(deadline);
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
