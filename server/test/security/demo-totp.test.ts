import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/seed/demo.ts';
import { type Harness, startHarness } from '../harness.ts';

// Finding: the demo start-up let anyone with the published demo password sign in as the national
// admin, a supervisor or the 128 centre.
let h: Harness;
const PASSWORD = 'foad-demo-128';
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

beforeAll(async () => {
  h = await startHarness();
  await h.db.pool.query('TRUNCATE units CASCADE');
  await seedDemo(h.db, PASSWORD, 'http://localhost:3128', { totpSecret: SECRET });
});
afterAll(() => h.close());

const login = (payload: Record<string, string>) => h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload });

describe('the demo users of roles that need TOTP', () => {
  for (const username of ['admin', 'operator', 'supervisor.hamedan']) {
    it(`${username}: the published password alone is refused; with the demo secret’s code it works`, async () => {
      const bare = await login({ username, password: PASSWORD });
      expect(bare.statusCode).toBe(401);
      expect(bare.json().error.code).toBe('totp_required');
      const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(SECRET), digits: 6, period: 30 }).generate();
      expect((await login({ username, password: PASSWORD, totp })).statusCode).toBe(200);
      // The other demo users still sign in with the password alone: a newcomer can look around.
      expect((await login({ username: 'responder.tax.hamedan-county', password: PASSWORD })).statusCode).toBe(200);
    });
  }
});
