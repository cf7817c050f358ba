import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchOnce } from '../src/notifications/dispatcher.ts';
import { buildTree, complaintBody, type Place, places, type StaffFixture, staff, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

let h: Harness;
let place: Place;
let tree: Tree;
let head: StaffFixture;
let otherHead: StaffFixture;

beforeAll(async () => {
  h = await startHarness();
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place);
  head = await staff(h.db, h.config, 'inspection_head', { unit: tree.countyOffices[0] }, { inspectionHead: true });
  otherHead = await staff(h.db, h.config, 'inspection_head', { unit: tree.countyOffices[1] }, { inspectionHead: true });
}, 120_000);
afterAll(() => h.close());

const HEAD_PHONE = '+989351112233';
const put = (who: StaffFixture, payload: Record<string, unknown>) =>
  h.app.inject({ method: 'PUT', url: '/api/v1/notifications/settings', headers: who.headers, payload });
const get = async (who: StaffFixture) => (await h.app.inject({ url: '/api/v1/notifications/settings', headers: who.headers })).json();

async function file(): Promise<string> {
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(tree.organisation.id, place.countyIds[0]!) });
  expect(res.statusCode).toBe(201);
  return res.json().id;
}

const alertRows = async (id: string) =>
  (
    await h.db.pool.query<{ id: number; channel: string; address: string | null; sendAfter: Date; status: string }>(
      `SELECT id, channel, recipient_address AS address, next_attempt_at AS "sendAfter", status FROM outbox
       WHERE complaint_id = $1 AND template = 'staff_new_referral' AND recipient_user_id = $2 ORDER BY id`,
      [id, head.id],
    )
  ).rows;

/** "HH:MM" in Tehran, `minutes` from now. */
function tehranClock(minutes: number): string {
  const at = new Date(Date.now() + minutes * 60_000);
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tehran', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}

describe('staff alerts with quiet hours', () => {
  it('settings are each person’s own; bad input is refused and changes nothing', async () => {
    expect(await get(head)).toEqual({ channel: 'web', address: null, quietStart: null, quietEnd: null, urgentOverrides: true });
    const saved = await put(head, { channel: 'sms', address: '۰۹۳۵۱۱۱۲۲۳۳', quietStart: null, quietEnd: null, urgentOverrides: true });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ channel: 'sms', address: HEAD_PHONE });
    // Another person's settings are not touched (there is no way to name anyone else).
    expect(await get(otherHead)).toMatchObject({ channel: 'web', address: null });
    expect((await put(otherHead, { channel: 'sms', address: '12345', quietStart: null, quietEnd: null, urgentOverrides: true })).statusCode).toBe(400);
    expect((await put(otherHead, { channel: 'sms', address: HEAD_PHONE, quietStart: '22:00', quietEnd: null, urgentOverrides: true })).statusCode).toBe(400);
    expect((await put(otherHead, { channel: 'bale', address: 'abc', quietStart: null, quietEnd: null, urgentOverrides: true })).statusCode).toBe(400);
    expect((await put(otherHead, { channel: 'sms', address: HEAD_PHONE, quietStart: '25:00', quietEnd: '07:00', urgentOverrides: true })).statusCode).toBe(400);
    expect(
      (await put(otherHead, { channel: 'sms', address: HEAD_PHONE, userId: head.id, quietStart: null, quietEnd: null, urgentOverrides: true })).statusCode,
    ).toBe(400);
    expect(await get(otherHead)).toMatchObject({ channel: 'web', address: null });
    const count = await h.db.pool.query('SELECT count(*)::int AS n FROM staff_alert_settings');
    expect(count.rows[0].n).toBe(1);
    expect((await h.app.inject({ url: '/api/v1/notifications/settings' })).statusCode).toBe(401);
  });

  it('a new referral reaches the unit’s inspection head at once by their channel, beside the in-app message', async () => {
    await put(head, { channel: 'sms', address: HEAD_PHONE, quietStart: null, quietEnd: null, urgentOverrides: true });
    const id = await file();
    const rows = await alertRows(id);
    expect(rows.map((r) => [r.channel, r.address])).toEqual([
      ['web', null],
      ['sms', HEAD_PHONE],
    ]);
    await dispatchOnce(h.db, { providers: { sms: h.sms } });
    expect(h.sms.lastTo(HEAD_PHONE)?.text).toContain('شکایت تازه');
  });

  it('in quiet hours it is held until they end, then sent', async () => {
    // A quiet window from an hour ago to two hours from now, Tehran time.
    const [start, end] = [tehranClock(-60), tehranClock(120)];
    await put(head, { channel: 'sms', address: HEAD_PHONE, quietStart: start, quietEnd: end, urgentOverrides: true });
    const before = h.sms.sent.filter((m) => m.to === HEAD_PHONE).length;
    const id = await file();
    const sms = (await alertRows(id)).find((r) => r.channel === 'sms')!;
    // Held to the end of the window: later than now, at the window's end in Tehran time.
    expect(sms.sendAfter.getTime()).toBeGreaterThan(Date.now() + 60 * 60_000);
    expect(tehranClock((sms.sendAfter.getTime() - Date.now()) / 60_000)).toBe(end);

    // Now: the citizen's messages go, the head's alert waits.
    await dispatchOnce(h.db, { providers: { sms: h.sms } });
    expect(h.sms.sent.filter((m) => m.to === HEAD_PHONE)).toHaveLength(before);
    expect((await alertRows(id)).find((r) => r.channel === 'sms')!.status).toBe('pending');
    // The quiet hours end: it is sent.
    await dispatchOnce(h.db, { providers: { sms: h.sms }, now: sms.sendAfter });
    expect(h.sms.sent.filter((m) => m.to === HEAD_PHONE)).toHaveLength(before + 1);
    expect((await alertRows(id)).find((r) => r.channel === 'sms')!.status).toBe('sent');
  });
});
