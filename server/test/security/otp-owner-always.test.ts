import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTree, complaintBody, type Place, places } from '../factories.ts';
import { type Harness, startHarness } from '../harness.ts';

// Finding: an attacker with many addresses could spend a complaint's hourly one-time-code budget
// (and each fresh code's wrong-guess budget), so the owner could not get in for an hour.
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
const wrongFor = (otp: string) => (otp === '000000' ? '111111' : '000000');

async function fileOne() {
  const phone = `0912${Math.floor(1_000_000 + Math.random() * 8_999_999)}`;
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(orgId, place.countyIds[0]!, { contact: { phone } }) });
  return { id: res.json().id as string, code: res.json().trackingCode as string, phone: `+98${phone.slice(1)}` };
}

const ask = (code: string, remoteAddress: string, device?: string) =>
  h.app.inject({ method: 'POST', url: `/api/v1/track/${code}/otp`, remoteAddress, ...(device ? { cookies: { foad_device: device } } : {}) });
const guess = (code: string, otp: string, remoteAddress: string, device?: string) =>
  h.app.inject({
    method: 'POST',
    url: `/api/v1/track/${code}/otp/verify`,
    payload: { otp },
    remoteAddress,
    ...(device ? { cookies: { foad_device: device } } : {}),
  });
const deviceOf = (res: { cookies: { name: string; value: string }[] }) => res.cookies.find((c) => c.name === 'foad_device')?.value;
/** The one-minute cooldown is not what is tested: age the complaint's codes of the last minute past it (once each, so all stay within the hour). */
const age = (id: string) =>
  h.db.pool.query(
    `UPDATE citizen_otps SET created_at = created_at - interval '61 seconds' WHERE complaint_id = $1 AND created_at > now() - interval '61 seconds'`,
    [id],
  );

describe('the owner can always get a one-time code and get in', () => {
  it('a browser gets an httpOnly, SameSite=Strict device cookie with its first code', async () => {
    const c = await fileOne();
    const res = await ask(c.code, OWNER);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((k) => k.name === 'foad_device');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/api/v1/track' });
  });

  it('an attacker from 50 addresses exhausts what they can; the owner’s browser still gets a code and gets in', async () => {
    const c = await fileOne();
    // The owner proved the phone once from this browser (e.g. when they first looked).
    const first = await ask(c.code, OWNER);
    const device = deviceOf(first)!;
    const proved = await guess(c.code, otpFrom(h.sms.lastTo(c.phone)!.text), OWNER, device);
    expect(proved.statusCode, proved.body).toBe(200);

    // 50 addresses, each with a browser of its own and without one: ask for codes, guess wrong.
    const answers: number[] = [];
    for (let i = 0; i < 50; i++) {
      await age(c.id);
      const address = `10.66.${Math.floor(i / 200)}.${i % 200}`;
      const theirs = await ask(c.code, address);
      answers.push(theirs.statusCode);
      const attackerDevice = deviceOf(theirs);
      for (let g = 0; g < 5; g++) {
        await guess(c.code, String(100_000 + i * 10 + g), address, attackerDevice);
        await guess(c.code, String(200_000 + i * 10 + g), address);
      }
      answers.push((await ask(c.code, address, attackerDevice)).statusCode);
    }
    // They spent the shared hourly cap (4 more codes after the owner's first), then were refused.
    expect(answers.filter((s) => s === 200)).toHaveLength(4);
    expect(new Set(answers.filter((s) => s !== 200))).toEqual(new Set([429]));

    // The owner's browser has a budget of its own…
    await age(c.id);
    const again = await ask(c.code, OWNER, device);
    expect(again.statusCode, again.body).toBe(200);
    const otp = otpFrom(h.sms.lastTo(c.phone)!.text);
    // …and the code it got is bound to it: more wrong guesses from other browsers never reach it.
    for (let i = 0; i < 50; i++) {
      expect((await guess(c.code, wrongFor(otp), `10.67.0.${i}`)).statusCode).toBeGreaterThanOrEqual(400);
      expect((await guess(c.code, wrongFor(otp), `10.67.1.${i}`, `forged-${i}`)).statusCode).toBeGreaterThanOrEqual(400);
    }
    const { rows } = await h.db.pool.query('SELECT attempts FROM citizen_otps WHERE complaint_id = $1 AND owner_budget ORDER BY created_at DESC LIMIT 1', [
      c.id,
    ]);
    expect(rows[0].attempts).toBe(0);
    const owner = await guess(c.code, otp, OWNER, device);
    expect(owner.statusCode, owner.body).toBe(200);
  });

  it('a code bound to one browser does not open from another, even with the right digits', async () => {
    const c = await fileOne();
    const device = deviceOf(await ask(c.code, OWNER))!;
    await age(c.id);
    expect((await ask(c.code, OWNER, device)).statusCode).toBe(200);
    const otp = otpFrom(h.sms.lastTo(c.phone)!.text);
    expect((await guess(c.code, otp, '10.68.0.1', 'another-browser')).json().error.code).toBe('invalid_otp');
    expect((await guess(c.code, otp, OWNER, device)).statusCode).toBe(200);
  });
});
