import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completedPeriods } from '../src/enforcement/periods.ts';
import { actionsInForce } from '../src/enforcement/store.ts';
import { buildTree, places, type StaffFixture, staff, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';
import { seedBreach, seedComplaint } from './seed-complaints.ts';

/**
 * Three completed Jalali months of hand-built numbers: office A misses 8 of 10 deadlines each
 * month (above the 99.8% funnel limit: a warning, later a dismissal recommendation), office B
 * misses none of its 12 a month (the top decile among ten ranked units), eight more units sit in
 * between.
 */
describe('enforcement: rules, due process, scope', () => {
  let h: Harness;
  let t1: Tree;
  let t2: Tree;
  let other: Tree;
  let admin: StaffFixture;
  let supervisor: StaffFixture;
  let foreignSupervisor: StaffFixture;
  let headA: StaffFixture;
  let headB: StaffFixture;
  let warningId: number;
  let commendationId: number;
  const asOf = new Date();
  const periods = completedPeriods(asOf, 3);
  const mid = (i: number) => new Date((periods[i]!.from.getTime() + periods[i]!.to.getTime()) / 2);

  beforeAll(async () => {
    h = await startHarness();
    const [p1, p2] = await places(h.db.pool);
    t1 = await buildTree(h.db.pool, p1!);
    t2 = await buildTree(h.db.pool, p1!);
    other = await buildTree(h.db.pool, p2!);
    admin = await staff(h.db, h.config, 'national_admin');
    supervisor = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: p1!.provinceId });
    foreignSupervisor = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: p2!.provinceId });
    headA = await staff(h.db, h.config, 'inspection_head', { unit: t1.countyOffices[0] }, { inspectionHead: true });
    headB = await staff(h.db, h.config, 'inspection_head', { unit: t1.countyOffices[1] }, { inspectionHead: true });
    const db = h.db.pool;
    for (let i = 0; i < 3; i++) {
      for (let n = 0; n < 10; n++) {
        const c = await seedComplaint(db, { unit: t1.countyOffices[0], agencyId: t1.organisation.id, createdAt: mid(i) });
        if (n < 8) await seedBreach(db, { complaintId: c.id, unit: t1.countyOffices[0], managerId: headA.id, at: mid(i) });
      }
    }
    // Office B best every month (12 complaints, none late); in the newest month eight more units with 2 complaints and 1 late.
    for (let i = 0; i < 3; i++) {
      for (let n = 0; n < 12; n++) await seedComplaint(db, { unit: t1.countyOffices[1], agencyId: t1.organisation.id, createdAt: mid(i) });
    }
    const middling = [
      t1.directorate,
      t2.directorate,
      t2.countyOffices[0],
      t2.countyOffices[1],
      other.directorate,
      other.countyOffices[0],
      other.countyOffices[1],
      t1.organisation,
    ];
    for (const unit of middling) {
      await staff(h.db, h.config, 'inspection_head', { unit }, { inspectionHead: true });
      const first = await seedComplaint(db, { unit, agencyId: t1.organisation.id, createdAt: mid(2), provinceId: p1!.provinceId });
      await seedComplaint(db, { unit, agencyId: t1.organisation.id, createdAt: mid(2), provinceId: p1!.provinceId });
      await seedBreach(db, { complaintId: first.id, unit, managerId: null, at: mid(2) });
    }
    // Rules are data: let a unit with 2 complaints be ranked for the commendation.
    const patched = await h.app.inject({
      method: 'PATCH',
      url: '/api/v1/enforcement/rules/top_decile_commendation',
      headers: admin.headers,
      payload: { minComplaints: 2 },
    });
    expect(patched.statusCode).toBe(200);
  });
  afterAll(() => h.close());

  const post = (url: string, who: StaffFixture, payload: unknown) =>
    h.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: who.headers, payload: payload as object });
  const get = (url: string, who: StaffFixture) => h.app.inject({ url: `/api/v1${url}`, headers: who.headers });

  it('only the national centre changes rules and runs them', async () => {
    expect((await get('/enforcement/rules', supervisor)).statusCode).toBe(403);
    expect((await post('/enforcement/evaluate', supervisor, {})).statusCode).toBe(403);
    const rules = (await get('/enforcement/rules', admin)).json();
    expect(rules.map((r: { code: string }) => r.code)).toEqual(['breach_rate_warning', 'top_decile_commendation', 'repeated_severe_dismissal']);
  });

  it('suggests a warning for three months above the threshold and a commendation for the top decile, once', async () => {
    const res = await post('/enforcement/evaluate', admin, { asOf: asOf.toISOString() });
    expect(res.statusCode).toBe(200);
    const { period, created } = res.json();
    expect(period).toBe(periods[2]!.key);
    const byKind = (kind: string) => created.filter((c: { kind: string }) => c.kind === kind);
    expect(byKind('warning')).toEqual([
      { id: expect.any(Number), kind: 'warning', managerId: headA.id, unitId: t1.countyOffices[0].id, period: periods[2]!.key },
    ]);
    expect(byKind('commendation').map((c: { managerId: number }) => c.managerId)).toEqual([headB.id]);
    expect(byKind('dismissal')).toEqual([]);
    warningId = byKind('warning')[0].id;
    commendationId = byKind('commendation')[0].id;
    // Run again: nothing new.
    expect((await post('/enforcement/evaluate', admin, { asOf: asOf.toISOString() })).json().created).toEqual([]);
    // The evidence: the breach rate per month, shrunk toward the peers, and the funnel in a Persian sentence.
    const action = (await get(`/enforcement/actions/${warningId}`, supervisor)).json();
    expect(action.evidence.periods.map((p: { breachRate: number }) => p.breachRate)).toEqual([0.8, 0.8, 0.8]);
    expect(action.evidence.funnel).toMatchObject({ complaints: 30, breaches: 24, flag: 'high998' });
    expect(action.evidence.summaryFa).toMatch(/^در ۳ ماه .*از ۳۰ شکایت ۲۴ مورد از مهلت گذشت \(۸۰٫۰٪\)؛ نرخ تعدیل‌شده .*بالاتر از حد ۹۹٫۸٪/);
    expect(action.ruleCode).toBe('breach_rate_warning');
  });

  it('tells the manager (outbox) and blocks the decision until they reply or the window passes', async () => {
    const notices = await h.db.pool.query<{ template: string; body: string }>(
      `SELECT template, body FROM outbox WHERE recipient_user_id = $1 AND delivery_key = $2`,
      [headA.id, `enforcement:${warningId}:notice`],
    );
    expect(notices.rows).toHaveLength(1);
    expect(notices.rows[0]!.body).toContain('تذکر');
    const early = await post(`/enforcement/actions/${warningId}/decision`, supervisor, {
      decision: 'confirm',
      reason: 'سه ماه پیاپی',
      evidenceUrl: '/api/v1/managers/1/record',
    });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('reply_window_open');
    // Only the manager replies, and once.
    expect((await post(`/enforcement/actions/${warningId}/reply`, headB, { text: 'من نیستم' })).statusCode).toBe(404);
    const replied = await post(`/enforcement/actions/${warningId}/reply`, headA, { text: 'دو کارمند در مرخصی استعلاجی بودند.' });
    expect(replied.statusCode).toBe(200);
    expect(replied.json().reply).toBe('دو کارمند در مرخصی استعلاجی بودند.');
    expect((await post(`/enforcement/actions/${warningId}/reply`, headA, { text: 'دوباره' })).json().error.code).toBe('already_replied');
  });

  it('refuses a supervisor of another province, a manager deciding, and a decision without evidence link', async () => {
    const payload = { decision: 'confirm', reason: 'سه ماه پیاپی', evidenceUrl: `/api/v1/managers/${headA.id}/record` };
    expect((await post(`/enforcement/actions/${warningId}/decision`, foreignSupervisor, payload)).statusCode).toBe(404);
    expect((await get(`/enforcement/actions/${warningId}`, foreignSupervisor)).statusCode).toBe(404);
    expect((await get(`/enforcement/actions?managerId=${headA.id}`, foreignSupervisor)).json().items).toEqual([]);
    expect((await post(`/enforcement/actions/${warningId}/decision`, headA, payload)).statusCode).toBe(403);
    expect((await post(`/enforcement/actions/${warningId}/decision`, supervisor, { decision: 'confirm', reason: 'سه ماه پیاپی' })).statusCode).toBe(400);
    expect((await get(`/enforcement/actions/${warningId}`, supervisor)).json().status).toBe('proposed');
  });

  it('the provincial group confirms with a reason and a link; it goes on the manager’s record and the manager is told', async () => {
    const res = await post(`/enforcement/actions/${warningId}/decision`, supervisor, {
      decision: 'confirm',
      reason: 'نرخ گذشتن از مهلت ۶۰٪ در سه ماه پیاپی',
      evidenceUrl: `/api/v1/managers/${headA.id}/record`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'confirmed', decidedBy: supervisor.id, evidenceUrl: `/api/v1/managers/${headA.id}/record` });
    expect(
      (await post(`/enforcement/actions/${warningId}/decision`, supervisor, { decision: 'drop', reason: 'دوباره', evidenceUrl: '/x' })).json().error.code,
    ).toBe('already_decided');
    const record = await get(`/managers/${headA.id}/record`, headA);
    expect(record.statusCode).toBe(200);
    expect(record.json().manager).toMatchObject({ id: headA.id, breaches: { total: 24, last12Months: 24 } });
    expect(record.json().actions.map((a: { id: number; status: string }) => [a.id, a.status])).toEqual([[warningId, 'confirmed']]);
    expect((await get(`/managers/${headA.id}/record`, supervisor)).statusCode).toBe(200);
    expect((await get(`/managers/${headA.id}/record`, foreignSupervisor)).statusCode).toBe(404);
    expect((await get(`/managers/${headA.id}/record`, headB)).statusCode).toBe(404);
    const told = await h.db.pool.query('SELECT 1 FROM outbox WHERE delivery_key = $1 AND recipient_user_id = $2', [
      `enforcement:${warningId}:decision`,
      headA.id,
    ]);
    expect(told.rowCount).toBe(1);
    // Queryable for report cards.
    const confirmed = (await get(`/enforcement/actions?status=confirmed&unitId=${t1.countyOffices[0].id}`, admin)).json().items;
    expect(confirmed.map((a: { id: number }) => a.id)).toEqual([warningId]);
  });

  it('after a confirmed warning, repeated severe failure suggests dismissal', async () => {
    await h.app.inject({ method: 'PATCH', url: '/api/v1/enforcement/rules/repeated_severe_dismissal', headers: admin.headers, payload: { priorWarnings: 1 } });
    const { created } = (await post('/enforcement/evaluate', admin, { asOf: new Date().toISOString() })).json();
    expect(created.map((c: { kind: string; managerId: number }) => [c.kind, c.managerId])).toEqual([['dismissal', headA.id]]);
  });

  it('the manager appeals once; the national centre decides the appeal', async () => {
    expect((await post(`/enforcement/actions/${commendationId}/appeal`, headB, { text: 'چرا؟' })).json().error.code).toBe('not_appealable');
    const appealed = await post(`/enforcement/actions/${warningId}/appeal`, headA, { text: 'گواهی پزشکی پیوست است.' });
    expect(appealed.statusCode).toBe(200);
    expect(appealed.json().appealStatus).toBe('pending');
    const second = await post(`/enforcement/actions/${warningId}/appeal`, headA, { text: 'باز هم' });
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('appeal_already_made');
    expect((await post(`/enforcement/actions/${warningId}/appeal-decision`, supervisor, { decision: 'overturn', reason: 'گواهی پذیرفته شد' })).statusCode).toBe(
      403,
    );
    const decided = await post(`/enforcement/actions/${warningId}/appeal-decision`, admin, { decision: 'overturn', reason: 'گواهی پزشکی پذیرفته شد' });
    expect(decided.json()).toMatchObject({ appealStatus: 'overturned', appealDecidedBy: admin.id });
    expect((await post(`/enforcement/actions/${warningId}/appeal`, headA, { text: 'سوم' })).json().error.code).toBe('appeal_already_made');
  });

  it('without a reply, the decision waits for the window to pass', async () => {
    const payload = { decision: 'confirm', reason: 'دهک برتر در ماه', evidenceUrl: '/api/v1/live/dashboard' };
    expect((await post(`/enforcement/actions/${commendationId}/decision`, supervisor, payload)).json().error.code).toBe('reply_window_open');
    // The window is data on the row: move it into the past rather than wait.
    await h.db.pool.query(`UPDATE enforcement_actions SET reply_due_at = now() - interval '1 second' WHERE id = $1`, [commendationId]);
    const res = await post(`/enforcement/actions/${commendationId}/decision`, supervisor, payload);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'confirmed', reply: null });
    // What report cards read: confirmed actions still in force (the overturned warning is not).
    const inForce = await actionsInForce(h.db.pool, periods[0]!.from, new Date(Date.now() + 60_000));
    expect(inForce.filter((a) => a.managerId === headA.id || a.managerId === headB.id)).toEqual([
      { unitId: t1.countyOffices[1].id, managerId: headB.id, kind: 'commendation', count: 1 },
    ]);
  });

  it('a supervisor proposes only in their own province', async () => {
    const payload = { unitId: other.countyOffices[0].id, kind: 'warning', reason: 'یافته‌های بازرسی میدانی' };
    expect((await post('/enforcement/actions', supervisor, payload)).statusCode).toBe(404);
    const own = await post('/enforcement/actions', foreignSupervisor, payload);
    expect(own.statusCode).toBe(201);
    expect(own.json()).toMatchObject({ kind: 'warning', status: 'proposed', ruleCode: null, proposedBy: foreignSupervisor.id });
  });
});
