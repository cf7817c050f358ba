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
import { migrate } from '../../server/src/db/migrate.ts';
import { seedDemo } from '../../server/src/seed/demo.ts';
import { seedReference } from '../../server/src/seed/reference.ts';
import { seedSlaReference } from '../../server/src/seed/sla.ts';
import { explainClaim } from '../../server/src/sla/store.ts';
import { startSweeper } from '../../server/src/sla/sweeper-worker.ts';
import { cleanUpOnAbort, serverSettings } from '../lib.ts';
import { rawTimerUpdates } from './baseline.ts';
import { BackendCpu } from './cpu.ts';
import { type Instrument, instrumented, newInstrument, phases } from './instrument.ts';
import { fmt, round, roundSpread, spread, sumMs } from './results.ts';
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
import { loadComplaints } from './workload.ts';

// ── Main ─────────────────────────────────────────────────────────────────────────────────────

async function main(): Promise<number> {
  const databaseUrl = benchDatabaseUrl();
  const loadAtStart = os.loadavg()[0]!;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  let pool: pg.Pool | null = null;
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
      if (pool) await pool.end().catch(() => undefined);
      if (created) await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`).catch((e) => console.error(`could not drop ${DB_NAME}: ${e}`));
      await admin.end().catch(() => undefined);
    })();
    return cleaning;
  };
  const deadline = cleanUpOnAbort(cleanup, DEADLINE_MS);

  try {
    const { pgVersion, settings } = await serverSettings(admin);
    const maxConnections = Number(settings.find((s) => s.name === 'max_connections')?.setting ?? 100);
    if (INSTANCES * POOL_SIZE + 5 > maxConnections) {
      throw new Error(
        `BENCH_INSTANCES × BENCH_POOL_SIZE = ${INSTANCES * POOL_SIZE} connections, more than the server's max_connections (${maxConnections}) allows`,
      );
    }
    await admin.query(`CREATE DATABASE ${DB_NAME}`);
    created = true;

    const t0 = performance.now();
    const seeding = await openPostgres(databaseUrl, 4);
    try {
      await migrate(seeding);
      await seedReference(seeding);
      await seedSlaReference(seeding);
      await seedDemo(seeding, 'foad-bench-128');
    } finally {
      await seeding.close();
    }
    const seeded = performance.now();
    pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    pool.on('error', () => undefined);
    const workload = await loadComplaints(pool);
    await pool.end();
    pool = null;
    const loaded = performance.now();
    console.log(
      `database ${DB_NAME} seeded in ${fmt((seeded - t0) / 1000)} s; ${COMPLAINTS} complaints over ${workload.offices.length} county offices ` +
        `written in ${fmt((loaded - seeded) / 1000)} s (category ${workload.categoryId}, policy ${workload.policyId})`,
    );

    // Sweepers: K instances, each with its own pool, as K server processes would run them.
    const instruments: Instrument[] = [];
    for (let k = 0; k < INSTANCES; k++) dbs.push(await openPostgres(databaseUrl, POOL_SIZE));
    monitor = new pg.Client({ connectionString: databaseUrl });
    await monitor.connect();
    const monitorPid = (await monitor.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const cpu = new BackendCpu(admin, new Set([monitorPid]));
    await cpu.begin();
    const sweepErrors: unknown[] = [];
    const started = performance.now();
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
    const leadLeft = (workload.windowStart - Date.now()) / 1000;
    console.log(
      `${INSTANCES} sweeper(s) started (pool ${POOL_SIZE}, ${CONCURRENCY} lanes, batch ${BATCH_SIZE} growing to ${MAX_BATCH_SIZE} while full, at the next deadline or every ${INTERVAL_MS} ms); ` +
        `the first deadline is in ${fmt(leadLeft)} s, the last ${WINDOW_SECONDS} s later`,
    );
    if (leadLeft < 0.5) console.warn(`warning: the setup ran into the window (${fmt(-leadLeft)} s late); raise BENCH_LEAD_SECONDS`);

    // Wait for every breach timer (sla_breaches has one row per fired breach: a cheap count).
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
    const finishedAt = Date.now();
    const cpuUsed = await cpu.end();
    await Promise.all(sweepers.map((s) => s.stop()));
    sweepers.length = 0;
    const runSeconds = (performance.now() - started) / 1000;
    const loadAtEnd = os.loadavg()[0]!;
    const baseline = await rawTimerUpdates(databaseUrl, { first: workload.firstTimerId, last: workload.lastTimerId }, BATCH_SIZE, INSTANCES * CONCURRENCY);
    const loadAfterBaseline = os.loadavg()[0]!;

    // Results, from the database.
    const { rows: lagRows } = await monitor.query<{ lag: number }>(
      `SELECT extract(epoch FROM fired_at - fire_at)::float8 * 1000 AS lag FROM sla_timers WHERE id BETWEEN ${workload.firstTimerId} AND $1 AND fired_at IS NOT NULL`,
      [workload.lastTimerId],
    );
    const lag = spread(lagRows.map((r) => r.lag));
    const firedTimers = lagRows.length;
    const checks = (
      await monitor.query<{
        breachedEvents: number;
        complaintsBreached: number;
        twice: number;
        breaches: number;
        escalated: number;
        newTimers: number;
        outbox: number;
        headsMatch: number;
      }>(
        `SELECT (SELECT count(*)::int FROM complaint_events WHERE type = 'sla_breached') AS "breachedEvents",
                (SELECT count(DISTINCT complaint_id)::int FROM complaint_events WHERE type = 'sla_breached') AS "complaintsBreached",
                (SELECT count(*)::int FROM (SELECT complaint_id FROM complaint_events WHERE type = 'sla_breached' GROUP BY complaint_id HAVING count(*) > 1) d) AS twice,
                (SELECT count(*)::int FROM sla_breaches) AS breaches,
                (SELECT count(*)::int FROM complaints c JOIN sla_timers t ON t.complaint_id = c.id AND t.id BETWEEN ${workload.firstTimerId} AND $1 WHERE c.escalation_count = 1 AND c.status = 'referred') AS escalated,
                (SELECT count(*)::int FROM sla_timers WHERE id > $1) AS "newTimers",
                (SELECT count(*)::int FROM outbox) AS outbox,
                (SELECT count(*)::int FROM complaints c JOIN complaint_events e ON e.complaint_id = c.id AND e.seq = c.last_seq AND e.hash = c.head_hash
                  JOIN sla_timers t ON t.complaint_id = c.id AND t.id BETWEEN ${workload.firstTimerId} AND $1) AS "headsMatch"`,
        [workload.lastTimerId],
      )
    ).rows[0]!;
    const byEvent = (
      await monitor.query<{ lag: number | null }>(
        `SELECT percentile_disc(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM e.created_at - t.fire_at)::float8 * 1000) AS lag
         FROM sla_timers t JOIN complaint_events e ON e.complaint_id = t.complaint_id AND e.type = 'sla_breached' WHERE t.id BETWEEN ${workload.firstTimerId} AND $1`,
        [workload.lastTimerId],
      )
    ).rows[0]!.lag;
    // Lag over the window, in tenths: does a backlog build up, or is it a constant delay?
    const slices = (
      await monitor.query<{ slice: number; n: number; p50: number; p99: number; max: number }>(
        `SELECT s AS slice, count(*)::int AS n, percentile_disc(0.5) WITHIN GROUP (ORDER BY lag) AS p50,
                percentile_disc(0.99) WITHIN GROUP (ORDER BY lag) AS p99, max(lag) AS max
         FROM (SELECT width_bucket(extract(epoch FROM fire_at - $2::timestamptz), 0, $3::float8 + 1e-9, 10) AS s,
                      extract(epoch FROM fired_at - fire_at)::float8 * 1000 AS lag
               FROM sla_timers WHERE id BETWEEN ${workload.firstTimerId} AND $1 AND fired_at IS NOT NULL) x
         GROUP BY s ORDER BY s`,
        [workload.lastTimerId, new Date(workload.windowStart), WINDOW_SECONDS],
      )
    ).rows;
    const span = (
      await monitor.query<{ seconds: number | null }>(
        `SELECT extract(epoch FROM max(fired_at) - $2::timestamptz)::float8 AS seconds FROM sla_timers WHERE id BETWEEN ${workload.firstTimerId} AND $1 AND fired_at IS NOT NULL`,
        [workload.lastTimerId, new Date(workload.windowStart)],
      )
    ).rows[0]!.seconds;
    const firingSeconds = Math.max(WINDOW_SECONDS, span ?? 0);
    const throughput = firedTimers / firingSeconds;

    const all = instruments.reduce((a, m) => {
      a.transactions += m.transactions;
      a.failed += m.failed;
      a.firstError ??= m.firstError;
      a.statements += m.statements;
      a.acquireMs.push(...m.acquireMs);
      a.transactionMs.push(...m.transactionMs);
      a.workMs.push(...m.workMs);
      a.busy.transactions += m.busy.transactions;
      a.busy.acquireMs += m.busy.acquireMs;
      a.busy.workMs += m.busy.workMs;
      a.busy.totalMs += m.busy.totalMs;
      for (const [label, ms] of m.busy.statementMs) a.busy.statementMs.set(label, (a.busy.statementMs.get(label) ?? 0) + ms);
      a.claims += m.claims;
      a.claimed += m.claimed;
      a.claimMs.push(...m.claimMs);
      for (const [label, e] of m.byStatement) {
        const entry = a.byStatement.get(label) ?? { count: 0, ms: 0 };
        entry.count += e.count;
        entry.ms += e.ms;
        a.byStatement.set(label, entry);
      }
      return a;
    }, newInstrument());
    const perFired = (ms: number | null) => (ms === null ? null : ms / Math.max(1, firedTimers));
    const tx = spread(all.transactionMs);
    const acquire = spread(all.acquireMs);
    const claim = spread(all.claimMs);
    const statementsPerTx = all.statements / Math.max(1, all.transactions);

    const cpus = os.cpus();
    const machine = {
      cores: cpus.length,
      cpu: cpus[0]?.model.trim() ?? 'unknown',
      memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
      loadAverageAtStart: round(loadAtStart, 2),
      node: process.version,
      postgres: pgVersion,
      ...Object.fromEntries(settings.map((s) => [s.name, s.setting])),
    };
    const ok = firedTimers === COMPLAINTS && checks.twice === 0 && checks.breachedEvents === checks.breaches;
    const lines = [
      '',
      `Foad SLA sweeper bench — ${COMPLAINTS} breach deadlines over ${WINDOW_SECONDS} s (${fmt(COMPLAINTS / WINDOW_SECONDS, 0)}/s needed); ` +
        `${INSTANCES} instance(s) × pool ${POOL_SIZE} (${CONCURRENCY} lanes), batch ${BATCH_SIZE} (up to ${MAX_BATCH_SIZE}), interval ${INTERVAL_MS} ms at most`,
      `machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, load average ${fmt(loadAtStart, 2)} at start, Node ${machine.node}, ` +
        `PostgreSQL ${pgVersion} (${settings.map((s) => `${s.name}=${s.setting}`).join(', ')})`,
      '',
      `lag (fired_at − fire_at) ms   ${'p50'.padStart(9)}${'p90'.padStart(9)}${'p99'.padStart(9)}${'max'.padStart(9)}`,
      `${'all deadlines'.padEnd(30)}${fmt(lag.p50, 0).padStart(9)}${fmt(lag.p90, 0).padStart(9)}${fmt(lag.p99, 0).padStart(9)}${fmt(lag.max, 0).padStart(9)}` +
        `   (p99 by the sla_breached event: ${fmt(byEvent, 0)}; target p99 < 2000)`,
      ...slices.map(
        (s) =>
          `${`  window tenth ${s.slice}`.padEnd(22)}${String(s.n).padStart(8)}${fmt(s.p50, 0).padStart(9)}${''.padStart(9)}${fmt(s.p99, 0).padStart(9)}${fmt(s.max, 0).padStart(9)}`,
      ),
      '',
      `fired ${firedTimers}/${COMPLAINTS} in ${fmt(firingSeconds)} s from the first deadline: ${fmt(throughput, 0)} breaches/s ` +
        `(run ${fmt(runSeconds)} s; ${fired < COMPLAINTS && finishedAt >= giveUpAt ? `gave up ${DRAIN_SECONDS} s after the window` : 'all fired'})`,
      `fired more than once: ${checks.twice} complaints (sla_breached events ${checks.breachedEvents} for ${checks.complaintsBreached} complaints, sla_breaches rows ${checks.breaches})`,
      `escalations: ${checks.escalated} complaints now at their directorate; ${checks.newTimers} new timers there; ${checks.outbox} outbox rows; ` +
        `${checks.headsMatch}/${COMPLAINTS} chain heads match their last event`,
      '',
      `per fire transaction: ${fmt(statementsPerTx, 1)} statements + BEGIN/COMMIT; ${all.transactions} transactions, ${all.failed} failed` +
        (all.firstError ? ` (first: ${String(all.firstError)})` : ''),
      `${'  ms'.padEnd(30)}${'p50'.padStart(9)}${'p90'.padStart(9)}${'p99'.padStart(9)}${'max'.padStart(9)}`,
      `${'  transaction (incl. wait)'.padEnd(30)}${fmt(tx.p50, 1).padStart(9)}${fmt(tx.p90, 1).padStart(9)}${fmt(tx.p99, 1).padStart(9)}${fmt(tx.max, 0).padStart(9)}`,
      `${'  wait for a connection'.padEnd(30)}${fmt(acquire.p50, 1).padStart(9)}${fmt(acquire.p90, 1).padStart(9)}${fmt(acquire.p99, 1).padStart(9)}${fmt(acquire.max, 0).padStart(9)}`,
      `${'  claim query'.padEnd(30)}${fmt(claim.p50, 1).padStart(9)}${fmt(claim.p90, 1).padStart(9)}${fmt(claim.p99, 1).padStart(9)}${fmt(claim.max, 0).padStart(9)}` +
        `   ${all.claims} claims, ${fmt(all.claimed / Math.max(1, all.claims), 1)} timers each`,
      `  statements by time (client side, round trip included; per fire transaction: count × mean ms):`,
      ...[...all.byStatement.entries()]
        .sort((a, b) => b[1].ms - a[1].ms)
        .map(
          ([label, e]) =>
            `    ${fmt(e.count / Math.max(1, all.transactions), 2).padStart(5)} × ${fmt(e.ms / Math.max(1, e.count), 2).padStart(6)}  ${fmt((100 * e.ms) / Math.max(1, sumMs(all.byStatement)), 0).padStart(3)}%  ${label}`,
        ),
      `  the claim's plan mid-window (EXPLAIN): ${(claimPlan ?? ['—']).map((l) => l.trim()).join(' | ')}`,
      `  phases, mean ms per busy fire transaction (${all.busy.transactions} claimed timers, ${fmt(all.claimed / Math.max(1, all.busy.transactions), 0)} each): ${phases(
        all,
      )
        .map((p) => `${p.phase} ${fmt(p.ms, 1)}`)
        .join('; ')}`,
      '',
      `baseline, same run: ${baseline.rows} raw UPDATEs of the same timer rows (transactions of ${BATCH_SIZE}, ${INSTANCES * CONCURRENCY} side by side) ` +
        `at ${fmt(baseline.perSecond, 0)} rows/s (load ${fmt(loadAtEnd, 1)} → ${fmt(loadAfterBaseline, 1)}); the sweeper's ${fmt(throughput, 0)} breaches/s ` +
        `is ${fmt(throughput / baseline.perSecond, 3)} of it`,
      '',
      `CPU ms per fired deadline: postgres backends ${fmt(perFired(cpuUsed.backendsMs), 2)} (${cpuUsed.backends} backends), autovacuum ${fmt(perFired(cpuUsed.autovacuumMs), 2)}, ` +
        `sweeper process ${fmt(perFired(cpuUsed.benchMs), 2)}; other load on the machine ${cpuUsed.otherCores === null ? '—' : `${fmt(cpuUsed.otherCores, 2)} cores`}`,
      ...(sweepErrors.length ? [`sweeper round errors: ${sweepErrors.map(String).join('; ')}`] : []),
      '',
    ];
    console.log(lines.join('\n'));
    console.log(
      JSON.stringify({
        bench: 'sla',
        complaints: COMPLAINTS,
        windowSeconds: WINDOW_SECONDS,
        instances: INSTANCES,
        poolSize: POOL_SIZE,
        concurrency: CONCURRENCY,
        batchSize: BATCH_SIZE,
        maxBatchSize: MAX_BATCH_SIZE,
        intervalMs: INTERVAL_MS,
        lagMs: roundSpread(lag, 0),
        lagP99ByEventMs: round(byEvent, 0),
        fired: firedTimers,
        firedTwice: checks.twice,
        breachesPerSecond: round(throughput),
        firingSeconds: round(firingSeconds),
        statementsPerTransaction: round(statementsPerTx, 2),
        transactionMs: roundSpread(tx, 2),
        acquireMs: roundSpread(acquire, 2),
        claimMs: roundSpread(claim, 2),
        statements: Object.fromEntries(
          [...all.byStatement.entries()].map(([label, e]) => [
            label,
            { perTransaction: round(e.count / Math.max(1, all.transactions), 2), meanMs: round(e.ms / Math.max(1, e.count), 2) },
          ]),
        ),
        failedTransactions: all.failed,
        phasesMsPerTransaction: Object.fromEntries(phases(all).map((p) => [p.phase, round(p.ms, 2)])),
        baseline: { rawTimerUpdatesPerSecond: round(baseline.perSecond, 0), ratio: round(throughput / baseline.perSecond, 3) },
        loadAverage: { start: round(loadAtStart, 2), end: round(loadAtEnd, 2) },
        cpuMsPerFired: {
          postgres: round(perFired(cpuUsed.backendsMs), 3),
          autovacuum: round(perFired(cpuUsed.autovacuumMs), 3),
          sweeper: round(perFired(cpuUsed.benchMs), 3),
          otherCores: round(cpuUsed.otherCores, 2),
        },
        target: { p99UnderMs: 2000, met: lag.p99 < 2000 && firedTimers === COMPLAINTS },
        machine,
      }),
    );
    return ok ? 0 : 1;
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
