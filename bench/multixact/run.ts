/**
 * MultiXact bench: how many MultiXact ids each intake consumes, against a baseline of the same rows
 * written with raw INSERTs into tables without the foreign keys to reference rows, on a local
 * PostgreSQL server.
 *
 *   npm run bench:multixact
 *
 * Settings (environment): BENCH_DATABASE_URL (admin URL, loopback only), BENCH_SECONDS (10 per
 * run), BENCH_CONNECTIONS (50 concurrent intakes), BENCH_WARMUP_SECONDS (2).
 *
 * Every complaint names the same few category, county, province, unit and policy rows. A foreign
 * key check takes FOR KEY SHARE on the referenced row; when a second transaction locks a row the
 * first still holds, PostgreSQL makes a MultiXact to record both, and those ids are the second
 * wraparound counter VACUUM must keep freezing. The counter is cluster-wide: read as
 * datminmxid + mxid_age(datminmxid) of this bench's database (no CHECKPOINT needed), before and
 * after each run. Other databases on the same server move it too, so an idle interval of the same
 * length is measured first. This database's own share is then counted exactly: the MultiXacts
 * issued during the run whose members include a transaction that wrote one of the run's
 * complaints (pg_get_multixact_members against the complaints rows' xmin); and, as a witness,
 * the reference rows left holding a MultiXact in their xmax after each run (pageinspect; frozen
 * away with VACUUM (FREEZE) before each run).
 *
 * Runs, in one fresh database foad_multixact_<pid>:
 *   0. idle: nothing but the rest of the server, for BENCH_SECONDS;
 *   1. HTTP: N concurrent intakes through the real server (bench/intake's workload);
 *   2. raw INSERT with the schema as migrated (the same rows as intake, bench/intake/drive.ts);
 *   3. baseline: raw INSERT after dropping every foreign key from the high-churn tables to the
 *      reference tables (categories, counties, provinces, units, services, sla_policies,
 *      quality_indicators, staff_users).
 */

import os from 'node:os';
import pg from 'pg';
import { runBaseline, runHttp } from '../intake/drive.ts';
import { type Server, startServer, stopServer } from '../intake/server.ts';
import { CONNECTIONS, POOL_SIZE, SECONDS, WARMUP_SECONDS } from '../intake/settings.ts';
import { loadWorkload } from '../intake/workload.ts';
import { cleanUpOnAbort, loopbackDatabaseUrl, seedBenchDatabase } from '../lib.ts';

const ADMIN_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = `foad_multixact_${process.pid}`;
const REFERENCE_TABLES = ['categories', 'counties', 'provinces', 'units', 'services', 'sla_policies', 'quality_indicators', 'staff_users'];
const CHURN_TABLES = ['complaints', 'complaint_events', 'complainant_contacts', 'sla_timers', 'sla_breaches', 'outbox', 'staff_notifications'];

/** The server's next MultiXact id, without a CHECKPOINT: the database's oldest one plus its age. */
async function nextMultiXact(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ next: string }>(
    `SELECT (datminmxid::text::bigint + mxid_age(datminmxid))::text AS next FROM pg_database WHERE datname = current_database()`,
  );
  return Number(rows[0]!.next);
}

interface Run {
  label: string;
  intakes: number;
  seconds: number;
  multixacts: number;
  /** Of those, the MultiXacts whose members include a transaction that wrote one of this run's complaints (this database alone). */
  ours: number | null;
  /** Reference rows whose xmax is a MultiXact after the run (pageinspect; this database only). */
  rowsHoldingOne: number | null;
}

/** The transaction ids that wrote the complaints rows (every intake, HTTP or raw, writes one). */
async function complaintXids(pool: pg.Pool): Promise<Set<string>> {
  const { rows } = await pool.query<{ x: string }>('SELECT xmin::text AS x FROM complaints');
  return new Set(rows.map((r) => r.x));
}

/**
 * How many MultiXacts in [from, to) have a member among `xids`: the server-wide counter less
 * what other databases made meanwhile. Null when a MultiXact in the range cannot be read.
 */
async function multiXactsOf(pool: pg.Pool, from: number, to: number, xids: string[]): Promise<number | null> {
  if (to <= from || xids.length === 0) return 0;
  try {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(DISTINCT m)::int AS n FROM generate_series($1::bigint, $2::bigint - 1) AS m,
         LATERAL pg_get_multixact_members(m::text::xid) AS x
       WHERE x.xid::text = ANY($3::text[])`,
      [from, to, xids],
    );
    return rows[0]!.n;
  } catch {
    return null;
  }
}

/**
 * A witness of this database alone (the counter is the whole server's): how many reference rows
 * carry a MultiXact in their xmax. VACUUM (FREEZE) clears them before each run.
 */
async function referenceRowsHoldingMultiXact(pool: pg.Pool): Promise<number | null> {
  try {
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM unnest($1::text[]) AS t(name),
         LATERAL generate_series(0, (pg_relation_size(t.name) / current_setting('block_size')::int)::int - 1) AS b(blk),
         LATERAL heap_page_items(get_raw_page(t.name, b.blk)) AS i
       WHERE i.t_infomask & 4096 <> 0`, // HEAP_XMAX_IS_MULTI
      [REFERENCE_TABLES],
    );
    return rows[0]!.n;
  } catch {
    return null;
  }
}

async function freezeReferenceRows(pool: pg.Pool): Promise<void> {
  await pool.query(`VACUUM (FREEZE) ${REFERENCE_TABLES.join(', ')}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : '—');

async function main(): Promise<number> {
  const databaseUrl = loopbackDatabaseUrl(ADMIN_URL, DB_NAME);
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
  const deadline = cleanUpOnAbort(cleanup, (4 * (SECONDS + WARMUP_SECONDS) + 300) * 1000);
  try {
    const version = (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
    await admin.query(`CREATE DATABASE ${DB_NAME}`);
    created = true;
    await seedBenchDatabase(databaseUrl);
    pool = new pg.Pool({ connectionString: databaseUrl, max: POOL_SIZE });
    pool.on('error', () => undefined);
    const workload = await loadWorkload(pool);
    server = await startServer(databaseUrl);
    const runs: Run[] = [];
    await pool.query('CREATE EXTENSION IF NOT EXISTS pageinspect').catch(() => undefined);
    const measured = async (label: string, work: () => Promise<number>) => {
      await freezeReferenceRows(pool!);
      const xidsBefore = await complaintXids(pool!);
      const before = await nextMultiXact(pool!);
      const t0 = Date.now();
      const intakes = await work();
      const seconds = (Date.now() - t0) / 1000;
      await sleep(1500); // requests still in flight when a run stops finish before the count
      const after = await nextMultiXact(pool!);
      const xids = [...(await complaintXids(pool!))].filter((x) => !xidsBefore.has(x));
      const ours = await multiXactsOf(pool!, before, after, xids);
      runs.push({ label, intakes, seconds, multixacts: after - before, ours, rowsHoldingOne: await referenceRowsHoldingMultiXact(pool!) });
    };

    let h = 0;
    let b = 0;
    if (WARMUP_SECONDS > 0) await runHttp(server.base, WARMUP_SECONDS, workload, () => h++);
    await sleep(1500);
    await measured('idle (rest of the server)', async () => {
      await sleep(SECONDS * 1000);
      return 0;
    });
    await measured('intake via HTTP', async () => (await runHttp(server!.base, SECONDS, workload, () => h++)).measure.ok);
    await measured('raw INSERT, schema as is', async () => (await runBaseline(pool!, SECONDS, workload, () => b++)).measure.ok);
    const dropped = await dropReferenceKeys(pool);
    await measured('raw INSERT, no ref. FKs', async () => (await runBaseline(pool!, SECONDS, workload, () => b++)).measure.ok);

    report(runs, version, loadAtStart, dropped);
    return runs[1]!.intakes > 0 && runs[3]!.intakes > 0 ? 0 : 1;
  } finally {
    clearTimeout(deadline);
    await cleanup();
  }
}

/** Prints the runs as a table and as one JSON line. */
function report(runs: Run[], version: string, loadAtStart: number, dropped: string[]): void {
  const idle = runs[0]!;
  const baseline = runs[3]!;
  // Per intake: this database's own MultiXacts when they could be read, else the server's counter less the idle rate.
  const idlePerSecond = idle.multixacts / idle.seconds;
  const perIntake = (r: Run) => (r.ours ?? Math.max(0, r.multixacts - idlePerSecond * r.seconds)) / r.intakes;
  const http = runs[1]!;
  console.log(
    [
      '',
      `Foad MultiXact bench — ${SECONDS} s per run, ${CONNECTIONS} concurrent intakes, pool ${POOL_SIZE}, PostgreSQL ${version}`,
      `machine: ${os.cpus().length} cores, load average ${fmt(loadAtStart)} at start, ${fmt(os.loadavg()[0]!)} at the end`,
      `baseline drops ${dropped.length} foreign keys: ${dropped.join(', ') || 'none (already gone)'}`,
      '',
      `${'run'.padEnd(28)}${'intakes'.padStart(9)}${'server-wide'.padStart(13)}${'this run'.padStart(10)}${'per intake'.padStart(12)}${'ref. rows'.padStart(11)}`,
      ...runs.map(
        (r) =>
          `${r.label.padEnd(28)}${String(r.intakes).padStart(9)}${String(r.multixacts).padStart(13)}${String(r.ours ?? '—').padStart(10)}` +
          `${(r.intakes ? fmt(perIntake(r), 3) : `(${fmt(idlePerSecond, 1)}/s)`).padStart(12)}${String(r.rowsHoldingOne ?? '—').padStart(11)}`,
      ),
      `${'ratio HTTP/baseline'.padEnd(28)}${(perIntake(baseline) > 0 ? fmt(perIntake(http) / perIntake(baseline), 1) : `${fmt(perIntake(http), 3)} against 0`).padStart(54)}`,
      '',
      'server-wide: MultiXact ids the server issued during the run (other databases included);',
      "this run: those whose members include a transaction that wrote one of the run's complaints (pg_get_multixact_members);",
      'ref. rows: reference rows left holding a MultiXact in their xmax after the run (pageinspect).',
      '',
    ].join('\n'),
  );
  console.log(
    JSON.stringify({
      bench: 'multixact',
      seconds: SECONDS,
      connections: CONNECTIONS,
      runs: runs.map((r) => ({ ...r, perIntake: r.intakes ? Number(perIntake(r).toFixed(4)) : null })),
      loadAverage: [Number(loadAtStart.toFixed(2)), Number(os.loadavg()[0]!.toFixed(2))],
    }),
  );
}

/** Drops the foreign keys from the high-churn tables to the reference tables; returns their names. */
async function dropReferenceKeys(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ tbl: string; name: string }>(
    `SELECT c.conrelid::regclass::text AS tbl, c.conname AS name FROM pg_constraint c
     WHERE c.contype = 'f' AND c.conparentid = 0 AND c.conrelid::regclass::text = ANY($1) AND c.confrelid::regclass::text = ANY($2)
     ORDER BY 1, 2`,
    [CHURN_TABLES, REFERENCE_TABLES],
  );
  for (const { tbl, name } of rows) await pool.query(`ALTER TABLE ${tbl} DROP CONSTRAINT ${name}`);
  return rows.map((r) => `${r.tbl}.${r.name}`);
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  },
);
