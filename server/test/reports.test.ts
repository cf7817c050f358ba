import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { applyCommand } from '../src/complaints/apply-command.ts';
import { unitAbove } from '../src/complaints/staff-actions.ts';
import { reportMonths } from '../src/domain/jalali-periods.ts';
import { bucketOf, bucketValue } from '../src/reports/histogram.ts';
import { deadlineAt } from '../src/sla/deadline.ts';
import { sweepOnce } from '../src/sla/sweeper-worker.ts';
import { buildTree, complaintBody, type Place, places, type StaffFixture, staff, type Tree, urgentCategory } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

/**
 * A hand-built month with known answers: every complaint goes through the real intake, staff
 * actions, citizen rating and SLA sweeper, on a controlled clock (only Date is faked).
 *
 * Office A (12 complaints, filed 11 Khordad 1404 09:30 Tehran):
 *   A1–A4  assigned +10 min, answered +60 min, rated satisfied
 *   A5     assigned +10 min, answered +60 min, not satisfied → directorate answers at +240 min → closed unrated
 *   A6     assigned +10 min, answered +60 min, never rated → closed unrated by the sweeper
 *   A7–A8  rejected at +30 min
 *   A9–A12 untouched → first-action deadline breached → escalated to the directorate
 * Office B (3 complaints): untouched → breached and escalated; too few for measures.
 */
const T0 = new Date('2025-06-01T06:00:00Z'); // Sunday 11 Khordad 1404, 09:30 Tehran
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

let h: Harness;
let place: Place;
let otherPlace: Place;
let tree: Tree;
let headA: StaffFixture;
let headB: StaffFixture;
let directorateHead: StaffFixture;
let supervisor: StaffFixture;
let otherSupervisor: StaffFixture;
let responder: StaffFixture;
let admin: StaffFixture;
const ids: Record<string, string> = {};
const phones: string[] = [];
let categoryId: number;

function act(who: StaffFixture, id: string, body: Record<string, unknown>) {
  return h.app.inject({ method: 'POST', url: `/api/v1/complaints/${id}/actions`, headers: who.headers, payload: body });
}
function rate(id: string, satisfied: boolean) {
  return applyCommand(h.db, h.config, { id }, { kind: 'citizen', id: null }, async (c, tx) => {
    if (satisfied) return { type: 'rate', satisfied: true, comment: null };
    const toUnitId = await unitAbove(tx, c);
    return { type: 'rate', satisfied: false, comment: null, toUnitId, dueAt: await deadlineAt(tx, c, toUnitId, new Date()) };
  });
}
/** Some complaints name an employee: report cards count them like the others and never show the name. */
const NAMED = 'آقای دکتر بهرامی';
async function file(name: string, countyId: number) {
  const body = complaintBody(tree.organisation.id, countyId, { categoryId, ...(['A1', 'A2', 'A3'].includes(name) ? { namedEmployee: NAMED } : {}) });
  phones.push(body.contact.phone.slice(-7));
  const filed = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: body });
  expect(filed.statusCode).toBe(201);
  ids[name] = filed.json().id;
}
async function card(who: StaffFixture, period = '1404-03') {
  const reply = await h.app.inject({ url: `/api/v1/reports/cards/${period}`, headers: who.headers });
  expect(reply.statusCode).toBe(200);
  return reply.json();
}
async function rollupSnapshot() {
  await h.db.pool.query('SELECT report_rollups_fold()');
  const { rows } = await h.db.pool.query(`SELECT * FROM report_rollups WHERE received <> 0 ORDER BY month_key, unit_id, manager_id, agency_id, province_id`);
  const indicators = await h.db.pool.query(
    `SELECT * FROM report_indicator_rollups WHERE received <> 0 ORDER BY month_key, agency_id, province_id, indicator_id`,
  );
  const areas = await h.db.pool.query(`SELECT * FROM report_area_rollups WHERE received <> 0 ORDER BY month_key, agency_id, province_id`);
  return { rows, areas: areas.rows, indicators: indicators.rows };
}

beforeAll(async () => {
  h = await startHarness();
  [place, otherPlace] = (await places(h.db.pool)) as [Place, Place];
  tree = await buildTree(h.db.pool, place);
  headA = await staff(h.db, h.config, 'inspection_head', { unit: tree.countyOffices[0] }, { inspectionHead: true });
  headB = await staff(h.db, h.config, 'inspection_head', { unit: tree.countyOffices[1] }, { inspectionHead: true });
  directorateHead = await staff(h.db, h.config, 'inspection_head', { unit: tree.directorate }, { inspectionHead: true });
  responder = await staff(h.db, h.config, 'responder', { unit: tree.countyOffices[0] });
  supervisor = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: place.provinceId });
  otherSupervisor = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: otherPlace.provinceId });
  admin = await staff(h.db, h.config, 'national_admin');
  categoryId = (await urgentCategory(h.db.pool)).id;

  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
  for (let i = 1; i <= 12; i++) await file(`A${i}`, place.countyIds[0]!);
  for (let i = 1; i <= 3; i++) await file(`B${i}`, place.countyIds[1]!);
  vi.setSystemTime(at(10));
  for (let i = 1; i <= 6; i++) expect((await act(headA, ids[`A${i}`]!, { action: 'assign', assigneeId: headA.id })).statusCode).toBe(200);
  vi.setSystemTime(at(30));
  for (const n of ['A7', 'A8']) expect((await act(headA, ids[n]!, { action: 'reject', reason: 'خارج از حیطهٔ این اداره است.' })).statusCode).toBe(200);
  vi.setSystemTime(at(60));
  for (let i = 1; i <= 6; i++)
    expect((await act(headA, ids[`A${i}`]!, { action: 'answer', text: 'کار شما انجام شد و به کارمند تذکر داده شد.' })).statusCode).toBe(200);
  vi.setSystemTime(at(70));
  for (let i = 1; i <= 4; i++) await rate(ids[`A${i}`]!, true);
  await rate(ids.A5!, false);
  vi.setSystemTime(at(240));
  expect((await act(directorateHead, ids.A5!, { action: 'answer', text: 'پیگیری شد و کار در استان انجام شد.' })).statusCode).toBe(200);
  // Ten days later the sweeper breaches the untouched complaints and closes the unrated answers.
  vi.setSystemTime(at(10 * 24 * 60));
  await sweepOnce(h.db, { settings: h.config, batchSize: 1000 });
  vi.useRealTimers();
});
afterEach(() => vi.useRealTimers());
afterAll(() => h.close());

describe('report rollups and measures on a hand-built month', () => {
  it('the sweeper did what the story says', async () => {
    const { rows } = await h.db.pool.query<{ id: string; status: string; outcome: string | null; breach_count: number }>(
      'SELECT id, status, outcome, breach_count FROM complaints',
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(ids.A6!)).toMatchObject({ status: 'closed', outcome: 'no_rating' });
    expect(byId.get(ids.A5!)).toMatchObject({ status: 'closed', outcome: 'no_rating' });
    for (const n of ['A9', 'A10', 'A11', 'A12', 'B1']) expect(byId.get(ids[n]!)).toMatchObject({ status: 'referred', breach_count: 1 });
  });

  it('gives the known answers for office A, its manager, and "not enough data" for office B', async () => {
    const c = await card(admin);
    const a = c.units.find((u: { id: number }) => u.id === tree.countyOffices[0].id).measures;
    expect(a).toMatchObject({
      enoughData: true,
      received: 12,
      open: 4,
      answered: 6,
      answeredInSlaRate: 0.5,
      breaches: 4,
      escalations: 4,
      escalationRate: 0.3333,
      satisfactionRate: 0.8,
      dissatisfactionRate: 0.2,
      reopenRate: 0.0833,
      noRatingRate: 0.2857,
      receivedPer1000Services: null,
      sizeBand: 'unknown',
    });
    // Times from the histogram: the reported value is the bucket's geometric middle (±9%).
    expect(a.firstActionMedianMinutes).toBe(Math.round(bucketValue(bucketOf(10)) * 10) / 10);
    expect(a.firstActionMedianMinutes).toBeGreaterThan(10 / 1.0905);
    expect(a.firstActionMedianMinutes).toBeLessThan(10 * 1.0905);
    expect(a.answerMedianMinutes).toBe(Math.round(bucketValue(bucketOf(60)) * 10) / 10);
    expect(a.answerP90Minutes).toBe(Math.round(bucketValue(bucketOf(240)) * 10) / 10);
    expect(a.score).toBeCloseTo(100 * (0.35 * 0.5 + 0.35 * 0.8 + 0.15 * (1 - 0.0833) + 0.15 * (1 - 0.3333)), 0);

    const b = c.units.find((u: { id: number }) => u.id === tree.countyOffices[1].id).measures;
    expect(b).toMatchObject({ enoughData: false, received: 3, score: null, answeredInSlaRate: null, rank: null });

    // A5 reopened at the directorate, A9–A12 escalated there: all stay on office A's record.
    expect(c.units.find((u: { id: number }) => u.id === tree.directorate.id)).toBeUndefined();
    const manager = c.managers.find((m: { id: number }) => m.id === headA.id);
    expect(manager.measures.received).toBe(12);
    const agencyInProvince = c.agencyProvinces.find((e: { agencyId: number }) => e.agencyId === tree.organisation.id);
    expect(agencyInProvince.measures).toMatchObject({ received: 15, breaches: 7, rank: 1, peers: 1 });
    expect(agencyInProvince.provinceRank).toEqual({ rank: 1, peers: 1 });
    const province = c.provinces.find((p: { id: number }) => p.id === place.provinceId);
    expect(province.measures.receivedPer100k).toBeGreaterThan(0);
    expect(c.national.measures.received).toBe(15);
    // Citizens' ratings score the indicator of the category.
    const indicator = c.indicators.find((i: { received: number | null }) => i.received === 15);
    expect(indicator).toMatchObject({ rated: 5, satisfactionRate: 0.8, score: 80 });
    expect(c.pillars.find((p: { pillar: string }) => p.pillar === indicator.pillar).score).toBe(80);
  });

  it('a quarter and a year add up the same months; other months are empty', async () => {
    const quarter = await card(admin, '1404-Q1');
    const year = await card(admin, '1404');
    expect(quarter.national.measures.received).toBe(15);
    expect(year.national.measures.received).toBe(15);
    expect((await card(admin, '1404-04')).national.measures.received).toBe(0);
  });

  it('incremental rollups equal a rebuild from the complaints', async () => {
    const incremental = await rollupSnapshot();
    await h.db.transaction((tx) => tx.query('SELECT report_rollups_rebuild()'));
    expect(await rollupSnapshot()).toEqual(incremental);
  });

  it('a card folds the changes committed before it; with none pending the fold does nothing', async () => {
    const pending = async () => (await h.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM report_rollup_deltas')).rows[0]!.n;
    expect((await card(admin, '1404-06')).national.measures.received).toBe(0);
    expect((await h.db.pool.query('SELECT report_rollups_fold() AS n')).rows[0].n).toBe(0);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-09-01T08:00:00Z')); // 10 Shahrivar 1404
    await file('S1', place.countyIds[0]!);
    await file('S2', place.countyIds[1]!);
    vi.useRealTimers();
    expect(await pending()).toBe(2);
    const after = await card(admin, '1404-06');
    expect(after.national.measures.received).toBe(2);
    expect(after.units.map((u: { id: number }) => u.id).sort()).toEqual([tree.countyOffices[0].id, tree.countyOffices[1].id].sort());
    expect(await pending()).toBe(0);
  });

  it('the rollup month table matches jalaali-js and Tehran time', async () => {
    const { rows } = await h.db.pool.query<{ monthKey: number; startsAt: Date; endsAt: Date; days: number }>(
      'SELECT month_key AS "monthKey", starts_at AS "startsAt", ends_at AS "endsAt", days FROM jalali_months ORDER BY month_key',
    );
    expect(rows).toEqual(reportMonths());
  });

  it('services delivered give rates per 1,000 services and a size band', async () => {
    const saved = await h.app.inject({
      method: 'PUT',
      url: '/api/v1/admin/service-volumes',
      headers: admin.headers,
      payload: { items: [{ unitId: tree.countyOffices[0].id, month: '1404-03', services: 4000, source: 'counter system' }] },
    });
    expect(saved.json()).toEqual({ saved: 1 });
    const a = (await card(admin)).units.find((u: { id: number }) => u.id === tree.countyOffices[0].id).measures;
    expect(a).toMatchObject({ servicesDelivered: 4000, receivedPer1000Services: 3, sizeBand: 's' });
  });
});

describe('official report cards are scoped in SQL', () => {
  it('a county office head sees only their office; the directorate head both; supervisors their province', async () => {
    const unitsOf = async (who: StaffFixture) => (await card(who)).units.map((u: { id: number }) => u.id).sort();
    expect(await unitsOf(headB)).toEqual([tree.countyOffices[1].id]);
    expect((await card(headB)).national.measures.received).toBe(3);
    expect(await unitsOf(directorateHead)).toEqual([tree.countyOffices[0].id, tree.countyOffices[1].id].sort());
    expect(await unitsOf(supervisor)).toEqual([tree.countyOffices[0].id, tree.countyOffices[1].id].sort());
    expect(await unitsOf(otherSupervisor)).toEqual([]);
    expect((await card(otherSupervisor)).managers).toEqual([]);
  });

  it('official cards carry the period’s confirmed enforcement actions and inspection findings, in scope', async () => {
    const office = tree.countyOffices[0];
    const inMonth = at(60 * 24 * 5).toISOString();
    await h.db.pool.query(
      `INSERT INTO enforcement_actions (kind, manager_id, unit_id, unit_path, province_id, period, evidence, proposed_by, proposed_at, reply_due_at, status, decided_by, decided_at, decision_reason, evidence_url)
       VALUES ('warning', $1, $2, $3, $4, '1404-02', '{}', $5, $6, $6, 'confirmed', $5, $6, 'breaches above the threshold', 'https://128.example/evidence/1'),
              ('commendation', $1, $2, $3, $4, '1404-02', '{}', $5, $6, $6, 'dropped', $5, $6, 'not supported', 'https://128.example/evidence/2')`,
      [headA.id, office.id, office.path, place.provinceId, supervisor.id, inMonth],
    );
    const indicator = (await h.db.pool.query('SELECT id, code FROM quality_indicators ORDER BY sort_order LIMIT 1')).rows[0];
    const inspection = await h.db.pool.query(
      `INSERT INTO inspections (unit_id, unit_path, province_id, inspector_id, dispatched_by, reason, random_seed, status, visited_at, filed_at)
       VALUES ($1, $2, $3, $4, $4, 'random', 'seed', 'filed', $5, $5) RETURNING id`,
      [office.id, office.path, place.provinceId, supervisor.id, inMonth],
    );
    await h.db.pool.query('INSERT INTO inspection_findings (inspection_id, indicator_id, score) VALUES ($1, $2, 40)', [inspection.rows[0].id, indicator.id]);

    const official = await card(admin);
    expect(official.enforcement).toEqual([
      { unitId: office.id, unitNameFa: office.nameFa, managerId: headA.id, managerName: expect.any(String), kind: 'warning', count: 1 },
    ]);
    expect(official.inspections).toEqual([
      {
        unitId: office.id,
        unitNameFa: office.nameFa,
        indicatorId: indicator.id,
        indicatorCode: indicator.code,
        inspections: 1,
        averageScore: 40,
        minScore: 40,
      },
    ]);
    expect((await card(headA)).enforcement).toHaveLength(1);
    expect((await card(headB)).enforcement).toEqual([]);
    expect((await card(headB)).inspections).toEqual([]);
    expect((await card(otherSupervisor)).inspections).toEqual([]);
    expect((await card(admin, '1404-04')).enforcement).toEqual([]);
  });

  it('responders have no report cards; signing in is required', async () => {
    expect((await h.app.inject({ url: '/api/v1/reports/cards/1404-03', headers: responder.headers })).statusCode).toBe(403);
    expect((await h.app.inject({ url: '/api/v1/reports/cards/1404-03' })).statusCode).toBe(401);
    expect((await h.app.inject({ url: '/api/v1/reports/cards/1404-13', headers: admin.headers })).json().error.code).toBe('invalid_period');
  });
});

describe('publishing, corrections and open data', () => {
  it('freezes a snapshot; a correction is a new version with the old one kept', async () => {
    expect((await h.app.inject({ url: '/api/v1/public/report-cards/1404-03' })).statusCode).toBe(404);
    const first = await h.app.inject({ method: 'POST', url: '/api/v1/admin/report-cards/1404-03/publish', headers: admin.headers, payload: {} });
    expect(first.statusCode).toBe(201);
    expect(first.json().public.version).toBe(1);
    const v1 = (await h.app.inject({ url: '/api/v1/public/report-cards/1404-03' })).json();
    expect(v1.national.measures.received).toBe(15);

    // A late change (B1 answered) moves the live card, not the published one.
    await act(directorateHead, ids.B1!, { action: 'answer', text: 'پاسخ دیرهنگام ادارهٔ کل.' });
    expect((await h.app.inject({ url: '/api/v1/public/report-cards/1404-03' })).json().national.measures.answered).toBe(v1.national.measures.answered);

    const noNote = await h.app.inject({ method: 'POST', url: '/api/v1/admin/report-cards/1404-03/publish', headers: admin.headers, payload: {} });
    expect(noNote.json().error.code).toBe('correction_note_required');
    const second = await h.app.inject({
      method: 'POST',
      url: '/api/v1/admin/report-cards/1404-03/publish',
      headers: admin.headers,
      payload: { note: 'پاسخ دیرهنگام یک شکایت افزوده شد.' },
    });
    expect(second.json().public.version).toBe(2);
    expect((await h.app.inject({ url: '/api/v1/public/report-cards/1404-03' })).json().national.measures.answered).toBe(v1.national.measures.answered + 1);
    expect((await h.app.inject({ url: '/api/v1/public/report-cards/1404-03?version=1' })).json()).toEqual(v1);
    const versions = await h.app.inject({ url: '/api/v1/admin/report-cards/1404-03/versions', headers: admin.headers });
    expect(versions.json().items.map((v: { version: number; supersededAt: string | null }) => [v.version, v.supersededAt === null])).toEqual([
      [2, true],
      [1, false],
    ]);
  });

  it('public outputs carry no personal data: no managers, no units, no phones or texts', async () => {
    const outputs = [
      await h.app.inject({ url: '/api/v1/public/report-cards/1404-03' }),
      await h.app.inject({ url: '/api/v1/public/report-cards/1404-03?format=csv' }),
      await h.app.inject({ url: '/api/v1/public/report-cards/1404-03?format=html' }),
      await h.app.inject({ url: '/api/v1/public/rankings/1404-03' }),
      await h.app.inject({ url: `/api/v1/public/rankings/1404-03?provinceId=${place.provinceId}` }),
      await h.app.inject({ url: `/api/v1/public/agencies/${tree.organisation.id}/report-cards` }),
      await h.app.inject({ url: '/api/v1/public/map/1404-03?measure=satisfactionRate' }),
    ];
    const { rows: staffNames } = await h.db.pool.query<{ display_name: string; username: string }>('SELECT display_name, username FROM staff_users');
    // The month's data does name an employee (A1–A3), so its absence below means something.
    const named = await h.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM complaints WHERE named_employee = 'بهرامی'`);
    expect(named.rows[0]!.n).toBe(3);
    for (const reply of outputs) {
      expect(reply.statusCode).toBe(200);
      const text = reply.body;
      for (const phone of phones) expect(text).not.toContain(phone);
      for (const s of staffNames) expect(text).not.toContain(s.username);
      for (const s of staffNames) expect(text).not.toContain(s.display_name);
      expect(text).not.toContain('تذکر داده شد');
      expect(text).not.toContain(tree.countyOffices[0].nameFa);
      expect(text).not.toContain('بهرامی');
    }
    const card = outputs[0]!.json();
    expect(card.units).toEqual([]);
    expect(card.managers).toEqual([]);
    // Groups below the minimum show no counts at all.
    for (const e of [...card.provinces, ...card.agencies, ...card.agencyProvinces]) {
      if (!e.measures.enoughData) expect(e.measures.received).toBeNull();
    }
  });

  it('serves rankings, history, the map and the measure definitions', async () => {
    const ranking = (await h.app.inject({ url: `/api/v1/public/rankings/1404-03?provinceId=${place.provinceId}` })).json();
    expect(ranking.agencies[0]).toMatchObject({ agencyId: tree.organisation.id, measures: { rank: 1 } });
    const history = (await h.app.inject({ url: `/api/v1/public/agencies/${tree.organisation.id}/report-cards` })).json();
    expect(history.items.map((i: { period: string; version: number }) => [i.period, i.version])).toEqual([['1404-03', 2]]);
    const map = (await h.app.inject({ url: '/api/v1/public/map/1404-03' })).json();
    expect(map.provinces.find((p: { provinceId: number }) => p.provinceId === place.provinceId).value).toBeGreaterThan(0);
    const measures = (await h.app.inject({ url: '/api/v1/public/measures' })).json();
    expect(measures.scoreFormula).toContain('0.35');
    expect(measures.markdown).toContain('# ');
    expect(measures.measures.map((m: { field: string }) => m.field)).toContain('answerP90Minutes');
  });

  it('exports CSV, XLSX and a printable page', async () => {
    const csv = await h.app.inject({ url: '/api/v1/reports/cards/1404-03?format=csv', headers: admin.headers });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')[0]).toContain('period,level,id,name_fa');
    expect(csv.body).toContain(tree.countyOffices[0].nameFa);
    const xlsx = await h.app.inject({ url: '/api/v1/reports/cards/1404-03?format=xlsx', headers: admin.headers });
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const html = await h.app.inject({ url: '/api/v1/public/report-cards/1404-03?format=html' });
    expect(html.body).toContain('dir="rtl"');
    expect(html.body).toContain('خرداد ۱۴۰۴');
  });
});

describe('the national centre configures the indicators', () => {
  it('remaps a category: new complaints count under the new indicator, classified ones keep theirs', async () => {
    const created = await h.app.inject({
      method: 'POST',
      url: '/api/v1/admin/indicators',
      headers: admin.headers,
      payload: { code: 'report_test_indicator', pillar: 'dignity', nameFa: 'شاخص آزمایشی', nameEn: 'Test indicator' },
    });
    expect(created.statusCode).toBe(201);
    const indicatorId = created.json().id;
    const weighted = await h.app.inject({ method: 'PATCH', url: `/api/v1/admin/indicators/${indicatorId}`, headers: admin.headers, payload: { weight: 2 } });
    expect(weighted.json()).toMatchObject({ id: indicatorId, weight: 2, pillar: 'dignity' });
    expect(
      (await h.app.inject({ method: 'PATCH', url: '/api/v1/admin/indicators/999999', headers: admin.headers, payload: { weight: 1 } })).json().error.code,
    ).toBe('unknown_indicator');
    const { rows: before } = await h.db.pool.query<{ indicator: number }>('SELECT report_indicator_id AS indicator FROM complaints WHERE id = $1', [ids.A1]);

    const remapped = await h.app.inject({ method: 'PATCH', url: `/api/v1/admin/categories/${categoryId}`, headers: admin.headers, payload: { indicatorId } });
    expect(remapped.json()).toMatchObject({ id: categoryId, indicatorId });
    await file('C1', place.countyIds[0]!);
    const { rows } = await h.db.pool.query<{ id: string; indicator: number }>(
      'SELECT id, report_indicator_id AS indicator FROM complaints WHERE id = ANY($1::uuid[])',
      [[ids.A1, ids.C1]],
    );
    const indicatorOf = new Map(rows.map((r) => [r.id, r.indicator]));
    expect(indicatorOf.get(ids.C1!)).toBe(indicatorId);
    expect(indicatorOf.get(ids.A1!)).toBe(before[0]!.indicator);
    expect(
      (await h.app.inject({ method: 'PATCH', url: `/api/v1/admin/categories/${categoryId}`, headers: headA.headers, payload: { active: true } })).statusCode,
    ).toBe(403);
  });
});
