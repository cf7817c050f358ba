import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTree, complaintBody, mobile, type Place, places, staff, type Tree } from '../factories.ts';
import { type Harness, startHarness } from '../harness.ts';

/**
 * Issue 11, "Open311 enumerates tracking codes": GET /open311/v2/requests listed every complaint
 * of every channel with its tracking code (a secret that unlocks one-time codes to the citizen),
 * and service_request_id= checked 100 codes per call. Open311 must show a separate random public
 * id, list only what the citizen agreed to make public (never confidential ones), and count
 * every id looked up against the rate limit.
 */
let h: Harness;
let place: Place;
let tree: Tree;
let apiKey: string;
const LIMIT = 60;
beforeAll(async () => {
  h = await startHarness({ PUBLIC_RATE_LIMIT: String(LIMIT) });
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place);
  const admin = await staff(h.db, h.config, 'national_admin');
  apiKey = (await h.app.inject({ method: 'POST', url: '/api/v1/admin/open311-keys', headers: admin.headers, payload: { name: 'اپ' } })).json().apiKey;
});
afterAll(() => h.close());

/** Files on the web; returns the tracking code and the row's public id. */
async function fileOnWeb(extra: Record<string, unknown>): Promise<{ trackingCode: string; publicId: string }> {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/complaints',
    payload: complaintBody(tree.organisation.id, place.countyIds[0]!, { contact: { phone: mobile() }, ...extra }),
  });
  expect(res.statusCode).toBe(201);
  const trackingCode = res.json().trackingCode as string;
  const { rows } = await h.db.pool.query<{ public_id: string }>('SELECT public_id FROM complaints WHERE tracking_code = $1', [trackingCode]);
  return { trackingCode, publicId: rows[0]!.public_id };
}

const list = (query: string, ip = '10.0.0.1') => h.app.inject({ url: `/open311/v2/requests.json${query}`, remoteAddress: ip });

describe('Open311 never hands out tracking codes', () => {
  it('lists only complaints the citizen made public and not confidential, by a public id unrelated to the tracking code', async () => {
    const privateOne = await fileOnWeb({});
    const publicOne = await fileOnWeb({ publicListing: true });
    const confidentialOne = await fileOnWeb({ publicListing: true, confidential: true });
    const res = await list('');
    expect(res.statusCode).toBe(200);
    const ids = res.json().map((r: { service_request_id: string }) => r.service_request_id);
    expect(ids).toEqual([publicOne.publicId]);
    for (const c of [privateOne, publicOne, confidentialOne]) {
      expect(res.body).not.toContain(c.trackingCode);
      expect(c.publicId).toMatch(/^[0-9a-f]{32}$/);
      expect(c.publicId).not.toContain(c.trackingCode);
    }
  });

  it('a tracking code finds nothing, by path or by service_request_id; a private or confidential public id neither', async () => {
    const privateOne = await fileOnWeb({});
    const publicOne = await fileOnWeb({ publicListing: true });
    const confidentialOne = await fileOnWeb({ publicListing: true, confidential: true });
    expect((await h.app.inject({ url: `/open311/v2/requests/${publicOne.trackingCode}.json`, remoteAddress: '10.0.0.2' })).statusCode).toBe(404);
    expect((await h.app.inject({ url: `/open311/v2/requests/${privateOne.publicId}.json`, remoteAddress: '10.0.0.2' })).statusCode).toBe(404);
    expect((await h.app.inject({ url: `/open311/v2/requests/${confidentialOne.publicId}.json`, remoteAddress: '10.0.0.2' })).statusCode).toBe(404);
    const one = await h.app.inject({ url: `/open311/v2/requests/${publicOne.publicId}.json`, remoteAddress: '10.0.0.2' });
    expect(one.json()[0].service_request_id).toBe(publicOne.publicId);
    const byCodes = await list(`?service_request_id=${[privateOne, publicOne, confidentialOne].map((c) => c.trackingCode).join(',')}`, '10.0.0.2');
    expect(byCodes.json()).toEqual([]);
    const byIds = await list(`?service_request_id=${[privateOne, publicOne, confidentialOne].map((c) => c.publicId).join(',')}`, '10.0.0.2');
    expect(byIds.json().map((r: { service_request_id: string }) => r.service_request_id)).toEqual([publicOne.publicId]);
  });

  it('an Open311 POST answers with the public id, and the token leads to it, not to the tracking code', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        api_key: apiKey,
        service_code: 'absent_at_desk',
        description: 'کارمند باجهٔ دو پشت میز نیست و یک ساعت است منتظرم.',
        phone: mobile(),
        address_string: 'همدان، میدان امام',
        'attribute[agency_id]': String(tree.organisation.id),
        'attribute[county_id]': String(place.countyIds[0]),
      }).toString(),
    });
    expect(res.statusCode).toBe(200);
    const [created] = res.json();
    const { rows } = await h.db.pool.query('SELECT tracking_code, public_id, public_listing FROM complaints WHERE id = $1', [created.token]);
    expect(created.service_request_id).toBe(rows[0].public_id);
    expect(res.body).not.toContain(rows[0].tracking_code);
    expect(rows[0].public_listing).toBe(false);
    const token = await h.app.inject({ url: `/open311/v2/tokens/${created.token}.json`, remoteAddress: '10.0.0.3' });
    expect(token.body).not.toContain(rows[0].tracking_code);
    expect(token.json()[0].service_request_id).toBe(rows[0].public_id);
  });

  it('every id looked up counts against the rate limit: a list of 50 ids costs 50', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => i.toString(16).padStart(32, '0'));
    expect((await list(`?service_request_id=${ids.join(',')}`, '10.0.0.9')).statusCode).toBe(200);
    const over = await list(`?service_request_id=${ids.slice(0, 20).join(',')}`, '10.0.0.9');
    expect(over.statusCode).toBe(429);
    expect(over.json()[0].code).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    // Another address has its own budget; a list over 100 ids is refused outright.
    const tooMany = Array.from({ length: 101 }, (_, i) => `f${i.toString(16).padStart(31, '0')}`);
    expect((await list(`?service_request_id=${tooMany.join(',')}`, '10.0.0.10')).statusCode).toBe(400);
  });

  it('every complaint has its own public id', async () => {
    const { rows } = await h.db.pool.query<{ n: number; distinct: number; equal: number }>(
      'SELECT count(*)::int AS n, count(DISTINCT public_id)::int AS distinct, count(*) FILTER (WHERE public_id = tracking_code)::int AS equal FROM complaints',
    );
    expect(rows[0]!.n).toBeGreaterThan(5);
    expect(rows[0]!.distinct).toBe(rows[0]!.n);
    expect(rows[0]!.equal).toBe(0);
  });
});
