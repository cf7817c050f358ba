import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTree, mobile, type Place, places, staff, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

/**
 * Issue 12, "Open311 as clients expect", checked against the GeoReport v2 specification's own
 * examples (wiki.open311.org/GeoReport_v2): its POST example request, its service_requests
 * response fields, its query forms (comma lists, the 90-day window). No GeoReport client or
 * validator package for Node exists on the npm registry, so the spec's examples stand in.
 */
let h: Harness;
let place: Place;
let tree: Tree;
let apiKey: string;
beforeAll(async () => {
  h = await startHarness();
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place);
  const admin = await staff(h.db, h.config, 'national_admin');
  apiKey = (await h.app.inject({ method: 'POST', url: '/api/v1/admin/open311-keys', headers: admin.headers, payload: { name: 'اپ' } })).json().apiKey;
});
afterAll(() => h.close());

/** The field list of the spec's GET service_requests response example. */
const SPEC_REQUEST_FIELDS = [
  'service_request_id',
  'status',
  'status_notes',
  'service_name',
  'service_code',
  'description',
  'agency_responsible',
  'service_notice',
  'requested_datetime',
  'updated_datetime',
  'expected_datetime',
  'address',
  'address_id',
  'zipcode',
  'lat',
  'long',
  'media_url',
];

/**
 * The spec's POST example, field for field, with our service code, an Iranian mobile and a
 * Persian description: api_key, service_code, lat, long, address_string, email, device_id,
 * account_id, first_name, last_name, phone, description (media_url is tested on its own).
 */
const specExample = (extra: Record<string, string> = {}) => ({
  api_key: apiKey,
  service_code: 'absent_at_desk',
  lat: '34.7989',
  long: '48.5146',
  address_string: 'همدان، میدان امام',
  email: 'smit333@sfgov.edu',
  device_id: `tt${Math.random().toString(36).slice(2)}`,
  account_id: '123456',
  first_name: 'john',
  last_name: 'smith',
  phone: mobile(),
  description: 'کارمند باجه از ساعت نه صبح پشت میز نیست و کسی پاسخ نمی‌دهد.',
  'attribute[public]': 'true',
  'attribute[agency_id]': String(tree.organisation.id),
  'attribute[county_id]': String(place.countyIds[0]),
  ...extra,
});

const post = (fields: Record<string, string>, format = 'json') =>
  h.app.inject({
    method: 'POST',
    url: `/open311/v2/requests.${format}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  });
const count = async () => (await h.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM complaints')).rows[0]!.n;
const ids = (body: { service_request_id: string }[]) => body.map((r) => r.service_request_id);

describe('GeoReport v2 as clients expect', () => {
  it('takes the spec’s POST example (email and all) and answers in the spec’s shape', async () => {
    const res = await post(specExample());
    expect(res.statusCode).toBe(200);
    const [created] = res.json();
    expect(Object.keys(created).sort()).toEqual(['account_id', 'service_notice', 'service_request_id', 'token']);
  });

  it('lists with the spec’s fields: status_notes in words, expected_datetime and address filled', async () => {
    const id = (await post(specExample())).json()[0].service_request_id;
    const [item] = (await h.app.inject({ url: `/open311/v2/requests/${id}.json` })).json();
    for (const key of Object.keys(item)) expect(SPEC_REQUEST_FIELDS).toContain(key);
    expect(item.status).toBe('open');
    expect(item.status_notes).toMatch(/^ارجاع شده — /);
    expect(item.status_notes).not.toMatch(/referred|received/);
    expect(Date.parse(item.expected_datetime)).toBeGreaterThan(Date.parse(item.requested_datetime));
    const province = (await h.db.pool.query<{ name: string }>('SELECT name_fa AS name FROM provinces WHERE id = $1', [place.provinceId])).rows[0]!.name;
    expect(item.address).toContain(province);
    const xml = new XMLParser().parse((await h.app.inject({ url: `/open311/v2/requests/${id}.xml` })).body);
    expect(xml.service_requests.request.service_request_id).toBe(id);
  });

  it('status and service_code take comma lists; service_request_id overrides every other filter', async () => {
    const a = (await post(specExample())).json()[0].service_request_id;
    const b = (await post(specExample({ service_code: 'disrespect' }))).json()[0].service_request_id;
    await h.db.pool.query(`UPDATE complaints SET status = 'closed' WHERE public_id = $1`, [b]);
    expect(ids((await h.app.inject({ url: '/open311/v2/requests.json?status=open,closed' })).json())).toEqual(expect.arrayContaining([a, b]));
    expect(ids((await h.app.inject({ url: '/open311/v2/requests.json?status=closed' })).json())).toEqual([b]);
    const both = ids((await h.app.inject({ url: '/open311/v2/requests.json?service_code=absent_at_desk,disrespect' })).json());
    expect(both).toEqual(expect.arrayContaining([a, b]));
    const overridden = await h.app.inject({
      url: `/open311/v2/requests.json?service_request_id=${a},${b}&status=closed&service_code=nothing&start_date=2001-01-01T00:00:00Z&end_date=2001-01-02T00:00:00Z`,
    });
    expect(ids(overridden.json()).sort()).toEqual([a, b].sort());
    expect((await h.app.inject({ url: '/open311/v2/requests.json?status=pending' })).statusCode).toBe(400);
  });

  it('without dates, the last 90 days; a window may not span more than 90 days', async () => {
    const old = (await post(specExample())).json()[0].service_request_id;
    await h.db.pool.query(`UPDATE complaints SET created_at = now() - interval '100 days' WHERE public_id = $1`, [old]);
    expect(ids((await h.app.inject({ url: '/open311/v2/requests.json' })).json())).not.toContain(old);
    const from = new Date(Date.now() - 110 * 86_400_000).toISOString();
    const to = new Date(Date.now() - 80 * 86_400_000).toISOString();
    expect(ids((await h.app.inject({ url: `/open311/v2/requests.json?start_date=${from}&end_date=${to}` })).json())).toContain(old);
    // The spec's own example query (a month in 2010): valid, and empty here.
    expect((await h.app.inject({ url: '/open311/v2/requests.xml?start_date=2010-05-24T00:00:00Z&end_date=2010-06-24T00:00:00Z&status=open' })).statusCode).toBe(
      200,
    );
    const tooLong = await h.app.inject({ url: '/open311/v2/requests.json?start_date=2010-01-01T00:00:00Z&end_date=2010-06-24T00:00:00Z' });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json()[0].description).toMatch(/90 days/);
  });

  it('a POST needs a location (lat/long, address_string or address_id); refused ones write nothing', async () => {
    const before = await count();
    const { lat: _lat, long: _long, address_string: _a, ...noPlace } = specExample();
    const res = await post(noPlace);
    expect(res.statusCode).toBe(400);
    expect(res.json()[0].description).toMatch(/location/);
    const mediaUrl = await post(specExample({ media_url: 'http://tinyurl.com/sfgov311images' }));
    expect(mediaUrl.statusCode).toBe(400);
    expect(mediaUrl.json()[0].description).toMatch(/media_url.*attachments/);
    expect((await post(specExample({ email: 'not an address' }))).statusCode).toBe(400);
    expect((await post(specExample({ 'attribute[agency_id]': 'abc' }))).statusCode).toBe(400);
    expect((await post(specExample({ 'attribute[county_id]': '2147483648' }))).statusCode).toBe(400);
    expect(await count()).toBe(before);
    const byAddressId = await post({ ...noPlace, address_id: String(place.countyIds[0]) });
    expect(byAddressId.statusCode).toBe(200);
  });

  it('coordinates outside Iran (a citizen abroad): a valid request for triage, or a 4xx — never a 5xx', async () => {
    const { 'attribute[agency_id]': _a, 'attribute[county_id]': _c, ...unplaced } = specExample();
    const paris = await post({ ...unplaced, lat: '48.8566', long: '2.3522', address_string: 'Paris' });
    expect(paris.statusCode).toBe(200);
    const { 'attribute[county_id]': _c2, ...withAgency } = specExample();
    for (const [lat, long] of [
      ['48.8566', '2.3522'],
      ['0', '0'],
      ['-33.86', '151.2'],
      ['90', '180'],
      ['91', '10'],
      ['Infinity', '1'],
      ['1e400', '1'],
      ['abc', '1'],
    ]) {
      const res = await post({ ...withAgency, lat: lat!, long: long!, phone: mobile() });
      expect(res.statusCode, `${lat},${long}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, `${lat},${long}`).toBeLessThan(500);
    }
  });
});
