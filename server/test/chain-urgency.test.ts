import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyComplaintChain } from '../src/complaints/verify-complaint-chain.ts';
import { buildTree, mobile, places, type StaffFixture, staff, type Tree, urgentCategory } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

/**
 * Issue 11, "tamper evidence that holds": a complaint that arrives without an agency (an SMS, a
 * bot message, a web form naming no office) is classified later by the 128 operator. The row's
 * urgency follows the category it is given; the chain must say so too, or verify reports an
 * honest complaint as tampered — and it must still catch an edited urgency.
 */
let h: Harness;
let tree: Tree;
let operator: StaffFixture;
let countyId: number;

beforeAll(async () => {
  h = await startHarness();
  const [place] = await places(h.db.pool);
  tree = await buildTree(h.db.pool, place!);
  countyId = place!.countyIds[0]!;
  operator = await staff(h.db, h.config, 'operator');
});
afterAll(() => h.close());

async function triaged(): Promise<string> {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/complaints',
    payload: { channel: 'web', countyId, officeText: 'نمی‌دانم کدام اداره', description: 'آب آشامیدنی روستا از دیروز قطع است.', contact: { phone: mobile() } },
  });
  expect(res.statusCode).toBe(201);
  return res.json().id;
}

describe('urgency in the chain', () => {
  it('an operator who classifies a triaged complaint as urgent leaves a chain that verifies', async () => {
    const id = await triaged();
    const category = await urgentCategory(h.db.pool);
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${id}/actions`,
      headers: operator.headers,
      payload: { action: 'refer', agencyId: tree.organisation.id, categoryId: category.id },
    });
    expect(res.statusCode).toBe(200);
    const { rows } = await h.db.pool.query<{ urgent: boolean }>('SELECT urgent FROM complaints WHERE id = $1', [id]);
    expect(rows[0]!.urgent).toBe(true);
    expect(await verifyComplaintChain(h.db.pool, id)).toMatchObject({ valid: true, projectionMatches: true, headMatches: true });
  });

  it('an urgency edited in the row afterwards is reported', async () => {
    const id = await triaged();
    const category = await urgentCategory(h.db.pool);
    await h.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${id}/actions`,
      headers: operator.headers,
      payload: { action: 'refer', agencyId: tree.organisation.id, categoryId: category.id },
    });
    await h.db.pool.query('UPDATE complaints SET urgent = false WHERE id = $1', [id]);
    const report = await verifyComplaintChain(h.db.pool, id);
    expect(report).toMatchObject({ projectionMatches: false });
    expect(report!.mismatchedFields).toContain('urgent');
  });

  it('a later change that keeps the category keeps the urgency the chain recorded', async () => {
    const id = await triaged();
    const category = await urgentCategory(h.db.pool);
    await h.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${id}/actions`,
      headers: operator.headers,
      payload: { action: 'refer', agencyId: tree.organisation.id, categoryId: category.id },
    });
    // The catalogue's urgency changes later; this complaint's recorded urgency does not.
    await h.db.pool.query('UPDATE categories SET urgent = false WHERE id = $1', [category.id]);
    try {
      const res = await h.app.inject({
        method: 'POST',
        url: `/api/v1/complaints/${id}/actions`,
        headers: operator.headers,
        payload: { action: 'note', text: 'با اداره تماس گرفته شد' },
      });
      expect(res.statusCode).toBe(200);
      expect(await verifyComplaintChain(h.db.pool, id)).toMatchObject({ valid: true, projectionMatches: true });
    } finally {
      await h.db.pool.query('UPDATE categories SET urgent = true WHERE id = $1', [category.id]);
    }
  });
});
