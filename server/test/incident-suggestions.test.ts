import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTree, complaintBody, places, type StaffFixture, staff, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

/**
 * Issue 15, "Incidents: one cause, many complaints": when an agency's e-service goes down, the
 * open complaints that say so are suggested as one incident — at one organisation, in the
 * viewer's scope, without the unrelated complaints filed beside them.
 */
const OUTAGE = [
  'سامانه پرداخت اینترنتی از صبح قطع است و نمی‌شود پرداخت کرد',
  'سامانه پرداخت اینترنتی از صبح قطعه نمیشه پرداخت کرد',
  'از صبح سامانهٔ پرداخت اینترنتی قطع است، نمی‌شود پرداخت کرد',
  'سامانه پرداخت اینترنتی از صبح امروز قطع است و پرداخت نمی‌شود',
  'سامانۀ پرداخت اینترنتی از صبح قطع است؛ نمی‌شود پرداخت کرد',
  'سامانه ی پرداخت اینترنتی از صبح قطع است و نمیشود پرداخت کرد',
];
const UNRELATED = [
  'کارمند باجهٔ شمارهٔ ۲ از ساعت ۹ صبح پشت میز نیست و کسی جای او نیست.',
  'برای یک امضا سه بار مرا به طبقهٔ بالا و پایین فرستادند.',
  'نگهبان ورودی با مراجعه‌کنندگان بد رفتاری می‌کند و داد می‌زند.',
];

let h: Harness;
let tree: Tree;
let other: Tree;
let operator: StaffFixture;
let otherSupervisor: StaffFixture;
let responder: StaffFixture;
const outageIds: string[] = [];

beforeAll(async () => {
  h = await startHarness();
  const [here, there] = await places(h.db.pool);
  tree = await buildTree(h.db.pool, here!);
  other = await buildTree(h.db.pool, there!);
  operator = await staff(h.db, h.config, 'operator');
  otherSupervisor = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: there!.provinceId });
  responder = await staff(h.db, h.config, 'responder', { unit: tree.countyOffices[0] });
  const file = async (agencyId: number, countyId: number, description: string) => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(agencyId, countyId, { description }) });
    expect(res.statusCode).toBe(201);
    return res.json().id as string;
  };
  for (const [i, text] of OUTAGE.entries()) outageIds.push(await file(tree.organisation.id, here!.countyIds[i % 2]!, text));
  for (const text of UNRELATED) await file(tree.organisation.id, here!.countyIds[0]!, text);
  // The same words about another organisation are another cause.
  await file(other.organisation.id, there!.countyIds[0]!, OUTAGE[0]!);
});
afterAll(() => h.close());

type Item = { organisation: { id: number }; count: number; units: string[]; complaints: { id: string; trackingCode: string }[] };

async function suggestions(who: StaffFixture | null, query = '') {
  return h.app.inject({ url: `/api/v1/incidents/suggestions${query}`, headers: who?.headers ?? {} });
}

describe('incident suggestions', () => {
  it('group the outage’s open complaints at one organisation, and nothing unrelated', async () => {
    const res = await suggestions(operator);
    expect(res.statusCode).toBe(200);
    const items: Item[] = res.json().items;
    expect(items).toHaveLength(1);
    expect(items[0]!.organisation.id).toBe(tree.organisation.id);
    expect(items[0]!.complaints.map((c) => c.id).sort()).toEqual([...outageIds].sort());
    expect(items[0]!.count).toBe(OUTAGE.length);
    expect(new Set(items[0]!.units).size).toBe(2);
  });

  it('respect the viewer’s scope: another province sees only its own (too few to suggest)', async () => {
    const res = await suggestions(otherSupervisor, '?minSize=2');
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([]);
  });

  it('are for the staff who merge duplicates: anonymous 401, a responder 403; bad bounds 400', async () => {
    expect((await suggestions(null)).statusCode).toBe(401);
    expect((await suggestions(responder)).statusCode).toBe(403);
    expect((await suggestions(operator, '?hours=0')).statusCode).toBe(400);
    expect((await suggestions(operator, '?minSize=1')).statusCode).toBe(400);
  });

  it('leave out what was filed before the window', async () => {
    await h.db.pool.query(`UPDATE complaints SET created_at = created_at - interval '3 days' WHERE id = $1`, [outageIds[0]]);
    const items: Item[] = (await suggestions(operator)).json().items;
    expect(items[0]!.complaints.map((c) => c.id)).not.toContain(outageIds[0]);
    expect(items[0]!.count).toBe(OUTAGE.length - 1);
    const wide: Item[] = (await suggestions(operator, '?hours=96')).json().items;
    expect(wide[0]!.count).toBe(OUTAGE.length);
  });
});
