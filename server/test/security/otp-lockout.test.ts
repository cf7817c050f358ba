import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTree, complaintBody, type Place, places } from '../factories.ts';
import { type Harness, startHarness } from '../harness.ts';

// Finding: wrong one-time-code guesses by anyone locked the real citizen out for an hour.
let h: Harness;
let place: Place;
let orgId: number;

beforeAll(async () => {
  h = await startHarness();
  [place] = (await places(h.db.pool)) as [Place];
  orgId = (await buildTree(h.db.pool, place)).organisation.id;
});
afterAll(() => h.close());

const OWNER = '10.1.1.1';
const otpFrom = (text: string) => (text.match(/[۰-۹]{6}/)?.[0] ?? '').replace(/[۰-۹]/g, (d) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(d)));

async function fileOne() {
  const phone = `0912${Math.floor(1_000_000 + Math.random() * 8_999_999)}`;
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/complaints',
    payload: complaintBody(orgId, place.countyIds[0]!, { contact: { phone, name: 'زهرا احمدی' } }),
  });
  return { id: res.json().id as string, code: res.json().trackingCode as string, phone: `+98${phone.slice(1)}` };
}

async function sendCode(c: { id: string; code: string; phone: string }) {
  // The one-minute cooldown between codes is not what is tested here: age the earlier codes.
  await h.db.pool.query(`UPDATE citizen_otps SET created_at = created_at - interval '2 minutes' WHERE complaint_id = $1`, [c.id]);
  expect((await h.app.inject({ method: 'POST', url: `/api/v1/track/${c.code}/otp`, remoteAddress: OWNER })).statusCode).toBe(200);
  return otpFrom(h.sms.lastTo(c.phone)!.text);
}

const guess = (code: string, otp: string, remoteAddress: string) =>
  h.app.inject({ method: 'POST', url: `/api/v1/track/${code}/otp/verify`, payload: { otp }, remoteAddress });
const wrongFor = (otp: string) => (otp === '000000' ? '111111' : '000000');

describe('one-time codes: an attacker cannot lock the owner out', () => {
  it('another address’s wrong guesses leave the owner’s code usable', async () => {
    const c = await fileOne();
    const otp = await sendCode(c);
    for (let i = 0; i < 5; i++) expect((await guess(c.code, wrongFor(otp), '10.6.6.6')).json().error.code).toBe('invalid_otp');
    const owner = await guess(c.code, otp, OWNER);
    expect(owner.statusCode, owner.body).toBe(200);
  });

  it('many wrong guesses at a complaint do not stop a fresh code from working', async () => {
    const c = await fileOne();
    // Ten wrong guesses over two codes from three addresses (before, they locked the complaint for an hour).
    for (let round = 0; round < 2; round++) {
      const otp = await sendCode(c);
      for (let i = 0; i < 5; i++) await guess(c.code, wrongFor(otp), `10.7.0.${i % 3}`);
    }
    const otp = await sendCode(c);
    const owner = await guess(c.code, otp, OWNER);
    expect(owner.statusCode, owner.body).toBe(200);
  });

  it('the guessing address is throttled across complaints; the owner is not', async () => {
    const attacker = '10.8.8.8';
    const targets = [await fileOne(), await fileOne(), await fileOne(), await fileOne(), await fileOne()];
    const codes = [];
    for (const t of targets) codes.push(await sendCode(t));
    const answers = [];
    for (const [i, t] of targets.entries()) for (let k = 0; k < 4; k++) answers.push((await guess(t.code, wrongFor(codes[i]!), attacker)).statusCode);
    expect(answers.every((s) => s === 401)).toBe(true);
    // The 21st wrong guess in the hour from that address is refused before any code is checked.
    const next = await guess(targets[0]!.code, codes[0]!, attacker);
    expect(next.statusCode).toBe(429);
    expect(next.json().error.code).toBe('rate_limited');
    expect((await guess(targets[0]!.code, codes[0]!, OWNER)).statusCode).toBe(200);
  });

  it('a code’s total guesses are bounded across addresses, and each address gets five', async () => {
    const c = await fileOne();
    const otp = await sendCode(c);
    for (let i = 0; i < 5; i++) await guess(c.code, wrongFor(otp), '10.9.0.1');
    // A sixth from the same address is refused even when it is right: that address has used its tries.
    expect((await guess(c.code, otp, '10.9.0.1')).statusCode).toBe(401);
    for (let i = 0; i < 10; i++) await guess(c.code, wrongFor(otp), `10.9.1.${i % 2}`);
    // Fifteen wrong guesses in all spend the code for everyone; a new one is sent to the phone.
    expect((await guess(c.code, otp, OWNER)).statusCode).toBe(401);
    const { rows } = await h.db.pool.query(
      'SELECT count(*)::int AS n, count(DISTINCT address)::int AS addresses FROM otp_wrong_guesses WHERE complaint_id = $1',
      [c.id],
    );
    expect(rows[0]).toEqual({ n: 15, addresses: 3 });
    const fresh = await sendCode(c);
    expect((await guess(c.code, fresh, OWNER)).statusCode).toBe(200);
  });
});
