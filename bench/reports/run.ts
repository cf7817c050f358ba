/**
 * Report-card benchmark: a month's report card for every unit and the whole country, from the
 * rollups, against a plain GROUP BY over the raw complaint table, in the same run.
 *
 *   npm run bench:reports
 *
 * Settings (environment): BENCH_DATABASE_URL (admin URL, loopback only; default
 * postgres://postgres@127.0.0.1:5432/postgres — a superuser: the bulk load turns triggers off),
 * BENCH_COMPLAINTS (1,000,000), BENCH_AGENCIES (20), BENCH_CHUNK (1,000,000 rows per INSERT),
 * BENCH_RUNS (9 timed runs of each path; the median is reported), BENCH_WARMUP (3 untimed runs of
 * each path first, as a running server is warm: both paths get the same), BENCH_MONTH (1404-03),
 * BENCH_KEEP=1 keeps the database; BENCH_REUSE=foad_reports_bench_<pid> times a kept one again
 * without generating (its migrations are brought up to date first).
 *
 * It creates a fresh database foad_reports_bench_<pid>, migrates and seeds the reference data,
 * builds BENCH_AGENCIES agencies (ministry → organisation → a directorate in each of the 31
 * provinces → an office in each of the 484 counties) with an inspection head per unit, then
 * generates N complaints with set-based SQL spread uniformly over the two Jalali years 1403–1404
 * across every county office: closed satisfied, closed without rating, reopened then satisfied,
 * rejected, answered and waiting, or still open (some breached and escalated), with first-action
 * and answer times drawn from skewed distributions.
 *
 * Bulk path (documented equivalent of the product's): the complaints are inserted with
 * `session_replication_role = replica` (no per-row triggers: neither the rollup trigger nor the
 * full-text one), with the responsible unit, manager and indicator columns filled as the
 * responsibility trigger would (the organisation too); then `report_rollups_rebuild()` — the same per-complaint
 * contribution, summed set-based — fills the rollups. The product's integration test checks
 * that this rebuild equals the trigger-maintained rollups.
 *
 * Then, alternately, BENCH_RUNS times each: (a) buildReportCard() for the month — the same code
 * as GET /api/v1/reports/cards/{period} for the national centre: every unit, manager, agency ×
 * province, agency, province and the country, with medians and p90s; (b) the plain scan: one
 * GROUP BY per unit and one for the country over `complaints` for the month's time range
 * (the created_at index is there), with exact percentiles. It checks both give the same counts.
 */

import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { type Database, openPostgres } from '../../server/src/db/database.ts';
import { migrate } from '../../server/src/db/migrate.ts';
import { parsePeriod, periodBounds } from '../../server/src/domain/jalali-periods.ts';
import { buildReportCard } from '../../server/src/reports/build-report-card.ts';
import { seedReference } from '../../server/src/seed/reference.ts';
import { seedSlaReference } from '../../server/src/seed/sla.ts';
import { cleanUpOnAbort, envInt, loopbackDatabaseUrl, serverSettings } from '../lib.ts';

const COMPLAINTS = envInt('BENCH_COMPLAINTS', 1_000_000, 1, 100_000_000);
const AGENCIES = envInt('BENCH_AGENCIES', 20, 1, 500);
const CHUNK = envInt('BENCH_CHUNK', 1_000_000, 1000, 10_000_000);
const RUNS = envInt('BENCH_RUNS', 9, 1, 100);
const WARMUP = envInt('BENCH_WARMUP', 3, 0, 100);
const MONTH = parsePeriod(process.env.BENCH_MONTH || '1404-03');
const ADMIN_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
/** BENCH_REUSE names a database an earlier run kept (BENCH_KEEP=1): time again without generating. */
const REUSE = process.env.BENCH_REUSE || '';
if (REUSE && !/^foad_reports_bench_\d+$/.test(REUSE)) throw new Error('BENCH_REUSE must name a kept foad_reports_bench_<pid> database');
const DB_NAME = REUSE || `foad_reports_bench_${process.pid}`;
if (MONTH?.kind !== 'month') throw new Error('BENCH_MONTH must be a Jalali month such as 1404-03');
const month = MONTH;

/** Two Jalali years, 1403 (leap) and 1404, from Tehran midnight to Tehran midnight. */
const SPAN = { from: periodBounds(parsePeriod('1403')!).startsAt, to: periodBounds(parsePeriod('1404')!).endsAt };

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

type Query = (text: string, values?: unknown[]) => Promise<pg.QueryResult>;

/** Builds the agency tree, generates the complaints and fills the rollups; returns the timings. */
async function generate(db: Database, q: Query) {
  let started = performance.now();
  const { offices, categories, units } = await buildAgencyTree(q);
  const treeMs = performance.now() - started;
  started = performance.now();
  await insertComplaints(db, offices, categories);
  const generateMs = performance.now() - started;
  started = performance.now();
  await db.transaction((tx) => tx.query('SELECT report_rollups_rebuild()'));
  const rollupMs = performance.now() - started;
  started = performance.now();
  await q('VACUUM ANALYZE complaints');
  // Every table's statistics, the unit tree's included (the names joined into the cards come from it).
  await q('ANALYZE');
  const analyzeMs = performance.now() - started;
  return { offices, units, complaints: COMPLAINTS, treeMs, generateMs, rollupMs, analyzeMs };
}

/** The agency tree and its inspection heads; the county offices and active categories numbered for the generator. */
async function buildAgencyTree(q: Query) {
  await q(`CREATE TEMP TABLE IF NOT EXISTS x (n int)`);
  await q(
    `INSERT INTO units (id, code, kind, name_fa, name_en, name_search, path, depth)
     SELECT id, 'BM' || g, 'ministry', 'وزارت نمونهٔ ' || g, 'Ministry ' || g, 'وزارت نمونه ' || g, '/' || id || '/', 1
     FROM (SELECT nextval('units_id_seq') AS id, g FROM generate_series(1, $1) g) m`,
    [AGENCIES],
  );
  await q(
    `INSERT INTO units (id, code, parent_id, kind, name_fa, name_en, name_search, path, depth)
     SELECT nextval('units_id_seq'), 'BO' || substr(m.code, 3), m.id, 'organisation', 'سازمان نمونهٔ ' || substr(m.code, 3),
            'Organisation ' || substr(m.code, 3), 'سازمان نمونه', '', 2
     FROM units m WHERE m.code LIKE 'BM%'`,
  );
  await q(`UPDATE units o SET path = m.path || o.id || '/' FROM units m WHERE o.parent_id = m.id AND o.code LIKE 'BO%'`);
  await q(
    `INSERT INTO units (id, code, parent_id, kind, name_fa, name_en, name_search, province_id, path, depth)
     SELECT nextval('units_id_seq'), 'BD' || o.id || '-' || p.id, o.id, 'provincial_directorate', 'ادارهٔ کل ' || o.id || ' ' || p.name_fa,
            '', 'اداره کل', p.id, '', 3
     FROM units o CROSS JOIN provinces p WHERE o.code LIKE 'BO%'`,
  );
  await q(`UPDATE units d SET path = o.path || d.id || '/' FROM units o WHERE d.parent_id = o.id AND d.code LIKE 'BD%'`);
  await q(
    `INSERT INTO units (id, code, parent_id, kind, name_fa, name_en, name_search, province_id, county_id, path, depth)
     SELECT nextval('units_id_seq'), 'BC' || d.id || '-' || c.id, d.id, 'county_office', 'ادارهٔ ' || c.name_fa, '', 'اداره', c.province_id, c.id,
            d.path, 4
     FROM units d JOIN counties c ON c.province_id = d.province_id WHERE d.code LIKE 'BD%'`,
  );
  await q(`UPDATE units SET path = path || id || '/' WHERE code LIKE 'BC%'`);
  await q(
    `INSERT INTO staff_users (username, display_name, password_hash, role, unit_id)
     SELECT 'head-' || id, 'مسئول بازرسی ' || id, 'x', 'inspection_head', id FROM units WHERE depth >= 3`,
  );
  await q(`UPDATE units u SET inspection_head_id = s.id FROM staff_users s WHERE s.unit_id = u.id AND u.depth >= 3`);
  await q(
    `CREATE TABLE bench_offices AS
     SELECT row_number() OVER (ORDER BY u.id)::int AS n, u.id AS unit_id, u.path, o.id AS agency_id, u.province_id, u.county_id,
            u.inspection_head_id AS head_id
     FROM units u JOIN units d ON d.id = u.parent_id JOIN units o ON o.id = d.parent_id WHERE u.code LIKE 'BC%'`,
  );
  await q('CREATE UNIQUE INDEX ON bench_offices (n)');
  await q(
    `CREATE TABLE bench_categories AS
     SELECT row_number() OVER (ORDER BY id)::int AS n, id AS category_id, indicator_id, urgent FROM categories WHERE active`,
  );
  const offices = (await q('SELECT count(*)::int AS n FROM bench_offices')).rows[0].n as number;
  const categories = (await q('SELECT count(*)::int AS n FROM bench_categories')).rows[0].n as number;
  const units = (await q('SELECT count(*)::int AS n FROM units')).rows[0].n as number;
  return { offices, categories, units };
}

/** N complaints, set-based, in chunks, with the per-row triggers off (the rollups are rebuilt after). */
async function insertComplaints(db: Database, offices: number, categories: number): Promise<void> {
  const started = performance.now();
  const spanSeconds = (SPAN.to.getTime() - SPAN.from.getTime()) / 1000;
  for (let offset = 0; offset < COMPLAINTS; offset += CHUNK) {
    const count = Math.min(CHUNK, COMPLAINTS - offset);
    const client = await db.pool.connect();
    try {
      await client.query('SET session_replication_role = replica');
      await client.query(
        `INSERT INTO complaints (id, tracking_code, channel, status, agency_id, unit_id, unit_path, province_id, county_id, category_id, urgent,
            description, answer, first_action_at, answered_at, closed_at, outcome, reopen_count, escalation_count, dissatisfied_count,
            breach_count, last_seq, head_hash, created_at, updated_at, responsible_unit_id, responsible_manager_id, report_indicator_id, organisation_id)
         SELECT gen_random_uuid(), (100000000000 + g)::text, 'web', s.status, o.agency_id, o.unit_id, o.path, o.province_id, o.county_id,
            k.category_id, k.urgent, 'شکایت نمونه', CASE WHEN s.answered THEN 'پاسخ' END,
            CASE WHEN s.acted THEN s.created_at + s.first_minutes * interval '1 minute' END,
            CASE WHEN s.answered THEN s.created_at + (s.first_minutes + s.answer_minutes) * interval '1 minute' END,
            CASE WHEN s.status IN ('closed', 'rejected') THEN s.created_at + (s.first_minutes + s.answer_minutes + 600) * interval '1 minute' END,
            s.outcome, s.reopened, s.escalated, s.reopened, s.breaches, 1, repeat('0', 64), s.created_at, s.created_at,
            o.unit_id, o.head_id, k.indicator_id, o.agency_id
         FROM (
           SELECT g, r, $3::timestamptz + ((g - 1 + random()) / $7) * $4 * interval '1 second' AS created_at,
                  CASE WHEN r < 0.55 THEN 'closed' WHEN r < 0.70 THEN 'closed' WHEN r < 0.78 THEN 'closed'
                       WHEN r < 0.86 THEN 'rejected' WHEN r < 0.94 THEN 'answered' ELSE 'referred' END AS status,
                  CASE WHEN r < 0.55 OR (r >= 0.70 AND r < 0.78) THEN 'satisfied' WHEN r < 0.70 THEN 'no_rating'
                       WHEN r >= 0.78 AND r < 0.86 THEN 'rejected' END AS outcome,
                  r < 0.78 OR (r >= 0.86 AND r < 0.94) AS answered,
                  r < 0.78 OR (r >= 0.86 AND r < 0.94) OR (r >= 0.94 AND r2 < 0.5) AS acted,
                  (r >= 0.70 AND r < 0.78)::int AS reopened,
                  (r >= 0.94 AND r2 >= 0.5)::int AS escalated,
                  CASE WHEN r >= 0.94 AND r2 >= 0.5 THEN 1 WHEN r < 0.94 AND r3 < 0.12 THEN 1 ELSE 0 END AS breaches,
                  1 + (r3 * r3 * 600) AS first_minutes, 5 + (r2 * r2 * 3000) AS answer_minutes,
                  1 + floor(random() * $5)::int AS office, 1 + floor(random() * $6)::int AS category
           FROM (SELECT g, random() AS r, random() AS r2, random() AS r3 FROM generate_series($1::bigint, $2::bigint) g) raw
         ) s
         JOIN bench_offices o ON o.n = s.office
         JOIN bench_categories k ON k.n = s.category`,
        [offset + 1, offset + count, SPAN.from, spanSeconds, offices, categories, COMPLAINTS],
      );
    } finally {
      await client.query('SET session_replication_role = DEFAULT').catch(() => undefined);
      client.release();
    }
    process.stdout.write(`  generated ${(offset + count).toLocaleString('en')} complaints (${seconds(performance.now() - started)} s)\n`);
  }
}

/** A kept database (BENCH_REUSE): what the generation left, without generating again. */
async function describeKept(q: Query) {
  const count = async (sql: string) => (await q(sql)).rows[0].n as number;
  return {
    offices: await count('SELECT count(*)::int AS n FROM bench_offices'),
    units: await count('SELECT count(*)::int AS n FROM units'),
    complaints: await count('SELECT count(*)::int AS n FROM complaints'),
    treeMs: 0,
    generateMs: 0,
    rollupMs: 0,
    analyzeMs: 0,
  };
}

async function main() {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const url = loopbackDatabaseUrl(ADMIN_URL, DB_NAME);
  const cleanup = async () => {
    if (process.env.BENCH_KEEP === '1' || REUSE) return;
    await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`).catch(() => undefined);
  };
  const deadline = cleanUpOnAbort(cleanup, (600 + Math.ceil(COMPLAINTS / 2000)) * 1000);
  try {
    const server = await serverSettings(admin);
    if (!REUSE) await admin.query(`CREATE DATABASE ${DB_NAME}`);
    const db = await openPostgres(url, 4);
    await migrate(db);
    await seedReference(db);
    await seedSlaReference(db);
    const q = (text: string, values: unknown[] = []) => db.pool.query(text, values);

    const setup = REUSE ? await describeKept(q) : await generate(db, q);
    const rollupRows = (await q('SELECT count(*)::int AS n FROM report_rollups')).rows[0].n as number;
    const monthRows = (await q('SELECT count(*)::int AS n FROM report_rollups WHERE month_key = $1', [month.jy * 100 + month.index])).rows[0].n as number;
    const paths = await timePaths(db, q);
    printReport(server, setup, { rollupRows, monthRows }, paths);
    await db.close();
  } finally {
    clearTimeout(deadline);
    await cleanup();
    await admin.end();
  }
}

// --- the two ways to a month's report card ---
const MEASURE_SQL = `count(*) AS received, count(*) FILTER (WHERE status NOT IN ('closed', 'rejected')) AS open,
    count(*) FILTER (WHERE answered_at IS NOT NULL) AS answered, count(*) FILTER (WHERE answered_at IS NOT NULL AND breach_count = 0) AS in_sla,
    count(*) FILTER (WHERE status = 'rejected') AS rejected, sum(breach_count) AS breaches, sum(escalation_count) AS escalations,
    count(*) FILTER (WHERE escalation_count > 0) AS escalated, count(*) FILTER (WHERE reopen_count > 0) AS reopened,
    count(*) FILTER (WHERE outcome = 'satisfied' OR dissatisfied_count > 0) AS rated, count(*) FILTER (WHERE outcome = 'satisfied') AS satisfied,
    count(*) FILTER (WHERE dissatisfied_count > 0) AS dissatisfied, count(*) FILTER (WHERE outcome = 'no_rating') AS no_rating,
    percentile_disc(0.5) WITHIN GROUP (ORDER BY first_action_at - created_at) AS fa50,
    percentile_disc(0.9) WITHIN GROUP (ORDER BY first_action_at - created_at) AS fa90,
    percentile_disc(0.5) WITHIN GROUP (ORDER BY answered_at - created_at) AS an50,
    percentile_disc(0.9) WITHIN GROUP (ORDER BY answered_at - created_at) AS an90`;
// The plain way: GROUP BY over the month's complaints (the created_at index finds them; the
// generator writes them in time order, as intake does, so they sit together on disk).
const COUNTRY_SETS = '(), (province_id), (agency_id), (agency_id, province_id)';
const EVERY_UNIT_SETS = `(responsible_unit_id), (responsible_manager_id), ${COUNTRY_SETS}`;

type PathResult = { rows: number; received: number; answered: number };

/** Times, alternately, the card from the rollups and the plain GROUP BY (after the same warm-up), and checks they agree. */
async function timePaths(db: Database, q: Query) {
  const bounds = periodBounds(month);
  const plainScan = async (sets: string) => {
    const grouping = sets === COUNTRY_SETS ? 'province_id, agency_id' : 'province_id, agency_id, responsible_unit_id, responsible_manager_id';
    const { rows } = await q(
      `SELECT GROUPING(${grouping}) AS g, ${MEASURE_SQL}
       FROM complaints WHERE created_at >= $1 AND created_at < $2
       GROUP BY GROUPING SETS (${sets})`,
      [bounds.startsAt, bounds.endsAt],
    );
    const country = rows.find((row) => row.g === (sets === COUNTRY_SETS ? 3 : 15))!;
    return { rows: rows.length, received: Number(country.received), answered: Number(country.answered) };
  };
  const fromRollups = async (audience: 'public' | 'official') => {
    const card = await buildReportCard(db.pool, { period: month, audience, user: null, minComplaints: 10, now: new Date() });
    const rows = 1 + card.provinces.length + card.agencies.length + card.agencyProvinces.length + card.units.length + card.managers.length;
    return { rows, received: card.national.measures.received ?? 0, answered: card.national.measures.answered ?? 0 };
  };
  const timings = { countryRollups: [] as number[], countryScan: [] as number[], unitsRollups: [] as number[], unitsScan: [] as number[] };
  const results: Record<string, PathResult> = {};
  const time = async (name: keyof typeof timings, work: () => Promise<PathResult>) => {
    const t = performance.now();
    results[name] = await work();
    timings[name].push(performance.now() - t);
  };
  // Untimed first: a server answering cards has compiled this code and has these pages cached; a
  // cold first call (JIT, plan cache) measured 3–8× a warm one. Both paths get the same warm-up.
  for (let run = 0; run < WARMUP; run++) {
    await fromRollups('public');
    await plainScan(COUNTRY_SETS);
    await fromRollups('official');
    await plainScan(EVERY_UNIT_SETS);
  }
  for (let run = 0; run < RUNS; run++) {
    await time('countryRollups', () => fromRollups('public'));
    await time('countryScan', () => plainScan(COUNTRY_SETS));
    await time('unitsRollups', () => fromRollups('official'));
    await time('unitsScan', () => plainScan(EVERY_UNIT_SETS));
  }
  for (const [a, b] of [
    ['countryRollups', 'countryScan'],
    ['unitsRollups', 'unitsScan'],
  ] as const) {
    if (results[a]!.received !== results[b]!.received || results[a]!.answered !== results[b]!.answered || results[a]!.rows !== results[b]!.rows) {
      throw new Error(`the two paths disagree: ${a} ${JSON.stringify(results[a])}, ${b} ${JSON.stringify(results[b])}`);
    }
  }
  return { timings, results };
}

/** The JSON for tools, then the medians and ratios for people. */
function printReport(
  server: Awaited<ReturnType<typeof serverSettings>>,
  setup: Awaited<ReturnType<typeof describeKept>>,
  counts: { rollupRows: number; monthRows: number },
  { timings, results }: Awaited<ReturnType<typeof timePaths>>,
): void {
  const { offices, units, complaints, treeMs, generateMs, rollupMs, analyzeMs } = setup;
  const { rollupRows, monthRows } = counts;
  const m = Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, median(v)])) as Record<keyof typeof timings, number>;
  console.log(
    JSON.stringify(
      {
        server,
        complaints,
        units,
        countyOffices: offices,
        month: month.key,
        monthComplaints: results.countryScan!.received,
        entries: { country: results.countryRollups!.rows, everyUnit: results.unitsRollups!.rows },
        rollupRows,
        monthRollupRows: monthRows,
        setup: {
          treeSeconds: seconds(treeMs),
          generateSeconds: seconds(generateMs),
          rollupRebuildSeconds: seconds(rollupMs),
          vacuumAnalyzeSeconds: seconds(analyzeMs),
        },
        ms: Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, v.map((x) => Math.round(x))])),
      },
      null,
      2,
    ),
  );
  const line = (what: string, rollups: number, scan: number) =>
    `${what}: rollups ${Math.round(rollups)} ms, plain GROUP BY ${Math.round(scan)} ms, ratio ${(scan / rollups).toFixed(1)}x`;
  console.log(
    `\nmonth ${month.key}, ${complaints.toLocaleString('en')} complaints (${results.countryScan!.received.toLocaleString('en')} in the month), medians of ${RUNS} after ${WARMUP} untimed:`,
  );
  console.log(line('  the country (national, provinces, agencies, agencies x provinces)', m.countryRollups, m.countryScan));
  console.log(line(`  every unit and manager too (${results.unitsRollups!.rows.toLocaleString('en')} entries)`, m.unitsRollups, m.unitsScan));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
