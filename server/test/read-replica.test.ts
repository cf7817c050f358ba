import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { type Database, openPglite, openPostgres } from '../src/db/database.ts';
import { withReadReplica } from '../src/db/replica.ts';
import { generateTrackingCode } from '../src/domain/tracking-code.ts';
import { type App, buildApp } from '../src/http/app.ts';
import { MemoryProvider } from '../src/notifications/provider.ts';
import { buildTree, complaintBody, type Place, places, staff, type Tree } from './factories.ts';
import { testDatabase } from './harness.ts';

/**
 * DATABASE_REPLICA_URL: stale-tolerant reads go to the replica's pool, everything else to the
 * primary; an unreachable or lagging replica hands its reads back to the primary. The "replica"
 * here is a second pool on the same server (PostgreSQL) or a PGlite copy of the primary taken
 * after the fixtures were filed (PGlite) — a replica a few seconds behind.
 */
let primary: Database;
let drop: () => Promise<void>;
let url: string | null;
let place: Place;
let tree: Tree;
let filed: { trackingCode: string; id: string };
const config = loadConfig({ NODE_ENV: 'test', SMS_PROVIDER: 'memory', PUBLIC_RATE_LIMIT: '10000', INTAKE_RATE_LIMIT: '10000' });
const opened: { app: App; replica: Database }[] = [];

async function replicaOf(): Promise<Database> {
  if (url) return openPostgres(url, 2, { retry: false, probe: false, connectionTimeoutMillis: 2000 });
  return openPglite(null, { loadDataDir: await primary.lite!.dumpDataDir() });
}

async function appWith(replica: Database, maxLagSeconds = 5) {
  const db = await withReadReplica(primary, replica, { maxLagSeconds, checkIntervalMs: 3_600_000 });
  const app = await buildApp({ config, db, notifications: new MemoryProvider() });
  await app.ready();
  opened.push({ app, replica });
  return { app, db, replica, routing: db.readRouting! };
}

async function file(app: App) {
  const body = complaintBody(tree.organisation.id, place.countyIds[0]!);
  const res = await app.inject({ method: 'POST', url: '/api/v1/complaints', payload: body });
  expect(res.statusCode).toBe(201);
  return res.json() as { trackingCode: string; id: string };
}

beforeAll(async () => {
  ({ db: primary, drop, url } = await testDatabase());
  [place] = (await places(primary.pool)) as [Place];
  tree = await buildTree(primary.pool, place);
  const plain = await buildApp({ config, db: primary, notifications: new MemoryProvider() });
  filed = await file(plain);
  await plain.close();
});

afterAll(async () => {
  for (const { app, replica } of opened) {
    await app.close();
    await replica.close().catch(() => undefined);
  }
  await primary.close();
  await drop();
});

describe('read replica routing', () => {
  it('public tracking and the dashboard read from the replica; intake writes on the primary', async () => {
    const { app, routing } = await appWith(await replicaOf());
    expect(routing.state()).toMatchObject({ usable: true, lagSeconds: 0 });
    const before = { ...routing.counts };
    const tracked = await app.inject({ url: `/api/v1/track/${filed.trackingCode}` });
    expect(tracked.statusCode).toBe(200);
    expect(tracked.json()).toMatchObject({ trackingCode: filed.trackingCode, status: 'referred' });
    // The row, and on first sight the unit's and province's names (then kept in the process).
    expect(routing.counts.replica).toBeGreaterThan(before.replica);
    expect(routing.counts.primary).toBe(before.primary);
    const afterTracking = routing.counts.replica;

    const admin = await staff(primary, config, 'national_admin');
    const dashboard = await app.inject({ url: '/api/v1/live/dashboard', headers: admin.headers });
    expect(dashboard.statusCode).toBe(200);
    expect(routing.counts.replica).toBeGreaterThan(afterTracking);
    expect(routing.counts.primary).toBe(before.primary);

    const cards = await app.inject({ url: '/api/v1/public/report-cards' });
    expect(cards.statusCode).toBe(200);

    // A write goes through the pool and transactions, never through `reads`.
    const seen = routing.counts.replica;
    await file(app);
    expect(routing.counts.replica).toBe(seen);
    expect(routing.counts.fallbacks).toBe(0);
  });

  it('the public Open311 listing reads from the replica', async () => {
    const { app, routing } = await appWith(await replicaOf());
    const before = { ...routing.counts };
    const listed = await app.inject({ url: '/open311/v2/requests.json?status=open,closed' });
    expect(listed.statusCode).toBe(200);
    expect(routing.counts.replica).toBe(before.replica + 1);
    expect(routing.counts.primary).toBe(before.primary);
  });

  it('a code filed a moment ago that the replica has not replayed yet is found on the primary', async () => {
    const { app, replica, routing } = await appWith(await replicaOf());
    const fresh = await file(app);
    const onReplica = await replica.pool.query('SELECT 1 FROM complaints WHERE tracking_code = $1', [fresh.trackingCode]);
    // On PostgreSQL the "replica" is the same server and already has it; the PGlite copy does not.
    expect(onReplica.rowCount).toBe(url ? 1 : 0);
    const before = { ...routing.counts };
    const tracked = await app.inject({ url: `/api/v1/track/${fresh.trackingCode}` });
    expect(tracked.statusCode).toBe(200);
    expect(tracked.json().trackingCode).toBe(fresh.trackingCode);
    // Asked of the replica (through the routing) and, on a miss, of the primary's own pool.
    expect(routing.counts.replica).toBeGreaterThan(before.replica);
    expect(routing.counts.fallbacks).toBe(before.fallbacks);
    // An unknown code is still unknown after asking both.
    expect((await app.inject({ url: `/api/v1/track/${generateTrackingCode()}` })).statusCode).toBe(404);
  });

  it('a replica that goes away hands its reads to the primary, and stays out until a check finds it', async () => {
    const replica = await replicaOf();
    const { app, routing } = await appWith(replica);
    expect(routing.state().usable).toBe(true);
    await replica.close();
    const before = { ...routing.counts };
    const tracked = await app.inject({ url: `/api/v1/track/${filed.trackingCode}` });
    expect(tracked.statusCode).toBe(200);
    expect(tracked.json().trackingCode).toBe(filed.trackingCode);
    expect(routing.counts.fallbacks).toBe(before.fallbacks + 1);
    expect(routing.state().usable).toBe(false);
    // Later reads go straight to the primary.
    expect((await app.inject({ url: `/api/v1/track/${filed.trackingCode}` })).statusCode).toBe(200);
    expect(routing.counts.replica).toBe(before.replica + 1);
    expect(routing.counts.primary).toBeGreaterThanOrEqual(before.primary + 2);
    await routing.check();
    expect(routing.state()).toMatchObject({ usable: false, lagSeconds: null });
    expect(routing.state().reason).toMatch(/unreachable/);
  });

  it('a replica that cannot be reached at start is never used', async () => {
    const unreachable = await openPostgres('postgres://postgres@127.0.0.1:1/foad', 2, { retry: false, probe: false, connectionTimeoutMillis: 1000 });
    const { app, routing } = await appWith(unreachable);
    expect(routing.state().usable).toBe(false);
    expect((await app.inject({ url: `/api/v1/track/${filed.trackingCode}` })).statusCode).toBe(200);
    expect(routing.counts).toMatchObject({ replica: 0, fallbacks: 0 });
    expect(routing.counts.primary).toBeGreaterThan(0);
  });

  it('a replica behind by more than the bound is left out', async () => {
    // The bound below zero stands in for a lagging replica (lag 0 > −1).
    const { app, routing } = await appWith(await replicaOf(), -1);
    expect(routing.state()).toMatchObject({ usable: false, lagSeconds: 0 });
    expect(routing.state().reason).toMatch(/replay lag/);
    expect((await app.inject({ url: `/api/v1/track/${filed.trackingCode}` })).statusCode).toBe(200);
    expect(routing.counts).toMatchObject({ replica: 0, fallbacks: 0 });
    expect(routing.counts.primary).toBeGreaterThan(0);
  });
});
