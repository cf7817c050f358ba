import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../src/core/clock.ts';
import { buildTree, complaintBody, type Place, places, type StaffFixture, staff, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

/*
 * "Overdue" in the staff work list is the injected clock's business time (core/clock.ts), not
 * the database server's now(): moving a ManualClock past a deadline makes the complaint overdue
 * without any row being rewritten.
 */
let h: Harness;
let place: Place;
let tree: Tree;
let operator: StaffFixture;
// Years ahead of the wall clock: with SQL now() nothing filed here could ever be overdue.
const clock = new ManualClock(new Date('2031-06-01T06:00:00Z'));

beforeAll(async () => {
  h = await startHarness({}, { clock });
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place);
  operator = await staff(h.db, h.config, 'operator');
}, 120_000);
afterAll(() => h.close());

it('a complaint becomes overdue in the list when the clock passes its deadline', async () => {
  const filed = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(tree.organisation.id, place.countyIds[0]!) });
  expect(filed.statusCode).toBe(201);
  const id: string = filed.json().id;
  const overdueIds = async () => {
    const res = await h.app.inject({ url: '/api/v1/complaints?overdue=true&pageSize=100', headers: operator.headers });
    expect(res.statusCode).toBe(200);
    return (res.json().items as { id: string; overdue: boolean }[]).filter((c) => c.overdue).map((c) => c.id);
  };
  const row = async () => (await h.db.pool.query('SELECT due_at, updated_at, last_seq FROM complaints WHERE id = $1', [id])).rows[0];
  const before = await row();
  expect(before.due_at).not.toBeNull();
  expect(await overdueIds()).not.toContain(id);

  clock.set(new Date((before.due_at as Date).getTime() + 60_000));
  expect(await overdueIds()).toContain(id);
  expect(await row()).toEqual(before);
}, 60_000);
