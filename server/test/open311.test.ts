import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTree, type Place, places, staff, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

/** Conformance with the published GeoReport v2 field list and error format. */
let h: Harness;
let place: Place;
let tree: Tree;
let apiKey: string;
beforeAll(async () => {
  h = await startHarness();
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place);
  const admin = await staff(h.db, h.config, 'national_admin');
  apiKey = (await h.app.inject({ method: 'POST', url: '/api/v1/admin/open311-keys', headers: admin.headers, payload: { name: 'اپ شهروندی' } })).json().apiKey;
});
afterAll(() => h.close());

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const post = (format: string, fields: Record<string, string>) =>
  h.app.inject({
    method: 'POST',
    url: `/open311/v2/requests.${format}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: form(fields),
  });
const valid = () => ({
  api_key: apiKey,
  service_code: 'absent_at_desk',
  description: 'کارمند باجهٔ دو پشت میز نیست و یک ساعت است منتظرم.',
  phone: '09121113000',
  first_name: 'مریم',
  address_string: 'همدان، خیابان بوعلی',
  'attribute[public]': 'true',
  'attribute[agency_id]': String(tree.organisation.id),
  'attribute[county_id]': String(place.countyIds[0]),
});

describe('Open311 GeoReport v2', () => {
  it('lists services with the standard fields, in JSON and XML, Persian intact', async () => {
    const json = await h.app.inject({ url: '/open311/v2/services.json' });
    const first = json.json()[0];
    expect(Object.keys(first).sort()).toEqual(['description', 'group', 'keywords', 'metadata', 'service_code', 'service_name', 'type']);
    expect(first.type).toBe('realtime');
    expect(first.service_name).toMatch(/[\u0600-\u06FF]/);
    const xml = await h.app.inject({ url: '/open311/v2/services.xml' });
    expect(xml.headers['content-type']).toMatch(/xml/);
    const parsed = new XMLParser().parse(xml.body);
    expect(parsed.services.service.length).toBe(json.json().length);
    expect(parsed.services.service[0].service_name).toBe(first.service_name);
  });

  it('defines a service with attributes', async () => {
    const res = await h.app.inject({ url: '/open311/v2/services/absent_at_desk.json' });
    expect(res.json()).toMatchObject({
      service_code: 'absent_at_desk',
      attributes: [
        expect.objectContaining({ code: 'agency_id', variable: true, order: 1 }),
        expect.objectContaining({ code: 'county_id' }),
        expect.objectContaining({ code: 'named_employee', datatype: 'string', required: false }),
        expect.objectContaining({ code: 'public', datatype: 'singlevaluelist', required: false }),
        expect.objectContaining({ code: 'share_identity', datatype: 'singlevaluelist', required: false }),
      ],
    });
  });

  it('POST requests files a complaint and answers with service_request_id and token', async () => {
    const res = await post('json', { ...valid(), 'attribute[named_employee]': 'آقای دکتر بهرامی' });
    expect(res.statusCode).toBe(200);
    const [created] = res.json();
    expect(created.service_request_id).toMatch(/^[0-9a-f]{32}$/);
    expect(created.service_notice).toContain(tree.countyOffices[0].nameFa);
    const row = (await h.db.pool.query('SELECT channel, unit_id, named_employee FROM complaints WHERE public_id = $1', [created.service_request_id])).rows[0];
    expect(row).toEqual({ channel: 'open311', unit_id: tree.countyOffices[0].id, named_employee: 'بهرامی' });
    const token = await h.app.inject({ url: `/open311/v2/tokens/${created.token}.json` });
    expect(token.json()).toEqual([{ service_request_id: created.service_request_id, token: created.token }]);
    const one = await h.app.inject({ url: `/open311/v2/requests/${created.service_request_id}.json` });
    expect(one.json()[0]).toMatchObject({
      service_request_id: created.service_request_id,
      status: 'open',
      service_code: 'absent_at_desk',
      agency_responsible: tree.countyOffices[0].nameFa,
    });
    // Public output: no personal data — the citizen's, nor the employee's they named
    const listed = await h.app.inject({ url: `/open311/v2/requests.json?service_request_id=${created.service_request_id}` });
    const asXml = await h.app.inject({ url: `/open311/v2/requests/${created.service_request_id}.xml` });
    expect(listed.json()).toHaveLength(1);
    for (const body of [one.body, listed.body, asXml.body]) {
      expect(body).not.toContain('مریم');
      expect(body).not.toContain('1113000');
      expect(body).not.toContain('بوعلی');
      expect(body).not.toContain('منتظرم');
      expect(body).not.toContain('بهرامی');
    }
  });

  it('takes the province from lat/long when no county is given', async () => {
    const { 'attribute[agency_id]': _a, 'attribute[county_id]': _c, ...rest } = valid();
    const res = await post('json', { ...rest, phone: '09121113001', lat: '34.80', long: '48.51', address_string: 'همدان، میدان امام' });
    const code = res.json()[0].service_request_id;
    const row = (await h.db.pool.query('SELECT p.name_fa FROM complaints c JOIN provinces p ON p.id = c.province_id WHERE c.public_id = $1', [code])).rows[0];
    expect(row.name_fa).toBe('همدان');
  });

  it('GET requests filters by ids, service and status', async () => {
    const a = (await post('json', { ...valid(), phone: '09121113002' })).json()[0].service_request_id;
    const list = await h.app.inject({ url: `/open311/v2/requests.json?service_request_id=${a}&status=open` });
    expect(list.json().map((r: { service_request_id: string }) => r.service_request_id)).toEqual([a]);
    // GeoReport: service_request_id overrides every other filter; without it, status filters.
    expect((await h.app.inject({ url: `/open311/v2/requests.json?service_request_id=${a}&status=closed` })).json()).toHaveLength(1);
    const closed = (await h.app.inject({ url: '/open311/v2/requests.json?status=closed' })).json();
    expect(closed.map((r: { service_request_id: string }) => r.service_request_id)).not.toContain(a);
    const xml = await h.app.inject({ url: `/open311/v2/requests.xml?service_code=absent_at_desk` });
    expect(new XMLParser().parse(xml.body).service_requests.request).toBeDefined();
  });

  it('errors use the standard format: [{ code, description }] (and <errors> in XML)', async () => {
    const noKey = await post('json', { ...valid(), api_key: 'wrong' });
    expect(noKey.statusCode).toBe(403);
    expect(noKey.json()).toEqual([{ code: 403, description: expect.any(String) }]);
    const badService = await post('xml', { ...valid(), service_code: 'nope' });
    expect(badService.statusCode).toBe(400);
    expect(new XMLParser().parse(badService.body).errors.error.code).toBe(400);
    const notFound = await h.app.inject({ url: '/open311/v2/requests/123456789012.json' });
    expect(notFound.statusCode).toBe(404);
    expect(notFound.json()[0].code).toBe(404);
    const badPhone = await post('json', { ...valid(), phone: '123' });
    expect(badPhone.statusCode).toBe(400);
    expect(badPhone.json()[0].description).toMatch(/mobile/i);
    const before = (await h.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM complaints')).rows[0]!.n;
    const titleOnly = await post('json', { ...valid(), phone: '09121113009', 'attribute[named_employee]': 'Mr.' });
    expect(titleOnly.statusCode).toBe(400);
    expect(titleOnly.json()[0].description).toMatch(/employee/);
    expect((await h.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM complaints')).rows[0]!.n).toBe(before);
  });
});
