import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '../../src/auth/create-staff.ts';
import { type Harness, startHarness } from '../harness.ts';

// Finding: unknown users answered differently from locked ones (usernames enumerable), and
// anyone could lock any account by typing wrong passwords at it.
let h: Harness;
const PASSWORD = 'a-long-password-owner';

beforeAll(async () => {
  h = await startHarness();
  for (const username of ['victim.one', 'victim.two', 'victim.three'])
    await createStaff(h.db.pool, { username, displayName: 'کارشناس', password: PASSWORD, role: 'auditor', unitId: null, provinceId: null, language: 'fa' });
});
afterAll(() => h.close());

const login = (username: string, password: string, remoteAddress: string) =>
  h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress });

const answer = async (username: string, password: string, address: string) => {
  const res = await login(username, password, address);
  return `${res.statusCode} ${res.json().error?.code ?? 'ok'}`;
};

describe('staff sign-in: no enumeration, no lockout of the owner', () => {
  it('an existing account and an unknown name answer the same, attempt after attempt', async () => {
    const real = [];
    const unknown = [];
    for (let i = 0; i < 8; i++) real.push(await answer('victim.one', `wrong-${i}`, '10.2.0.1'));
    for (let i = 0; i < 8; i++) unknown.push(await answer('no.such.user', `wrong-${i}`, '10.2.0.2'));
    expect(real).toEqual(unknown);
    expect(real.slice(0, 5)).toEqual(Array(5).fill('401 invalid_credentials'));
    expect(new Set(real.slice(5))).toEqual(new Set(['429 rate_limited']));
  });

  it('wrong passwords from elsewhere do not lock the owner out', async () => {
    for (let i = 0; i < 6; i++) await login('victim.two', `wrong-${i}`, '10.3.0.1');
    expect(await answer('victim.two', PASSWORD, '10.3.9.9')).toBe('200 ok');
  });

  it('a spread-out attack slows unfamiliar addresses at that account; the owner’s usual address gets in', async () => {
    expect(await answer('victim.three', PASSWORD, '10.4.9.9')).toBe('200 ok');
    for (let i = 0; i < 10; i++) expect(await answer('victim.three', `wrong-${i}`, `10.4.1.${i}`)).toBe('401 invalid_credentials');
    // A new address right after a failure waits (even with the right password: a slowdown, not a verdict)…
    expect(await answer('victim.three', PASSWORD, '10.4.2.1')).toBe('429 rate_limited');
    // …the same happens for a name that does not exist…
    for (let i = 0; i < 10; i++) expect(await answer('ghost.user', `wrong-${i}`, `10.4.3.${i}`)).toBe('401 invalid_credentials');
    expect(await answer('ghost.user', PASSWORD, '10.4.2.1')).toBe('429 rate_limited');
    // …and the owner, from an address they signed in from before, is not slowed at all.
    expect(await answer('victim.three', PASSWORD, '10.4.9.9')).toBe('200 ok');
  });

  it('an address guessing at many accounts is throttled across them', async () => {
    const results = [];
    // Fewer than the 20 a minute the route-level limiter allows: this is the failure count speaking.
    for (let i = 0; i < 16; i++) results.push(await answer(`spray.${i}`, 'Password123', '10.5.0.1'));
    expect(results.slice(0, 15)).toEqual(Array(15).fill('401 invalid_credentials'));
    expect(results[15]).toBe('429 rate_limited');
    expect(await answer('victim.one', PASSWORD, '10.5.0.2')).toBe('200 ok');
  });
});
