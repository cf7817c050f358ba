/**
 * Live-feed benchmark: thousands of staff watching the SSE feed (`GET /api/v1/live/events`) on
 * three app instances over one PostgreSQL database, while complaints are filed.
 *
 *   npm run bench:live
 *
 * Settings (environment): BENCH_DATABASE_URL (admin URL, loopback only; default
 * postgres://postgres@127.0.0.1:5432/postgres), BENCH_CLIENTS (5000 feeds), BENCH_COMPLAINTS (200
 * filed under load), BENCH_BASELINE_COMPLAINTS (30, filed with one feed open), BENCH_INTAKE_CONCURRENCY (4),
 * BENCH_PORT (13381: three ports from it).
 *
 * It makes a fresh database foad_live_bench_<pid>, migrates and seeds it in-process, builds one
 * agency with a directorate in every province and an office in every county, and ~500 viewer
 * scopes: national auditors, an auditor per province, the inspection head of every directorate
 * and county office, two users each. Then it starts three instances (as the failover drill does)
 * and measures, in the same run:
 *
 * - baseline: one national feed, complaints filed one by one (BENCH_INTAKE_CONCURRENCY at a time);
 * - load: BENCH_CLIENTS feeds spread round-robin over the instances and the scopes, the same filing.
 *
 * Delivery latency = when a feed receives the complaint's `complaint_new` event − when its intake
 * request was sent (so it includes the intake itself; the intake's own latency is printed beside
 * it). Every feed whose scope covers the complaint must receive it: the bench counts expected and
 * received deliveries. Memory per feed = each instance's V8 heap in use (and RSS) after the feeds opened − before,
 * divided by the feeds it holds. The machine load (1-minute average) is printed before and after.
 */

import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { type Instance, startInstance } from '../../ops/drills/lib.ts';
import { createUnit } from '../../server/src/agencies/manage-units.ts';
import { insertSession, insertStaff } from '../../server/src/auth/store.ts';
import { hashSecret, newToken } from '../../server/src/auth/tokens.ts';
import { openPostgres } from '../../server/src/db/database.ts';
import { migrate } from '../../server/src/db/migrate.ts';
import { seedReference } from '../../server/src/seed/reference.ts';
import { seedSlaReference } from '../../server/src/seed/sla.ts';
import { cleanUpOnAbort, envInt, loopbackDatabaseUrl, percentile } from '../lib.ts';

const CLIENTS = envInt('BENCH_CLIENTS', 5000, 1, 100_000);
const COMPLAINTS = envInt('BENCH_COMPLAINTS', 200, 1, 100_000);
const BASELINE_COMPLAINTS = envInt('BENCH_BASELINE_COMPLAINTS', 30, 1, 10_000);
const CONCURRENCY = envInt('BENCH_INTAKE_CONCURRENCY', 4, 1, 200);
const PORT = envInt('BENCH_PORT', 13381, 1024, 65_000);
const ADMIN_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = `foad_live_bench_${process.pid}`;
const SECRET = `live-bench-secret-${process.pid}-0123456789abcdef0123456789`;
/** Sessions per user per instance are capped at 5 (live/routes.ts); two users per scope stay under it. */
const USERS_PER_SCOPE = 2;

interface Scope {
  kind: 'national' | 'province' | 'unit';
  provinceId: number | null;
  unitPath: string | null;
  tokens: string[];
}

interface Feed {
  scope: Scope;
  instance: number;
  /** complaint id → when this feed received its `complaint_new` */
  received: Map<string, number>;
  close(): void;
}

/** Opens one SSE feed over its own socket; resolves once the stream's first chunk arrives. */
function openFeed(base: string, token: string, scope: Scope, instance: number): Promise<Feed> {
  return new Promise((resolve, reject) => {
    const received = new Map<string, number>();
    let buffer = '';
    const req = request(`${base}/api/v1/live/events`, { agent: false, headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        return reject(new Error(`feed answered ${res.statusCode}`));
      }
      res.setEncoding('utf8');
      let first = true;
      res.on('data', (chunk: string) => {
        const at = performance.now();
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
          if (!block.includes('event: complaint_new')) continue;
          const data = block.slice(block.indexOf('data: ') + 6);
          const id = (JSON.parse(data) as { complaintId: string }).complaintId;
          if (!received.has(id)) received.set(id, at);
        }
        if (first) {
          first = false;
          resolve({ scope, instance, received, close: () => req.destroy() });
        }
      });
      res.on('error', () => undefined);
    });
    req.on('error', reject);
    req.end();
  });
}

async function post(base: string, path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** The instance's V8 heap in use (its /metrics port), in MB: steadier than RSS, which GC returns unevenly. */
async function heapMb(metricsPort: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  return Number(text.match(/nodejs_heap_size_used_bytes (\d+)/)![1]) / 1024 / 1024;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(status.match(/VmRSS:\s+(\d+)/)![1]) / 1024;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ms = (n: number) => Math.round(n * 10) / 10;

/** Builds the agency and the viewer scopes with their sessions; returns the scopes and the counties to file in. */
async function buildWorld(pool: pg.Pool) {
  const { rows: provinces } = await pool.query<{ id: number; counties: number[] }>(
    'SELECT p.id, array_agg(c.id ORDER BY c.id) AS counties FROM provinces p JOIN counties c ON c.province_id = p.id GROUP BY p.id ORDER BY p.id',
  );
  const unit = (code: string, parentId: number | null, kind: string, provinceId: number | null, countyId: number | null) =>
    createUnit(pool, { code, parentId, kind: kind as 'ministry', nameFa: `واحد ${code}`, nameEn: '', provinceId, countyId });
  const ministry = await unit('LB-M', null, 'ministry', null, null);
  const organisation = await unit('LB-O', ministry.id, 'organisation', null, null);
  const scopes: Scope[] = [];
  const add = (kind: Scope['kind'], provinceId: number | null, unitPath: string | null) => {
    const s: Scope = { kind, provinceId, unitPath, tokens: [] };
    scopes.push(s);
    return s;
  };
  for (let i = 0; i < 4; i++) add('national', null, null);
  const counties: { countyId: number; provinceId: number; officePath: string; directoratePath: string }[] = [];
  for (const p of provinces) {
    add('province', p.id, null);
    const directorate = await unit(`LB-D${p.id}`, organisation.id, 'provincial_directorate', p.id, null);
    add('unit', p.id, directorate.path);
    for (const countyId of p.counties) {
      const office = await unit(`LB-C${countyId}`, directorate.id, 'county_office', p.id, countyId);
      add('unit', p.id, office.path);
      counties.push({ countyId, provinceId: p.id, officePath: office.path, directoratePath: directorate.path });
    }
  }
  const { rows: units } = await pool.query<{ id: number; path: string }>('SELECT id, path FROM units');
  const unitIdByPath = new Map(units.map((u) => [u.path, u.id]));
  for (const s of scopes) {
    for (let k = 0; k < USERS_PER_SCOPE; k++) {
      const id = await insertStaff(pool, {
        username: `live.${scopes.indexOf(s)}.${k}`,
        displayName: 'ناظر',
        passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$invalidinvalidinvalidinvalidinvalidinvalidin',
        role: s.kind === 'unit' ? 'inspection_head' : 'auditor',
        unitId: s.unitPath ? unitIdByPath.get(s.unitPath)! : null,
        provinceId: s.kind === 'province' ? s.provinceId : null,
        language: 'fa',
      });
      const token = newToken();
      await insertSession(pool, hashSecret(token, SECRET), id, 24 * 60, new Date());
      s.tokens.push(token);
    }
  }
  return { scopes, counties, organisationId: organisation.id };
}

/** Whether a feed of this scope must see a complaint routed to the county office. */
function covers(scope: Scope, c: { provinceId: number; officePath: string }): boolean {
  if (scope.kind === 'national') return true;
  if (scope.kind === 'province') return scope.provinceId === c.provinceId;
  return c.officePath.startsWith(scope.unitPath!);
}

interface Filed {
  id: string;
  sentAt: number;
  intakeMs: number;
  county: { provinceId: number; officePath: string };
}

/** Files `n` complaints, `CONCURRENCY` at a time, round-robin over the instances and the counties. */
async function fileComplaints(instances: Instance[], world: World, n: number, offset: number): Promise<Filed[]> {
  const filed: Filed[] = [];
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      const county = world.counties[(offset + i * 7) % world.counties.length]!;
      const phone = `0912${String(1_000_000 + ((offset + i) % 8_999_999)).slice(0, 7)}`;
      const sentAt = performance.now();
      const res = await post(instances[i % instances.length]!.base, '/api/v1/complaints', {
        channel: 'web',
        agencyId: world.organisationId,
        countyId: county.countyId,
        description: 'کارمند باجهٔ شمارهٔ ۲ از ساعت ۹ صبح پشت میز نیست و کسی جای او نیست.',
        contact: { phone },
      });
      if (res.status !== 201) throw new Error(`intake answered ${res.status}: ${JSON.stringify(res.json)}`);
      filed.push({ id: String(res.json.id), sentAt, intakeMs: performance.now() - sentAt, county });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return filed;
}

/**
 * Waits until the feeds hold `expected` deliveries, or nothing new arrived for 30 s (or 600 s
 * pass): a loaded hub can be silent for seconds while it reads a batch back per scope.
 */
async function settle(feeds: Feed[], expected: number): Promise<void> {
  const total = () => feeds.reduce((n, f) => n + f.received.size, 0);
  let last = -1;
  let lastChange = Date.now();
  const until = Date.now() + 600_000;
  while (Date.now() < until && total() < expected && Date.now() - lastChange < 30_000) {
    if (total() !== last) {
      last = total();
      lastChange = Date.now();
    }
    await sleep(500);
  }
}

/** Deliveries the filed complaints owe the feeds (every feed whose scope covers each). */
function owed(feeds: Feed[], filed: Filed[]): number {
  let n = 0;
  for (const f of filed) for (const feed of feeds) if (covers(feed.scope, f.county)) n++;
  return n;
}

function measure(feeds: Feed[], filed: Filed[]) {
  const latencies: number[] = [];
  let expected = 0;
  for (const f of filed) {
    for (const feed of feeds) {
      if (!covers(feed.scope, f.county)) continue;
      expected++;
      const at = feed.received.get(f.id);
      if (at !== undefined) latencies.push(at - f.sentAt);
    }
  }
  const sorted = Float64Array.from(latencies).sort();
  const intake = Float64Array.from(filed.map((f) => f.intakeMs)).sort();
  return {
    complaints: filed.length,
    deliveriesExpected: expected,
    deliveriesReceived: latencies.length,
    deliveryMs: { p50: ms(percentile(sorted, 50)), p99: ms(percentile(sorted, 99)), max: ms(sorted[sorted.length - 1] ?? Number.NaN) },
    intakeMs: { p50: ms(percentile(intake, 50)), p99: ms(percentile(intake, 99)) },
  };
}

async function main(): Promise<number> {
  const url = loopbackDatabaseUrl(ADMIN_URL, DB_NAME);
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  const feeds: Feed[] = [];
  const instances: Instance[] = [];
  const cleanup = async () => {
    for (const f of feeds) f.close();
    for (const i of instances) i.child.kill('SIGKILL');
    await sleep(500);
    await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`).catch(() => undefined);
    await admin.end().catch(() => undefined);
  };
  const deadline = cleanUpOnAbort(cleanup, 3_600_000);
  try {
    const loadBefore = os.loadavg()[0]!;
    await admin.query(`CREATE DATABASE ${DB_NAME}`);
    const world = await prepareDatabase(url);
    console.log(`scopes ${world.scopes.length} (${world.scopes.length * USERS_PER_SCOPE} users), counties ${world.counties.length}`);
    await startInstances(url, instances);
    console.log('3 instances ready');
    const baseline = await runBaseline(instances, world, feeds);
    const opened = await openFeeds(instances, world, feeds);
    const loadFiled = await fileComplaints(instances, world, COMPLAINTS, BASELINE_COMPLAINTS);
    await settle(feeds, owed(feeds, loadFiled));
    const load = measure(feeds, loadFiled);
    const rssEnd = instances.map((i) => rssMb(i.child.pid!));
    const result = {
      clients: feeds.length,
      scopes: world.scopes.length,
      baseline,
      load,
      memory: memoryPerInstance(instances, opened, rssEnd),
      loadAverage1m: { before: ms(loadBefore), after: ms(os.loadavg()[0]!) },
      cpus: os.cpus().length,
    };
    console.log(JSON.stringify(result, null, 2));
    return load.deliveriesReceived === load.deliveriesExpected ? 0 : 1;
  } finally {
    clearTimeout(deadline);
    await cleanup();
  }
}

/** Migrates and seeds the fresh database in-process, then builds the agency and the viewers. */
async function prepareDatabase(url: string) {
  const db = await openPostgres(url, 4);
  await migrate(db);
  await seedReference(db);
  await seedSlaReference(db);
  const world = await buildWorld(db.pool);
  await db.close();
  return world;
}

const metricsPort = (i: number) => PORT + 10 + i;

/** Three instances on one database, as the failover drill runs them; the first alone (it may migrate), then the other two. */
async function startInstances(url: string, instances: Instance[]): Promise<void> {
  const env = {
    DATABASE_URL: url,
    FOAD_SECRET: SECRET,
    MIGRATE_ON_START: 'false',
    SEED_DEMO: 'false',
    RUN_WORKERS: 'false',
    INTAKE_RATE_LIMIT: '1000000',
    PUBLIC_RATE_LIMIT: '1000000',
    DATABASE_POOL_SIZE: '10',
  };
  instances.push(await startInstance('live1', PORT, { ...env, METRICS_PORT: String(metricsPort(0)) }));
  instances.push(...(await Promise.all([1, 2].map((i) => startInstance(`live${i + 1}`, PORT + i, { ...env, METRICS_PORT: String(metricsPort(i)) })))));
}

type World = Awaited<ReturnType<typeof buildWorld>>;

/** Baseline: one national feed while the baseline complaints are filed; closed again after. */
async function runBaseline(instances: Instance[], world: World, feeds: Feed[]) {
  const one = await openFeed(instances[0]!.base, world.scopes[0]!.tokens[0]!, world.scopes[0]!, 0);
  feeds.push(one);
  const baselineFiled = await fileComplaints(instances, world, BASELINE_COMPLAINTS, 0);
  await settle([one], owed([one], baselineFiled));
  const baseline = measure([one], baselineFiled);
  one.close();
  feeds.length = 0;
  console.log('baseline (1 feed):', JSON.stringify(baseline));
  return baseline;
}

/** Opens CLIENTS feeds (250 at a time) round-robin over the scopes and instances; measures each instance's memory before and after. */
async function openFeeds(instances: Instance[], world: World, feeds: Feed[]) {
  const heaps = () => Promise.all(instances.map((_, i) => heapMb(metricsPort(i))));
  await sleep(10_000);
  const rssBefore = instances.map((i) => rssMb(i.child.pid!));
  const heapBefore = await heaps();
  const openStarted = performance.now();
  for (let start = 0; start < CLIENTS; start += 250) {
    const batch = [];
    for (let c = start; c < Math.min(CLIENTS, start + 250); c++) {
      const scope = world.scopes[c % world.scopes.length]!;
      const round = Math.floor(c / world.scopes.length);
      const instance = (c + round) % 3;
      batch.push(openFeed(instances[instance]!.base, scope.tokens[round % USERS_PER_SCOPE]!, scope, instance));
    }
    feeds.push(...(await Promise.all(batch)));
  }
  const openSeconds = (performance.now() - openStarted) / 1000;
  await sleep(3000);
  const rssAfter = instances.map((i) => rssMb(i.child.pid!));
  const heapAfter = await heaps();
  const perInstance = instances.map((_, i) => feeds.filter((f) => f.instance === i).length);
  console.log(`${feeds.length} feeds open in ${openSeconds.toFixed(1)} s: ${perInstance.join(' / ')} per instance`);
  return { rssBefore, heapBefore, rssAfter, heapAfter, perInstance };
}

function memoryPerInstance(instances: Instance[], opened: Awaited<ReturnType<typeof openFeeds>>, rssEnd: number[]) {
  const { rssBefore, heapBefore, rssAfter, heapAfter, perInstance } = opened;
  return instances.map((inst, i) => ({
    instance: inst.name,
    feeds: perInstance[i],
    rssBeforeMb: ms(rssBefore[i]!),
    rssOpenMb: ms(rssAfter[i]!),
    rssEndMb: ms(rssEnd[i]!),
    rssKbPerFeed: ms(((rssAfter[i]! - rssBefore[i]!) * 1024) / perInstance[i]!),
    heapBeforeMb: ms(heapBefore[i]!),
    heapOpenMb: ms(heapAfter[i]!),
    heapKbPerFeed: ms(((heapAfter[i]! - heapBefore[i]!) * 1024) / perInstance[i]!),
  }));
}

process.exitCode = await main();
