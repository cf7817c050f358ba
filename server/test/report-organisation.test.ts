import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { jalaliDateOf } from '../src/domain/jalali-periods.ts';
import { buildTree, complaintBody, type Place, places, type StaffFixture, staff, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

/**
 * Issue 12: report cards count the organisation, not whichever node the citizen picked.
 *
 * A tax organisation (ministry → organisation → Hamedan directorate → two county offices):
 * 12 complaints picked the organisation itself, 15 picked its first county office directly and
 * 3 picked the directorate. Before, the card's "agencies" held the organisation (12) and its own
 * office (15) side by side and ranked them against each other. Another organisation (12) is the
 * only real peer.
 */
const T0 = new Date('2025-06-01T06:00:00Z'); // 11 Khordad 1404, 09:30 Tehran
interface EntryJson {
  level: string;
  id: number;
  agencyId: number | null;
  provinceId: number | null;
  measures: { received: number | null; rank: number | null; peers: number | null };
}

let h: Harness;
let place: Place;
let tax: Tree;
let other: Tree;
let admin: StaffFixture;

async function file(agencyId: number, countyId: number, n: number) {
  for (let i = 0; i < n; i++) {
    const reply = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(agencyId, countyId) });
    expect(reply.statusCode).toBe(201);
  }
}

beforeAll(async () => {
  h = await startHarness();
  [place] = (await places(h.db.pool)) as [Place];
  tax = await buildTree(h.db.pool, place, 'سازمان امور مالیاتی');
  other = await buildTree(h.db.pool, place, 'سازمان ثبت');
  admin = await staff(h.db, h.config, 'national_admin');
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
  await file(tax.organisation.id, place.countyIds[0]!, 12);
  await file(tax.countyOffices[0].id, place.countyIds[0]!, 15);
  await file(tax.directorate.id, place.countyIds[1]!, 3);
  await file(other.organisation.id, place.countyIds[0]!, 12);
  vi.useRealTimers();
});
afterAll(() => h.close());

describe('report cards group by organisation', () => {
  it('the official card: one entry per organisation, the sum of its nodes, ranked only against organisations', async () => {
    const reply = await h.app.inject({ url: '/api/v1/reports/cards/1404-03', headers: admin.headers });
    expect(reply.statusCode).toBe(200);
    const card = reply.json();
    const agencies = card.agencies as EntryJson[];
    expect(agencies.map((a) => a.id).sort()).toEqual([tax.organisation.id, other.organisation.id].sort());
    const taxEntry = agencies.find((a) => a.id === tax.organisation.id)!;
    expect(taxEntry.measures.received).toBe(30);
    expect(taxEntry.measures.peers).toBe(2);
    // Drill-down: the organisation in the province (its directorate's level) and its offices.
    const inProvince = (card.agencyProvinces as EntryJson[]).filter((e) => e.agencyId === tax.organisation.id);
    expect(inProvince).toHaveLength(1);
    expect(inProvince[0]!.measures.received).toBe(30);
    const units = (card.units as EntryJson[]).filter((e) => e.agencyId === tax.organisation.id);
    expect(units.map((u) => [u.id, u.measures.received]).sort()).toEqual(
      [
        [tax.countyOffices[0].id, 27],
        [tax.countyOffices[1].id, 3],
      ].sort(),
    );
    expect(units.reduce((s, u) => s + (u.measures.received ?? 0), 0)).toBe(taxEntry.measures.received);
    // No office or directorate is ever an "agency".
    const nodes = [tax.countyOffices[0].id, tax.countyOffices[1].id, tax.directorate.id, tax.ministry.id];
    expect(agencies.filter((a) => nodes.includes(a.id))).toEqual([]);
  });

  it('the CSV export lists organisations as agencies', async () => {
    const reply = await h.app.inject({ url: '/api/v1/reports/cards/1404-03?format=csv', headers: admin.headers });
    expect(reply.statusCode).toBe(200);
    const agencyIds = reply.body
      .split('\n')
      .filter((line) => line.split(',')[1] === 'agency')
      .map((line) => Number(line.split(',')[2]));
    expect(agencyIds.sort()).toEqual([tax.organisation.id, other.organisation.id].sort());
  });

  it('the public card, rankings and the agency history: the organisation once, with every node’s complaints', async () => {
    const published = await h.app.inject({ method: 'POST', url: '/api/v1/admin/report-cards/1404-03/publish', headers: admin.headers, payload: {} });
    expect(published.statusCode).toBe(201);
    const card = (await h.app.inject({ url: '/api/v1/public/report-cards/1404-03' })).json();
    expect((card.agencies as EntryJson[]).map((a) => [a.id, a.measures.received]).sort()).toEqual(
      [
        [tax.organisation.id, 30],
        [other.organisation.id, 12],
      ].sort(),
    );
    const rankings = (await h.app.inject({ url: `/api/v1/public/rankings/1404-03?provinceId=${place.provinceId}` })).json();
    expect((rankings.agencies as EntryJson[]).map((a) => a.id).sort()).toEqual([tax.organisation.id, other.organisation.id].sort());
    expect((rankings.agencies as EntryJson[]).every((a) => a.measures.peers === 2)).toBe(true);
    const history = (await h.app.inject({ url: `/api/v1/public/agencies/${tax.organisation.id}/report-cards` })).json();
    expect(history.items.map((i: { measures: { received: number } }) => i.measures.received)).toEqual([30]);
    expect((await h.app.inject({ url: `/api/v1/public/agencies/${tax.countyOffices[0].id}/report-cards` })).json().items).toEqual([]);
  });

  it('the live dashboard’s busiest list counts the organisation once', async () => {
    await file(tax.organisation.id, place.countyIds[0]!, 2);
    await file(tax.countyOffices[0].id, place.countyIds[0]!, 3);
    const reply = await h.app.inject({ url: '/api/v1/live/dashboard', headers: admin.headers });
    expect(reply.statusCode).toBe(200);
    const busiest = reply.json().busiestAgencies as { agencyId: number; complaintsToday: number }[];
    expect(busiest.map((b) => b.agencyId)).not.toContain(tax.countyOffices[0].id);
    expect(busiest.find((b) => b.agencyId === tax.organisation.id)?.complaintsToday).toBe(5);
  });

  it('the rollups kept by the triggers equal a rebuild from the complaints', async () => {
    const snapshot = async () => {
      await h.db.pool.query('SELECT report_rollups_fold()');
      const areas = await h.db.pool.query('SELECT * FROM report_area_rollups WHERE received <> 0 ORDER BY month_key, agency_id, province_id');
      const units = await h.db.pool.query('SELECT * FROM report_rollups WHERE received <> 0 ORDER BY month_key, unit_id, manager_id, agency_id, province_id');
      return { areas: areas.rows, units: units.rows };
    };
    const before = await snapshot();
    await h.db.transaction((tx) => tx.query('SELECT report_rollups_rebuild()'));
    expect(await snapshot()).toEqual(before);
  });
});

describe('publishing only a finished period', () => {
  it('refuses the current month, season and year (and a future one) with a bilingual 422, and publishes nothing', async () => {
    const { jy, jm } = jalaliDateOf(new Date());
    for (const key of [`${jy}-${String(jm).padStart(2, '0')}`, `${jy}-Q${Math.ceil(jm / 3)}`, `${jy}`, `${jy + 1}`]) {
      const reply = await h.app.inject({ method: 'POST', url: `/api/v1/admin/report-cards/${key}/publish`, headers: admin.headers, payload: {} });
      expect(reply.statusCode).toBe(422);
      const error = reply.json().error;
      expect(error.code).toBe('period_not_finished');
      expect(error.messages.fa).toMatch(/[\u0600-\u06FF]/);
      expect(error.messages.en).toMatch(/not over/);
      const versions = await h.app.inject({ url: `/api/v1/admin/report-cards/${key}/versions`, headers: admin.headers });
      expect(versions.json().items).toEqual([]);
    }
  });
});
