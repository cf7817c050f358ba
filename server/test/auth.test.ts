import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '../src/auth/create-staff.ts';
import { type Harness, startHarness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await createStaff(h.db.pool, {
    username: 'ops.one',
    displayName: 'اپراتور یک',
    password: 'a-long-password-1',
    role: 'auditor',
    unitId: null,
    provinceId: null,
    language: 'fa',
  });
  await createStaff(h.db.pool, {
    username: 'ops.two',
    displayName: 'اپراتور دو',
    password: 'a-long-password-2',
    role: 'auditor',
    unitId: null,
    provinceId: null,
    language: 'en',
  });
  await createStaff(h.db.pool, {
    username: 'ops.three',
    displayName: 'اپراتور سه',
    password: 'a-long-password-3',
    role: 'auditor',
    unitId: null,
    provinceId: null,
    language: 'fa',
  });
});
afterAll(() => h.close());

const login = (payload: Record<string, string>) => h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload });

describe('staff sign-in', () => {
  it('stores argon2id hashes, never the password', async () => {
    const { rows } = await h.db.pool.query("SELECT password_hash FROM staff_users WHERE username = 'ops.one'");
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);
    expect(rows[0].password_hash).not.toContain('a-long-password-1');
  });

  it('signs in with a password: an HttpOnly, SameSite=Strict cookie and a bearer token that both work', async () => {
    const res = await login({ username: 'OPS.ONE', password: 'a-long-password-1' });
    expect(res.statusCode).toBe(200);
    const session = res.cookies.find((c) => c.name === 'foad_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
    // Beside it, a readable hint with nothing secret, so citizens' pages never ask /auth/me.
    expect(res.cookies.find((c) => c.name === 'foad_staff')).toMatchObject({ value: '1', sameSite: 'Strict' });
    expect(res.cookies.find((c) => c.name === 'foad_staff')?.httpOnly).toBeFalsy();
    expect(res.json().user).toMatchObject({ username: 'ops.one', role: 'auditor' });
    const byCookie = await h.app.inject({ url: '/api/v1/auth/me', cookies: { foad_session: res.json().token } });
    expect(byCookie.json().username).toBe('ops.one');
    const byBearer = await h.app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${res.json().token}` } });
    expect(byBearer.json().username).toBe('ops.one');
    const stored = await h.db.pool.query('SELECT token_hash FROM staff_sessions');
    expect(stored.rows.map((r) => r.token_hash)).not.toContain(res.json().token);
  });

  it('refuses a wrong password or an unknown user with the same error, in Persian or English', async () => {
    const wrong = await login({ username: 'ops.one', password: 'wrong-password' });
    const unknown = await login({ username: 'nobody.here', password: 'wrong-password' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('invalid_credentials');
    expect(unknown.json().error).toEqual(wrong.json().error);
    expect(wrong.json().error.message).toBe('نام کاربری یا گذرواژه درست نیست.');
    const english = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'accept-language': 'en-US' },
      payload: { username: 'x', password: 'y' },
    });
    expect(english.json().error.message).toBe('Wrong username or password.');
  });

  it('after five failures that address waits, even with the right password; the account is not locked', async () => {
    for (let i = 0; i < 5; i++) expect((await login({ username: 'ops.three', password: `bad-${i}` })).statusCode).toBe(401);
    const waiting = await login({ username: 'ops.three', password: 'a-long-password-3' });
    expect(waiting.statusCode).toBe(429);
    expect(waiting.json().error.code).toBe('rate_limited');
    const elsewhere = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'ops.three', password: 'a-long-password-3' },
      remoteAddress: '10.0.0.3',
    });
    expect(elsewhere.statusCode).toBe(200);
  });

  it('requires the TOTP code once two-factor is enabled', async () => {
    const first = await login({ username: 'ops.two', password: 'a-long-password-2' });
    const auth = { authorization: `Bearer ${first.json().token}` };
    const setup = await h.app.inject({ method: 'POST', url: '/api/v1/auth/totp/setup', headers: auth, payload: {} });
    expect(setup.statusCode, setup.body).toBe(200);
    const { secret, uri } = setup.json();
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 });
    expect(
      (
        await h.app.inject({
          method: 'POST',
          url: '/api/v1/auth/totp/enable',
          headers: auth,
          payload: { code: '000000' === totp.generate() ? '111111' : '000000' },
        })
      ).statusCode,
    ).toBe(401);
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/auth/totp/enable', headers: auth, payload: { code: totp.generate() } })).statusCode).toBe(204);

    const without = await login({ username: 'ops.two', password: 'a-long-password-2' });
    expect(without.json().error.code).toBe('totp_required');
    const wrong = await login({ username: 'ops.two', password: 'a-long-password-2', totp: totp.generate() === '123456' ? '654321' : '123456' });
    expect(wrong.json().error.code).toBe('invalid_totp');
    // The code that turned TOTP on is spent: sign in with the next step's (inside the drift window).
    const persianDigits = totp.generate({ timestamp: Date.now() + 30_000 }).replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!);
    const ok = await login({ username: 'ops.two', password: 'a-long-password-2', totp: persianDigits });
    expect(ok.statusCode).toBe(200);

    // A stolen session cannot quietly replace (and so switch off) the second factor.
    const hijack = await h.app.inject({ method: 'POST', url: '/api/v1/auth/totp/setup', headers: { authorization: `Bearer ${ok.json().token}` }, payload: {} });
    expect(hijack.json().error.code).toBe('totp_required');
    const stillRequired = await login({ username: 'ops.two', password: 'a-long-password-2' });
    expect(stillRequired.json().error.code).toBe('totp_required');
  });

  it('logs out: the token stops working', async () => {
    const res = await login({ username: 'ops.one', password: 'a-long-password-1' });
    const auth = { authorization: `Bearer ${res.json().token}` };
    const out = await h.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: auth });
    expect(out.statusCode).toBe(204);
    // Both cookies are cleared: the session and the signed-in hint.
    expect(
      out.cookies
        .filter((c) => ['foad_session', 'foad_staff'].includes(c.name) && c.value === '')
        .map((c) => c.name)
        .sort(),
    ).toEqual(['foad_session', 'foad_staff']);
    const me = await h.app.inject({ url: '/api/v1/auth/me', headers: auth });
    expect(me.statusCode).toBe(401);
    expect(me.json().error.code).toBe('unauthenticated');
  });

  it('a deactivated user’s sessions end at once', async () => {
    const admin = await createStaff(h.db.pool, {
      username: 'root.admin',
      displayName: 'مدیر',
      password: 'a-long-password-9',
      role: 'national_admin',
      unitId: null,
      provinceId: null,
      language: 'fa',
    });
    // The national admin must have TOTP: enrol, then sign in with the first code.
    const enrolled = (
      await h.app.inject({ method: 'POST', url: '/api/v1/auth/totp/enrol', payload: { username: 'root.admin', password: 'a-long-password-9' } })
    ).json();
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(enrolled.secret), digits: 6, period: 30 }).generate();
    const adminToken = (await login({ username: 'root.admin', password: 'a-long-password-9', totp })).json().token;
    const victim = await login({ username: 'ops.one', password: 'a-long-password-1' });
    const { rows } = await h.db.pool.query("SELECT id FROM staff_users WHERE username = 'ops.one'");
    const off = await h.app.inject({ method: 'POST', url: `/api/v1/admin/users/${rows[0].id}/deactivate`, headers: { authorization: `Bearer ${adminToken}` } });
    expect(off.statusCode).toBe(204);
    expect((await h.app.inject({ url: '/api/v1/auth/me', headers: { authorization: `Bearer ${victim.json().token}` } })).statusCode).toBe(401);
    expect(admin).toBeGreaterThan(0);
  });

  it('protected routes refuse anonymous callers', async () => {
    for (const url of ['/api/v1/complaints', '/api/v1/admin/users', '/api/v1/auth/me']) {
      const res = await h.app.inject({ url });
      expect(res.statusCode, url).toBe(401);
    }
  });
});
