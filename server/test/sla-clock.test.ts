import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.ts';
import { sweepOnce } from '../src/sla/sweeper-worker.ts';
import { buildTree, complaintBody, type Place, places, type Tree, urgentCategory } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

/*
 * The injected clock (core/clock.ts) drives the SLA: the complaint is filed at the clock's time,
 * and its deadlines come due because the clock moves — no timer row is rewritten by hand. The
 * sweeper's claim compares with the clock's time, not the database server's.
 */

let h: Harness;
let place: Place;
let tree: Tree;
let categoryId: number;
const clock = new ManualClock(new Date('2026-12-05T06:00:00Z'));

beforeAll(async () => {
  h = await startHarness();
  h.config.clock = clock;
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place);
  categoryId = (await urgentCategory(h.db.pool)).id;
});
afterAll(() => h.close());

async function typesOf(id: string): Promise<string[]> {
  const { rows } = await h.db.pool.query<{ type: string }>('SELECT type FROM complaint_events WHERE complaint_id = $1 ORDER BY seq', [id]);
  return rows.map((r) => r.type);
}

it('deadlines come due as the injected clock moves, and fire at its time', async () => {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/complaints',
    payload: complaintBody(tree.organisation.id, place.countyIds[0]!, { categoryId }),
  });
  expect(res.statusCode).toBe(201);
  const id: string = res.json().id;
  const received = await h.db.pool.query<{ at: Date }>('SELECT created_at AS at FROM complaint_events WHERE complaint_id = $1 AND seq = 1', [id]);
  expect(received.rows[0]!.at.toISOString()).toBe(clock.now().toISOString());

  // Nothing is due at the filing time.
  expect((await sweepOnce(h.db, { settings: h.config })).fired).toBe(0);

  // A year later (on the clock only) every clock of the complaint has run out.
  clock.advance(365 * 24 * 3600_000);
  const swept = await sweepOnce(h.db, { settings: h.config, batchSize: 50 });
  expect(swept.fired).toBeGreaterThan(0);
  const types = await typesOf(id);
  expect(types).toContain('sla_breached');
  expect(types).toContain('escalated');
  const fired = await h.db.pool.query<{ at: Date }>("SELECT created_at AS at FROM complaint_events WHERE complaint_id = $1 AND type = 'sla_breached'", [id]);
  expect(fired.rows[0]!.at.toISOString()).toBe(clock.now().toISOString());
});
