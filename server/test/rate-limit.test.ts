import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTree, complaintBody, type Place, places, staff, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

let h: Harness;
let place: Place;
let tree: Tree;
beforeAll(async () => {
  h = await startHarness({ INTAKE_RATE_LIMIT: '3', PUBLIC_RATE_LIMIT: '5' });
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place);
});
afterAll(() => h.close());

describe('rate limits', () => {
  it('limits anonymous intake per address with a JSON 429, but not a signed-in 128 operator', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(
        (await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(tree.organisation.id, place.countyIds[0]!) })).statusCode,
      );
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    const limited = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(tree.organisation.id, place.countyIds[0]!) });
    expect(limited.json().error.code).toBe('rate_limited');
    expect(limited.headers['retry-after']).toBeDefined();

    const operator = await staff(h.db, h.config, 'operator');
    for (let i = 0; i < 5; i++) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/complaints',
        headers: operator.headers,
        payload: { ...complaintBody(tree.organisation.id, place.countyIds[0]!), channel: 'phone' },
      });
      expect(res.statusCode).toBe(201);
    }
    const { rows } = await h.db.pool.query(`SELECT count(*)::int AS n FROM complaints WHERE operator_id = $1 AND channel = 'phone'`, [operator.id]);
    expect(rows[0].n).toBe(5);
  });

  it('a made-up bearer token does not escape the limit', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/complaints',
      headers: { authorization: 'Bearer made-up' },
      payload: complaintBody(tree.organisation.id, place.countyIds[0]!),
    });
    expect([401, 429]).toContain(res.statusCode);
    const { rows } = await h.db.pool.query('SELECT count(*)::int AS n FROM complaints WHERE operator_id IS NULL');
    expect(rows[0].n).toBe(3);
  });

  it('limits public tracking lookups', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await h.app.inject({ url: '/api/v1/track/123456789012' })).statusCode);
    expect(statuses.slice(0, 5).every((s) => s === 400 || s === 404)).toBe(true);
    expect(statuses[5]).toBe(429);
  });

  it('a spoofed X-Forwarded-For does not reset the limit (no proxy is trusted by default)', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/complaints',
        headers: { 'x-forwarded-for': `10.0.0.${i + 1}` },
        payload: complaintBody(tree.organisation.id, place.countyIds[0]!),
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([429, 429, 429]);
  });
});
