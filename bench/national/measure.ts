import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import type pg from 'pg';
import { DEFAULT_PACE, verifyInPages } from '../../server/src/chain/verify-all.ts';
import { listComplaints } from '../../server/src/complaints/store.ts';
import { verifyComplaintChain } from '../../server/src/complaints/verify-complaint-chain.ts';
import type { StaffPrincipal } from '../../server/src/core/scope.ts';
import type { Database } from '../../server/src/db/database.ts';
import { chainKeyring } from '../../server/src/domain/hash-chain.ts';
import { parsePeriod, periodBounds } from '../../server/src/domain/jalali-periods.ts';
import { AWAITING_STAFF_STATUSES } from '../../server/src/domain/lifecycle.ts';
import { generateTrackingCode } from '../../server/src/domain/tracking-code.ts';
import { buildReportCard } from '../../server/src/reports/build-report-card.ts';
import { sweepOnce } from '../../server/src/sla/sweeper-worker.ts';
import { type Measure, measure } from '../intake/drive.ts';
import { complaintAt, requestBody, type Workload } from '../intake/workload.ts';
import { percentile } from '../lib.ts';

/** The measurements of bench:national, each with its baseline in the same run. */

type Query = (text: string, values?: unknown[]) => Promise<pg.QueryResult>;

export interface Timed {
  n: number;
  p50: number;
  p99: number;
  max: number;
}

export function timed(ms: number[]): Timed {
  const sorted = Float64Array.from(ms).sort();
  return { n: ms.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? Number.NaN };
}

async function repeat(runs: number, work: () => Promise<unknown>): Promise<Timed> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await work();
    ms.push(performance.now() - t);
  }
  return timed(ms);
}

/** autocannon at a fixed overall rate; counts the responses with `okStatus` (anything else fails). */
export function atRate(
  base: string,
  o: { rate: number; seconds: number; connections: number; okStatus: number },
  request: () => { method: 'GET' | 'POST'; path: string; headers?: Record<string, string>; body?: string },
): Promise<Measure & { offered: number }> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    let failed = 0;
    const started = performance.now();
    autocannon(
      {
        url: base,
        connections: o.connections,
        overallRate: o.rate,
        duration: o.seconds,
        timeout: 30,
        requests: [
          {
            setupRequest: (r) => {
              const next = request();
              return { ...r, ...next, headers: { ...r.headers, ...next.headers } };
            },
          },
        ],
      },
      (error) => (error ? reject(error) : resolve({ ...measure(latencies, failed, (performance.now() - started) / 1000), offered: o.rate })),
    ).on('response', (_c: unknown, status: number, _b: number, ms: number) => {
      if (status === o.okStatus) latencies.push(ms);
      else failed++;
    });
  });
}

/** POST /api/v1/complaints at `rate`: each a valid demo complaint with its own Idempotency-Key (the app chains these properly). */
export function intakeAtRate(base: string, w: Workload, rate: number, seconds: number, tag = 'timed') {
  let i = tag === 'timed' ? 0 : 5_000_000;
  return atRate(base, { rate, seconds, connections: 64, okStatus: 201 }, () => {
    const n = i++;
    return {
      method: 'POST',
      path: '/api/v1/complaints',
      headers: { 'content-type': 'application/json', 'idempotency-key': `national-${tag}-${process.pid}-${n}` },
      body: requestBody(complaintAt(w, n)),
    };
  });
}

/** Gives `count` bulk complaints, spread over the year, valid tracking codes (starting with 9: never a bulk code). */
export async function trackingSample(q: Query, count: number): Promise<string[]> {
  // Bulk complaints only (no idempotency key): on a kept database an earlier run's app-filed ones,
  // which verify-chain checks, must keep the code their chain says.
  const { rows } = await q(`SELECT id FROM complaints WHERE tracking_code LIKE '1%' AND idempotency_key IS NULL ORDER BY random() LIMIT $1`, [count]);
  if (rows.length === 0) throw new Error('no bulk complaints left to track');
  const codes = rows.map(() => generateTrackingCode((min, max) => (min === 1 ? 9 : min + Math.floor(Math.random() * (max - min)))));
  const unique = [...new Set(codes)];
  await q(`UPDATE complaints c SET tracking_code = v.code FROM unnest($1::uuid[], $2::text[]) AS v(id, code) WHERE c.id = v.id`, [
    rows.slice(0, unique.length).map((r) => r.id),
    unique,
  ]);
  return unique;
}

export function trackingAtRate(base: string, codes: string[], rate: number, seconds: number) {
  let i = 0;
  return atRate(base, { rate, seconds, connections: 64, okStatus: 200 }, () => ({ method: 'GET', path: `/api/v1/track/${codes[i++ % codes.length]}` }));
}

/** Baseline for tracking: the primary-key select, closed loop on a pool at the same concurrency. */
export async function primaryKeySelect(pool: pg.Pool, ids: string[], seconds: number, concurrency: number): Promise<Measure> {
  let i = 0;
  const latencies: number[] = [];
  let failed = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      const { rows } = await pool.query({ name: 'national_pk', text: 'SELECT * FROM complaints WHERE id = $1', values: [ids[i++ % ids.length]] });
      if (rows.length === 1) latencies.push(performance.now() - t0);
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return measure(latencies, failed, (performance.now() - started) / 1000);
}

/** A staff inbox page (listComplaints, the code behind GET /api/v1/complaints, 25 by due date) for three scopes; baseline a PK select. */
export async function inboxPages(pool: pg.Pool, q: Query, runs: number) {
  const { rows } = await q(
    // The directorate first, then its busiest office in one pass over its subtree (the unit_path
    // index): counting per office for every directorate was a scan of the year per office.
    `WITH d AS MATERIALIZED (
       SELECT d.id, d.path, d.province_id FROM units d JOIN units m ON m.code = 'nat-m-1' JOIN units o ON o.parent_id = m.id
         JOIN provinces p ON p.id = d.province_id
       WHERE d.parent_id = o.id ORDER BY p.population DESC NULLS LAST LIMIT 1)
     SELECT d.id AS "dirId", d.path AS "dirPath", f.id AS "officeId", f.path AS "officePath", d.province_id AS "provinceId"
     FROM d JOIN LATERAL (
       SELECT u.id, u.path FROM complaints c JOIN units u ON u.id = c.unit_id
       WHERE c.unit_path LIKE d.path || '%' AND u.parent_id = d.id GROUP BY u.id, u.path ORDER BY count(*) DESC LIMIT 1) f ON true`,
  );
  const t = rows[0];
  const principal = (role: StaffPrincipal['role'], unitId: number | null, unitPath: string | null, provinceId: number | null): StaffPrincipal => ({
    id: 1,
    username: 'bench',
    displayName: 'bench',
    role,
    unitId,
    unitPath,
    provinceId,
    language: 'fa',
  });
  const scopes = {
    countyOffice: principal('inspection_head', t.officeId, t.officePath, null),
    provincialDirectorate: principal('inspection_head', t.dirId, t.dirPath, null),
    provincialSupervisor: principal('provincial_supervisor', null, null, t.provinceId),
  };
  // Every status (the search), and the queue's default: what awaits staff (web/src/pages/queue.tsx).
  const filters = { all: undefined, awaitingStaff: [...AWAITING_STAFF_STATUSES] };
  const out: Record<string, Timed & { total: number; totalCapped: boolean }> = {};
  for (const [name, user] of Object.entries(scopes)) {
    for (const [statusName, status] of Object.entries(filters)) {
      let total = 0;
      let totalCapped = false;
      const page = () =>
        listComplaints(pool, user, { status, sort: 'due', limit: 25, offset: 0, now: new Date() }).then((r) => {
          total = r.total;
          totalCapped = r.totalCapped;
        });
      await page();
      out[`${name}.${statusName}`] = { ...(await repeat(runs, page)), total, totalCapped };
    }
  }
  const { rows: ids } = await q('SELECT id FROM complaints TABLESAMPLE SYSTEM (1) LIMIT $1', [runs]);
  let i = 0;
  const baseline = await repeat(runs, () => q('SELECT * FROM complaints WHERE id = $1', [ids[i++ % ids.length]!.id]));
  return { pages: out, primaryKeySelect: baseline };
}

/** Makes `due` random open deadlines due now and fires them with the real sweeper; baseline a plain scan of the open timers. */
export async function slaSweep(db: Database, q: Query, due: number) {
  const open = (await q('SELECT count(*)::int AS n FROM sla_timers WHERE fired_at IS NULL')).rows[0].n as number;
  const settings = { publicUrl: 'http://localhost' };
  const idle = await repeat(5, () => sweepOnce(db, { settings, batchSize: 200, concurrency: 2 }));
  const plainScan = await repeat(5, () => q('SELECT count(*), min(fire_at) FROM sla_timers WHERE fired_at IS NULL'));
  await q(
    `UPDATE sla_timers SET fire_at = now() - interval '1 second' WHERE id IN (SELECT id FROM sla_timers WHERE fired_at IS NULL ORDER BY random() LIMIT $1)`,
    [due],
  );
  const started = performance.now();
  let fired = 0;
  let rounds = 0;
  for (;;) {
    const r = await sweepOnce(db, { settings, batchSize: 200, concurrency: 2 });
    rounds++;
    fired += r.fired;
    if (r.claimed === 0) break;
  }
  const seconds = (performance.now() - started) / 1000;
  return { openTimers: open, due, fired, rounds, seconds, perSecond: fired / seconds, idleRound: idle, plainScanOfOpenTimers: plainScan };
}

/** The country's report card (buildReportCard, official: every unit and manager) for a month and the year; baseline a plain GROUP BY. */
export async function reportCards(pool: pg.Pool, q: Query, runs: number) {
  const out: Record<string, { card: Timed; plainScan: Timed; received: number; entries: number }> = {};
  for (const key of ['1404-12', '1404']) {
    const period = parsePeriod(key)!;
    const { startsAt, endsAt } = periodBounds(period);
    let received = 0;
    let entries = 0;
    const card = async () => {
      const c = await buildReportCard(pool, { period, audience: 'official', user: null, minComplaints: 10, now: new Date() });
      received = c.national.measures.received ?? 0;
      entries = 1 + c.provinces.length + c.agencies.length + c.agencyProvinces.length + c.units.length + c.managers.length;
    };
    const scan = () =>
      q(
        `SELECT province_id, agency_id, count(*), count(*) FILTER (WHERE answered_at IS NOT NULL),
           percentile_disc(0.5) WITHIN GROUP (ORDER BY answered_at - created_at), percentile_disc(0.9) WITHIN GROUP (ORDER BY answered_at - created_at)
         FROM complaints WHERE created_at >= $1 AND created_at < $2 GROUP BY GROUPING SETS ((), (province_id), (agency_id), (agency_id, province_id))`,
        [startsAt, endsAt],
      );
    await card();
    out[key] = { card: await repeat(runs, card), plainScan: await repeat(runs, scan), received, entries };
  }
  return out;
}

/**
 * verify-chain over complaints the app filed: as `--all` walks (verifyInPages: pages of 500, four
 * in flight) and one complaint at a time (verifyComplaintChain, the walk before issue 14's fix);
 * baseline a plain read of their events.
 */
export async function verifyChains(pool: pg.Pool, q: Query, limit: number) {
  const { rows } = await q(`SELECT id FROM complaints WHERE idempotency_key LIKE 'web:national-timed-%' ORDER BY created_at DESC LIMIT $1`, [limit]);
  const ids = rows.map((r) => r.id as string);
  const keyring = chainKeyring(process.env.CHAIN_KEY || 'foad-development-chain-key-not-for-production-use');
  let valid = 0;
  let events = 0;
  let next = 0;
  const pages = async () => {
    const page = ids.slice(next, next + DEFAULT_PACE.batch);
    next += page.length;
    return page;
  };
  let t = performance.now();
  await verifyInPages(pool, keyring, pages, DEFAULT_PACE.workers, (report) => {
    if (report.valid && report.projectionMatches && report.headMatches) valid++;
    events += report.events;
  });
  const verifySeconds = (performance.now() - t) / 1000;
  t = performance.now();
  let validOneByOne = 0;
  for (const id of ids) {
    const report = await verifyComplaintChain(pool, id, keyring);
    if (report?.valid && report.projectionMatches && report.headMatches) validOneByOne++;
  }
  const oneByOneSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  for (const id of ids) await q('SELECT * FROM complaint_events WHERE complaint_id = $1 ORDER BY seq', [id]);
  const scanSeconds = (performance.now() - t) / 1000;
  return {
    complaints: ids.length,
    valid,
    validOneByOne,
    events,
    complaintsPerSecond: ids.length / verifySeconds,
    eventsPerSecond: events / verifySeconds,
    oneByOneComplaintsPerSecond: ids.length / oneByOneSeconds,
    plainReadComplaintsPerSecond: ids.length / scanSeconds,
  };
}
