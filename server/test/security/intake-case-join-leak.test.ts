import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTree, complaintBody, mobile, type Place, places, type StaffFixture, staff, type Tree } from '../factories.ts';
import { type Harness, startHarness } from '../harness.ts';

/**
 * Issue 11, "case joining hands out someone else's complaint": an anonymous POST /complaints with
 * a victim's phone and an agency id used to answer with the victim's case (its tracking code,
 * even when confidential) and append the attacker's text to it. Every submission now gets its
 * own code; the link to the open case is internal.
 */
let h: Harness;
let place: Place;
let tree: Tree;
let other: Tree;
let admin: StaffFixture;
let stranger: StaffFixture;

beforeAll(async () => {
  h = await startHarness({ CASE_JOIN_HOURS: '72' });
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place, 'سازمان قربانی');
  other = await buildTree(h.db.pool, place, 'سازمان دیگر');
  admin = await staff(h.db, h.config, 'national_admin');
  stranger = await staff(h.db, h.config, 'inspection_head', { unit: other.directorate }, { inspectionHead: true });
});
afterAll(() => h.close());

const ATTACKER_TEXT = 'متن مهاجم که نباید به پروندهٔ کس دیگری افزوده شود.';
const post = (payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
  h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload, headers });
const asE164 = (phone: string) => `+98${phone.slice(1)}`;
const otpFrom = (text: string) => (text.match(/[۰-۹]{6}/)?.[0] ?? '').replace(/[۰-۹]/g, (d) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(d)));
/** Header names that may differ between any two answers whatever they say. */
const VOLATILE = new Set(['date', 'content-length', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-request-id']);
const headerNames = (headers: Record<string, unknown>) =>
  Object.keys(headers)
    .filter((n) => !VOLATILE.has(n))
    .sort();

async function victimCase() {
  const phone = mobile();
  const res = await post(complaintBody(tree.organisation.id, place.countyIds[0]!, { contact: { phone, name: 'قربانی' }, confidential: true }));
  expect(res.statusCode).toBe(201);
  return { ...(res.json() as { id: string; trackingCode: string }), phone };
}

describe('an anonymous submission with someone else’s phone', () => {
  it('gets its own tracking code, and its answer is shaped exactly like one with a fresh phone', async () => {
    const victim = await victimCase();
    const attack = await post(complaintBody(tree.organisation.id, place.countyIds[0]!, { contact: { phone: victim.phone }, description: ATTACKER_TEXT }));
    const control = await post(complaintBody(tree.organisation.id, place.countyIds[0]!, { description: ATTACKER_TEXT }));
    expect(attack.statusCode).toBe(201);
    expect(attack.statusCode).toBe(control.statusCode);
    expect(attack.json().trackingCode).not.toBe(victim.trackingCode);
    expect(attack.json().id).not.toBe(victim.id);
    expect(attack.body).not.toContain(victim.trackingCode);
    expect(attack.body).not.toContain(victim.id);
    expect(Object.keys(attack.json()).sort()).toEqual(Object.keys(control.json()).sort());
    expect(headerNames(attack.headers)).toEqual(headerNames(control.headers));
    // Nothing of the attacker's reaches the victim's case: not its text, not its code.
    const victimRow = (await h.db.pool.query('SELECT description, status FROM complaints WHERE id = $1', [victim.id])).rows[0];
    expect(victimRow.description).not.toContain(ATTACKER_TEXT);
    const victimEvents = JSON.stringify((await h.db.pool.query('SELECT type, data FROM complaint_events WHERE complaint_id = $1', [victim.id])).rows);
    expect(victimEvents).not.toContain(ATTACKER_TEXT);
    expect(victimEvents).not.toContain(attack.json().trackingCode);
    // The public status of the attacker's own code says nothing about the case either.
    const status = await h.app.inject({ url: `/api/v1/track/${attack.json().trackingCode}` });
    expect(status.statusCode).toBe(200);
    expect(status.body).not.toContain(victim.trackingCode);
    expect(status.body).not.toContain('linked');
  });

  it('is linked internally: staff in scope see the link on both, others see neither; the citizen sees it after the one-time code', async () => {
    const victim = await victimCase();
    const attack = (
      await post(complaintBody(tree.organisation.id, place.countyIds[1]!, { contact: { phone: victim.phone }, description: ATTACKER_TEXT }))
    ).json();
    const detail = async (id: string, who: StaffFixture) => h.app.inject({ url: `/api/v1/complaints/${id}`, headers: who.headers });
    expect((await detail(victim.id, admin)).json().linkedComplaints).toEqual([{ id: attack.id, trackingCode: attack.trackingCode }]);
    expect((await detail(attack.id, admin)).json().linkedCase).toEqual({ id: victim.id, trackingCode: victim.trackingCode });
    expect((await detail(victim.id, stranger)).statusCode).toBe(404);

    // The one-time code goes to the phone, which only its owner holds; after it, the link shows.
    await h.app.inject({ method: 'POST', url: `/api/v1/track/${attack.trackingCode}/otp` });
    const verified = await h.app.inject({
      method: 'POST',
      url: `/api/v1/track/${attack.trackingCode}/otp/verify`,
      payload: { otp: otpFrom(h.sms.lastTo(asE164(victim.phone))!.text) },
    });
    const full = await h.app.inject({ url: `/api/v1/track/${attack.trackingCode}/full`, headers: { authorization: `Bearer ${verified.json().token}` } });
    expect(full.statusCode).toBe(200);
    expect(full.json().linkedCase).toEqual({ id: victim.id, trackingCode: victim.trackingCode });
  });

  it('a signed-in operator (128 staff) is told the caller’s open case; the complaint is still a new one', async () => {
    const victim = await victimCase();
    const operator = await staff(h.db, h.config, 'operator');
    const call = await post(complaintBody(tree.organisation.id, place.countyIds[0]!, { contact: { phone: victim.phone }, channel: 'phone' }), operator.headers);
    expect(call.statusCode).toBe(201);
    expect(call.json().trackingCode).not.toBe(victim.trackingCode);
    expect(call.json().linkedCase).toEqual({ id: victim.id, trackingCode: victim.trackingCode });
  });
});

describe('concurrent identical submissions give one outcome', () => {
  it('10 at once without a key: 10 complaints of their own, one case, the other 9 linked to it', async () => {
    const body = complaintBody(tree.organisation.id, place.countyIds[0]!, { contact: { phone: mobile() } });
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(body)));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(10).fill(201));
    const codes = answers.map((a) => a.json().trackingCode as string);
    expect(new Set(codes).size).toBe(10);
    const { rows } = await h.db.pool.query<{ id: string; caseOfId: string | null }>(
      'SELECT id, case_of_id AS "caseOfId" FROM complaints WHERE tracking_code = ANY($1)',
      [codes],
    );
    const roots = rows.filter((r) => r.caseOfId === null);
    expect(roots).toHaveLength(1);
    expect(rows.filter((r) => r.caseOfId === roots[0]!.id)).toHaveLength(9);
  });

  it('10 at once with one idempotency key: one complaint, the same answer to all', async () => {
    const body = complaintBody(tree.organisation.id, place.countyIds[0]!, { contact: { phone: mobile() } });
    const key = `same-key-${Date.now()}`;
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(body, { 'idempotency-key': key })));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(10).fill(201));
    expect(new Set(answers.map((a) => a.json().trackingCode)).size).toBe(1);
    const { rows } = await h.db.pool.query('SELECT count(*)::int AS n FROM complainant_contacts WHERE phone = $1', [asE164(body.contact.phone)]);
    expect(rows[0].n).toBe(1);
  });
});
