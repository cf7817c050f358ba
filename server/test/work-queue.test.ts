import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listComplaints } from '../src/complaints/store.ts';
import type { StaffPrincipal } from '../src/core/scope.ts';
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

  it('the count stops at its cap and says so; the page is the same, by due date and in scope (issue 14)', async () => {
    const unit = tree.countyOffices[1];
    const mine = [];
    for (let i = 0; i < 4; i++) mine.push(await file(complaintBody(unit.id, unit.countyId!)));
    await file(complaintBody(other.countyOffices[1].id, other.countyOffices[1].countyId!)); // out of scope
    const unitHead = await staff(h.db, h.config, 'inspection_head', { unit }, { inspectionHead: true });
    const res = await h.app.inject({ method: 'GET', url: '/api/v1/complaints?pageSize=3', headers: unitHead.headers });
    expect(res.json()).toMatchObject({ total: 4, totalCapped: false, page: 1, pageSize: 3 });
    const { rows } = await h.db.pool.query('SELECT path FROM units WHERE id = $1', [unit.id]);
    const principal: StaffPrincipal = {
      id: unitHead.id,
      username: 'head',
      displayName: 'head',
      role: 'inspection_head',
      unitId: unit.id,
      unitPath: rows[0].path,
      provinceId: null,
      language: 'fa',
    };
    const filter = { sort: 'due' as const, limit: 3, offset: 0, now: new Date() };
    const exact = await listComplaints(h.db.pool, principal, { ...filter, countCap: 4 });
    const capped = await listComplaints(h.db.pool, principal, { ...filter, countCap: 3 });
    expect(exact).toMatchObject({ total: 4, totalCapped: false });
    expect(capped).toMatchObject({ total: 3, totalCapped: true });
    expect(capped.items.map((c) => c.id)).toEqual(exact.items.map((c) => c.id));
    expect(res.json().items.map((c: { id: string }) => c.id)).toEqual(exact.items.map((c) => c.id));
    // The page: the nearest deadlines of the unit's complaints, and nothing else.
    const { rows: due } = await h.db.pool.query('SELECT id FROM complaints WHERE unit_id = $1 ORDER BY due_at, created_at, id LIMIT 3', [unit.id]);
    expect(exact.items.map((c) => c.id)).toEqual(due.map((r) => r.id));
    expect(mine.map((c) => c.id)).toEqual(expect.arrayContaining(exact.items.map((c) => c.id)));
    const rest = await listComplaints(h.db.pool, principal, { ...filter, offset: 3, countCap: 3 });
    expect(rest).toMatchObject({ total: 3, totalCapped: true });
    expect(rest.items.map((c) => c.id)).toEqual(mine.map((c) => c.id).filter((id) => !exact.items.some((e) => e.id === id)));
  });
});
