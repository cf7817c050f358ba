import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../src/db/database.ts';
import { clearSlaCaches } from '../src/sla/store.ts';
import { startSweeper, sweepOnce } from '../src/sla/sweeper-worker.ts';
import { buildTree, complaintBody, type Place, places, type Tree, urgentCategory } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

/*
 * The sweeper's timing (sla/sweeper-worker.ts): it sleeps until the next deadline falls due
 * instead of polling on a fixed interval, and it works out a unit's calendar from the path it
 * already has instead of asking the database per unit.
 */

let h: Harness;
let place: Place;
let tree: Tree;
let categoryId: number;

beforeAll(async () => {
  h = await startHarness();
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place);
  categoryId = (await urgentCategory(h.db.pool)).id;
});
afterAll(() => h.close());

const settings = () => ({ publicUrl: h.config.publicUrl });

async function file(): Promise<string> {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/complaints',
    payload: complaintBody(tree.organisation.id, place.countyIds[0]!, { categoryId }),
  });
  expect(res.statusCode).toBe(201);
  return res.json().id;
}

it('wakes when the next deadline falls due, not at the next poll, and fires it once', async () => {
  const id = await file();
  // The first-action clock's next stage falls due in 1.5 s; the poll interval is a minute.
  const { rows } = await h.db.pool.query<{ id: number }>(
    `UPDATE sla_timers SET fire_at = now() + interval '1.5 seconds' WHERE complaint_id = $1 AND kind = 'first_action' AND fired_at IS NULL RETURNING id`,
    [id],
  );
  expect(rows).toHaveLength(1);
  const sweeper = startSweeper(h.db, { settings: settings(), intervalMs: 60_000, concurrency: 2 });
  try {
    let lag: number | null = null;
    for (let i = 0; i < 100 && lag === null; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const fired = await h.db.pool.query<{ lag: number | null }>(
        'SELECT extract(epoch FROM fired_at - fire_at)::float8 AS lag FROM sla_timers WHERE id = $1',
        [rows[0]!.id],
      );
      lag = fired.rows[0]?.lag ?? null;
    }
    expect(lag).not.toBeNull();
    expect(lag!).toBeGreaterThanOrEqual(0);
    expect(lag!).toBeLessThan(1);
  } finally {
    await sweeper.stop();
  }
  const events = await h.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM complaint_events WHERE complaint_id = $1 AND type = 'sla_warning'`, [id]);
  expect(events.rows[0]!.n).toBe(1);
});

it('reads no unit calendar per unit while firing: the calendar comes from the unit paths it holds', async () => {
  const ids = [await file(), await file()];
  await h.db.pool.query(`UPDATE sla_timers SET fire_at = now() - interval '1 second' WHERE complaint_id = ANY($1::uuid[]) AND fired_at IS NULL`, [ids]);
  clearSlaCaches(); // nothing remembered from the filing or the test before
  const asked: string[] = [];
  const counted: Database = {
    ...h.db,
    transaction: (work) =>
      h.db.transaction((client) =>
        work(
          new Proxy(client, {
            get(target, prop) {
              const value = Reflect.get(target, prop, target);
              if (prop !== 'query') return typeof value === 'function' ? value.bind(target) : value;
              return (...args: unknown[]) => {
                const q = args[0] as string | { name?: string; text: string };
                asked.push(typeof q === 'string' ? q : (q.name ?? q.text));
                return (value as (...a: unknown[]) => unknown).apply(target, args);
              };
            },
          }),
        ),
      ),
  };
  const round = await sweepOnce(counted, { settings: settings(), batchSize: 100 });
  expect(round.fired).toBeGreaterThan(0);
  expect(asked).toContain('sla-claim');
  expect(asked.filter((q) => q === 'sla-unit-calendar')).toEqual([]);
});
