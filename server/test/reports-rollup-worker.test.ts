import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRollupWorker } from '../src/reports/rollup-worker.ts';
import { buildTree, complaintBody, type Place, places, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

/*
 * The rollup worker (reports/rollup-worker.ts) folds the deltas every write appends into the
 * report rollups on its own, and stops folding once stopped.
 */

let h: Harness;
let place: Place;
let tree: Tree;

beforeAll(async () => {
  h = await startHarness();
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place);
});
afterAll(() => h.close());

const pending = async () => (await h.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM report_rollup_deltas')).rows[0]!.n;
const received = async () =>
  (await h.db.pool.query<{ n: number }>('SELECT coalesce(sum(received), 0)::int AS n FROM report_rollups WHERE unit_id = $1', [tree.countyOffices[0].id]))
    .rows[0]!.n;

async function file(): Promise<void> {
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(tree.organisation.id, place.countyIds[0]!) });
  expect(res.statusCode).toBe(201);
}

async function until(check: () => Promise<boolean>, ms = 60_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (await check()) return true;
  return false;
}

it('folds the pending deltas into the rollups, round after round, until stopped', async () => {
  await file();
  await file();
  expect(await pending()).toBeGreaterThan(0);
  const folds: number[] = [];
  const errors: unknown[] = [];
  const worker = startRollupWorker(h.db, { intervalMs: 20, onFold: (n) => folds.push(n), onError: (e) => errors.push(e) });
  try {
    expect(await until(async () => (await pending()) === 0 && (await received()) === 2)).toBe(true);
    // Later writes are folded by a later round of the same worker.
    await file();
    expect(await until(async () => (await received()) === 3)).toBe(true);
  } finally {
    await worker.stop();
  }
  expect(errors).toEqual([]);
  expect(folds.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);

  // Stopped: nothing folds any more.
  await file();
  const rounds = folds.length;
  await new Promise((r) => setTimeout(r, 200));
  expect(folds.length).toBe(rounds);
  expect(await pending()).toBeGreaterThan(0);
  expect(await received()).toBe(3);
});
