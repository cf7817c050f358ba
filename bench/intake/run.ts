/**
 * Intake benchmark: complaints per second through the real HTTP server, against a baseline of
 * the same rows written with raw INSERTs, on a local PostgreSQL server.
 *
 *   npm run bench:intake
 *
 * Settings (environment): BENCH_DATABASE_URL (admin URL, loopback only; default
 * postgres://postgres@127.0.0.1:5432/postgres), BENCH_SECONDS (15), BENCH_CONNECTIONS (32),
 * BENCH_WARMUP_SECONDS (2, not measured), BENCH_PORT (31280, another free port when taken),
 * BENCH_SERVER_NODE_ARGS (extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
 *
 * It creates a fresh database foad_bench_<pid>, migrates and seeds it (reference + demo data)
 * in-process, starts `node --import tsx server/src/main.ts` on 127.0.0.1 with a pool of 16, and:
 *   1. HTTP: autocannon POSTs valid complaints (real demo agencies, Hamedan counties, seed
 *      categories, varied phones, a unique Idempotency-Key each); only 201s count.
 *   2. Baseline: the same complaints (same agency, unit, county, category, text, phone) written by
 *      a pg Pool of 16 at the same concurrency: one transaction per complaint inserting the
 *      complaints row in its final `referred` state, the contact row and the two events
 *      (received, referred) with precomputed hash strings. That is what intake writes, minus
 *      HTTP, validation, reference lookups, routing and hashing.
 * On Linux it also reads /proc to split CPU time per complaint between the server, the
 * PostgreSQL backends and this process, and to show how busy the rest of the machine was —
 * on a small shared machine that load moves the figures more than anything else.
 * Then it kills the server and drops the database.
 */

import os from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { cleanUpOnAbort, machineFacts, seedBenchDatabase, serverSettings } from '../lib.ts';
import { type CpuUse, cpuSnapshot, cpuUse } from './cpu.ts';
import { type Measure, runBaseline, runHttp } from './drive.ts';
import { type Server, startServer, stopServer } from './server.ts';
import { ADMIN_URL, benchDatabaseUrl, CONNECTIONS, DB_NAME, DEADLINE_MS, POOL_SIZE, SECONDS, WARMUP_SECONDS } from './settings.ts';
import { loadWorkload, type Workload } from './workload.ts';

// ── Main ─────────────────────────────────────────────────────────────────────────────────────

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '—');

async function main(): Promise<number> {
  const databaseUrl = benchDatabaseUrl();
  const loadAtStart = os.loadavg()[0]!;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  let server: Server | null = null;
  let pool: pg.Pool | null = null;
  let created = false;
  let cleaning: Promise<void> | null = null;
  const cleanup = () => {
    cleaning ??= (async () => {
      if (server) await stopServer(server.child).catch(() => undefined);
      if (pool) await pool.end().catch(() => undefined);
      if (created) await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`).catch((e) => console.error(`could not drop ${DB_NAME}: ${e}`));
      await admin.end().catch(() => undefined);
    })();
    return cleaning;
  };
  const deadline = cleanUpOnAbort(cleanup, DEADLINE_MS);

  try {
    const { pgVersion, settings } = await serverSettings(admin);
    await admin.query(`CREATE DATABASE ${DB_NAME}`);
    created = true;

    const t0 = performance.now();
    await seedBenchDatabase(databaseUrl);
    pool = new pg.Pool({ connectionString: databaseUrl, max: POOL_SIZE });
    pool.on('error', () => undefined);
    const workload = await loadWorkload(pool);
    console.log(
      `database ${DB_NAME} ready in ${fmt((performance.now() - t0) / 1000)} s; workload: ${workload.targets.length} agency×county targets, ${workload.categories.length} categories`,
    );

    server = await startServer(databaseUrl);
    console.log(`server up at ${server.base} (pool ${POOL_SIZE}); ${SECONDS} s per run after ${WARMUP_SECONDS} s warm-up, ${CONNECTIONS} connections`);

    const runs = await runPhases(pool, server, workload);
    const checks = await checkRows(pool);
    const machine = machineFacts(loadAtStart, pgVersion, settings);
    printReport(runs, checks, machine, settings);
    if (runs.http.measure.failed > 0 && /"level":50/.test(server.log())) console.error(`server errors (tail):\n${server.log().slice(-4000)}`);
    return runs.http.measure.ok > 0 && runs.base.measure.ok > 0 ? 0 : 1;
  } finally {
    clearTimeout(deadline);
    await cleanup();
  }
}

// ── Steps ────────────────────────────────────────────────────────────────────────────────────

type Runs = Awaited<ReturnType<typeof runPhases>>;

/** The measured runs: HTTP (after its warm-up), then the raw INSERT baseline (after its own), each with its CPU split. */
async function runPhases(pool: pg.Pool, server: Server, workload: Workload) {
  let h = 0;
  const nextHttp = () => h++;
  // autocannon stops with up to one request per connection still in the server; let those finish before the next phase.
  const settle = () => new Promise((resolve) => setTimeout(resolve, 1500));
  const warm = WARMUP_SECONDS > 0 ? (await runHttp(server.base, WARMUP_SECONDS, workload, nextHttp)).measure.ok : 0;
  if (WARMUP_SECONDS > 0) await settle();
  const httpBefore = await cpuSnapshot(pool, server.child.pid);
  const http = await runHttp(server.base, SECONDS, workload, nextHttp);
  const httpCpu = cpuUse(httpBefore, await cpuSnapshot(pool, server.child.pid), http.measure.ok, http.measure.seconds);
  await settle();
  console.log(`HTTP: ${http.measure.ok} complaints filed, statuses ${JSON.stringify(http.statusCodes)}`);

  let b = 0;
  const nextBase = () => b++;
  if (WARMUP_SECONDS > 0) await runBaseline(pool, WARMUP_SECONDS, workload, nextBase);
  const baseBefore = await cpuSnapshot(pool, undefined);
  const base = await runBaseline(pool, SECONDS, workload, nextBase);
  const baseCpu = cpuUse(baseBefore, await cpuSnapshot(pool, undefined), base.measure.ok, base.measure.seconds);
  if (base.firstError) console.error(`baseline: ${base.measure.failed} failed transactions; first error: ${String(base.firstError)}`);
  return { warm, http, httpCpu, base, baseCpu };
}

type Checks = Awaited<ReturnType<typeof checkRows>>;

/** Sanity checks: every 201 is a stored complaint, and complaint i looks the same whichever way it was written. */
async function checkRows(pool: pg.Pool) {
  const stored = (
    await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM complaints WHERE idempotency_key LIKE 'web:bench-h-%' AND status = 'referred'`)
  ).rows[0]!.n;
  const { rows: compare } = await pool.query<{ pairs: number; differ: number }>(
    `SELECT count(*)::int AS pairs,
            count(*) FILTER (WHERE (h.status, h.agency_id, h.unit_id, h.unit_path, h.province_id, h.county_id, h.category_id, h.urgent, h.description,
                                    h.country, h.last_seq, hc.phone)
                     IS DISTINCT FROM (b.status, b.agency_id, b.unit_id, b.unit_path, b.province_id, b.county_id, b.category_id, b.urgent, b.description,
                                    b.country, b.last_seq, bc.phone))::int AS differ
     FROM complaints h JOIN complaints b ON b.idempotency_key = 'web:bench-b-' || substr(h.idempotency_key, 13)
     JOIN complainant_contacts hc ON hc.complaint_id = h.id JOIN complainant_contacts bc ON bc.complaint_id = b.id
     WHERE h.idempotency_key LIKE 'web:bench-h-%'`,
  );
  return { stored, sameRows: compare[0]! };
}

/** The table for people, then one JSON line for tools. */
type Settings = Awaited<ReturnType<typeof serverSettings>>['settings'];

function printReport(runs: Runs, checks: Checks, machine: ReturnType<typeof machineFacts>, settings: Settings): void {
  const { warm, http, httpCpu, base, baseCpu } = runs;
  const { stored, sameRows } = checks;
  const ratio = http.measure.perSecond / base.measure.perSecond;
  const row = (label: string, unit: string, m: Measure) =>
    `${label.padEnd(24)}${fmt(m.perSecond).padStart(10)} ${unit.padEnd(13)}${fmt(m.p50, 2).padStart(9)}${fmt(m.p99, 2).padStart(9)}${String(m.ok).padStart(9)}${String(m.failed).padStart(8)}`;
  const cpuRow = (label: string, c: CpuUse, note: string) =>
    `${label.padEnd(25)}${(c.serverMs === null ? '—' : fmt(c.serverMs, 2)).padStart(8)}${(c.postgresMs === null ? '—' : fmt(c.postgresMs, 2)).padStart(10)}` +
    `${fmt(c.benchMs, 2).padStart(8)}   ${c.otherCores === null ? '—' : `${fmt(c.otherCores, 2)} cores`} (${note})`;
  const lines = [
    '',
    `Foad intake bench — ${SECONDS} s per run, ${CONNECTIONS} concurrent, pool ${POOL_SIZE} (server and baseline), warm-up ${WARMUP_SECONDS} s`,
    `machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, load average ${fmt(machine.loadAverageAtStart, 2)} at start, Node ${machine.node}, PostgreSQL ${machine.postgres} (${settings.map((s) => `${s.name}=${s.setting}`).join(', ')})`,
    '',
    `${''.padEnd(24)}${'throughput'.padStart(10)} ${''.padEnd(13)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'ok'.padStart(9)}${'failed'.padStart(8)}`,
    row('intake via HTTP', 'complaints/s', http.measure),
    row('raw INSERT baseline', 'rows/s', base.measure),
    `${'ratio HTTP/baseline'.padEnd(24)}${fmt(ratio, 2).padStart(10)}`,
    '',
    `CPU ms per complaint     ${'server'.padStart(8)}${'postgres'.padStart(10)}${'bench'.padStart(8)}   other load on the machine`,
    cpuRow('intake via HTTP', httpCpu, 'bench = autocannon'),
    cpuRow('raw INSERT baseline', baseCpu, 'bench = pg client'),
    '',
    `HTTP status codes: ${JSON.stringify(http.statusCodes)}; connection errors ${http.errors}, timeouts ${http.timeouts}; non-201 ${http.measure.failed}`,
    `checks: ${stored} referred complaints stored for ${warm + http.measure.ok} 201s, warm-up included ` +
      `(${stored - warm - http.measure.ok} more were in flight when a run stopped; at most ${2 * CONNECTIONS} expected); ` +
      `${sameRows.pairs - sameRows.differ}/${sameRows.pairs} HTTP/baseline pairs have identical rows`,
    '',
  ];
  console.log(lines.join('\n'));
  console.log(
    JSON.stringify({
      bench: 'intake',
      seconds: SECONDS,
      connections: CONNECTIONS,
      poolSize: POOL_SIZE,
      http: {
        complaintsPerSecond: round(http.measure.perSecond),
        p50Ms: round(http.measure.p50),
        p99Ms: round(http.measure.p99),
        ok: http.measure.ok,
        non201: http.measure.failed,
      },
      baseline: {
        rowsPerSecond: round(base.measure.perSecond),
        p50Ms: round(base.measure.p50),
        p99Ms: round(base.measure.p99),
        ok: base.measure.ok,
        failed: base.measure.failed,
      },
      ratio: round(ratio, 3),
      cpuMsPerComplaint: { http: roundAll(httpCpu), baseline: roundAll(baseCpu) },
      machine,
    }),
  );
}

function round(n: number, digits = 1): number {
  return Number.isFinite(n) ? Number(n.toFixed(digits)) : -1;
}

function roundAll(c: CpuUse): Record<string, number | null> {
  return Object.fromEntries(Object.entries(c).map(([k, v]) => [k, v === null ? null : round(v, 2)]));
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
