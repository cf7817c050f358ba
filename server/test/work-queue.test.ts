import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTree, complaintBody, places, type StaffFixture, staff, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

/** The queue filters and the assignee picker the web app's inbox, operator desk and supervision pages use. */
let h: Harness;
let tree: Tree;
let other: Tree;
let head: StaffFixture;
let supervisor: StaffFixture;
let operator: StaffFixture;

async function file(body: Record<string, unknown>): Promise<{ id: string; trackingCode: string }> {
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: body });
  expect(res.statusCode).toBe(201);
  return res.json();
}

async function list(who: StaffFixture, query: string): Promise<string[]> {
  const res = await h.app.inject({ method: 'GET', url: `/api/v1/complaints?${query}`, headers: who.headers });
  expect(res.statusCode).toBe(200);
  return res.json().items.map((c: { id: string }) => c.id);
}

beforeAll(async () => {
  h = await startHarness();
  const [place, otherPlace] = await places(h.db.pool);
  tree = await buildTree(h.db.pool, place!);
  other = await buildTree(h.db.pool, otherPlace!);
  head = await staff(h.db, h.config, 'inspection_head', { unit: tree.countyOffices[0] }, { inspectionHead: true });
  supervisor = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: place!.provinceId });
  operator = await staff(h.db, h.config, 'operator');
});
afterAll(() => h?.close());

describe('work queue filters', () => {
  it('escalated, triage and tracking-code filters each pick exactly their complaints, inside scope', async () => {
    const plain = await file(complaintBody(tree.countyOffices[0].id, tree.countyOffices[0].countyId!));
    const escalated = await file(complaintBody(tree.countyOffices[0].id, tree.countyOffices[0].countyId!));
    const triage = await file({ ...complaintBody(0, tree.countyOffices[0].countyId!), agencyId: undefined, officeText: 'یک ادارهٔ ناشناخته' });
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${escalated.id}/actions`,
      headers: supervisor.headers,
      payload: { action: 'escalate', reason: 'پاسخ داده نشد' },
    });
    expect(res.statusCode).toBe(200);

    expect(await list(supervisor, 'escalated=true')).toEqual([escalated.id]);
    expect(await list(operator, 'triage=true')).toEqual([triage.id]);
    expect(await list(head, `trackingCode=${plain.trackingCode}`)).toEqual([plain.id]);
    // The escalated one left the county office: its inspection head no longer finds it by code.
    expect(await list(head, `trackingCode=${escalated.trackingCode}`)).toEqual([]);
    expect(await list(head, 'escalated=true')).toEqual([]);
    const dissatisfied = await list(supervisor, 'dissatisfied=true');
    expect(dissatisfied).toEqual([]);
  });

  it('the assignee picker lists working staff of the complaint’s unit subtree, and only for complaints in scope', async () => {
    const leader = await staff(h.db, h.config, 'leader_county', { unit: tree.countyOffices[0] });
    const elsewhere = await staff(h.db, h.config, 'responder', { unit: tree.countyOffices[1] });
    const c = await file(complaintBody(tree.countyOffices[0].id, tree.countyOffices[0].countyId!));
    const res = await h.app.inject({ method: 'GET', url: `/api/v1/complaints/${c.id}/assignees`, headers: head.headers });
    expect(res.statusCode).toBe(200);
    const ids = res.json().items.map((s: { id: number }) => s.id);
    expect(ids).toEqual(expect.arrayContaining([head.id, leader.id]));
    expect(ids).not.toContain(elsewhere.id);

    const strangerHead = await staff(h.db, h.config, 'inspection_head', { unit: other.countyOffices[0] }, { inspectionHead: true });
    const denied = await h.app.inject({ method: 'GET', url: `/api/v1/complaints/${c.id}/assignees`, headers: strangerHead.headers });
    expect(denied.statusCode).toBe(404);
    const notAllowed = await h.app.inject({ method: 'GET', url: `/api/v1/complaints/${c.id}/assignees`, headers: operator.headers });
    expect(notAllowed.statusCode).toBe(403);
  });
});
