/**
 * SLA burst under intake load: the SLA benchmark (bench/sla: a burst of deadlines falling due over
 * a window, fired by the real sweepers) with complaints being filed beside it the whole time, so
 * the sweeper's lag is measured while intake competes for the same rows, indexes and WAL.
 *
 *   npm run bench:sla-burst
 *
 * Settings (environment): everything bench/sla reads (passed on; defaults here are smaller:
 * BENCH_COMPLAINTS 20000, BENCH_WINDOW_SECONDS 30, BENCH_LEAD_SECONDS 60 — the lead leaves time to
 * build the intake app before the first deadline), plus BENCH_INTAKE_RATE (complaints per second,
 * default 20) and BENCH_INTAKE_CONCURRENCY (8: most intakes in flight at once).
 *
 * It runs bench/sla as a child process (its own database foad_sla_bench_<child pid>, its own
 * sweepers), and once the child says when the first deadline falls, builds the HTTP app in this
 * process on that database (no workers) and files web complaints through it (`inject`: the
 * intake path without the network) at the given rate until the child finishes. It prints the
 * child's report (sweeper lag p50/p90/p99 against the 2 s target) and then the intake's figures
 * during the burst. Without intake (BENCH_INTAKE_RATE=0) it is bench/sla as it was: the baseline.
 */

import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../server/src/config.ts';
import { type Database, openPostgres } from '../../server/src/db/database.ts';
import { type App, buildApp } from '../../server/src/http/app.ts';
import { MemoryProvider } from '../../server/src/notifications/provider.ts';
import { envInt, loopbackDatabaseUrl, percentile } from '../lib.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const RATE = envInt('BENCH_INTAKE_RATE', 20, 0, 10_000);
const CONCURRENCY = envInt('BENCH_INTAKE_CONCURRENCY', 8, 1, 1000);
const ADMIN_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

interface Target {
  agencyId: number;
  countyId: number;
}

/** County offices of the demo agencies, with the organisation to file against. */
async function targets(db: Database): Promise<Target[]> {
  const { rows } = await db.pool.query<Target>(
    `SELECT o.id AS "agencyId", u.county_id AS "countyId" FROM units u JOIN units o ON u.path LIKE o.path || '%' AND o.kind = 'organisation'
     WHERE u.kind = 'county_office' AND u.active ORDER BY u.id LIMIT 200`,
  );
  if (rows.length === 0) throw new Error('no county offices in the bench database');
  return rows;
}

/** Files complaints at `RATE` a second (at most `CONCURRENCY` in flight) until `stop` resolves. */
async function intakeLoad(app: App, to: Target[], stop: Promise<unknown>) {
  const latencies: number[] = [];
  let refused = 0;
  let failed = 0;
  let skipped = 0;
  let inFlight = 0;
  let n = 0;
  let stopped = false;
  void stop.then(() => (stopped = true));
  const started = performance.now();
  const pending = new Set<Promise<void>>();
  while (!stopped) {
    const due = Math.floor(((performance.now() - started) / 1000) * RATE);
    while (n < due) {
      n++;
      if (inFlight >= CONCURRENCY) {
        skipped++;
        continue;
      }
      const t = to[n % to.length]!;
      const sent = performance.now();
      inFlight++;
      const p = app
        .inject({
          method: 'POST',
          url: '/api/v1/complaints',
          payload: {
            channel: 'web',
            agencyId: t.agencyId,
            countyId: t.countyId,
            description: 'کارمند باجهٔ شمارهٔ ۲ از ساعت ۹ صبح پشت میز نیست و کسی جای او نیست.',
            contact: { phone: `0913${String(1_000_000 + (n % 8_999_999)).slice(0, 7)}` },
          },
        })
        .then(
          (res) => {
            if (res.statusCode === 201) latencies.push(performance.now() - sent);
            else refused++;
          },
          () => void failed++,
        )
        .finally(() => {
          inFlight--;
          pending.delete(p);
        });
      pending.add(p);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await Promise.all(pending);
  const seconds = (performance.now() - started) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  return {
    seconds: Math.round(seconds),
    filed: latencies.length,
    perSecond: Math.round((latencies.length / seconds) * 10) / 10,
    refused,
    failed,
    skippedAtConcurrencyCap: skipped,
    intakeMs: { p50: Math.round(percentile(sorted, 50)), p99: Math.round(percentile(sorted, 99)), max: Math.round(sorted[sorted.length - 1] ?? 0) },
  };
}

async function main(): Promise<number> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'sla', 'run.ts')], {
    cwd: ROOT,
    env: {
      ...process.env,
      BENCH_COMPLAINTS: process.env.BENCH_COMPLAINTS || '20000',
      BENCH_WINDOW_SECONDS: process.env.BENCH_WINDOW_SECONDS || '30',
      BENCH_LEAD_SECONDS: process.env.BENCH_LEAD_SECONDS || '60',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 1)));
  process.once('SIGINT', () => child.kill('SIGINT'));
  // The child announces the window once its sweepers run, and prints its lag table once every
  // deadline fired (before it drops the database): the intake runs between the two.
  let announce = () => {};
  let finish = () => {};
  const windowAnnounced = new Promise<void>((resolve) => (announce = resolve));
  const burstDone = new Promise<void>((resolve) => (finish = resolve));
  child.stdout!.on('data', (chunk: Buffer) => {
    process.stdout.write(chunk);
    const text = chunk.toString();
    if (text.includes('the first deadline is in')) announce();
    if (text.includes('lag (fired_at')) finish();
  });
  if (RATE === 0) return exited;
  const ready = await Promise.race([windowAnnounced.then(() => true), exited.then(() => false)]);
  if (!ready) return exited;
  const db = await openPostgres(loopbackDatabaseUrl(ADMIN_URL, `foad_sla_bench_${child.pid}`), 10);
  let app: App | null = null;
  try {
    const config = loadConfig({
      NODE_ENV: 'development',
      RUN_WORKERS: 'false',
      LOG_LEVEL: 'silent',
      INTAKE_RATE_LIMIT: '1000000',
      PUBLIC_RATE_LIMIT: '1000000',
    });
    app = await buildApp({ config, db, notifications: new MemoryProvider() });
    await app.ready();
    const load = await intakeLoad(app, await targets(db), Promise.race([burstDone, exited]));
    console.log(`\nintake beside the burst (target ${RATE}/s, at most ${CONCURRENCY} in flight):`);
    console.log(JSON.stringify(load, null, 2));
  } finally {
    await app?.close();
    await db.close();
  }
  return exited;
}

process.exitCode = await main();
