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
 * length is measured first and its figure is shown beside the others.
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
import { cleanUpOnAbort, loopbackDatabaseUrl } from '../lib.ts';
import { openPostgres } from '../../server/src/db/database.ts';
import { migrate } from '../../server/src/db/migrate.ts';
import { seedDemo } from '../../server/src/seed/demo.ts';
import { seedReference } from '../../server/src/seed/reference.ts';
import { seedSlaReference } from '../../server/src/seed/sla.ts';

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
    const db = await openPostgres(databaseUrl, 4);
    try {
      await migrate(db);
      await seedReference(db);
      await seedSlaReference(db);
      await seedDemo(db, 'foad-bench-128');
    } finally {
      await db.close();
    }
    pool = new pg.Pool({ connectionString: databaseUrl, max: POOL_SIZE });
    pool.on('error', () => undefined);
    const workload = await loadWorkload(pool);
    server = await startServer(databaseUrl);
    const runs: Run[] = [];
    const measured = async (label: string, work: () => Promise<number>) => {
      const before = await nextMultiXact(pool!);
      const t0 = Date.now();
      const intakes = await work();
      const seconds = (Date.now() - t0) / 1000;
      await sleep(1500); // requests still in flight when a run stops finish before the count
      runs.push({ label, intakes, seconds, multixacts: (await nextMultiXact(pool!)) - before });
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

    const idle = runs[0]!;
    const idlePerSecond = idle.multixacts / idle.seconds;
    const baseline = runs[3]!;
    const perIntake = (r: Run) => r.multixacts / r.intakes;
    const net = (r: Run) => Math.max(0, r.multixacts - idlePerSecond * r.seconds) / r.intakes;
    console.log(
      [
        '',
        `Foad MultiXact bench — ${SECONDS} s per run, ${CONNECTIONS} concurrent intakes, pool ${POOL_SIZE}, PostgreSQL ${version}`,
        `machine: ${os.cpus().length} cores, load average ${fmt(loadAtStart)} at start, ${fmt(os.loadavg()[0]!)} at the end`,
        `baseline drops ${dropped.length} foreign keys: ${dropped.join(', ') || 'none (already gone)'}`,
        '',
        `${'run'.padEnd(28)}${'intakes'.padStart(9)}${'MultiXacts'.padStart(12)}${'per intake'.padStart(12)}${'net of idle'.padStart(13)}`,
        ...runs.map(
          (r) =>
            `${r.label.padEnd(28)}${String(r.intakes).padStart(9)}${String(r.multixacts).padStart(12)}` +
            `${(r.intakes ? fmt(perIntake(r), 3) : `${fmt(idlePerSecond, 1)}/s`).padStart(12)}${(r.intakes ? fmt(net(r), 3) : '').padStart(13)}`,
        ),
        `${'ratio HTTP/baseline (net)'.padEnd(28)}${(net(baseline) > 0 ? fmt(net(runs[1]!) / net(baseline), 1) : `${fmt(net(runs[1]!), 3)} vs 0`).padStart(46)}`,
        '',
      ].join('\n'),
    );
    console.log(
      JSON.stringify({
        bench: 'multixact',
        seconds: SECONDS,
        connections: CONNECTIONS,
        runs: runs.map((r) => ({ ...r, perIntake: r.intakes ? Number(perIntake(r).toFixed(4)) : null, netPerIntake: r.intakes ? Number(net(r).toFixed(4)) : null })),
        loadAverage: [Number(loadAtStart.toFixed(2)), Number(os.loadavg()[0]!.toFixed(2))],
      }),
    );
    return runs[1]!.intakes > 0 && baseline.intakes > 0 ? 0 : 1;
  } finally {
    clearTimeout(deadline);
    await cleanup();
  }
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
