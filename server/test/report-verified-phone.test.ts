import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildTree, complaintBody, type Place, places, type StaffFixture, staff, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

/**
 * Report cards say how many complaints rest on a verified phone (issue 11). Office A gets 12
 * complaints, 4 filed by a 128 operator (caller id: verified) and 8 on the web form (typed:
 * not verified); office B gets 3, 1 of them by the operator. Every count is checked on the card
 * through the API, after the fold and again after a rebuild from the complaints.
 */
const T0 = new Date('2025-06-01T06:00:00Z'); // Sunday 11 Khordad 1404, 09:30 Tehran

let h: Harness;
let place: Place;
let tree: Tree;
let operator: StaffFixture;
let admin: StaffFixture;

async function file(countyId: number, byOperator: boolean) {
  const reply = await h.app.inject({
    method: 'POST',
    url: '/api/v1/complaints',
    payload: complaintBody(tree.organisation.id, countyId),
    ...(byOperator ? { headers: operator.headers } : {}),
  });
  expect(reply.statusCode).toBe(201);
}
async function staffCard() {
  const reply = await h.app.inject({ url: '/api/v1/reports/cards/1404-03', headers: admin.headers });
  expect(reply.statusCode).toBe(200);
  return reply.json();
}
type Entry = { id: number; measures: { received: number | null; verifiedPhone?: number | null; enoughData: boolean } };
function verifiedOf(card: { units: Entry[] }, unitId: number) {
  return card.units.find((u) => u.id === unitId)?.measures.verifiedPhone;
}
async function rollups() {
  await h.db.pool.query('SELECT report_rollups_fold()');
  const units = await h.db.pool.query(`SELECT * FROM report_rollups WHERE received <> 0 ORDER BY month_key, unit_id, manager_id, agency_id, province_id`);
  const areas = await h.db.pool.query(`SELECT * FROM report_area_rollups WHERE received <> 0 ORDER BY month_key, agency_id, province_id`);
  return { units: units.rows, areas: areas.rows };
}

beforeAll(async () => {
  h = await startHarness();
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place);
  operator = await staff(h.db, h.config, 'operator');
  admin = await staff(h.db, h.config, 'national_admin');
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
  for (let i = 0; i < 12; i++) await file(place.countyIds[0]!, i < 4);
  for (let i = 0; i < 3; i++) await file(place.countyIds[1]!, i < 1);
  vi.useRealTimers();
});
afterAll(() => h.close());

describe('verified-phone counts on report cards', () => {
  it('the staff card counts verified phones per office and in total', async () => {
    const card = await staffCard();
    expect(card.national.measures).toMatchObject({ received: 15, verifiedPhone: 5 });
    expect(verifiedOf(card, tree.countyOffices[0].id)).toBe(4);
    expect(verifiedOf(card, tree.countyOffices[1].id)).toBe(1);
    const agency = card.agencies.find((a: Entry) => a.id === tree.organisation.id);
    expect(agency.measures).toMatchObject({ received: 15, verifiedPhone: 5 });
  });

  it('the export carries the column', async () => {
    const csv = await h.app.inject({ url: '/api/v1/reports/cards/1404-03?format=csv', headers: admin.headers });
    const [header, national] = csv.body.replace(/^\uFEFF/, '').split('\r\n') as [string, string];
    const columns = header.split(',');
    const column = columns.indexOf('verifiedPhone');
    expect(column).toBe(columns.indexOf('received') + 1);
    expect(national.split(',')[column]).toBe('5');
  });

  it('the public card shows it for groups over the minimum only', async () => {
    const published = await h.app.inject({ method: 'POST', url: '/api/v1/admin/report-cards/1404-03/publish', headers: admin.headers, payload: {} });
    expect(published.statusCode).toBe(201);
    const card = (await h.app.inject({ url: '/api/v1/public/report-cards/1404-03' })).json();
    expect(card.national.measures).toMatchObject({ received: 15, verifiedPhone: 5 });
    for (const e of [...card.provinces, ...card.agencies, ...card.agencyProvinces] as Entry[])
      if (!e.measures.enoughData) expect(e.measures.verifiedPhone).toBeNull();
    // The printable page: a Persian column, Persian digits (national row: 15 received, 5 verified).
    const html = (await h.app.inject({ url: '/api/v1/public/report-cards/1404-03?format=html' })).body;
    expect(html).toContain('<th>با تلفن تأییدشده</th>');
    expect(html).toMatch(/>۱۵<\/td>\s*<td>۵<\/td>/);
  });

  it('a rebuild from the complaints gives the same rollups and the same card', async () => {
    const folded = await rollups();
    expect(folded.units.map((r) => r.verified_phone).sort()).toEqual([1, 4]);
    const before = await staffCard();
    await h.db.pool.query('SELECT report_rollups_rebuild()');
    expect(await rollups()).toEqual(folded);
    const after = await staffCard();
    expect(after.national.measures).toEqual(before.national.measures);
    expect(verifiedOf(after, tree.countyOffices[0].id)).toBe(4);
  });
});
