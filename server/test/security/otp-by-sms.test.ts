import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSmsWebhook } from '../../src/channels/sms/routes.ts';
import { dispatchOnce } from '../../src/notifications/dispatcher.ts';
import { type Harness, startHarness } from '../harness.ts';

// Finding: a citizen who never verified from a browser (e.g. filed by SMS) could be kept out of
// the one-time-code sign-in for an hour by someone spending the complaint's shared hourly cap.
// Fix: the citizen texts «کد» from the complaint's phone and gets a code by SMS, outside that cap
// and with a guess budget others cannot spend. Everything below goes through the signed SMS
// webhook, the outbox and the dispatcher, and the tracking page's real endpoints.
const SECRET = 'test-webhook-secret-otp-by-sms-0123';
const PHONE = '09121234567';
const E164 = '+989121234567';
const OWNER = '10.9.9.9';
let h: Harness;
let trackingCode: string;
let complaintId: string;
let message = 0;

beforeAll(async () => {
  h = await startHarness({ SMS_WEBHOOK_SECRET: SECRET });
});
afterAll(() => h.close());

function text(from: string, body: string, messageId = `gw-otp-${++message}`) {
  const raw = JSON.stringify({ from, text: body, messageId });
  const timestamp = String(Math.floor(Date.now() / 1000));
  return h.app.inject({
    method: 'POST',
    url: '/api/v1/channels/sms/inbound',
    headers: { 'content-type': 'application/json', 'x-foad-timestamp': timestamp, 'x-foad-signature': `sha256=${signSmsWebhook(SECRET, timestamp, raw)}` },
    payload: raw,
  });
}
const ask = (remoteAddress: string, device?: string) =>
  h.app.inject({ method: 'POST', url: `/api/v1/track/${trackingCode}/otp`, remoteAddress, ...(device ? { cookies: { foad_device: device } } : {}) });
const guess = (otp: string, remoteAddress: string, device?: string) =>
  h.app.inject({
    method: 'POST',
    url: `/api/v1/track/${trackingCode}/otp/verify`,
    payload: { otp },
    remoteAddress,
    ...(device ? { cookies: { foad_device: device } } : {}),
  });
const deviceOf = (res: { cookies: { name: string; value: string }[] }) => res.cookies.find((c) => c.name === 'foad_device')?.value;
const otpFrom = (body: string) => (body.match(/[۰-۹]{6}/)?.[0] ?? '').replace(/[۰-۹]/g, (d) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(d)));
const wrongFor = (otp: string, i: number) => String((Number(otp) + 1 + i) % 1_000_000).padStart(6, '0');
const age = () =>
  h.db.pool.query(
    `UPDATE citizen_otps SET created_at = created_at - interval '61 seconds' WHERE complaint_id = $1 AND created_at > now() - interval '61 seconds'`,
    [complaintId],
  );
const smsCodes = async () =>
  (await h.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM citizen_otps WHERE complaint_id = $1 AND device_hash = 'sms'`, [complaintId])).rows[0]!
    .n;

describe('a citizen who never verified from a browser asks for a code by SMS', () => {
  it('files by SMS, the shared cap is exhausted by others, the text «کد» still gets a code and the citizen signs in', async () => {
    const filed = await text(PHONE, 'سلام. امروز صبح به ادارهٔ ثبت احوال ملایر رفتم؛ کارمند باجهٔ دو سر کار نبود و کسی هم جوابگو نبود.');
    expect(filed.json().result).toBe('filed');
    trackingCode = filed.json().trackingCode;
    complaintId = (await h.db.pool.query('SELECT id FROM complaints WHERE tracking_code = $1', [trackingCode])).rows[0].id;

    // An attacker from 30 addresses spends the shared hourly cap and guesses wrong.
    const answers: number[] = [];
    for (let i = 0; i < 30; i++) {
      await age();
      const address = `10.70.0.${i}`;
      const theirs = await ask(address);
      answers.push(theirs.statusCode);
      for (let g = 0; g < 3; g++) await guess(String(300_000 + i * 10 + g), address, deviceOf(theirs));
    }
    expect(answers.filter((s) => s === 200)).toHaveLength(5);
    // The citizen's browser, never verified, is refused like everyone else.
    await age();
    const refused = await ask(OWNER);
    expect(refused.statusCode).toBe(429);
    const browser = deviceOf(refused);

    // The citizen texts «کد» from the phone: a code comes back by SMS, through the outbox.
    const asked = await text(PHONE, 'کد', 'gw-otp-keyword');
    expect(asked.json()).toEqual({ result: 'otp' });
    // The operator redelivers the same text: nothing is issued twice.
    expect((await text(PHONE, 'کد', 'gw-otp-keyword')).json()).toEqual({ result: 'otp' });
    expect(await smsCodes()).toBe(1);
    await dispatchOnce(h.db, { providers: { sms: h.sms } });
    const sms = h.sms.lastTo(E164)!;
    expect(sms.text).toContain('رمز یک‌بار مصرف');
    const otp = otpFrom(sms.text);
    expect(otp).toMatch(/^\d{6}$/);

    // More wrong guesses than any code's shared budget (15), from other addresses and browsers.
    for (let i = 0; i < 8; i++) {
      for (let g = 0; g < 3; g++) {
        expect((await guess(wrongFor(otp, i * 10 + g), `10.71.0.${i}`)).statusCode).toBeGreaterThanOrEqual(400);
        expect((await guess(wrongFor(otp, i * 10 + g + 5), `10.71.1.${i}`, `forged-${i}`)).statusCode).toBeGreaterThanOrEqual(400);
      }
    }

    // The citizen types the code on the tracking page and is in.
    const signedIn = await guess(otp, OWNER, browser);
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    const full = await h.app.inject({ url: `/api/v1/track/${trackingCode}/full`, headers: { authorization: `Bearer ${signedIn.json().token}` } });
    expect(full.statusCode).toBe(200);
    expect(full.json().trackingCode).toBe(trackingCode);
    // Single use.
    expect((await guess(otp, OWNER, browser)).statusCode).toBeGreaterThanOrEqual(400);
  });

  it('another phone gets no code, even with the tracking code; the phone’s own budget is five an hour', async () => {
    const other = await text('09127654321', `رمز ${trackingCode}`);
    expect(other.json()).toEqual({ result: 'otp' });
    const reply = (await h.db.pool.query(`SELECT body, complaint_id FROM outbox WHERE delivery_key = $1`, [`http:gw-otp-${message}:otp`])).rows[0];
    expect(reply).toMatchObject({ complaint_id: null });
    expect(reply.body).toContain('پیدا نشد');
    expect(await smsCodes()).toBe(1);

    for (let i = 0; i < 5; i++) await text(PHONE, `code ${trackingCode}`);
    expect(await smsCodes()).toBe(5);
    const last = (await h.db.pool.query(`SELECT body FROM outbox WHERE delivery_key = $1`, [`http:gw-otp-${message}:otp`])).rows[0];
    expect(last.body).toContain('کمی بعد');
  });

  it('«کد» before a tracking code is still a status question', async () => {
    expect((await text(PHONE, `کد ${trackingCode}`)).json()).toMatchObject({ result: 'status', trackingCode });
  });
});
