import type pg from 'pg';
import { machineFacts } from '../lib.ts';
import type { BackendCpu } from './cpu.ts';
import { type Instrument, newInstrument, phases } from './instrument.ts';
import { fmt, round, roundSpread, spread, sumMs } from './results.ts';
import { BATCH_SIZE, COMPLAINTS, CONCURRENCY, DRAIN_SECONDS, INSTANCES, INTERVAL_MS, MAX_BATCH_SIZE, POOL_SIZE, WINDOW_SECONDS } from './settings.ts';
import type { Workload } from './workload.ts';

/** The SLA bench's results: read from the database after the run, then printed for people and as one JSON line. */

/** Lags, checks and the firing span, from the bench database. */
export async function readResults(monitor: pg.Client, workload: Workload) {
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

  return { lag, firedTimers, checks, byEvent, slices, firingSeconds, throughput };
}

/** The sweepers' instruments summed into one. */
export function combine(instruments: Instrument[]): Instrument {
  return instruments.reduce((a, m) => {
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
}

export interface Run {
  pgVersion: string;
  settings: { name: string; setting: string }[];
  loadAtStart: number;
  loadAtEnd: number;
  loadAfterBaseline: number;
  fired: number;
  finishedAt: number;
  giveUpAt: number;
  runSeconds: number;
  claimPlan: string[] | null;
  sweepErrors: unknown[];
  cpuUsed: Awaited<ReturnType<BackendCpu['end']>>;
  baseline: { rows: number; perSecond: number };
  all: Instrument;
}

/** Prints the report; returns whether every deadline fired exactly once. */
export function printReport(run: Run, results: Results): boolean {
  const figures = deriveFigures(run, results);
  printText(run, results, figures);
  printJson(run, results, figures);
  return figures.ok;
}

type Results = Awaited<ReturnType<typeof readResults>>;
type Figures = ReturnType<typeof deriveFigures>;

/** Per-transaction spreads, the machine's facts and the verdict. */
function deriveFigures(run: Run, results: Results) {
  const { pgVersion, settings, loadAtStart, all } = run;
  const { firedTimers, checks } = results;
  const perFired = (ms: number | null) => (ms === null ? null : ms / Math.max(1, firedTimers));
  const tx = spread(all.transactionMs);
  const acquire = spread(all.acquireMs);
  const claim = spread(all.claimMs);
  const statementsPerTx = all.statements / Math.max(1, all.transactions);

  const machine = machineFacts(loadAtStart, pgVersion, settings);
  const ok = firedTimers === COMPLAINTS && checks.twice === 0 && checks.breachedEvents === checks.breaches;
  return { perFired, tx, acquire, claim, statementsPerTx, machine, ok };
}

/** The report for people. */
function printText(run: Run, results: Results, figures: Figures): void {
  const {
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
  } = run;
  const { lag, firedTimers, checks, byEvent, slices, firingSeconds, throughput } = results;
  const { perFired, tx, acquire, claim, statementsPerTx, machine } = figures;
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
}

/** One JSON line for tools. */
function printJson(run: Run, results: Results, figures: Figures): void {
  const { loadAtStart, loadAtEnd, cpuUsed, baseline, all } = run;
  const { lag, firedTimers, checks, byEvent, firingSeconds, throughput } = results;
  const { perFired, tx, acquire, claim, statementsPerTx, machine } = figures;
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
}
