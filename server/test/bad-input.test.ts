import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTrackingCode } from '../src/domain/tracking-code.ts';
import { buildTree, complaintBody, type Place, places, type StaffFixture, staff, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

/** Every kind of bad input answers a 4xx JSON error in Persian and English, and changes nothing. */
let h: Harness;
let place: Place;
let tree: Tree;
let head: StaffFixture;
let complaintId: string;

beforeAll(async () => {
  h = await startHarness();
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place);
  head = await staff(h.db, h.config, 'inspection_head', { unit: tree.countyOffices[0] });
  complaintId = (await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(tree.organisation.id, place.countyIds[0]!) })).json()
    .id;
});
afterAll(() => h.close());

async function snapshot(): Promise<string> {
  const { rows } = await h.db.pool.query(
    `SELECT (SELECT count(*) FROM complaints) AS c, (SELECT count(*) FROM complaint_events) AS e, (SELECT count(*) FROM complainant_contacts) AS k,
            (SELECT count(*) FROM units) AS u, (SELECT string_agg(status || last_seq, ',' ORDER BY id) FROM complaints) AS s`,
  );
  return JSON.stringify(rows[0]);
}

function expectError(
  res: { statusCode: number; json(): { error: { code: string; message: string; messages: { fa: string; en: string } } } },
  status: number,
  code: string,
) {
  expect(res.statusCode).toBe(status);
  const body = res.json();
  expect(body.error.code).toBe(code);
  expect(body.error.messages.fa).toMatch(/[\u0600-\u06FF]/);
  expect(body.error.messages.en).toMatch(/[A-Za-z]/);
  expect(body.error.message).toBe(body.error.messages.fa);
}

const valid = () => complaintBody(tree.organisation.id, place.countyIds[0]!);
const INTAKE_CASES: [string, () => unknown, number, string][] = [
  ['not JSON', () => '{"channel":', 400, 'validation_failed'],
  ['an empty body', () => ({}), 400, 'validation_failed'],
  ['an unknown field', () => ({ ...valid(), isAdmin: true }), 400, 'validation_failed'],
  ['an unknown channel', () => ({ ...valid(), channel: 'fax' }), 400, 'validation_failed'],
  ['a too-short description', () => ({ ...valid(), description: 'کوتاه' }), 400, 'validation_failed'],
  ['a description of only spaces', () => ({ ...valid(), description: '            ' }), 400, 'validation_failed'],
  ['an oversized description', () => ({ ...valid(), description: 'الف'.repeat(2001) }), 400, 'validation_failed'],
  [
    'neither agency nor office',
    () => {
      const { agencyId: _a, ...b } = valid();
      return b;
    },
    400,
    'validation_failed',
  ],
  [
    'no place',
    () => {
      const { countyId: _c, ...b } = valid();
      return b;
    },
    400,
    'validation_failed',
  ],
  ['a landline instead of a mobile', () => ({ ...valid(), contact: { phone: '02188776655' } }), 400, 'invalid_phone'],
  ['an invalid foreign number', () => ({ ...valid(), contact: { phone: '+999123456789' } }), 400, 'invalid_phone'],
  ['a national ID with a wrong check digit', () => ({ ...valid(), contact: { phone: '09121112233', nationalId: '0499370898' } }), 400, 'invalid_national_id'],
  ['an unknown agency', () => ({ ...valid(), agencyId: 999999 }), 422, 'unknown_agency'],
  ['an unknown county', () => ({ ...valid(), countyId: 999999 }), 422, 'unknown_place'],
  ['a county outside the province', () => ({ ...valid(), provinceId: 999 }), 422, 'unknown_place'],
  ['an unknown category', () => ({ ...valid(), categoryId: 999999 }), 422, 'unknown_category'],
  ['a latitude off the globe', () => ({ ...valid(), location: { lat: 123, lng: 50 } }), 400, 'validation_failed'],
  ['a string where a number goes', () => ({ ...valid(), agencyId: 'tax office' }), 400, 'validation_failed'],
];

describe('bad intake', () => {
  for (const [what, body, status, code] of INTAKE_CASES) {
    it(`${what} → ${status} ${code}, nothing written`, async () => {
      const before = await snapshot();
      const payload = body();
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/complaints',
        headers: { 'content-type': 'application/json' },
        payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
      });
      expectError(res, status, code);
      expect(await snapshot()).toBe(before);
    });
  }

  it('a bad Idempotency-Key is refused', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', headers: { 'idempotency-key': 'short' }, payload: valid() });
    expectError(res, 400, 'validation_failed');
  });

  it('a body over the size limit is refused', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/complaints',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ ...valid(), description: 'x'.repeat(300_000) }),
    });
    expectError(res, 413, 'payload_too_large');
  });

  it('an unsupported content type is refused', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', headers: { 'content-type': 'application/xml' }, payload: '<complaint/>' });
    expectError(res, 415, 'unsupported_media_type');
  });
});

describe('bad tracking and staff requests', () => {
  it('a tracking code with a wrong check digit is refused before any lookup', async () => {
    const code = generateTrackingCode();
    const wrong = code.slice(0, 11) + String((Number(code[11]) + 1) % 10);
    expectError(await h.app.inject({ url: `/api/v1/track/${wrong}` }), 400, 'invalid_tracking_code');
    expectError(await h.app.inject({ url: '/api/v1/track/12345' }), 400, 'invalid_tracking_code');
  });

  it('a valid but unknown tracking code is 404', async () => {
    expectError(await h.app.inject({ url: `/api/v1/track/${generateTrackingCode()}` }), 404, 'complaint_not_found');
  });

  it('an unknown or malformed complaint id', async () => {
    expectError(await h.app.inject({ url: '/api/v1/complaints/00000000-0000-4000-8000-000000000000', headers: head.headers }), 404, 'complaint_not_found');
    expectError(await h.app.inject({ url: '/api/v1/complaints/not-a-uuid', headers: head.headers }), 400, 'validation_failed');
  });

  it('a command in the wrong state is 409 and changes nothing', async () => {
    const before = await snapshot();
    const res = await h.app.inject({ method: 'POST', url: `/api/v1/complaints/${complaintId}/actions`, headers: head.headers, payload: { action: 'start' } });
    expectError(res, 409, 'invalid_transition');
    expect(await snapshot()).toBe(before);
  });

  it('an unknown action or a missing field is 400', async () => {
    expectError(
      await h.app.inject({ method: 'POST', url: `/api/v1/complaints/${complaintId}/actions`, headers: head.headers, payload: { action: 'delete' } }),
      400,
      'validation_failed',
    );
    expectError(
      await h.app.inject({ method: 'POST', url: `/api/v1/complaints/${complaintId}/actions`, headers: head.headers, payload: { action: 'answer' } }),
      400,
      'validation_failed',
    );
  });

  it('a transfer to a unit that does not exist changes nothing', async () => {
    const before = await snapshot();
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${complaintId}/actions`,
      headers: head.headers,
      payload: { action: 'transfer', toUnitId: 999999, reason: 'واحد ناموجود' },
    });
    expectError(res, 404, 'unit_not_found');
    expect(await snapshot()).toBe(before);
  });

  it('an unknown route is a JSON 404', async () => {
    expectError(await h.app.inject({ url: '/api/v1/nothing-here' }), 404, 'not_found');
  });

  it('English messages when asked', async () => {
    const res = await h.app.inject({ url: '/api/v1/track/12345', headers: { 'accept-language': 'en' } });
    expect(res.json().error.message).toBe('The tracking code is not valid; please check the digits.');
  });

  it('a lone Unicode surrogate in text is stored as a replacement character, not a 500', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/complaints',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ ...valid(), description: 'کارمند پشت میز نیست \ud800 و کسی نیست' }),
    });
    expect(res.statusCode).toBe(201);
  });
});
