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

import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { routeComplaint } from '../../server/src/agencies/routing.ts';
import { getUnitByCode, type Unit } from '../../server/src/agencies/store.ts';
import { openPostgres } from '../../server/src/db/database.ts';
import { migrate } from '../../server/src/db/migrate.ts';
import { normalizePersianText } from '../../server/src/domain/persian-text.ts';
import { DEMO_PROVINCES, seedDemo } from '../../server/src/seed/demo.ts';
import { seedReference } from '../../server/src/seed/reference.ts';
import { seedSlaReference } from '../../server/src/seed/sla.ts';
import { cleanUpOnAbort, envInt, loopbackDatabaseUrl, percentile, serverSettings } from '../lib.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const POOL_SIZE = 16;

const SECONDS = envInt('BENCH_SECONDS', 15, 1, 600);
const CONNECTIONS = envInt('BENCH_CONNECTIONS', 32, 1, 1000);
const WARMUP_SECONDS = envInt('BENCH_WARMUP_SECONDS', 2, 0, 60);
const PREFERRED_PORT = envInt('BENCH_PORT', 31280, 1024, 65535);
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
const ADMIN_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = `foad_bench_${process.pid}`;
/** Everything (seeding, both runs, shutdown) must finish within this, or the bench cleans up and fails. */
const DEADLINE_MS = (2 * (SECONDS + WARMUP_SECONDS) + 240) * 1000;

function benchDatabaseUrl(): string {
  return loopbackDatabaseUrl(ADMIN_URL, DB_NAME);
}

// ── The workload: the same complaint i for the HTTP run and the baseline ────────────────────

/** Agencies (ministries and organisations) from the demo seed; each gets a complaint in every Hamedan county. */
const AGENCY_CODES = ['MOH', 'SSO', 'INTA', 'TAVANIR', 'ABFA', 'NOCR', 'SSAA', 'MOE'];
const MOBILE_PREFIXES = ['0912', '0935', '0919', '0901'];
const DESCRIPTIONS = [
  'ساعت ۱۰ صبح به اداره مراجعه کردم؛ کارمند باجهٔ ۳ پشت میز نبود و کسی هم جایش نبود. یک ساعت است منتظرم.',
  'سه هفته است برای یک امضا مرا از این میز به آن میز می‌فرستند و هر بار می‌گویند فردا بیایید.',
  'سامانهٔ نوبت‌دهی از صبح قطع است و هیچ کاری انجام نمی‌شود؛ به مراجعان هم توضیحی نمی‌دهند.',
  'کارمند با من بی‌احترامی کرد و پرونده‌ام را بدون هیچ توضیحی پس داد.',
];

interface Target {
  agency: Unit;
  /** The unit the routing rule refers this agency's complaints in this county to. */
  unit: Unit;
  provinceId: number;
  countyId: number;
}

interface Category {
  id: number;
  urgent: boolean;
  answerHours: number;
}

interface Workload {
  targets: Target[];
  categories: Category[];
  /** The descriptions as intake stores them (normalised), for the baseline rows. */
  stored: string[];
}

interface Complaint {
  target: Target;
  category: Category;
  description: number;
  phone: string;
}

function complaintAt(w: Workload, i: number): Complaint {
  const target = w.targets[i % w.targets.length]!;
  const category = w.categories[Math.floor(i / w.targets.length) % w.categories.length]!;
  const phone = `${MOBILE_PREFIXES[i % MOBILE_PREFIXES.length]}${String((i * 7919) % 10_000_000).padStart(7, '0')}`;
  return { target, category, description: i % DESCRIPTIONS.length, phone };
}

function requestBody(c: Complaint): string {
  return JSON.stringify({
    channel: 'web',
    agencyId: c.target.agency.id,
    countyId: c.target.countyId,
    categoryId: c.category.id,
    description: DESCRIPTIONS[c.description],
    contact: { phone: c.phone },
  });
}

async function loadWorkload(db: pg.Pool): Promise<Workload> {
  const counties = (
    await db.query<{ id: number; provinceId: number }>(
      `SELECT c.id, c.province_id AS "provinceId" FROM counties c JOIN provinces p ON p.id = c.province_id WHERE p.name_fa = $1 ORDER BY c.id`,
      [DEMO_PROVINCES[0]],
    )
  ).rows;
  if (counties.length === 0) throw new Error(`no counties for ${DEMO_PROVINCES[0]} in the reference data`);
  const targets: Target[] = [];
  for (const code of AGENCY_CODES) {
    const agency = await getUnitByCode(db, code);
    if (!agency) throw new Error(`demo agency ${code} is missing`);
    for (const county of counties) {
      const unit = await routeComplaint(db, agency, county.provinceId, county.id);
      targets.push({ agency, unit, provinceId: county.provinceId, countyId: county.id });
    }
  }
  const categories = (await db.query<Category>('SELECT id, urgent, answer_hours AS "answerHours" FROM categories WHERE active ORDER BY sort_order, id LIMIT 6'))
    .rows;
  if (categories.length === 0) throw new Error('no categories in the seed catalogue');
  return { targets, categories, stored: DESCRIPTIONS.map(normalizePersianText) };
}

// ── Measurements ─────────────────────────────────────────────────────────────────────────────

interface Measure {
  ok: number;
  failed: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

function measure(latencies: number[], failed: number, seconds: number): Measure {
  const sorted = Float64Array.from(latencies).sort();
  return { ok: latencies.length, failed, seconds, perSecond: latencies.length / seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

interface HttpRun {
  measure: Measure;
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
}

/** Drives POST /api/v1/complaints for `seconds`; complaint numbers come from `next`. */
function runHttp(base: string, seconds: number, w: Workload, next: () => number): Promise<HttpRun> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const started = performance.now();
    const instance = autocannon(
      {
        url: `${base}/api/v1/complaints`,
        connections: CONNECTIONS,
        duration: seconds,
        timeout: 30,
        requests: [
          {
            method: 'POST',
            path: '/api/v1/complaints',
            setupRequest: (request) => {
              const i = next();
              return {
                ...request,
                method: 'POST',
                headers: { ...request.headers, 'content-type': 'application/json', 'idempotency-key': `bench-h-${i}` },
                body: requestBody(complaintAt(w, i)),
              };
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        const elapsed = (performance.now() - started) / 1000;
        const statusCodes: Record<string, number> = {};
        for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = Number(stat.count);
        const total = Object.values(statusCodes).reduce((a, b) => a + b, 0);
        resolve({
          measure: measure(latencies, total - latencies.length + result.errors, elapsed),
          statusCodes,
          errors: result.errors,
          timeouts: result.timeouts,
        });
      },
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status === 201) latencies.push(ms);
    });
  });
}

const hex64 = (tag: string, i: number) => tag + i.toString(16).padStart(63, '0');

/** One complaint as intake leaves it, written directly: complaint row, contact, received + referred events. */
async function insertRaw(pool: pg.Pool, w: Workload, i: number): Promise<void> {
  const c = complaintAt(w, i);
  const now = new Date();
  const id = randomUUID();
  const trackingCode = `9${String(i).padStart(11, '0')}`;
  const dueAt = new Date(now.getTime() + c.category.answerHours * 3_600_000).toISOString();
  const description = w.stored[c.description]!;
  const { agency, unit, provinceId, countyId } = c.target;
  const received = {
    trackingCode,
    channel: 'web',
    agencyId: agency.id,
    officeText: null,
    provinceId,
    countyId,
    categoryId: c.category.id,
    serviceId: null,
    urgent: c.category.urgent,
    description,
    location: null,
    confidential: false,
    language: 'fa',
    country: 'IR',
  };
  const referred = { unitId: unit.id, agencyId: agency.id, categoryId: c.category.id, dueAt };
  const genesis = '0'.repeat(64);
  const first = hex64('b', i);
  const head = hex64('c', i);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(
      `INSERT INTO complaints (id, tracking_code, channel, status, agency_id, unit_id, unit_path, office_text, province_id, county_id,
         category_id, service_id, urgent, description, location_lat, location_lng, location_text, confidential, language, country,
         operator_id, idempotency_key, request_hash, due_at, last_seq, head_hash, created_at, updated_at)
       VALUES ($1, $2, 'web', 'referred', $3, $4, $5, NULL, $6, $7, $8, NULL, $9, $10, NULL, NULL, NULL, false, 'fa', 'IR',
         NULL, $11, $12, $13, 2, $14, $15, $15)`,
      [
        id,
        trackingCode,
        agency.id,
        unit.id,
        unit.path,
        provinceId,
        countyId,
        c.category.id,
        c.category.urgent,
        description,
        `web:bench-b-${i}`,
        hex64('a', i),
        dueAt,
        head,
        now,
      ],
    );
    await client.query('INSERT INTO complainant_contacts (complaint_id, phone, name, national_id) VALUES ($1, $2, NULL, NULL)', [id, `+98${c.phone.slice(1)}`]);
    await client.query(
      `INSERT INTO complaint_events (complaint_id, seq, type, actor_kind, actor_id, data, created_at, prev_hash, hash)
       VALUES ($1, 1, 'received', 'citizen', NULL, $2, $3, $4, $5), ($1, 2, 'referred', 'citizen', NULL, $6, $3, $5, $7)`,
      [id, JSON.stringify(received), now, genesis, first, JSON.stringify(referred), head],
    );
    // Intake also starts the SLA clocks and writes the messages its events cause: the same rows here.
    await client.query(
      `INSERT INTO sla_timers (complaint_id, kind, stage, fraction, fire_at, due_at, unit_id, later)
       SELECT $1, v.kind, 'warning', 0.5, $2::timestamptz, $2::timestamptz, $3,
         jsonb_build_array(jsonb_build_object('kind', v.kind, 'stage', 'warning', 'fraction', 0.8, 'fireAt', $2::timestamptz, 'dueAt', $2::timestamptz, 'unitId', $3::int),
                           jsonb_build_object('kind', v.kind, 'stage', 'breach', 'fraction', 1, 'fireAt', $2::timestamptz, 'dueAt', $2::timestamptz, 'unitId', $3::int))
       FROM (VALUES ('first_action'), ('answer')) AS v(kind)`,
      [id, dueAt, unit.id],
    );
    await client.query(
      `INSERT INTO outbox (complaint_id, event_seq, template, channel, recipient_user_id, recipient_address, language, body, sms_parts, delivery_key)
       VALUES ($1, 1, 'citizen_received', 'sms', NULL, $2, 'fa', $3, 2, $4)`,
      [id, `+98${c.phone.slice(1)}`, `شکایت شما در سامانهٔ ۱۲۸ ثبت شد. کد رهگیری: ${trackingCode}`, `${id}:1:citizen_received:citizen`],
    );
    if (unit.inspectionHeadId) {
      await client.query(
        `INSERT INTO outbox (complaint_id, event_seq, template, channel, recipient_user_id, recipient_address, language, body, sms_parts, delivery_key)
         VALUES ($1, 2, 'staff_new_referral', 'web', $2, NULL, 'fa', $3, NULL, $4)`,
        [id, unit.inspectionHeadId, `شکایت تازهٔ ${trackingCode} به ${unit.nameFa} ارجاع شد.`, `${id}:2:staff_new_referral:staff:${unit.inspectionHeadId}`],
      );
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function runBaseline(pool: pg.Pool, seconds: number, w: Workload, next: () => number): Promise<{ measure: Measure; firstError: unknown }> {
  const latencies: number[] = [];
  let failed = 0;
  let firstError: unknown = null;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const i = next();
      const t0 = performance.now();
      try {
        await insertRaw(pool, w, i);
        latencies.push(performance.now() - t0);
      } catch (error) {
        failed++;
        firstError ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  return { measure: measure(latencies, failed, (performance.now() - started) / 1000), firstError };
}

// ── CPU accounting (Linux /proc; skipped elsewhere) ─────────────────────────────────────────

/** Jiffies per second: USER_HZ, 100 on every mainstream Linux build. */
const CLOCK_TICKS = 100;

/** CPU time (user + system) a process has used so far, in ms; null when it cannot be read. */
function processCpuMs(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

interface CpuSnapshot {
  server: number | null;
  self: number;
  /** PostgreSQL backends serving the bench database, by pid. */
  backends: Map<number, number>;
  /** Whole machine, from /proc/stat: [busy, total] jiffies. */
  machine: [number, number] | null;
}

async function cpuSnapshot(pool: pg.Pool, serverPid: number | undefined): Promise<CpuSnapshot> {
  const backends = new Map<number, number>();
  const { rows } = await pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database()');
  for (const { pid } of rows) {
    const ms = processCpuMs(pid);
    if (ms !== null) backends.set(pid, ms);
  }
  let machine: [number, number] | null = null;
  try {
    const jiffies = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = jiffies.reduce((a, b) => a + b, 0);
    machine = [total - jiffies[3]! - jiffies[4]!, total];
  } catch {
    // not Linux
  }
  const usage = process.cpuUsage();
  return { server: serverPid ? processCpuMs(serverPid) : null, self: (usage.user + usage.system) / 1000, backends, machine };
}

interface CpuUse {
  /** CPU ms per complaint in the server process, PostgreSQL backends and this process (the load generator, or the baseline's pg client). */
  serverMs: number | null;
  postgresMs: number | null;
  benchMs: number;
  /** Cores busy with anything else on the machine during the run (other processes, PostgreSQL's own background processes). */
  otherCores: number | null;
}

function cpuUse(before: CpuSnapshot, after: CpuSnapshot, complaints: number, seconds: number): CpuUse {
  const per = (ms: number) => ms / Math.max(1, complaints);
  let postgres = 0;
  for (const [pid, ms] of after.backends) postgres += ms - (before.backends.get(pid) ?? 0);
  const server = before.server !== null && after.server !== null ? after.server - before.server : null;
  const bench = after.self - before.self;
  let otherCores: number | null = null;
  if (before.machine && after.machine) {
    const cores = os.cpus().length;
    const busyCores = ((after.machine[0] - before.machine[0]) / (after.machine[1] - before.machine[1])) * cores;
    otherCores = Math.max(0, busyCores - (postgres + (server ?? 0) + bench) / 1000 / seconds);
  }
  return { serverMs: server === null ? null : per(server), postgresMs: after.backends.size ? per(postgres) : null, benchMs: per(bench), otherCores };
}

// ── The server process ───────────────────────────────────────────────────────────────────────

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

async function freePort(): Promise<number> {
  if (await portIsFree(PREFERRED_PORT)) return PREFERRED_PORT;
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

interface Server {
  child: ChildProcess;
  base: string;
  log: () => string;
}

async function startServer(databaseUrl: string): Promise<Server> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'false',
    DATABASE_POOL_SIZE: String(POOL_SIZE),
    INTAKE_RATE_LIMIT: '1000000',
  };
  delete env.NODE_ENV;
  const child = spawn(process.execPath, [...SERVER_NODE_ARGS, '--import', 'tsx', 'server/src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const base = `http://127.0.0.1:${port}`;
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${base}/api/v1/health`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return { child, base, log: () => output };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`the server did not answer /api/v1/health within 60 s:\n${output}`);
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM'); // the server closes its pool and exits (and writes a --cpu-prof profile)
  const timer = new Promise((resolve) => setTimeout(resolve, 10_000).unref());
  if ((await Promise.race([exited.then(() => 'exited'), timer])) !== 'exited') {
    child.kill('SIGKILL');
    await exited;
  }
}

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
    console.log(
      `database ${DB_NAME} ready in ${fmt((performance.now() - t0) / 1000)} s; workload: ${workload.targets.length} agency×county targets, ${workload.categories.length} categories`,
    );

    server = await startServer(databaseUrl);
    console.log(`server up at ${server.base} (pool ${POOL_SIZE}); ${SECONDS} s per run after ${WARMUP_SECONDS} s warm-up, ${CONNECTIONS} connections`);

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

    // Sanity checks: every 201 is a stored complaint, and complaint i looks the same whichever way it was written.
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
    const sameRows = compare[0]!;

    const ratio = http.measure.perSecond / base.measure.perSecond;
    const cpu = os.cpus();
    const machine = {
      cores: cpu.length,
      cpu: cpu[0]?.model.trim() ?? 'unknown',
      memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
      loadAverageAtStart: round(loadAtStart, 2),
      node: process.version,
      postgres: pgVersion,
      ...Object.fromEntries(settings.map((s) => [s.name, s.setting])),
    };
    const row = (label: string, unit: string, m: Measure) =>
      `${label.padEnd(24)}${fmt(m.perSecond).padStart(10)} ${unit.padEnd(13)}${fmt(m.p50, 2).padStart(9)}${fmt(m.p99, 2).padStart(9)}${String(m.ok).padStart(9)}${String(m.failed).padStart(8)}`;
    const cpuRow = (label: string, c: CpuUse, note: string) =>
      `${label.padEnd(25)}${(c.serverMs === null ? '—' : fmt(c.serverMs, 2)).padStart(8)}${(c.postgresMs === null ? '—' : fmt(c.postgresMs, 2)).padStart(10)}` +
      `${fmt(c.benchMs, 2).padStart(8)}   ${c.otherCores === null ? '—' : `${fmt(c.otherCores, 2)} cores`} (${note})`;
    const lines = [
      '',
      `Foad intake bench — ${SECONDS} s per run, ${CONNECTIONS} concurrent, pool ${POOL_SIZE} (server and baseline), warm-up ${WARMUP_SECONDS} s`,
      `machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, load average ${fmt(loadAtStart, 2)} at start, Node ${machine.node}, PostgreSQL ${pgVersion} (${settings.map((s) => `${s.name}=${s.setting}`).join(', ')})`,
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
    if (http.measure.failed > 0 && /"level":50/.test(server.log())) console.error(`server errors (tail):\n${server.log().slice(-4000)}`);
    return http.measure.ok > 0 && base.measure.ok > 0 ? 0 : 1;
  } finally {
    clearTimeout(deadline);
    await cleanup();
  }
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
