import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepOnce } from '../src/sla/sweeper-worker.ts';
import { buildTree, complaintBody, mobile, type Place, places, type StaffFixture, staff, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';
import { makeStageDue } from './sla-timers.ts';

let h: Harness;
let place: Place;
let otherPlace: Place;
let tree: Tree;
let admin: StaffFixture;
let countyHead: StaffFixture;
let topHead: StaffFixture;
let supervisor: StaffFixture;
let otherSupervisor: StaffFixture;

beforeAll(async () => {
  h = await startHarness();
  [place, otherPlace] = (await places(h.db.pool)) as [Place, Place];
  tree = await buildTree(h.db.pool, place);
  admin = await staff(h.db, h.config, 'national_admin');
  countyHead = await staff(h.db, h.config, 'inspection_head', { unit: tree.countyOffices[0] }, { inspectionHead: true });
  topHead = await staff(h.db, h.config, 'inspection_head', { unit: tree.ministry }, { inspectionHead: true });
  supervisor = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: place.provinceId });
  otherSupervisor = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: otherPlace.provinceId });
}, 120_000);
afterAll(() => h.close());

const otpFrom = (text: string) => (text.match(/[۰-۹]{6}/)?.[0] ?? '').replace(/[۰-۹]/g, (d) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(d)));

interface Filed {
  id: string;
  trackingCode: string;
  phone: string;
}

async function file(): Promise<Filed> {
  const phone = mobile();
  const body = complaintBody(tree.organisation.id, place.countyIds[0]!, { contact: { phone, name: 'مریم رضایی' } });
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: body });
  expect(res.statusCode).toBe(201);
  return { ...res.json(), phone: `+98${phone.slice(1)}` };
}

async function act(id: string, who: StaffFixture, payload: Record<string, unknown>) {
  const res = await h.app.inject({ method: 'POST', url: `/api/v1/complaints/${id}/actions`, headers: who.headers, payload });
  expect(res.statusCode, res.body).toBe(200);
}

/** A complaint answered at the top of the agency's tree (moved there by the national centre). */
async function answeredAtTop(): Promise<Filed> {
  const c = await file();
  await act(c.id, admin, { action: 'transfer', toUnitId: tree.ministry.id, reason: 'رسیدگی در ستاد وزارتخانه' });
  await act(c.id, topHead, { action: 'answer', text: 'پاسخ ستاد: موضوع بررسی شد.' });
  return c;
}

async function citizenToken(c: Filed): Promise<string> {
  expect((await h.app.inject({ method: 'POST', url: `/api/v1/track/${c.trackingCode}/otp` })).statusCode).toBe(200);
  const verify = await h.app.inject({
    method: 'POST',
    url: `/api/v1/track/${c.trackingCode}/otp/verify`,
    payload: { otp: otpFrom(h.sms.lastTo(c.phone)!.text) },
  });
  expect(verify.statusCode).toBe(200);
  return verify.json().token;
}

const full = async (c: Filed, token: string) =>
  (await h.app.inject({ url: `/api/v1/track/${c.trackingCode}/full`, headers: { authorization: `Bearer ${token}` } })).json();
const appeal = (c: Filed, token: string | null, payload: unknown = { reason: 'پاسخ ستاد هم مشکل را حل نکرد.' }) =>
  h.app.inject({
    method: 'POST',
    url: `/api/v1/track/${c.trackingCode}/appeal`,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    payload: payload as Record<string, unknown>,
  });
const decide = (id: string, who: StaffFixture, payload: unknown) =>
  h.app.inject({ method: 'POST', url: `/api/v1/complaints/${id}/appeal-decision`, headers: who.headers, payload: payload as Record<string, unknown> });

/** Everything an appeal writes, to prove a refused one wrote nothing. */
async function footprint(id: string) {
  const { rows } = await h.db.pool.query(
    `SELECT (SELECT count(*) FROM complaint_events WHERE complaint_id = $1)::int AS events,
            (SELECT count(*) FROM complaint_appeals WHERE complaint_id = $1)::int AS appeals,
            (SELECT count(*) FROM outbox WHERE complaint_id = $1)::int AS outbox,
            (SELECT count(*) FROM sla_timers WHERE complaint_id = $1)::int AS timers,
            (SELECT status FROM complaints WHERE id = $1) AS status`,
    [id],
  );
  return rows[0];
}

const templates = async (id: string) =>
  (await h.db.pool.query<{ template: string; channel: string }>('SELECT template, channel FROM outbox WHERE complaint_id = $1 ORDER BY id', [id])).rows;

describe('appeal to the provincial supervision group', () => {
  it('is offered and allowed only at the top of the tree, after an answer or rejection', async () => {
    const below = await file();
    await act(below.id, countyHead, { action: 'answer', text: 'پاسخ ادارهٔ شهرستان' });
    const token = await citizenToken(below);
    expect((await full(below, token)).allowedActions).toEqual(['rate']);
    const before = await footprint(below.id);
    const refused = await appeal(below, token);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('appeal_not_top_level');
    expect(refused.json().error.messages.fa).toContain('بالاترین سطح');
    expect(await footprint(below.id)).toEqual(before);

    // At the top, but not yet answered: still with the agency, nothing to appeal.
    const working = await file();
    await act(working.id, admin, { action: 'transfer', toUnitId: tree.ministry.id, reason: 'رسیدگی در ستاد' });
    const t2 = await citizenToken(working);
    expect((await full(working, t2)).allowedActions).toEqual([]);
    expect((await appeal(working, t2)).json().error.code).toBe('invalid_transition');

    const top = await answeredAtTop();
    const t3 = await citizenToken(top);
    expect((await full(top, t3)).allowedActions).toEqual(['rate', 'appeal']);
  });

  it('goes to the supervisors of its province with their own clock and an SMS; a second appeal is refused and writes nothing', async () => {
    const c = await answeredAtTop();
    const token = await citizenToken(c);
    const res = await appeal(c, token);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('appealed');
    const view = await full(c, token);
    expect(view.status).toBe('appealed');
    expect(view.allowedActions).toEqual([]);
    expect(view.timeline.at(-1)).toMatchObject({ type: 'appealed', text: 'پاسخ ستاد هم مشکل را حل نکرد.' });

    // The agency's clocks stop; the supervisors' own starts, its deadline the appeal's.
    const timers = await h.db.pool.query('SELECT kind, due_at AS "dueAt" FROM sla_timers WHERE complaint_id = $1 AND fired_at IS NULL', [c.id]);
    expect(timers.rows.map((r) => r.kind)).toEqual(['appeal']);
    expect(new Date(timers.rows[0].dueAt).toISOString()).toBe(res.json().dueAt);
    const sent = await templates(c.id);
    expect(sent).toContainEqual({ template: 'citizen_appealed', channel: 'sms' });
    expect(sent.filter((r) => r.template === 'staff_appeal_in')).toHaveLength(1);

    const queue = await h.app.inject({ url: '/api/v1/appeals', headers: supervisor.headers });
    expect(queue.json().items.map((i: { trackingCode: string }) => i.trackingCode)).toContain(c.trackingCode);
    const theirs = await h.app.inject({ url: '/api/v1/appeals', headers: otherSupervisor.headers });
    expect(theirs.json().items.map((i: { trackingCode: string }) => i.trackingCode)).not.toContain(c.trackingCode);

    const before = await footprint(c.id);
    const again = await appeal(c, token);
    expect(again.statusCode).toBe(409);
    expect(await footprint(c.id)).toEqual(before);
  });

  it('upheld goes back to the top unit with the directive; answered again, a second appeal is refused', async () => {
    const c = await answeredAtTop();
    const token = await citizenToken(c);
    await appeal(c, token);
    // Agency staff cannot decide, and the supervisors of another province do not even find it.
    expect((await decide(c.id, topHead, { decision: 'uphold', text: 'دوباره بررسی شود' })).statusCode).toBe(403);
    const before = await footprint(c.id);
    const elsewhere = await decide(c.id, otherSupervisor, { decision: 'uphold', text: 'دوباره بررسی شود' });
    expect(elsewhere.statusCode).toBe(404);
    expect(await footprint(c.id)).toEqual(before);

    const staffView = await h.app.inject({ url: `/api/v1/complaints/${c.id}`, headers: supervisor.headers });
    expect(staffView.json().actions).toContain('decide_appeal');
    const upheld = await decide(c.id, supervisor, { decision: 'uphold', text: 'با بازدید میدانی دوباره رسیدگی و پاسخ داده شود.' });
    expect(upheld.statusCode, upheld.body).toBe(200);
    expect(upheld.json()).toEqual({ status: 'referred', decision: 'upheld' });
    const row = (await h.db.pool.query('SELECT unit_id AS "unitId", answer FROM complaints WHERE id = $1', [c.id])).rows[0];
    expect(row).toEqual({ unitId: tree.ministry.id, answer: null });
    expect(await templates(c.id)).toContainEqual({ template: 'citizen_appeal_upheld', channel: 'sms' });
    // Decided once: a second decision is refused.
    expect((await decide(c.id, supervisor, { decision: 'reject', text: 'رد می‌شود' })).statusCode).toBe(409);

    await act(c.id, topHead, { action: 'answer', text: 'پاسخ دوم ستاد پس از بازدید.' });
    const view = await full(c, token);
    expect(view.allowedActions).toEqual(['rate']);
    const before2 = await footprint(c.id);
    const second = await appeal(c, token);
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe('already_appealed');
    expect(second.json().error.messages.en).toContain('only once');
    expect(await footprint(c.id)).toEqual(before2);

    const chain = await h.app.inject({ url: `/api/v1/complaints/${c.id}/verify`, headers: admin.headers });
    expect(chain.json()).toMatchObject({ valid: true, projectionMatches: true });
  });

  it('rejected closes the complaint with the reasons, which the citizen reads; the chain verifies', async () => {
    const c = await answeredAtTop();
    const token = await citizenToken(c);
    await appeal(c, token);
    const rejected = await decide(c.id, supervisor, { decision: 'reject', text: 'پاسخ دستگاه مطابق قانون و کامل است.' });
    expect(rejected.json()).toEqual({ status: 'closed', decision: 'rejected' });
    const view = await full(c, token);
    expect(view).toMatchObject({ status: 'closed', outcome: 'appeal_rejected', allowedActions: [] });
    expect(view.timeline.at(-1)).toMatchObject({ type: 'appeal_rejected', text: 'پاسخ دستگاه مطابق قانون و کامل است.' });
    expect(await templates(c.id)).toContainEqual({ template: 'citizen_appeal_rejected', channel: 'sms' });
    const decided = await h.app.inject({ url: '/api/v1/appeals?decided=true', headers: supervisor.headers });
    expect(decided.json().items.find((i: { trackingCode: string }) => i.trackingCode === c.trackingCode)).toMatchObject({ decision: 'rejected' });
    const chain = await h.app.inject({ url: `/api/v1/complaints/${c.id}/verify`, headers: admin.headers });
    expect(chain.json()).toMatchObject({ valid: true, projectionMatches: true });
  });

  it('its own clock fires: the national centre is told and the supervisors warned, the appeal shows overdue', async () => {
    const c = await answeredAtTop();
    await appeal(c, await citizenToken(c));
    await makeStageDue(h.db.pool, c.id, 'appeal', 'breach');
    for (;;) if ((await sweepOnce(h.db, { settings: { publicUrl: h.config.publicUrl } })).claimed === 0) break;
    const events = await h.db.pool.query("SELECT data FROM complaint_events WHERE complaint_id = $1 AND type = 'sla_breached'", [c.id]);
    expect(events.rows.map((r) => r.data)).toEqual([expect.objectContaining({ kind: 'appeal', toNationalCentre: true, unitId: tree.ministry.id })]);
    // Nothing is held against the agency: the breach is the supervisors'.
    expect((await h.db.pool.query('SELECT 1 FROM sla_breaches WHERE complaint_id = $1', [c.id])).rowCount).toBe(0);
    expect((await templates(c.id)).filter((r) => r.template === 'staff_appeal_overdue')).toHaveLength(1);
    expect((await h.db.pool.query('SELECT status FROM complaints WHERE id = $1', [c.id])).rows[0].status).toBe('appealed');
    // Overdue appeals are the national centre's to see (and decide) too.
    const national = await h.app.inject({ url: '/api/v1/appeals', headers: admin.headers });
    expect(national.json().items.find((i: { trackingCode: string }) => i.trackingCode === c.trackingCode)).toMatchObject({ overdue: true });
    const chain = await h.app.inject({ url: `/api/v1/complaints/${c.id}/verify`, headers: admin.headers });
    expect(chain.json()).toMatchObject({ valid: true, projectionMatches: true });
  });

  it('refuses without the citizen’s token, with another complaint’s token, and bad input — writing nothing', async () => {
    const c = await answeredAtTop();
    const other = await answeredAtTop();
    const otherToken = await citizenToken(other);
    const token = await citizenToken(c);
    const before = await footprint(c.id);
    expect((await appeal(c, null)).statusCode).toBe(401);
    expect((await appeal(c, otherToken)).statusCode).toBe(401);
    expect((await appeal(c, token, { reason: 'نه' })).statusCode).toBe(400);
    expect((await appeal(c, token, { reason: 'دلیل کافی', extra: 1 })).statusCode).toBe(400);
    expect((await appeal(c, token, {})).statusCode).toBe(400);
    expect(await footprint(c.id)).toEqual(before);

    await appeal(c, token);
    const appealed = await footprint(c.id);
    expect((await decide(c.id, supervisor, { decision: 'maybe', text: 'نمی‌دانم' })).statusCode).toBe(400);
    expect((await decide(c.id, supervisor, { decision: 'reject', text: '' })).statusCode).toBe(400);
    expect(await footprint(c.id)).toEqual(appealed);
  });
});
