import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyComplaintChain } from '../src/complaints/verify-complaint-chain.ts';
import type { Database } from '../src/db/database.ts';
import { createMetrics } from '../src/metrics/metrics.ts';
import { sweepOnce } from '../src/sla/sweeper-worker.ts';
import { buildTree, complaintBody, type Place, places, staff, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';
import { makeStageDue } from './sla-timers.ts';

/**
 * The sweeper commits with synchronous_commit = off: after a failover its last batches may be
 * gone from the new primary although the old one had acknowledged them. Here such a batch is
 * done in full and then lost (rolled back instead of committed), and the sweep runs again: the
 * deadlines fire once, with the same events, and their messages carry the same delivery keys as
 * the lost batch's — so a gateway that got the lost batch's messages delivers them once.
 */
let h: Harness;
let place: Place;
let tree: Tree;

beforeAll(async () => {
  h = await startHarness();
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place);
  await staff(h.db, h.config, 'inspection_head', { unit: tree.countyOffices[0] }, { inspectionHead: true });
  await staff(h.db, h.config, 'inspection_head', { unit: tree.directorate }, { inspectionHead: true });
});
afterAll(() => h.close());

const settings = () => ({ publicUrl: h.config.publicUrl });

async function file(): Promise<string> {
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(tree.organisation.id, place.countyIds[0]!) });
  expect(res.statusCode).toBe(201);
  return res.json().id;
}

class LostCommit extends Error {}

interface Written {
  events: string[];
  deliveryKeys: string[];
  /** Timers fired (a count: rows the batch inserts get new serial ids each time). */
  fired: number;
}

async function written(db: Pick<Database['pool'], 'query'>, ids: string[]): Promise<Written> {
  const events = await db.query<{ k: string }>(
    `SELECT complaint_id || ':' || seq || ':' || type AS k FROM complaint_events WHERE complaint_id = ANY($1::uuid[]) ORDER BY 1`,
    [ids],
  );
  const keys = await db.query<{ k: string }>('SELECT delivery_key AS k FROM outbox WHERE complaint_id = ANY($1::uuid[]) ORDER BY 1', [ids]);
  const fired = await db.query<{ id: number }>('SELECT id FROM sla_timers WHERE complaint_id = ANY($1::uuid[]) AND fired_at IS NOT NULL ORDER BY id', [ids]);
  return { events: events.rows.map((r) => r.k), deliveryKeys: keys.rows.map((r) => r.k), fired: fired.rows.length };
}

/** The same database, except that every transaction does its work and is then lost, as an unflushed commit in a failover. */
function losingCommits(db: Database, ids: string[], seen: Written[]): Database {
  return {
    ...db,
    async transaction(work) {
      let result: Awaited<ReturnType<typeof work>> | undefined;
      await db
        .transaction(async (tx) => {
          result = await work(tx);
          seen.push(await written(tx, ids));
          throw new LostCommit();
        })
        .catch((error: unknown) => {
          if (!(error instanceof LostCommit)) throw error;
        });
      return result as Awaited<ReturnType<typeof work>>;
    },
  };
}

describe('a sweeper batch lost in a failover', () => {
  it('fires again once, with the same events and the same message delivery keys', async () => {
    const ids = [await file(), await file()];
    for (const id of ids) await makeStageDue(h.db.pool, id, 'first_action', 'breach');
    const before = await written(h.db.pool, ids);

    const lost: Written[] = [];
    // One batch at a time (a server runs two side by side, each seeing only its own writes).
    const lostRound = await sweepOnce(losingCommits(h.db, ids, lost), { settings: settings(), concurrency: 1 });
    expect(lostRound.fired).toBeGreaterThan(0);
    expect(await written(h.db.pool, ids)).toEqual(before); // nothing of it survived

    const replay = await sweepOnce(h.db, { settings: settings(), concurrency: 1 });
    expect(replay.fired).toBe(lostRound.fired);
    expect((await sweepOnce(h.db, { settings: settings() })).claimed).toBe(0);
    const after = await written(h.db.pool, ids);
    // What the lost batch wrote is exactly what the replay wrote: same event seqs and types,
    // same timers fired, same delivery keys (the gateway's Idempotency-Key).
    expect(after).toEqual(lost[0]);
    expect(after.deliveryKeys.length).toBeGreaterThan(before.deliveryKeys.length);
    expect(new Set(after.deliveryKeys).size).toBe(after.deliveryKeys.length);
    const breaches = await h.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM sla_breaches WHERE complaint_id = ANY($1::uuid[])', [ids]);
    expect(breaches.rows[0]!.n).toBe(ids.length);
    for (const id of ids) expect(await verifyComplaintChain(h.db.pool, id)).toMatchObject({ valid: true, projectionMatches: true });
  });
});

describe('sweeper metrics', () => {
  it('each committed batch is counted in the batch-size and lag histograms on /metrics', async () => {
    const metrics = createMetrics(h.db);
    const id = await file();
    await makeStageDue(h.db.pool, id, 'first_action', 'warning');
    const round = await sweepOnce(h.db, { settings: settings(), onBatch: (b) => metrics.sweepBatch(b) });
    expect(round.claimed).toBeGreaterThan(0);
    await sweepOnce(h.db, { settings: settings(), onBatch: (b) => metrics.sweepBatch(b) }); // nothing due: not counted
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^foad_sla_sweep_batch_size_count 1$/m);
    expect(text).toMatch(new RegExp(`^foad_sla_sweep_batch_size_sum ${round.claimed}$`, 'm'));
    expect(text).toMatch(/^foad_sla_sweep_lag_seconds_count 1$/m);
    // The deadline was made due a second before: the lag is at least that.
    const sum = Number(/^foad_sla_sweep_lag_seconds_sum (\S+)$/m.exec(text)?.[1]);
    expect(sum).toBeGreaterThanOrEqual(0.9);
  });
});
