import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTree, complaintBody, type Place, places, type StaffFixture, staff, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

/** Who sees and who may correct the employee a citizen names, on a complaint filed through intake. */
let h: Harness;
let place: Place;
let otherPlace: Place;
let tree: Tree;
let operator: StaffFixture;
let supervisor: StaffFixture;
let foreignSupervisor: StaffFixture;
let head: StaffFixture;
let leader: StaffFixture;
let auditor: StaffFixture;

beforeAll(async () => {
  h = await startHarness();
  [place, otherPlace] = (await places(h.db.pool)) as [Place, Place];
  tree = await buildTree(h.db.pool, place);
  operator = await staff(h.db, h.config, 'operator');
  supervisor = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: place.provinceId });
  foreignSupervisor = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: otherPlace.provinceId });
  head = await staff(h.db, h.config, 'inspection_head', { unit: tree.countyOffices[0] }, { inspectionHead: true });
  leader = await staff(h.db, h.config, 'leader_senior', { unit: tree.countyOffices[0] });
  auditor = await staff(h.db, h.config, 'auditor');
});
afterAll(() => h.close());

async function file(namedEmployee?: string): Promise<string> {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/complaints',
    payload: complaintBody(tree.organisation.id, place.countyIds[0]!, namedEmployee === undefined ? {} : { namedEmployee }),
  });
  expect(res.statusCode).toBe(201);
  return res.json().id;
}

const detail = (who: StaffFixture, id: string) => h.app.inject({ url: `/api/v1/complaints/${id}`, headers: who.headers });
const setName = (who: StaffFixture, id: string, payload: Record<string, unknown>) =>
  h.app.inject({ method: 'PUT', url: `/api/v1/complaints/${id}/named-employee`, headers: who.headers, payload });

async function chainOf(id: string) {
  const { rows } = await h.db.pool.query('SELECT seq, type, actor_id AS "actorId", data FROM complaint_events WHERE complaint_id = $1 ORDER BY seq', [id]);
  return rows as { seq: number; type: string; actorId: number | null; data: Record<string, unknown> }[];
}

async function row(id: string) {
  const { rows } = await h.db.pool.query('SELECT named_employee AS key, named_employee_text AS text, last_seq AS "lastSeq" FROM complaints WHERE id = $1', [
    id,
  ]);
  return rows[0] as { key: string | null; text: string | null; lastSeq: number };
}

describe('reading the named employee', () => {
  it('inspection roles in scope see it; leaders see neither it nor its digest; out of scope is not found', async () => {
    const id = await file('آقای رضائی');
    for (const who of [operator, supervisor, head, auditor]) {
      const res = await detail(who, id);
      expect(res.statusCode).toBe(200);
      expect(res.json().namedEmployee).toBe('آقای رضائی');
      expect(res.json().timeline[0].data.namedEmployeeDigest).toMatch(/^[0-9a-f]{64}$/);
    }
    const forLeader = await detail(leader, id);
    expect(forLeader.statusCode).toBe(200);
    expect(forLeader.json()).not.toHaveProperty('namedEmployee');
    expect(forLeader.json().timeline[0].data).not.toHaveProperty('namedEmployeeDigest');
    expect(forLeader.body).not.toContain('رضائی');
    expect((await detail(foreignSupervisor, id)).statusCode).toBe(404);
    // A complaint naming nobody says so (null) to those who may read it.
    expect((await detail(head, await file())).json().namedEmployee).toBeNull();
  });

  it('lists never carry it; inspection roles filter by it however it is written, others may not', async () => {
    const a = await file('جناب آقای کاظمی');
    const b = await file('كاظمي');
    const other = await file('آقای ناظری');
    const list = await h.app.inject({ url: `/api/v1/complaints?namedEmployee=${encodeURIComponent('  کاظمی ')}&status=referred`, headers: head.headers });
    expect(list.statusCode).toBe(200);
    expect(
      list
        .json()
        .items.map((i: { id: string }) => i.id)
        .sort(),
    ).toEqual([a, b].sort());
    expect(list.body).not.toContain('کاظمی');
    expect(list.json().items.map((i: { id: string }) => i.id)).not.toContain(other);
    const refused = await h.app.inject({ url: `/api/v1/complaints?namedEmployee=${encodeURIComponent('کاظمی')}`, headers: leader.headers });
    expect(refused.statusCode).toBe(403);
    const foreign = await h.app.inject({ url: `/api/v1/complaints?namedEmployee=${encodeURIComponent('کاظمی')}`, headers: foreignSupervisor.headers });
    expect(foreign.json().items).toEqual([]);
  });
});

describe('setting and correcting it', () => {
  it('the 128 centre sets it on a complaint that had none: one event in the chain, the row verifies', async () => {
    const id = await file();
    const res = await setName(operator, id, { namedEmployee: 'خانم مهندس صالحی' });
    expect(res.statusCode).toBe(200);
    expect(res.json().namedEmployee).toBe('خانم مهندس صالحی');
    expect(await row(id)).toMatchObject({ key: 'صالحی', text: 'خانم مهندس صالحی' });
    const chain = await chainOf(id);
    expect(chain.at(-1)).toMatchObject({ type: 'employee_named', actorId: operator.id, data: { digest: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(JSON.stringify(chain)).not.toContain('صالحی');
    const verify = await h.app.inject({ url: `/api/v1/complaints/${id}/verify`, headers: supervisor.headers });
    expect(verify.json()).toMatchObject({ valid: true, projectionMatches: true, headMatches: true });
  });

  it('a correction needs a reason; the same name again changes nothing; clearing it leaves no name anywhere', async () => {
    const id = await file('آقای رضایی');
    const before = await row(id);
    const noReason = await setName(supervisor, id, { namedEmployee: 'آقای رضوانی' });
    expect(noReason.statusCode).toBe(400);
    expect(await row(id)).toEqual(before);
    const corrected = await setName(supervisor, id, { namedEmployee: 'آقای رضوانی', reason: 'شهروند در تماس دوباره نام را اصلاح کرد.' });
    expect(corrected.statusCode).toBe(200);
    expect(await row(id)).toMatchObject({ key: 'رضوانی', text: 'آقای رضوانی', lastSeq: before.lastSeq + 1 });
    expect((await chainOf(id)).at(-1)).toMatchObject({ type: 'employee_named', data: { reason: 'شهروند در تماس دوباره نام را اصلاح کرد.' } });
    // The reason is staff's words and may name someone: a leader sees only that the name changed.
    const forLeader = (await detail(leader, id)).json();
    expect(forLeader.timeline.at(-1)).toMatchObject({ type: 'employee_named', data: {} });
    expect(JSON.stringify(forLeader)).not.toContain('شهروند در تماس دوباره');
    expect(JSON.stringify(forLeader)).not.toContain('رضوانی');
    expect((await detail(supervisor, id)).json().timeline.at(-1).data.reason).toBe('شهروند در تماس دوباره نام را اصلاح کرد.');
    const same = await setName(supervisor, id, { namedEmployee: 'آقای رضوانی' });
    expect(same.statusCode).toBe(200);
    expect((await row(id)).lastSeq).toBe(before.lastSeq + 1);
    const cleared = await setName(operator, id, { namedEmployee: null, reason: 'شخص دیگری بوده است.' });
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json().namedEmployee).toBeNull();
    expect(await row(id)).toMatchObject({ key: null, text: null });
    expect((await chainOf(id)).at(-1)).toMatchObject({ type: 'employee_named', data: { digest: null } });
    const verify = await h.app.inject({ url: `/api/v1/complaints/${id}/verify`, headers: auditor.headers });
    expect(verify.json()).toMatchObject({ valid: true, projectionMatches: true });
  });

  it('the agency whose employee is named may not change it; out of scope is not found; a bad name writes nothing', async () => {
    const id = await file('آقای رضایی');
    const before = await row(id);
    expect((await setName(head, id, { namedEmployee: 'آقای دیگری', reason: 'اشتباه است.' })).statusCode).toBe(403);
    expect((await setName(leader, id, { namedEmployee: null, reason: 'اشتباه است.' })).statusCode).toBe(403);
    expect((await setName(foreignSupervisor, id, { namedEmployee: 'آقای دیگری', reason: 'اشتباه است.' })).statusCode).toBe(404);
    const bad = await setName(operator, id, { namedEmployee: 'دکتر', reason: 'اصلاح نام.' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'invalid_named_employee', messages: { fa: expect.stringContaining('کارمند'), en: expect.any(String) } });
    expect(await row(id)).toEqual(before);
    expect((await chainOf(id)).length).toBe(before.lastSeq);
  });
});
