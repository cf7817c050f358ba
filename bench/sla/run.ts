/**
 * SLA sweeper benchmark: how late the real sweeper fires deadlines when a burst of them falls
 * due, on a local PostgreSQL server.
 *
 *   npm run bench:sla
 *
 * Settings (environment): BENCH_DATABASE_URL (admin URL, loopback only; default
 * postgres://postgres@127.0.0.1:5432/postgres), BENCH_COMPLAINTS (100000), BENCH_WINDOW_SECONDS (60),
 * BENCH_INSTANCES (2), BENCH_POOL_SIZE (10 per instance), BENCH_CONCURRENCY (2: sweeper lanes per instance, firing side by
 * side, each a transaction on its own connection), BENCH_BATCH_SIZE (200 due timers per batch), BENCH_MAX_BATCH_SIZE (= the batch size: how far a batch grows while full), BENCH_INTERVAL_MS (200), BENCH_LEAD_SECONDS (5 + 1 per 10,000 complaints: from
 * writing the timers to the first deadline; covers the UPDATE and VACUUM after them), BENCH_DRAIN_SECONDS (600: how long after the window the
 * bench waits for the backlog before it gives up and reports what fired).
 *
 * It creates a fresh database foad_sla_bench_<pid>, migrates and seeds it (reference, SLA and demo
 * data) in-process, then writes N open complaints with set-based SQL: each `referred` to a demo
 * county office (with its unit_path and agency), the urgent policy of an urgent seed category, a
 * contact, a first `received` event (chain head on the row), and ONE `answer`/`breach` timer due
 * at a moment spread evenly over the window. Then it starts K sweepers in this process — each
 * `startSweeper` on its own pool from `openPostgres` — and waits until every one of those N
 * timers has fired. A breach records the breach, escalates the complaint to the provincial
 * directorate (events, projection, new timers there, outbox rows): the real work measured.
 *
 * Lag per deadline = sla_timers.fired_at − fire_at (fired_at is the `now` of fireTimer, also the
 * created_at of the sla_breached event; the commit comes a few ms later). The sweepers' Database
 * handles are wrapped (not changed) to count statements, failures and time per fire
 * transaction. On Linux it reads /proc for the CPU time of the PostgreSQL backends serving the
 * bench database (client backends and autovacuum apart) and of this process, per fired deadline.
 * Then it stops the sweepers and drops the database — also on errors, SIGINT and the deadline.
 */

import os from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { type Database, openPostgres } from '../../server/src/db/database.ts';
import { explainClaim } from '../../server/src/sla/store.ts';
import { startSweeper } from '../../server/src/sla/sweeper-worker.ts';
import { cleanUpOnAbort, seedBenchDatabase, serverSettings } from '../lib.ts';
import { rawTimerUpdates } from './baseline.ts';
import { BackendCpu } from './cpu.ts';
import { type Instrument, instrumented, newInstrument } from './instrument.ts';
import { combine, printReport, readResults } from './report.ts';
import { fmt } from './results.ts';
import {
  ADMIN_URL,
  BATCH_SIZE,
  benchDatabaseUrl,
  COMPLAINTS,
  CONCURRENCY,
  DB_NAME,
  DEADLINE_MS,
  DRAIN_SECONDS,
  INSTANCES,
  INTERVAL_MS,
  MAX_BATCH_SIZE,
  POOL_SIZE,
  WINDOW_SECONDS,
} from './settings.ts';
import { loadComplaints, type Workload } from './workload.ts';

// ── Main ─────────────────────────────────────────────────────────────────────────────────────

async function main(): Promise<number> {
  const databaseUrl = benchDatabaseUrl();
  const loadAtStart = os.loadavg()[0]!;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  let monitor: pg.Client | null = null;
  const sweepers: { stop: () => Promise<void> }[] = [];
  const dbs: Database[] = [];
  let created = false;
  let cleaning: Promise<void> | null = null;
  const cleanup = () => {
    cleaning ??= (async () => {
      // Stop the sweepers (each finishes its round), but never wait on them longer than 30 s.
      const stopping = Promise.all(sweepers.map((s) => s.stop().catch(() => undefined)));
      await Promise.race([stopping, new Promise((resolve) => setTimeout(resolve, 30_000).unref())]);
      for (const db of dbs) await db.close().catch(() => undefined);
      if (monitor) await monitor.end().catch(() => undefined);
      if (created) await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`).catch((e) => console.error(`could not drop ${DB_NAME}: ${e}`));
      await admin.end().catch(() => undefined);
    })();
    return cleaning;
  };
  const deadline = cleanUpOnAbort(cleanup, DEADLINE_MS);

  try {
    const { pgVersion, settings } = await serverSettings(admin);
    checkConnections(settings);
    await admin.query(`CREATE DATABASE ${DB_NAME}`);
    created = true;
    const workload = await prepareDatabase(databaseUrl);

    // Sweepers: K instances, each with its own pool, as K server processes would run them.
    for (let k = 0; k < INSTANCES; k++) dbs.push(await openPostgres(databaseUrl, POOL_SIZE));
    monitor = new pg.Client({ connectionString: databaseUrl });
    await monitor.connect();
    const monitorPid = (await monitor.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const cpu = new BackendCpu(admin, new Set([monitorPid]));
    await cpu.begin();
    const sweepErrors: unknown[] = [];
    const started = performance.now();
    const instruments = startSweepers(dbs, sweepers, sweepErrors);
    printLead(workload);

    const { fired, claimPlan, giveUpAt } = await waitForFiring(monitor, workload);
    const finishedAt = Date.now();
    const cpuUsed = await cpu.end();
    await Promise.all(sweepers.map((s) => s.stop()));
    sweepers.length = 0;
    const runSeconds = (performance.now() - started) / 1000;
    const loadAtEnd = os.loadavg()[0]!;
    const baseline = await rawTimerUpdates(databaseUrl, { first: workload.firstTimerId, last: workload.lastTimerId }, BATCH_SIZE, INSTANCES * CONCURRENCY);
    const loadAfterBaseline = os.loadavg()[0]!;

    const results = await readResults(monitor, workload);
    const all = combine(instruments);
    const run = {
      pgVersion,
      settings,
      loadAtStart,
      loadAtEnd,
      loadAfterBaseline,
      fired,
      finishedAt,
      giveUpAt,
      runSeconds,
      claimPlan,
      sweepErrors,
      cpuUsed,
      baseline,
      all,
    };
    return printReport(run, results) ? 0 : 1;
  } finally {
    clearTimeout(deadline);
    await cleanup();
  }
}

// ── Steps ────────────────────────────────────────────────────────────────────────────────────

/** Refuses a run the server cannot hold: K pools of the given size, plus a few connections for the bench. */
function checkConnections(settings: { name: string; setting: string }[]): void {
  const maxConnections = Number(settings.find((s) => s.name === 'max_connections')?.setting ?? 100);
  if (INSTANCES * POOL_SIZE + 5 > maxConnections) {
    throw new Error(
      `BENCH_INSTANCES × BENCH_POOL_SIZE = ${INSTANCES * POOL_SIZE} connections, more than the server's max_connections (${maxConnections}) allows`,
    );
  }
}

function printLead(workload: Workload): void {
  const leadLeft = (workload.windowStart - Date.now()) / 1000;
  console.log(
    `${INSTANCES} sweeper(s) started (pool ${POOL_SIZE}, ${CONCURRENCY} lanes, batch ${BATCH_SIZE} growing to ${MAX_BATCH_SIZE} while full, at the next deadline or every ${INTERVAL_MS} ms); ` +
      `the first deadline is in ${fmt(leadLeft)} s, the last ${WINDOW_SECONDS} s later`,
  );
  if (leadLeft < 0.5) console.warn(`warning: the setup ran into the window (${fmt(-leadLeft)} s late); raise BENCH_LEAD_SECONDS`);
}

/** Migrates and seeds the fresh database (reference, SLA and demo data), then writes the N complaints with their timers. */
async function prepareDatabase(databaseUrl: string): Promise<Workload> {
  const t0 = performance.now();
  await seedBenchDatabase(databaseUrl);
  const seeded = performance.now();
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  pool.on('error', () => undefined);
  let workload: Workload;
  try {
    workload = await loadComplaints(pool);
  } finally {
    await pool.end().catch(() => undefined);
  }
  const loaded = performance.now();
  console.log(
    `database ${DB_NAME} seeded in ${fmt((seeded - t0) / 1000)} s; ${COMPLAINTS} complaints over ${workload.offices.length} county offices ` +
      `written in ${fmt((loaded - seeded) / 1000)} s (category ${workload.categoryId}, policy ${workload.policyId})`,
  );
  return workload;
}

/** One real sweeper per instance, each on its own (instrumented) pool; returns their instruments. */
function startSweepers(dbs: Database[], sweepers: { stop: () => Promise<void> }[], sweepErrors: unknown[]): Instrument[] {
  const instruments: Instrument[] = [];
  for (const db of dbs) {
    const m = newInstrument();
    instruments.push(m);
    sweepers.push(
      startSweeper(instrumented(db, m), {
        settings: { publicUrl: 'http://localhost' },
        intervalMs: INTERVAL_MS,
        batchSize: BATCH_SIZE,
        maxBatchSize: MAX_BATCH_SIZE,
        concurrency: CONCURRENCY,
        onError: (e) => {
          if (sweepErrors.length < 5) sweepErrors.push(e);
        },
      }),
    );
  }
  return instruments;
}

/** Waits for every breach timer (sla_breaches has one row per fired breach: a cheap count), printing progress; takes the claim's plan mid-window. */
async function waitForFiring(monitor: pg.Client, workload: Workload) {
  const giveUpAt = workload.windowStart + (WINDOW_SECONDS + DRAIN_SECONDS) * 1000;
  let fired = 0;
  let lastReport = 0;
  let claimPlan: string[] | null = null;
  while (fired < COMPLAINTS && Date.now() < giveUpAt) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    fired = (await monitor.query<{ n: number }>('SELECT count(*)::int AS n FROM sla_breaches')).rows[0]!.n;
    const sinceStart = (Date.now() - workload.windowStart) / 1000;
    if (claimPlan === null && sinceStart >= WINDOW_SECONDS / 2) claimPlan = await explainClaim(monitor, BATCH_SIZE, new Date());
    if (sinceStart - lastReport >= 5 && sinceStart > 0) {
      lastReport = sinceStart;
      const due = Math.min(COMPLAINTS, Math.floor((sinceStart / WINDOW_SECONDS) * COMPLAINTS) + 1);
      console.log(`  +${fmt(sinceStart).padStart(5)} s: ${String(fired).padStart(7)} fired of ${String(due).padStart(7)} due (backlog ${due - fired})`);
    }
  }
  return { fired, claimPlan, giveUpAt };
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
