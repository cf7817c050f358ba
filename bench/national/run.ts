/**
 * National benchmark (issue 14): a year of national data in place, then the figures that matter
 * at that size, each beside a baseline measured in the same run.
 *
 *   npm run bench:national -- [--complaints N | --scale F] [--keep] [--generate-only] [--seconds S]
 *
 * Full size: 6,000,000 complaints (~50 M events, 1 M open); `--scale 0.05` is a twentieth.
 * `--keep` keeps the database and reuses its data on the next run (no generation);
 * `--generate-only` (implies `--keep`) stops after generating, so the hours-long load of the full
 * size can run once and the measures be repeated on it. Settings
 * (environment): BENCH_DATABASE_URL (admin URL, loopback only, a superuser: the bulk load turns
 * triggers off; default postgres://postgres@127.0.0.1:5432/postgres), BENCH_DB (foad_national),
 * BENCH_CHUNK (250,000 complaints per INSERT).
 *
 * Never PGlite: it creates (or reuses) the database, migrates it with the app's migrations, seeds
 * the reference, SLA and demo data, generates the year (generate.ts says how), starts the real
 * server on it, and measures:
 *   1. intake: POST /api/v1/complaints at 200/s for S s (p50/p99) — baseline: raw INSERTs of the
 *      same rows (bench/intake's runBaseline); next multixact id before/after (pg_control_checkpoint);
 *   2. tracking: GET /api/v1/track/:code at 1,000/s over bulk complaints — baseline: PK select;
 *   3. a staff inbox page (25 by due date; every status, and the queue's default: awaiting staff)
 *      for a county office, a provincial directorate and a provincial supervisor of the most
 *      populous province — baseline: PK select;
 *   4. the SLA sweep over the ~1 M open complaints: idle rounds, then firing a burst of due
 *      deadlines with the real sweeper — baseline: a plain scan of the open timers;
 *   5. the country's report card for Esfand 1404 and the year 1404 — baseline: plain GROUP BY;
 *   6. verify-chain throughput over the complaints the app filed in step 1 (chained by the app's
 *      own code), in pages as `--all` reads them and one at a time — baseline: a plain read of
 *      their events.
 * Then it stops the server and drops the database, unless --keep.
 */

import os from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { makeDueCheckpoints } from '../../server/src/chain/checkpoints.ts';
import { checkpointKeysFromConfig } from '../../server/src/chain/keys.ts';
import { loadConfig } from '../../server/src/config.ts';
import { type Database, openPostgres } from '../../server/src/db/database.ts';
import { migrate } from '../../server/src/db/migrate.ts';
import { seedDemo } from '../../server/src/seed/demo.ts';
import { seedReference } from '../../server/src/seed/reference.ts';
import { seedSlaReference } from '../../server/src/seed/sla.ts';
import { runBaseline } from '../intake/drive.ts';
import { type Server, startServer, stopServer } from '../intake/server.ts';
import { complaintAt, loadWorkload, requestBody, type Workload } from '../intake/workload.ts';
import { cleanUpOnAbort, envInt, loopbackDatabaseUrl, serverSettings } from '../lib.ts';
import { dataShape, generateNational } from './generate.ts';
import { inboxPages, intakeAtRate, primaryKeySelect, reportCards, slaSweep, trackingAtRate, trackingSample, verifyChains } from './measure.ts';

const FULL = 6_000_000;

function args() {
  const argv = process.argv.slice(2);
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const scale = Number(value('--scale') ?? '1');
  const complaints = Number(value('--complaints') ?? Math.round(FULL * scale));
  const seconds = Number(value('--seconds') ?? '20');
  if (!Number.isInteger(complaints) || complaints < 100 || complaints > 50_000_000) throw new Error('--complaints must be an integer from 100 to 50,000,000');
  if (!Number.isFinite(scale) || scale <= 0 || scale > 10) throw new Error('--scale must be a fraction such as 0.05');
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 600) throw new Error('--seconds must be 1–600');
  const generateOnly = argv.includes('--generate-only');
  return { complaints, keep: generateOnly || argv.includes('--keep'), generateOnly, seconds };
}

const ADMIN_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = process.env.BENCH_DB || 'foad_national';
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(DB_NAME)) throw new Error('BENCH_DB must be a plain lower-case name');
const CHUNK = envInt('BENCH_CHUNK', 250_000, 1000, 5_000_000);

const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '—');
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

async function nextMulti(q: (t: string) => Promise<pg.QueryResult>): Promise<number> {
  await q('CHECKPOINT');
  return Number((await q('SELECT next_multixact_id::text AS m FROM pg_control_checkpoint()')).rows[0].m);
}

/** Files one complaint (retrying for up to 5 minutes) so that the server's start-up work is behind it; returns its latency. */
async function firstIntake(base: string, w: Workload): Promise<number> {
  const until = Date.now() + 300_000;
  for (let i = 0; ; i++) {
    const t = performance.now();
    const response = await fetch(`${base}/api/v1/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `national-ready-${process.pid}-${i}` },
      body: requestBody(complaintAt(w, 9_000_000 + i)),
      signal: AbortSignal.timeout(120_000),
    }).catch(() => null);
    if (response?.status === 201) return performance.now() - t;
    if (Date.now() > until) throw new Error(`the server filed no complaint within 5 minutes (last status ${response?.status})`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

type Q = (text: string, values?: unknown[]) => Promise<pg.QueryResult>;
type Log = (line: string) => void;
type Opts = ReturnType<typeof args>;

/** Generates the year (unless a kept one is reused) and reports its shape. */
async function prepareData(db: Database, q: Q, o: Opts, reuse: boolean, result: Record<string, unknown>, log: Log): Promise<void> {
  const generated = reuse && (await q(`SELECT to_regclass('national_offices') IS NOT NULL AS g`)).rows[0].g;
  if (!generated) {
    const t = performance.now();
    await seedReference(db);
    await seedSlaReference(db);
    await seedDemo(db, 'foad-national-128');
    log(`migrated and seeded in ${f1((performance.now() - t) / 1000)} s; generating ${o.complaints.toLocaleString('en')} complaints`);
    const client = await db.pool.connect();
    try {
      const t0 = performance.now();
      result.generation = {
        ...(await generateNational(client, { complaints: o.complaints, chunk: CHUNK, openShare: 1 / 6, log })),
        totalSeconds: (performance.now() - t0) / 1000,
        loadAtEnd: load(),
      };
    } finally {
      client.release();
    }
  } else log('reusing the kept data');
  const shape = await dataShape(q);
  const size = (await q(`SELECT pg_database_size(current_database())::bigint AS b`)).rows[0].b;
  result.data = { ...shape, byProvince: shape.byProvince.slice(0, 5), byAgency: shape.byAgency.slice(0, 4), databaseGB: Number(size) / 1e9 };
  log(`data: ${JSON.stringify(result.data)}`);
}

/** Intake and tracking through the real server, each beside its raw baseline. */
async function httpPhase(db: Database, q: Q, url: string, o: Opts, result: Record<string, unknown>, log: Log, started: (s: Server | null) => void) {
  const codes = await trackingSample(q, Math.min(20_000, Math.ceil(o.complaints / 10)));
  const { rows: sampleIds } = await q(`SELECT id FROM complaints WHERE tracking_code = ANY($1)`, [codes]);
  // A live system signs each day's checkpoint as it ends; a bulk-loaded year has none, and the
  // server's checkpointer would sign the backlog (a Merkle tree over every chain head) in its
  // first seconds, in the middle of the intake run. Sign it here first, timed, as setup.
  let t = performance.now();
  const signed = await makeDueCheckpoints(db, checkpointKeysFromConfig(loadConfig({ ...process.env, DATABASE_URL: url })).signing, 10, new Date());
  result.checkpointBacklog = { days: signed.length, seconds: (performance.now() - t) / 1000 };
  process.env.PUBLIC_RATE_LIMIT = '100000000'; // the tracking lookups all come from this one address
  t = performance.now();
  const server = await startServer(url);
  started(server);
  const workload = await loadWorkload(db.pool);
  const ready = await firstIntake(server.base, workload);
  result.serverStart = { seconds: (performance.now() - t) / 1000, firstIntakeMs: ready };
  log(`server up; first complaint filed in ${f1(ready)} ms; warming up (untimed: intake at 50/s, tracking at 100/s, 5 s each)`);
  await intakeAtRate(server.base, workload, 50, 5, 'warm');
  await trackingAtRate(server.base, codes, 100, 5);
  log('intake at 200/s');
  const multiBefore = await nextMulti(q);
  const intake = await intakeAtRate(server.base, workload, 200, o.seconds);
  const multiAfter = await nextMulti(q);
  log(`intake ${JSON.stringify(intake)}`);
  let n = Math.floor(Math.random() * 9e10); // the raw rows' codes and keys: fresh on a reused database too
  const rawInsert = await runBaseline(db.pool, o.seconds, workload, () => n++);
  result.intake = { http: intake, rawInsertBaseline: rawInsert.measure, nextMultixactBefore: multiBefore, nextMultixactAfter: multiAfter, load: load() };
  log(`raw insert ${JSON.stringify(rawInsert.measure)}`);

  const tracking = await trackingAtRate(server.base, codes, 1000, o.seconds);
  const pk = await primaryKeySelect(
    db.pool,
    sampleIds.map((r) => r.id as string),
    o.seconds,
    8,
  );
  result.tracking = { http: tracking, primaryKeyBaseline: pk, load: load() };
  log(`tracking ${JSON.stringify(result.tracking)}`);
  await stopServer(server.child);
  started(null);
}

/** The measures that read the data in place: inbox pages, the SLA sweep, report cards, verify-chain. */
async function inPlacePhase(db: Database, q: Q, o: Opts, result: Record<string, unknown>, log: Log) {
  result.inbox = { ...(await inboxPages(db.pool, q, 30)), load: load() };
  log(`inbox ${JSON.stringify(result.inbox)}`);
  result.sla = { ...(await slaSweep(db, q, Math.max(200, Math.round(o.complaints / 600)))), load: load() };
  log(`sla ${JSON.stringify(result.sla)}`);
  result.reports = { ...(await reportCards(db.pool, q, 3)), load: load() };
  log(`reports ${JSON.stringify(result.reports)}`);
  result.verifyChain = { ...(await verifyChains(db.pool, q, 2000)), load: load() };
  log(`verify-chain ${JSON.stringify(result.verifyChain)}`);
}

async function main() {
  const o = args();
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const url = loopbackDatabaseUrl(ADMIN_URL, DB_NAME);
  let server: Server | null = null;
  const cleanup = async () => {
    if (server) await stopServer(server.child).catch(() => undefined);
    if (!o.keep) await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`).catch(() => undefined);
  };
  const deadline = cleanUpOnAbort(cleanup, (3600 + Math.ceil(o.complaints / 1000)) * 1000);
  const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)} load ${load()}] ${line}`);
  const result: Record<string, unknown> = { complaintsAsked: o.complaints, loadAtStart: load() };
  try {
    result.server = await serverSettings(admin);
    const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME])).rowCount === 1;
    const reuse = exists && o.keep;
    if (exists && !reuse) await admin.query(`DROP DATABASE ${DB_NAME} WITH (FORCE)`);
    if (!reuse) await admin.query(`CREATE DATABASE ${DB_NAME}`);
    const db = await openPostgres(url, 8);
    const q: Q = (text, values) => db.pool.query(text, values);
    try {
      await migrate(db);
      await prepareData(db, q, o, reuse, result, log);
      if (o.generateOnly) return void console.log(JSON.stringify(result, null, 2));
      await httpPhase(db, q, url, o, result, log, (s) => {
        server = s;
      });
      await inPlacePhase(db, q, o, result, log);
    } finally {
      await db.close();
    }
    console.log(JSON.stringify(result, null, 2));
  } finally {
    clearTimeout(deadline);
    await cleanup();
    await admin.end();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
