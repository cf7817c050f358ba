import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUnit } from '../src/agencies/manage-units.ts';
import type { Role } from '../src/core/roles.ts';
import { buildTree, complaintBody, type Place, places, type StaffFixture, staff, type Tree, uniq } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

/**
 * Scope is enforced in SQL. One world of complaints, and for every role the exact set it may
 * list, read and act on. Complaint names: X/Y = agency, 1/2 = province, a/b = county.
 */
let h: Harness;
let p1: Place;
let p2: Place;
let x: Tree;
let y: Tree;
const ids: Record<string, string> = {};
const users: Record<string, StaffFixture> = {};

async function file(name: string, body: Record<string, unknown>) {
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: body });
  expect(res.statusCode).toBe(201);
  ids[name] = res.json().id;
}

beforeAll(async () => {
  h = await startHarness();
  [p1, p2] = (await places(h.db.pool)) as [Place, Place];
  x = await buildTree(h.db.pool, p1, 'دستگاه ایکس');
  y = await buildTree(h.db.pool, p1, 'دستگاه ایگرگ');
  const s = uniq();
  const xDirectorate2 = await createUnit(h.db.pool, {
    code: `XD2-${s}`,
    parentId: x.organisation.id,
    kind: 'provincial_directorate',
    nameFa: 'ادارهٔ کل ایکس استان دوم',
    nameEn: '',
    provinceId: p2.provinceId,
    countyId: null,
  });
  const xOffice2 = await createUnit(h.db.pool, {
    code: `XC2-${s}`,
    parentId: xDirectorate2.id,
    kind: 'county_office',
    nameFa: 'ادارهٔ ایکس استان دوم',
    nameEn: '',
    provinceId: p2.provinceId,
    countyId: p2.countyIds[0]!,
  });

  users.admin = await staff(h.db, h.config, 'national_admin');
  users.auditor = await staff(h.db, h.config, 'auditor');
  users.operator = await staff(h.db, h.config, 'operator');
  users.provincialOperator = await staff(h.db, h.config, 'operator', { provinceId: p2.provinceId });
  users.supervisor1 = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: p1.provinceId });
  users.headXa = await staff(h.db, h.config, 'inspection_head', { unit: x.countyOffices[0] }, { inspectionHead: true });
  users.leaderCountyXa = await staff(h.db, h.config, 'leader_county', { unit: x.countyOffices[0] });
  users.leaderMiddleX1 = await staff(h.db, h.config, 'leader_middle', { unit: x.directorate });
  users.leaderSeniorX = await staff(h.db, h.config, 'leader_senior', { unit: x.ministry });
  users.responderXa = await staff(h.db, h.config, 'responder', { unit: x.countyOffices[0] });
  users.headYa = await staff(h.db, h.config, 'inspection_head', { unit: y.countyOffices[0] });
  users.headX2 = await staff(h.db, h.config, 'inspection_head', { unit: xOffice2 });

  await file('X1a', { ...complaintBody(x.organisation.id, p1.countyIds[0]!), shareIdentity: true });
  await file('X1a-assigned', complaintBody(x.organisation.id, p1.countyIds[0]!));
  await file('X1b', complaintBody(x.organisation.id, p1.countyIds[1]!));
  await file('Y1a', complaintBody(y.organisation.id, p1.countyIds[0]!, { confidential: true }));
  await file('X2a', complaintBody(x.organisation.id, p2.countyIds[0]!));
  const { agencyId: _a, ...triage } = complaintBody(x.organisation.id, p1.countyIds[0]!);
  await file('T1', { ...triage, officeText: 'یک اداره در استان اول' });
  const assigned = await h.app.inject({
    method: 'POST',
    url: `/api/v1/complaints/${ids['X1a-assigned']}/actions`,
    headers: users.headXa!.headers,
    payload: { action: 'assign', assigneeId: users.responderXa!.id },
  });
  expect(assigned.statusCode).toBe(200);
});
afterAll(() => h.close());

const ALL = ['X1a', 'X1a-assigned', 'X1b', 'Y1a', 'X2a', 'T1'];
const EXPECTED: { user: string; role: Role; sees: string[] }[] = [
  { user: 'admin', role: 'national_admin', sees: ALL },
  { user: 'auditor', role: 'auditor', sees: ALL },
  { user: 'operator', role: 'operator', sees: ALL },
  { user: 'provincialOperator', role: 'operator', sees: ['X2a'] },
  { user: 'supervisor1', role: 'provincial_supervisor', sees: ['X1a', 'X1a-assigned', 'X1b', 'Y1a', 'T1'] },
  { user: 'headXa', role: 'inspection_head', sees: ['X1a', 'X1a-assigned'] },
  { user: 'leaderCountyXa', role: 'leader_county', sees: ['X1a', 'X1a-assigned'] },
  { user: 'leaderMiddleX1', role: 'leader_middle', sees: ['X1a', 'X1a-assigned', 'X1b'] },
  { user: 'leaderSeniorX', role: 'leader_senior', sees: ['X1a', 'X1a-assigned', 'X1b', 'X2a'] },
  { user: 'responderXa', role: 'responder', sees: ['X1a-assigned'] },
  { user: 'headYa', role: 'inspection_head', sees: ['Y1a'] },
  { user: 'headX2', role: 'inspection_head', sees: ['X2a'] },
];

describe('scope, role by role', () => {
  it('covers every role', () => {
    expect(new Set(EXPECTED.map((e) => e.role))).toEqual(
      new Set([
        'national_admin',
        'provincial_supervisor',
        'inspection_head',
        'leader_senior',
        'leader_middle',
        'leader_county',
        'responder',
        'operator',
        'auditor',
      ]),
    );
  });

  for (const { user, role, sees } of EXPECTED) {
    it(`${user} (${role}) lists and reads exactly ${sees.join(', ')}`, async () => {
      const list = await h.app.inject({ url: '/api/v1/complaints?pageSize=200', headers: users[user]!.headers });
      expect(list.statusCode).toBe(200);
      const listed = list.json().items.map((c: { id: string }) => c.id);
      expect(listed.sort()).toEqual(sees.map((n) => ids[n]).sort());
      expect(list.json().total).toBe(sees.length);
      for (const name of ALL) {
        const one = await h.app.inject({ url: `/api/v1/complaints/${ids[name]}`, headers: users[user]!.headers });
        expect(one.statusCode, `${user} reading ${name}`).toBe(sees.includes(name) ? 200 : 404);
      }
    });
  }

  it('filters cannot widen the scope', async () => {
    const res = await h.app.inject({ url: `/api/v1/complaints?provinceId=${p2.provinceId}&agencyId=${x.ministry.id}`, headers: users.headXa!.headers });
    expect(res.json().items).toEqual([]);
  });

  it('out-of-scope actions find nothing and change nothing', async () => {
    const before = await h.db.pool.query('SELECT last_seq FROM complaints WHERE id = $1', [ids.Y1a]);
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${ids.Y1a}/actions`,
      headers: users.headXa!.headers,
      payload: { action: 'note', text: 'نباید ثبت شود' },
    });
    expect(res.statusCode).toBe(404);
    const after = await h.db.pool.query('SELECT last_seq FROM complaints WHERE id = $1', [ids.Y1a]);
    expect(after.rows[0].last_seq).toBe(before.rows[0].last_seq);
  });

  it('an auditor reads but cannot act', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${ids.X1a}/actions`,
      headers: users.auditor!.headers,
      payload: { action: 'note', text: 'حسابرس' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('forbidden');
  });

  it('a responder cannot assign, and cannot answer what is not assigned to them', async () => {
    const assign = await h.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${ids['X1a-assigned']}/actions`,
      headers: users.responderXa!.headers,
      payload: { action: 'assign', assigneeId: users.responderXa!.id },
    });
    expect(assign.statusCode).toBe(403);
    const answer = await h.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${ids.X1a}/actions`,
      headers: users.responderXa!.headers,
      payload: { action: 'answer', text: 'پاسخی که نباید ثبت شود' },
    });
    expect(answer.statusCode).toBe(404);
  });

  it('nobody can be assigned outside the complaint’s unit', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${ids.X1a}/actions`,
      headers: users.headXa!.headers,
      payload: { action: 'assign', assigneeId: users.headYa!.id },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('invalid_assignee');
  });
});

describe('contact data', () => {
  it('is readable by the agency for an ordinary complaint, and every read is audited in the chain', async () => {
    const res = await h.app.inject({
      url: `/api/v1/complaints/${ids.X1a}/contact?purpose=${encodeURIComponent('تماس برای پیگیری')}`,
      headers: users.headXa!.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().phone).toMatch(/^\+989/);
    const { rows } = await h.db.pool.query(`SELECT actor_id, data FROM complaint_events WHERE complaint_id = $1 AND type = 'contact_viewed'`, [ids.X1a]);
    expect(rows).toEqual([{ actor_id: users.headXa!.id, data: { purpose: 'تماس برای پیگیری' } }]);
  });

  it('is never shown to the agency’s staff for a confidential complaint, and nothing is written', async () => {
    const res = await h.app.inject({ url: `/api/v1/complaints/${ids.Y1a}/contact`, headers: users.headYa!.headers });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('contact_confidential');
    const { rows } = await h.db.pool.query(`SELECT count(*)::int AS n FROM complaint_events WHERE complaint_id = $1 AND type = 'contact_viewed'`, [ids.Y1a]);
    expect(rows[0].n).toBe(0);
  });

  it('is shown to the provincial supervisor for a confidential complaint (audited)', async () => {
    const res = await h.app.inject({ url: `/api/v1/complaints/${ids.Y1a}/contact`, headers: users.supervisor1!.headers });
    expect(res.statusCode).toBe(200);
    const { rows } = await h.db.pool.query(`SELECT count(*)::int AS n FROM complaint_events WHERE complaint_id = $1 AND type = 'contact_viewed'`, [ids.Y1a]);
    expect(rows[0].n).toBe(1);
  });

  it('is not shown to an auditor, nor out of scope', async () => {
    expect((await h.app.inject({ url: `/api/v1/complaints/${ids.X1a}/contact`, headers: users.auditor!.headers })).statusCode).toBe(403);
    expect((await h.app.inject({ url: `/api/v1/complaints/${ids.X2a}/contact`, headers: users.headXa!.headers })).statusCode).toBe(404);
  });

  it('is not in lists or details', async () => {
    const phone = (await h.db.pool.query('SELECT phone FROM complainant_contacts WHERE complaint_id = $1', [ids.X1a])).rows[0].phone as string;
    const list = await h.app.inject({ url: '/api/v1/complaints', headers: users.admin!.headers });
    const detail = await h.app.inject({ url: `/api/v1/complaints/${ids.X1a}`, headers: users.admin!.headers });
    expect(list.body).not.toContain(phone.slice(3));
    expect(detail.body).not.toContain(phone.slice(3));
  });
});

describe('work queue filters and search', () => {
  it('filters by status, county, channel and overdue, and searches Persian text', async () => {
    const admin = users.admin!.headers;
    const q = async (query: string) =>
      (await h.app.inject({ url: `/api/v1/complaints?${query}`, headers: admin }))
        .json()
        .items.map((c: { id: string }) => c.id)
        .sort();
    expect(await q('status=assigned')).toEqual([ids['X1a-assigned']]);
    expect(await q('status=received')).toEqual([ids.T1]);
    expect(await q(`countyId=${p1.countyIds[1]}`)).toEqual([ids.X1b]);
    expect(await q(`unitId=${x.countyOffices[0].id}`)).toEqual([ids.X1a, ids['X1a-assigned']].sort());
    expect(await q('channel=sms')).toEqual([]);
    expect(await q('overdue=true')).toEqual([]);
    await h.db.pool.query(`UPDATE complaints SET due_at = now() - interval '1 hour' WHERE id = $1`, [ids.X1b]);
    expect(await q('overdue=true')).toEqual([ids.X1b]);
    expect(await q(`q=${encodeURIComponent('باجهٔ')}`)).toHaveLength(6);
    expect(await q(`q=${encodeURIComponent('اداره‌ای ناموجود')}`)).toEqual([]);
    await h.db.pool.query(`UPDATE complaints SET description = 'قبض برق را نمی‌پذیرند' WHERE id = $1`, [ids.X1b]);
    expect(await q(`q=${encodeURIComponent('نمی پذیرند')}`)).toEqual([ids.X1b]);
    expect(await q(`from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toEqual([]);
  });

  it('pages with a total', async () => {
    const page1 = (await h.app.inject({ url: '/api/v1/complaints?pageSize=2&page=1&sort=oldest', headers: users.admin!.headers })).json();
    const page2 = (await h.app.inject({ url: '/api/v1/complaints?pageSize=2&page=2&sort=oldest', headers: users.admin!.headers })).json();
    expect(page1.total).toBe(6);
    expect(page1.items).toHaveLength(2);
    expect(page2.items[0].id).not.toBe(page1.items[0].id);
  });
});
