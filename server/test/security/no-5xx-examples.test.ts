import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSmsWebhook } from '../../src/channels/sms/routes.ts';
import { buildTree, complaintBody, type Place, places, type StaffFixture, staff, type Tree } from '../factories.ts';
import { type Harness, startHarness } from '../harness.ts';

/**
 * Issue 11, "any input gets a 4xx, never a 5xx": the sweep's own examples, each a 4xx in our
 * error shape that wrote nothing (fuzz-routes.test.ts walks every route with generated values).
 */
const SECRET = 'security-webhook-secret-0123456789';
let h: Harness;
let place: Place;
let tree: Tree;
let admin: StaffFixture;
let apiKey: string;

beforeAll(async () => {
  h = await startHarness({ SMS_WEBHOOK_SECRET: SECRET, LOG_LEVEL: 'error' });
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place);
  admin = await staff(h.db, h.config, 'national_admin');
  apiKey = (await h.app.inject({ method: 'POST', url: '/api/v1/admin/open311-keys', headers: admin.headers, payload: { name: 'fuzz' } })).json().apiKey;
});
afterAll(() => h?.close());

const counts = async () =>
  (
    await h.db.pool.query(
      'SELECT (SELECT count(*) FROM complaints) AS c, (SELECT count(*) FROM complaint_events) AS e, (SELECT count(*) FROM sla_policies) AS p, (SELECT count(*) FROM calendars) AS k',
    )
  ).rows[0];

function expect4xx(res: { statusCode: number; json(): unknown }, status?: number) {
  expect(res.statusCode, JSON.stringify(res.json())).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, JSON.stringify(res.json())).toBeLessThan(500);
  if (status) expect(res.statusCode).toBe(status);
}

describe('the sweep’s examples answer 4xx', () => {
  it('an id of 2147483648 or "Infinity" in intake is a 400 and files nothing', async () => {
    const before = await counts();
    for (const agencyId of [2147483648, 'Infinity', 1e308]) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/complaints',
        payload: complaintBody(tree.organisation.id, place.countyIds[0]!, { agencyId }),
      });
      expect4xx(res, 400);
      expect(res.json()).toMatchObject({ error: { code: 'validation_failed' } });
    }
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(tree.organisation.id, 2147483648) });
    expect4xx(res, 400);
    expect(await counts()).toEqual(before);
  });

  it('list filters with 2147483648, Infinity or -1e400 are a 400', async () => {
    for (const query of ['agencyId=2147483648', 'countyId=Infinity', 'categoryId=99999999999999999999', 'provinceId=-1e400', 'unitId=1e10']) {
      const res = await h.app.inject({ url: `/api/v1/complaints?${query}`, headers: admin.headers });
      expect4xx(res, 400);
    }
    expect4xx(await h.app.inject({ url: '/api/v1/services?agencyId=2147483648' }), 400);
  });

  it('Open311 attribute[agency_id]=abc or a huge id is a GeoReport 400', async () => {
    for (const agency of ['abc', '2147483648', 'Infinity']) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/open311/v2/requests.json',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          api_key: apiKey,
          service_code: 'absent_at_desk',
          description: 'کارمند باجهٔ دو پشت میز نیست و یک ساعت است منتظرم.',
          'attribute[agency_id]': agency,
          'attribute[county_id]': String(place.countyIds[0]),
        }).toString(),
      });
      expect4xx(res, 400);
      expect(res.json()).toEqual([expect.objectContaining({ code: 400 })]);
    }
  });

  it('non-ASCII bytes in the SMS webhook signature are a 401, not a crash', async () => {
    const raw = JSON.stringify({ from: '989121110001', text: 'سلام، این یک آزمون است.', messageId: 'sig-1' });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const good = signSmsWebhook(SECRET, timestamp, raw);
    // As many characters as the real signature, more bytes: the old compare threw on the lengths.
    for (const signature of [`sha256=${'ی'.repeat(good.length)}`, `sha256=${good.slice(0, -1)}é`, 'sha256=😀']) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/channels/sms/inbound',
        headers: { 'content-type': 'application/json', 'x-foad-timestamp': timestamp, 'x-foad-signature': signature },
        payload: raw,
      });
      expect4xx(res, 401);
      expect(res.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    }
  });

  it('concurrent creation of the same SLA policy gives one 201 and 409s, never a 500', async () => {
    const body = { agencyId: tree.organisation.id, clock: '24x7', firstActionMinutes: 60, answerMinutes: 600 };
    const replies = await Promise.all(
      Array.from({ length: 8 }, () => h.app.inject({ method: 'POST', url: '/api/v1/admin/sla-policies', headers: admin.headers, payload: body })),
    );
    const statuses = replies.map((r) => r.statusCode);
    expect(
      statuses.every((s) => s < 500),
      JSON.stringify(replies.map((r) => r.json())),
    ).toBe(true);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
  });

  it('{"$ne":1} and other operator objects in a calendar are a 400 and add nothing', async () => {
    const before = await counts();
    for (const week of [{ $ne: 1 }, { $ne: [[0, 60]] }, { '1': { $ne: 1 } }, { '9': [[0, 60]] }]) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/admin/calendars',
        headers: admin.headers,
        payload: { code: `cal-${Object.keys(week)[0]!.replace(/\W/g, 'x')}`, nameFa: 'تقویم آزمون', week },
      });
      expect4xx(res);
      expect(res.json()).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    }
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/admin/calendars',
      headers: admin.headers,
      payload: { code: 'cal-tz', nameFa: 'تقویم آزمون', timezone: 'Mars/Olympus_Mons', week: { '1': [[480, 960]] } },
    });
    expect4xx(res);
    expect(await counts()).toEqual(before);
  });
});
