import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIFECYCLE_ACTIONS } from '../src/complaints/allowed-actions.ts';
import { creditOf } from '../src/complaints/timeline.ts';
import { buildTree, complaintBody, type Place, places, type StaffFixture, staff, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

/**
 * Issue 13: the API tells each viewer what they may do on a complaint (from the role, the
 * lifecycle's transition table and a responder's own assignment) and which console pages they
 * may open; the web app shows exactly those. Every action left out is one the server refuses.
 * Issue 12: the timeline credits the automatic referral to the system, not to the filer.
 */
let h: Harness;
let p1: Place;
let x: Tree;
const ids: Record<string, string> = {};
const users: Record<string, StaffFixture> = {};

async function file(name: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: body, headers });
  expect(res.statusCode).toBe(201);
  ids[name] = res.json().id;
}

async function detail(user: string, complaint: string) {
  const res = await h.app.inject({ url: `/api/v1/complaints/${ids[complaint]}`, headers: users[user]!.headers });
  expect(res.statusCode).toBe(200);
  return res.json();
}

beforeAll(async () => {
  h = await startHarness();
  [p1] = (await places(h.db.pool)) as [Place];
  x = await buildTree(h.db.pool, p1, 'دستگاه ایکس');
  users.admin = await staff(h.db, h.config, 'national_admin');
  users.auditor = await staff(h.db, h.config, 'auditor');
  users.operator = await staff(h.db, h.config, 'operator');
  users.supervisor = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: p1.provinceId });
  users.head = await staff(h.db, h.config, 'inspection_head', { unit: x.countyOffices[0] }, { inspectionHead: true });
  users.leaderCounty = await staff(h.db, h.config, 'leader_county', { unit: x.countyOffices[0] });
  users.leaderMiddle = await staff(h.db, h.config, 'leader_middle', { unit: x.directorate });
  users.leaderSenior = await staff(h.db, h.config, 'leader_senior', { unit: x.ministry });
  users.responder = await staff(h.db, h.config, 'responder', { unit: x.countyOffices[0] });
  users.otherResponder = await staff(h.db, h.config, 'responder', { unit: x.countyOffices[0] });

  await file('referred', complaintBody(x.organisation.id, p1.countyIds[0]!));
  await file('assigned', complaintBody(x.organisation.id, p1.countyIds[0]!));
  const { agencyId: _a, ...triage } = complaintBody(x.organisation.id, p1.countyIds[0]!);
  await file('received', { ...triage, officeText: 'یک اداره در استان اول' });
  await file('byOperator', complaintBody(x.organisation.id, p1.countyIds[0]!), users.operator.headers);
  for (const [who, complaint] of [
    [users.responder, 'assigned'],
    [users.otherResponder, 'byOperator'],
  ] as const) {
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${ids[complaint]}/actions`,
      headers: users.head!.headers,
      payload: { action: 'assign', assigneeId: who.id },
    });
    expect(res.statusCode).toBe(200);
  }
});
afterAll(() => h.close());

const STAFF_CASE = ['note', 'read_contact', 'attach'];
/** Each viewer's actions on a complaint just referred to the county office. */
const ON_REFERRED: Record<string, string[]> = {
  admin: ['note', 'transfer', 'reject', 'escalate', 'name_employee', 'read_contact', 'attach', 'verify'],
  auditor: ['verify'],
  operator: ['note', 'reject', 'name_employee', 'read_contact', 'attach'],
  supervisor: ['note', 'transfer', 'reject', 'escalate', 'name_employee', 'read_contact', 'attach', 'verify'],
  head: ['assign', 'note', 'answer', 'transfer', 'reject', ...STAFF_CASE.slice(1)],
  leaderCounty: ['assign', 'note', 'answer', ...STAFF_CASE.slice(1)],
  leaderMiddle: ['assign', 'note', 'answer', 'transfer', 'reject', ...STAFF_CASE.slice(1)],
  leaderSenior: ['assign', 'note', 'answer', 'transfer', 'reject', ...STAFF_CASE.slice(1)],
};

describe('the actions each viewer may take', () => {
  for (const [user, expected] of Object.entries(ON_REFERRED)) {
    it(`${user} on a referred complaint: ${expected.join(', ')}`, async () => {
      expect((await detail(user, 'referred')).actions).toEqual(expected);
    });
  }

  it('only the 128 centre and supervisors refer a complaint waiting for triage; nobody answers it', async () => {
    expect((await detail('operator', 'received')).actions).toEqual(['refer', 'note', 'reject', 'name_employee', 'read_contact', 'attach']);
    expect((await detail('admin', 'received')).actions).toContain('refer');
    expect((await detail('auditor', 'received')).actions).toEqual(['verify']);
  });

  it('a responder starts and answers only what is assigned to them', async () => {
    expect((await detail('responder', 'assigned')).actions).toEqual(['start', 'note', 'answer', 'read_contact', 'attach']);
    expect((await detail('head', 'assigned')).actions).toEqual(['assign', 'start', 'note', 'answer', 'transfer', 'reject', 'read_contact', 'attach']);
    // Outside their scope they cannot even read it.
    const res = await h.app.inject({ url: `/api/v1/complaints/${ids.assigned}`, headers: users.otherResponder!.headers });
    expect(res.statusCode).toBe(404);
  });

  it('every lifecycle action left out is one the server refuses', async () => {
    const bodies: Record<string, object> = {
      refer: { action: 'refer', agencyId: x.organisation.id },
      assign: { action: 'assign', assigneeId: users.responder!.id },
      start: { action: 'start' },
      note: { action: 'note', text: 'یادداشت' },
      answer: { action: 'answer', text: 'پاسخ کامل به شهروند داده شد.' },
      transfer: { action: 'transfer', toUnitId: x.countyOffices[1].id, reason: 'واحد دیگر' },
      reject: { action: 'reject', reason: 'خارج از حوزه' },
      escalate: { action: 'escalate', reason: 'دیر شده' },
    };
    for (const user of Object.keys(ON_REFERRED)) {
      const offered = (await detail(user, 'referred')).actions as string[];
      for (const action of LIFECYCLE_ACTIONS.filter((a) => !offered.includes(a))) {
        const res = await h.app.inject({
          method: 'POST',
          url: `/api/v1/complaints/${ids.referred}/actions`,
          headers: users[user]!.headers,
          payload: bodies[action],
        });
        expect([403, 409], `${user} ${action}: ${res.body}`).toContain(res.statusCode);
      }
    }
    expect((await detail('admin', 'referred')).status).toBe('referred');
  });

  it('a closed complaint offers no lifecycle action', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${ids.received}/actions`,
      headers: users.operator!.headers,
      payload: { action: 'reject', reason: 'شکایت نیست' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().actions).toEqual(['name_employee', 'read_contact', 'attach']);
  });
});

describe('the pages each viewer may open', () => {
  const PAGES: Record<string, string[]> = {
    admin: ['dashboard', 'supervision', 'inbox', 'operator', 'follow_up', 'reports', 'enforcement', 'inspections', 'incidents', 'admin', 'alerts'],
    auditor: ['dashboard', 'supervision', 'inbox', 'reports', 'enforcement', 'inspections', 'alerts'],
    operator: ['operator', 'dashboard', 'inbox', 'follow_up', 'incidents', 'alerts'],
    supervisor: ['dashboard', 'supervision', 'inbox', 'follow_up', 'reports', 'enforcement', 'inspections', 'incidents', 'alerts'],
    head: ['inbox', 'dashboard', 'reports', 'record', 'incidents', 'alerts'],
    leaderCounty: ['inbox', 'dashboard', 'reports', 'record', 'alerts'],
    responder: ['inbox', 'alerts'],
  };
  for (const [user, expected] of Object.entries(PAGES)) {
    it(`${user}: ${expected.join(', ')}`, async () => {
      const res = await h.app.inject({ url: '/api/v1/auth/me', headers: users[user]!.headers });
      expect(res.statusCode).toBe(200);
      expect(res.json().pages).toEqual(expected);
    });
  }
});

describe('who the timeline credits', () => {
  it('a citizen files; the referral that follows is the system’s', async () => {
    const timeline = (await detail('admin', 'referred')).timeline as { type: string; actorKind: string; actorRole: string | null }[];
    expect(timeline.slice(0, 2).map((e) => [e.type, e.actorKind])).toEqual([
      ['received', 'citizen'],
      ['referred', 'system'],
    ]);
  });

  it('an operator files on a call, by role and name; the referral is still the system’s; the assignment is the head’s', async () => {
    const timeline = (await detail('admin', 'byOperator')).timeline as {
      type: string;
      actorKind: string;
      actorRole: string | null;
      actorName: string | null;
    }[];
    expect(timeline.map((e) => [e.type, e.actorKind, e.actorRole])).toEqual([
      ['received', 'staff', 'operator'],
      ['referred', 'system', null],
      ['assigned', 'staff', 'inspection_head'],
    ]);
    expect(timeline[0]!.actorName).toBeTruthy();
  });

  it('older chains that credited the routing to the filer read as the system (the chain is append-only: read-side)', () => {
    const filedAt = new Date('2026-01-01T10:00:00Z');
    const later = new Date('2026-01-01T11:00:00Z');
    expect(creditOf({ type: 'referred', actorKind: 'citizen', createdAt: filedAt }, filedAt)).toBe('system');
    expect(creditOf({ type: 'case_linked', actorKind: 'citizen', createdAt: filedAt }, filedAt)).toBe('system');
    expect(creditOf({ type: 'referred', actorKind: 'staff', createdAt: filedAt }, filedAt)).toBe('system');
    // An operator's triage later on is the operator's own.
    expect(creditOf({ type: 'referred', actorKind: 'staff', createdAt: later }, filedAt)).toBe('staff');
    expect(creditOf({ type: 'rated_not_satisfied', actorKind: 'citizen', createdAt: later }, filedAt)).toBe('citizen');
    expect(creditOf({ type: 'sla_breached', actorKind: 'system', createdAt: later }, filedAt)).toBe('system');
  });
});
