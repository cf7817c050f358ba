import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyComplaintChain } from '../src/complaints/verify-complaint-chain.ts';
import { buildTree, complaintBody, type Place, places, type StaffFixture, staff, type Tree, urgentCategory } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

let h: Harness;
let place: Place;
let tree: Tree;
let countyHead: StaffFixture;
let responder: StaffFixture;
let directorateHead: StaffFixture;
let supervisor: StaffFixture;
let auditor: StaffFixture;

beforeAll(async () => {
  h = await startHarness();
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place);
  countyHead = await staff(h.db, h.config, 'inspection_head', { unit: tree.countyOffices[0] }, { inspectionHead: true });
  responder = await staff(h.db, h.config, 'responder', { unit: tree.countyOffices[0] });
  directorateHead = await staff(h.db, h.config, 'inspection_head', { unit: tree.directorate }, { inspectionHead: true });
  supervisor = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: place.provinceId });
  auditor = await staff(h.db, h.config, 'auditor');
});
afterAll(() => h.close());

function act(who: StaffFixture, id: string, body: Record<string, unknown>) {
  return h.app.inject({ method: 'POST', url: `/api/v1/complaints/${id}/actions`, headers: who.headers, payload: body });
}

async function citizenToken(code: string, phone: string): Promise<string> {
  const sent = await h.app.inject({ method: 'POST', url: `/api/v1/track/${code}/otp` });
  expect(sent.statusCode).toBe(200);
  const sms = h.sms.lastTo(phone)!;
  const otp = (sms.text.match(/[۰-۹]{6}/)?.[0] ?? '').replace(/[۰-۹]/g, (d) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(d)));
  const verified = await h.app.inject({ method: 'POST', url: `/api/v1/track/${code}/otp/verify`, payload: { otp } });
  expect(verified.statusCode).toBe(200);
  return verified.json().token;
}

describe('a complaint from intake to closure', () => {
  it('walks received → referred → assigned → in progress → answered → not satisfied (one level up) → answered → satisfied', async () => {
    const category = await urgentCategory(h.db.pool);
    const body = complaintBody(tree.organisation.id, place.countyIds[0]!, { categoryId: category.id });
    const phone = `+98${body.contact.phone.slice(1)}`;
    const filed = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: body });
    const { id, trackingCode } = filed.json();

    // The county office's inspection head sees it at once, in the work queue, due soonest first.
    const queue = await h.app.inject({ url: '/api/v1/complaints?status=referred', headers: countyHead.headers });
    expect(queue.json().items.map((c: { id: string }) => c.id)).toContain(id);

    // Citizens see the public status without any personal data.
    const pub = await h.app.inject({ url: `/api/v1/track/${trackingCode}` });
    expect(pub.json()).toMatchObject({ status: 'referred', referredTo: { name: tree.countyOffices[0].nameFa } });
    expect(JSON.stringify(pub.json())).not.toContain(body.contact.phone.slice(-4));

    expect((await act(countyHead, id, { action: 'assign', assigneeId: responder.id })).json().status).toBe('assigned');
    expect((await act(responder, id, { action: 'start' })).json().status).toBe('in_progress');
    expect((await act(responder, id, { action: 'note', text: 'با رئیس اداره تماس گرفتم.' })).json().status).toBe('in_progress');
    const answered = await act(responder, id, { action: 'answer', text: 'کارمند به باجه برگشت و کار شما انجام شد؛ به او تذکر داده شد.' });
    expect(answered.json()).toMatchObject({ status: 'answered', answer: expect.stringContaining('تذکر') });

    // The citizen proves they own the phone, reads the answer, and is not satisfied.
    const token = await citizenToken(trackingCode, phone);
    const full = await h.app.inject({ url: `/api/v1/track/${trackingCode}/full`, headers: { authorization: `Bearer ${token}` } });
    expect(full.statusCode).toBe(200);
    expect(full.json()).toMatchObject({ status: 'answered', canRate: true, answer: expect.stringContaining('کارمند') });
    expect(full.json().timeline.map((e: { type: string }) => e.type)).toEqual(['received', 'referred', 'assigned', 'started', 'answered']);
    expect(JSON.stringify(full.json())).not.toContain('با رئیس اداره'); // internal notes stay internal

    const rated = await h.app.inject({
      method: 'POST',
      url: `/api/v1/track/${trackingCode}/rating`,
      headers: { authorization: `Bearer ${token}` },
      payload: { satisfied: false, comment: 'هنوز کارم انجام نشده' },
    });
    expect(rated.json()).toEqual({ status: 'referred' });

    // Reopened one level up: the provincial directorate has it, the county office no longer does.
    const upstairs = await h.app.inject({ url: `/api/v1/complaints/${id}`, headers: directorateHead.headers });
    expect(upstairs.json()).toMatchObject({
      status: 'referred',
      unit: { id: tree.directorate.id },
      reopenCount: 1,
      dissatisfiedCount: 1,
      assigneeId: null,
      answer: null,
    });
    expect((await h.app.inject({ url: `/api/v1/complaints/${id}`, headers: countyHead.headers })).statusCode).toBe(404);

    await act(directorateHead, id, { action: 'answer', text: 'پیگیری شد و پروندهٔ شما امروز تکمیل شد.' });
    const satisfied = await h.app.inject({
      method: 'POST',
      url: `/api/v1/track/${trackingCode}/rating`,
      headers: { authorization: `Bearer ${token}` },
      payload: { satisfied: true },
    });
    expect(satisfied.json()).toEqual({ status: 'closed' });

    // Nothing more can happen to a closed complaint.
    const late = await act(directorateHead, id, { action: 'note', text: 'یادداشت دیرهنگام' });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('invalid_transition');

    // The history is one unbroken chain, and the row is its projection.
    const report = await verifyComplaintChain(h.db.pool, id);
    expect(report).toMatchObject({ valid: true, events: 9, projectionMatches: true, headMatches: true });
    const viaApi = await h.app.inject({ url: `/api/v1/complaints/${id}/verify`, headers: auditor.headers });
    expect(viaApi.json()).toMatchObject({ valid: true, projectionMatches: true });
    const detail = await h.app.inject({ url: `/api/v1/complaints/${id}`, headers: supervisor.headers });
    expect(detail.json().timeline.map((e: { type: string }) => e.type)).toEqual([
      'received',
      'referred',
      'assigned',
      'started',
      'note_added',
      'answered',
      'rated_not_satisfied',
      'answered',
      'rated_satisfied',
    ]);
    expect(detail.json()).toMatchObject({ status: 'closed', outcome: 'satisfied' });
  });

  it('a tampered event is found by the chain check', async () => {
    const filed = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(tree.organisation.id, place.countyIds[0]!) });
    const id = filed.json().id;
    await act(countyHead, id, { action: 'note', text: 'یادداشت اصلی' });
    // An insider edits history behind the application's back (the trigger must be bypassed first).
    await h.db.transaction(async (tx) => {
      await tx.query('ALTER TABLE complaint_events DISABLE TRIGGER complaint_events_no_update');
      await tx.query(`UPDATE complaint_events SET data = '{"text":"یادداشت جعلی"}' WHERE complaint_id = $1 AND seq = 3`, [id]);
      await tx.query('ALTER TABLE complaint_events ENABLE TRIGGER complaint_events_no_update');
    });
    expect(await verifyComplaintChain(h.db.pool, id)).toMatchObject({ valid: false, brokenAtSeq: 3, reason: 'hash_mismatch' });
  });

  it('events cannot be updated or deleted through SQL', async () => {
    await expect(h.db.pool.query("UPDATE complaint_events SET type = 'x' WHERE seq = 1")).rejects.toThrow(/append-only/);
    await expect(h.db.pool.query('DELETE FROM complaint_events')).rejects.toThrow(/append-only/);
  });

  it('transfer (with a reason) moves it to another unit; reject closes it and the citizen can object', async () => {
    const filed = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(tree.organisation.id, place.countyIds[0]!) });
    const { id, trackingCode } = filed.json();
    const missingReason = await act(countyHead, id, { action: 'transfer', toUnitId: tree.countyOffices[1].id });
    expect(missingReason.statusCode).toBe(400);
    const transferred = await act(countyHead, id, { action: 'transfer', toUnitId: tree.countyOffices[1].id, reason: 'مربوط به شهرستان دیگر است' });
    expect(transferred.json()).toMatchObject({ status: 'referred' });
    expect(transferred.json().unit.id).toBe(tree.countyOffices[1].id);
    const otherHead = await staff(h.db, h.config, 'inspection_head', { unit: tree.countyOffices[1] });
    const rejected = await act(otherHead, id, { action: 'reject', reason: 'موضوع در حوزهٔ خدمات این اداره نیست' });
    expect(rejected.json()).toMatchObject({ status: 'rejected', outcome: 'rejected' });
    const phone = `+98${(await h.db.pool.query('SELECT phone FROM complainant_contacts WHERE complaint_id = $1', [id])).rows[0].phone.slice(3)}`;
    const token = await citizenToken(trackingCode, phone);
    const objected = await h.app.inject({
      method: 'POST',
      url: `/api/v1/track/${trackingCode}/objection`,
      headers: { authorization: `Bearer ${token}` },
      payload: { reason: 'این کار دقیقاً وظیفهٔ همین اداره است' },
    });
    expect(objected.json()).toEqual({ status: 'referred' });
    const after = await h.app.inject({ url: `/api/v1/complaints/${id}`, headers: directorateHead.headers });
    expect(after.json()).toMatchObject({ unit: { id: tree.directorate.id }, reopenCount: 1, outcome: null });
  });

  it('the operators triage a complaint that named only an office, and it is routed', async () => {
    const operator = await staff(h.db, h.config, 'operator');
    const { agencyId: _a, ...body } = complaintBody(tree.organisation.id, place.countyIds[1]!);
    const filed = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: { ...body, officeText: 'اداره‌ای در شهرستان' } });
    const id = filed.json().id;
    const triage = await h.app.inject({ url: '/api/v1/complaints?status=received', headers: operator.headers });
    expect(triage.json().items.map((c: { id: string }) => c.id)).toContain(id);
    const category = await urgentCategory(h.db.pool);
    const referred = await act(operator, id, { action: 'refer', agencyId: tree.organisation.id, categoryId: category.id });
    expect(referred.json()).toMatchObject({ status: 'referred', unit: { id: tree.countyOffices[1].id }, urgent: true });
  });

  it('a supervisor escalates a stuck complaint one level up', async () => {
    const filed = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(tree.organisation.id, place.countyIds[0]!) });
    const escalated = await act(supervisor, filed.json().id, { action: 'escalate', reason: 'پاسخ در مهلت داده نشد' });
    expect(escalated.json()).toMatchObject({ status: 'referred', unit: { id: tree.directorate.id }, escalationCount: 1 });
    const responderTries = await act(responder, filed.json().id, { action: 'escalate', reason: 'تلاش بی‌اجازه' });
    expect(responderTries.statusCode).toBe(403);
  });

  it('the chain check catches a tampered projection field (outcome, counts, deadline, agency)', async () => {
    const filed = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(tree.organisation.id, place.countyIds[0]!) });
    const id = filed.json().id;
    expect(await verifyComplaintChain(h.db.pool, id)).toMatchObject({ valid: true, projectionMatches: true });
    await h.db.pool.query(`UPDATE complaints SET due_at = due_at + interval '100 days' WHERE id = $1`, [id]);
    expect(await verifyComplaintChain(h.db.pool, id)).toMatchObject({ valid: true, projectionMatches: false, mismatchedFields: ['dueAt'] });
  });

  it('agency staff cannot transfer to another agency; a supervisor can, and the agency follows', async () => {
    const other = await buildTree(h.db.pool, place);
    const filed = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(tree.organisation.id, place.countyIds[0]!) });
    const id = filed.json().id;
    const refused = await act(countyHead, id, { action: 'transfer', toUnitId: other.countyOffices[0].id, reason: 'دستگاه دیگری مسئول است' });
    expect(refused.statusCode).toBe(403);
    const moved = await act(supervisor, id, { action: 'transfer', toUnitId: other.countyOffices[0].id, reason: 'دستگاه دیگری مسئول است' });
    expect(moved.json()).toMatchObject({ unit: { id: other.countyOffices[0].id }, agency: { id: other.ministry.id } });
    const verdict = await verifyComplaintChain(h.db.pool, id);
    expect(verdict, JSON.stringify(verdict)).toMatchObject({ valid: true, projectionMatches: true });
  });

  it('escalating at the top of the tree is refused (409) and nothing changes', async () => {
    const filed = await h.app.inject({
      method: 'POST',
      url: '/api/v1/complaints',
      payload: complaintBody(tree.ministry.id, place.countyIds[0]!, { provinceId: undefined }),
    });
    const id = filed.json().id;
    await act(supervisor, id, { action: 'escalate', reason: 'یک سطح بالاتر' });
    await act(supervisor, id, { action: 'escalate', reason: 'یک سطح بالاتر' });
    const top = await act(supervisor, id, { action: 'escalate', reason: 'یک سطح بالاتر' });
    expect(top.json().unit.id).toBe(tree.ministry.id);
    const again = await act(supervisor, id, { action: 'escalate', reason: 'بالاتر از وزارت' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('same_unit');
  });

  it('a complaint that came without a place (an SMS) gets one at triage', async () => {
    const operator = await staff(h.db, h.config, 'operator');
    const { agencyId: _a, countyId: _c, ...body } = complaintBody(tree.organisation.id, place.countyIds[0]!);
    const filed = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: { ...body, channel: 'sms', officeText: 'پیامک بدون نشانی' } });
    expect(filed.statusCode).toBe(201);
    const id = filed.json().id;
    const noPlace = await act(operator, id, { action: 'refer', agencyId: tree.organisation.id });
    expect(noPlace.statusCode).toBe(400);
    const referred = await act(operator, id, { action: 'refer', agencyId: tree.organisation.id, countyId: place.countyIds[1] });
    expect(referred.json()).toMatchObject({
      status: 'referred',
      unit: { id: tree.countyOffices[1].id },
      provinceId: place.provinceId,
      countyId: place.countyIds[1],
    });
    expect(await verifyComplaintChain(h.db.pool, id)).toMatchObject({ valid: true, projectionMatches: true });
    // a provincial supervisor did not see it before triage, and does now
    const sees = await h.app.inject({ url: `/api/v1/complaints/${id}`, headers: supervisor.headers });
    expect(sees.statusCode).toBe(200);
  });
});
