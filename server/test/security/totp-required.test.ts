import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '../../src/auth/create-staff.ts';
import type { Role } from '../../src/core/roles.ts';
import { type Place, places, staff } from '../factories.ts';
import { type Harness, startHarness } from '../harness.ts';

// Finding: the national admin, supervisors and the 128 centre signed in with a password alone.
let h: Harness;
const PASSWORD = 'a-long-password-128';
const ids: Record<string, number> = {};

beforeAll(async () => {
  h = await startHarness();
  const [place] = (await places(h.db.pool)) as [Place];
  const roles: Role[] = ['national_admin', 'provincial_supervisor', 'operator', 'auditor'];
  for (const role of roles) {
    const provinceId = role === 'provincial_supervisor' ? place.provinceId : null;
    ids[role] = await createStaff(h.db.pool, {
      username: `u.${role}`,
      displayName: 'کاربر',
      password: PASSWORD,
      role,
      unitId: null,
      provinceId,
      language: 'fa',
    });
  }
});
afterAll(() => h.close());

const post = (url: string, payload: Record<string, string>) => h.app.inject({ method: 'POST', url: `/api/v1${url}`, payload });
const sessions = async (id: number) => (await h.db.pool.query('SELECT count(*)::int AS n FROM staff_sessions WHERE user_id = $1', [id])).rows[0].n;

describe('TOTP is required for the national admin, the supervisors and the 128 centre', () => {
  for (const role of ['national_admin', 'provincial_supervisor', 'operator']) {
    it(`${role}: the password alone opens no session; enrolment then the first code does`, async () => {
      const username = `u.${role}`;
      const bare = await post('/auth/login', { username, password: PASSWORD });
      expect(bare.statusCode).toBe(401);
      expect(bare.json().error.code).toBe('totp_enrolment_required');
      expect(await sessions(ids[role]!)).toBe(0);

      expect((await post('/auth/totp/enrol', { username, password: 'not-it' })).json().error.code).toBe('invalid_credentials');
      const enrol = await post('/auth/totp/enrol', { username, password: PASSWORD });
      expect(enrol.statusCode, enrol.body).toBe(200);
      expect(enrol.json().uri).toMatch(/^otpauth:\/\/totp\/Foad%20128:u\./);
      const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(enrol.json().secret), digits: 6, period: 30 });

      // Still no way in without the code, and a wrong code is refused.
      expect((await post('/auth/login', { username, password: PASSWORD })).json().error.code).toBe('totp_enrolment_required');
      const wrong = totp.generate() === '123456' ? '654321' : '123456';
      expect((await post('/auth/login', { username, password: PASSWORD, totp: wrong })).json().error.code).toBe('invalid_totp');
      expect(await sessions(ids[role]!)).toBe(0);

      const ok = await post('/auth/login', { username, password: PASSWORD, totp: totp.generate() });
      expect(ok.statusCode, ok.body).toBe(200);
      // Enrolled now: the code is required from then on, and enrolment cannot be redone with a password alone.
      expect((await post('/auth/login', { username, password: PASSWORD })).json().error.code).toBe('totp_required');
      expect((await post('/auth/totp/enrol', { username, password: PASSWORD })).statusCode).toBe(409);
    });
  }

  it('a lost phone: the national admin resets TOTP, the user’s sessions end and they enrol again', async () => {
    const admin = await staff(h.db, h.config, 'national_admin');
    const reset = await h.app.inject({ method: 'POST', url: `/api/v1/admin/users/${ids.operator}/totp/reset`, headers: admin.headers });
    expect(reset.statusCode).toBe(204);
    expect(await sessions(ids.operator!)).toBe(0);
    expect((await post('/auth/login', { username: 'u.operator', password: PASSWORD })).json().error.code).toBe('totp_enrolment_required');
    // Other roles still sign in with a password.
    expect((await post('/auth/login', { username: 'u.auditor', password: PASSWORD })).statusCode).toBe(200);
  });
});
