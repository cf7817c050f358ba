import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '../../src/auth/create-staff.ts';
import { setTotp } from '../../src/auth/store.ts';
import { type Harness, startHarness } from '../harness.ts';

// Finding: a staff TOTP code could be used again within its 30-second window, so a code seen over
// a shoulder (or in a proxy's log) opened a second session.
let h: Harness;
const PASSWORD = 'a-long-password-totp';
const SECRET = new OTPAuth.Secret({ size: 20 }).base32;
const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(SECRET), digits: 6, period: 30 });
const ids: Record<string, number> = {};

beforeAll(async () => {
  h = await startHarness();
  for (const username of ['replay.one', 'replay.two', 'replay.three', 'replay.four']) {
    ids[username] = await createStaff(h.db.pool, {
      username,
      displayName: 'کارشناس',
      password: PASSWORD,
      role: 'national_admin',
      unitId: null,
      provinceId: null,
      language: 'fa',
    });
    await setTotp(h.db.pool, ids[username]!, SECRET, true);
  }
});
afterAll(() => h.close());

const login = (username: string, code: string, remoteAddress = '10.9.0.1') =>
  h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD, totp: code }, remoteAddress });
const sessions = async (id: number) => (await h.db.pool.query('SELECT count(*)::int AS n FROM staff_sessions WHERE user_id = $1', [id])).rows[0].n;

describe('a staff TOTP code is accepted once', () => {
  it('the same code a second time is refused; the next step’s code works', async () => {
    const now = Date.now();
    const code = totp.generate({ timestamp: now });
    expect((await login('replay.one', code)).statusCode).toBe(200);
    const again = await login('replay.one', code, '10.9.0.2');
    expect(again.statusCode).toBe(401);
    expect(again.json().error.code).toBe('invalid_totp');
    // The previous step's code is still inside the drift window, but older than the one used.
    expect((await login('replay.one', totp.generate({ timestamp: now - 30_000 }))).json().error.code).toBe('invalid_totp');
    expect(await sessions(ids['replay.one']!)).toBe(1);
    expect((await login('replay.one', totp.generate({ timestamp: now + 30_000 }))).statusCode).toBe(200);
    expect(await sessions(ids['replay.one']!)).toBe(2);
  });

  it('two sign-ins racing with the same code: exactly one wins', async () => {
    const code = totp.generate();
    const answers = await Promise.all([login('replay.two', code, '10.9.1.1'), login('replay.two', code, '10.9.1.2'), login('replay.two', code, '10.9.1.3')]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 401, 401]);
    expect(await sessions(ids['replay.two']!)).toBe(1);
  });

  it('the claim is one conditional UPDATE: concurrent claims of one step in the database, one winner', async () => {
    const { claimTotpStep } = await import('../../src/auth/store.ts');
    const step = Math.floor(Date.now() / 30_000);
    const won = await Promise.all(Array.from({ length: 6 }, () => claimTotpStep(h.db.pool, ids['replay.three']!, step)));
    expect(won.filter(Boolean)).toHaveLength(1);
    expect(await claimTotpStep(h.db.pool, ids['replay.three']!, step - 1)).toBe(false);
    expect(await claimTotpStep(h.db.pool, ids['replay.three']!, step + 1)).toBe(true);
  });

  it('the code given to replace the secret is spent too: it cannot then sign in', async () => {
    const now = Date.now();
    const session = await login('replay.four', totp.generate({ timestamp: now + 30_000 }));
    expect(session.statusCode).toBe(200);
    // The session was opened with the next step's code; the current one is older: refused.
    const stale = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/totp/setup',
      headers: { authorization: `Bearer ${session.json().token}` },
      payload: { currentCode: totp.generate({ timestamp: now }) },
    });
    expect(stale.json().error.code).toBe('invalid_totp');
  });
});
