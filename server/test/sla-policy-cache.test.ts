import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../src/db/database.ts';
import { createCalendar, setPolicy, setUnitCalendar } from '../src/sla/manage.ts';
import { cachedClock, cachedPolicy, clearSlaCaches } from '../src/sla/store.ts';
import { buildTree, complaintBody, type Place, places, type StaffFixture, staff, type Tree, uniq, urgentCategory } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

let h: Harness;
let place: Place;
let tree: Tree;
let admin: StaffFixture;
let categoryId: number;

beforeAll(async () => {
  h = await startHarness();
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place);
  admin = await staff(h.db, h.config, 'national_admin');
  categoryId = (await urgentCategory(h.db.pool)).id;
});
afterAll(() => h.close());

/** The pool, counting the statements that read a table. */
function counting(table: string): { db: Queryable; count: () => number } {
  let n = 0;
  const db = {
    query: (...args: unknown[]) => {
      const q = args[0] as string | { text: string };
      if ((typeof q === 'string' ? q : q.text).includes(table)) n++;
      return (h.db.pool.query as (...a: unknown[]) => unknown)(...args);
    },
  } as unknown as Queryable;
  return { db, count: () => n };
}

const policy = (answerMinutes: number, agencyId: number) => ({
  categoryId,
  agencyId,
  clock: 'business' as const,
  firstActionMinutes: 60,
  answerMinutes,
  warnFractions: [0.5],
  satisfactionHours: 72,
  appealMinutes: 4800,
});

describe('SLA policy cache', () => {
  it('serves a sibling unit from the cache and sees a policy change', async () => {
    const first = await setPolicy(h.db, policy(600, tree.organisation.id), admin.id, h.config.clock.now());
    clearSlaCaches();
    const { db, count } = counting('sla_policies');
    const [east, west] = tree.countyOffices;
    expect((await cachedPolicy(db, east.path, categoryId))?.id).toBe(first.id);
    expect(count()).toBe(1);
    expect((await cachedPolicy(db, west.path, categoryId))?.id).toBe(first.id);
    expect((await cachedPolicy(db, tree.directorate.path, categoryId))?.id).toBe(first.id);
    expect(count()).toBe(1);

    // a nearer agency's policy wins for the units under it, and the change is seen at once
    const nearer = await setPolicy(h.db, policy(300, tree.directorate.id), admin.id, h.config.clock.now());
    expect((await cachedPolicy(db, west.path, categoryId))?.id).toBe(nearer.id);
    expect((await cachedPolicy(db, tree.organisation.path, categoryId))?.id).toBe(first.id);
    expect(count()).toBe(2);
  });

  it('resolves a calendar by path without a query per unit', async () => {
    const calendar = await createCalendar(h.db.pool, { code: `cal-${uniq()}`, nameFa: 'تقویم استان', timezone: 'Asia/Tehran', week: { '6': [[480, 840]] } });
    await setUnitCalendar(h.db.pool, tree.directorate.id, calendar.id, h.config.clock.now());
    const { db, count } = counting('units');
    const business = {
      id: 1,
      clock: 'business' as const,
      firstActionMinutes: 60,
      answerMinutes: 600,
      warnFractions: [],
      satisfactionHours: 72,
      appealMinutes: 4800,
    };
    const [east, west] = tree.countyOffices;
    const a = await cachedClock(db, business, east.id, east.path);
    const b = await cachedClock(db, business, west.id, west.path);
    expect(count()).toBe(1);
    for (const clock of [a, b]) expect(clock.kind === 'business' && clock.calendar.week).toEqual(calendar.week);
  });

  it('files sibling complaints under the same policy and a new one after a change', async () => {
    const filed = async (countyId: number) => {
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(tree.organisation.id, countyId, { categoryId }) });
      expect(res.statusCode).toBe(201);
      const { rows } = await h.db.pool.query<{ policy: number }>('SELECT sla_policy_id AS policy FROM complaints WHERE id = $1', [res.json().id]);
      return rows[0]!.policy;
    };
    const before = await filed(place.countyIds[0]!);
    expect(await filed(place.countyIds[1]!)).toBe(before);
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/admin/sla-policies', headers: admin.headers, payload: policy(120, tree.directorate.id) });
    expect(res.statusCode).toBeLessThan(300);
    const after = await filed(place.countyIds[1]!);
    expect(after).not.toBe(before);
    expect(after).toBe(res.json().id);
  });
});
