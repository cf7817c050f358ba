import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCommand } from '../src/complaints/apply-command.ts';
import { verifyComplaintChain } from '../src/complaints/verify-complaint-chain.ts';
import { addDays, drawSample, weekStartOf } from '../src/domain/follow-up-sample.ts';
import { jalaliDateOf, parsePeriod, tehranDay, tehranMidnight } from '../src/domain/jalali-periods.ts';
import { drawWeeklySample } from '../src/follow-up/draw-sample.ts';
import { closedCandidates } from '../src/follow-up/store.ts';
import { buildReportCard } from '../src/reports/build-report-card.ts';
import { buildTree, complaintBody, type Place, places, type StaffFixture, staff, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

let h: Harness;
let placeA: Place;
let placeB: Place;
let tree: Tree;
let head: StaffFixture;
let operatorA: StaffFixture;
let operatorB: StaffFixture;
let admin: StaffFixture;
const settings = { percent: 50, min: 1, max: 2, secret: 'test-secret' };
const closedAt = new Date();
// A week later the draw samples the week the complaints were closed in.
const drawAt = new Date(closedAt.getTime() + 7 * 86_400_000);

beforeAll(async () => {
  h = await startHarness();
  [placeA, placeB] = (await places(h.db.pool)) as [Place, Place];
  tree = await buildTree(h.db.pool, placeA, 'سازمان پیگیری');
  head = await staff(h.db, h.config, 'inspection_head', { unit: tree.directorate }, { inspectionHead: true });
  operatorA = await staff(h.db, h.config, 'operator', { provinceId: placeA.provinceId });
  operatorB = await staff(h.db, h.config, 'operator', { provinceId: placeB.provinceId });
  admin = await staff(h.db, h.config, 'national_admin');
  // Five closed complaints at the first county office, two at the second.
  for (const [county, n] of [
    [placeA.countyIds[0]!, 5],
    [placeA.countyIds[1]!, 2],
  ] as const) {
    for (let i = 0; i < n; i++) await fileAndClose(county);
  }
});
afterAll(async () => {
  await h?.close();
});

async function fileAndClose(countyId: number) {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/complaints',
    payload: complaintBody(tree.organisation.id, countyId),
    headers: { 'idempotency-key': `web-${randomBytes(8).toString('hex')}` },
  });
  expect(res.statusCode).toBe(201);
  const { id } = res.json() as { id: string };
  const answered = await h.app.inject({
    method: 'POST',
    url: `/api/v1/complaints/${id}/actions`,
    payload: { action: 'answer', text: 'باجه اکنون دو کارمند دارد و صف کوتاه شده است.' },
    headers: head.headers,
  });
  expect(answered.statusCode).toBe(200);
  await applyCommand(h.db, h.config, { id }, { kind: 'system', id: null }, () => ({ type: 'close_unrated' }), { now: closedAt });
  return id;
}

const due = (who: StaffFixture) => h.app.inject({ url: '/api/v1/follow-up-calls', headers: who.headers });
const record = (who: StaffFixture, id: number, payload: unknown) =>
  h.app.inject({ method: 'POST', url: `/api/v1/follow-up-calls/${id}/outcome`, payload: payload as object, headers: who.headers });

async function callRows() {
  return (await h.db.pool.query('SELECT id::int, complaint_id, unit_id, outcome, attempts FROM follow_up_calls ORDER BY id')).rows;
}
async function eventCount(complaintId: string) {
  return (await h.db.pool.query('SELECT count(*)::int AS n FROM complaint_events WHERE complaint_id = $1', [complaintId])).rows[0].n;
}

describe('satisfaction follow-up calls', () => {
  it('draws the week’s sample once, per unit, the same for the same inputs', async () => {
    const first = await drawWeeklySample(h.db, settings, drawAt);
    expect(first.weekStart).toBe(weekStartOf(tehranDay(drawAt)));
    // 50% of 5 is 3, capped at 2; 50% of 2 is 1.
    expect(first.calls).toBe(3);
    const rows = await callRows();
    const perUnit = (unitId: number) => rows.filter((r) => r.unit_id === unitId).length;
    expect(perUnit(tree.countyOffices[0].id)).toBe(2);
    expect(perUnit(tree.countyOffices[1].id)).toBe(1);

    // Again — and twice at once, as two instances would: nothing more is drawn.
    const again = await Promise.all([drawWeeklySample(h.db, settings, drawAt), drawWeeklySample(h.db, settings, new Date(drawAt.getTime() + 3_600_000))]);
    expect(again.map((a) => a.calls)).toEqual([null, null]);
    expect(await callRows()).toEqual(rows);

    // Reproducible: the pure draw over the same candidates gives exactly the stored sample.
    const weekStart = first.weekStart;
    const candidates = await closedCandidates(h.db.pool, tehranMidnight(addDays(weekStart, -7)), tehranMidnight(weekStart));
    expect(candidates).toHaveLength(7);
    const redrawn = drawSample(candidates, weekStart, settings.secret, settings);
    expect(redrawn.map((c) => c.complaintId).sort()).toEqual(rows.map((r) => r.complaint_id).sort());
    expect(drawSample([...candidates].reverse(), weekStart, settings.secret, settings)).toEqual(redrawn);
  });

  it('an operator of another province sees none and cannot record one', async () => {
    const mine = (await due(operatorA)).json().items;
    expect(mine).toHaveLength(3);
    expect(mine[0]).not.toHaveProperty('phone');
    expect((await due(operatorB)).json().items).toEqual([]);
    const res = await record(operatorB, mine[0].id, { outcome: 'reached_satisfied' });
    expect(res.statusCode).toBe(404);
    expect(await callRows()).toEqual(expect.arrayContaining([expect.objectContaining({ id: mine[0].id, outcome: null })]));
    // An agency's own staff do not make the calls.
    expect((await due(head)).statusCode).toBe(403);
  });

  it('a bad outcome is 400 and writes nothing', async () => {
    const [call] = (await due(operatorA)).json().items;
    const before = { rows: await callRows(), events: await eventCount(call.complaintId) };
    for (const payload of [
      { outcome: 'maybe' },
      { outcome: 'not_reachable' },
      { outcome: 'not_reachable', attempts: 0 },
      { outcome: 'reached_satisfied', extra: 1 },
    ]) {
      const res = await record(operatorA, call.id, payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
    }
    expect({ rows: await callRows(), events: await eventCount(call.complaintId) }).toEqual(before);
  });

  it('records each outcome as a chained event; the chain still verifies; once only', async () => {
    const calls = (await due(operatorA)).json().items as { id: number; complaintId: string }[];
    const outcomes = [{ outcome: 'reached_satisfied' }, { outcome: 'reached_not_satisfied' }, { outcome: 'not_reachable', attempts: 3 }];
    for (const [i, call] of calls.entries()) {
      const res = await record(operatorA, call.id, outcomes[i]);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ id: call.id, ...outcomes[i] });
      const { rows } = await h.db.pool.query(
        `SELECT actor_kind, actor_id, data FROM complaint_events WHERE complaint_id = $1 AND type = 'follow_up_recorded'`,
        [call.complaintId],
      );
      expect(rows).toEqual([{ actor_kind: 'staff', actor_id: operatorA.id, data: expect.objectContaining({ callId: call.id, ...outcomes[i] }) }]);
      expect(await verifyComplaintChain(h.db.pool, call.complaintId)).toMatchObject({ valid: true, projectionMatches: true, headMatches: true });
      const status = await h.db.pool.query('SELECT status FROM complaints WHERE id = $1', [call.complaintId]);
      expect(status.rows[0].status).toBe('closed');
    }
    expect((await due(operatorA)).json().items).toEqual([]);
    const twice = await record(operatorA, calls[0]!.id, { outcome: 'reached_not_satisfied' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.message).toMatch(/پیش‌تر ثبت شده/);
  });

  it('the report card counts the sample and the results per unit (staff card and public card)', async () => {
    const { jy, jm } = jalaliDateOf(tehranMidnight(weekStartOf(tehranDay(drawAt))));
    const period = `${jy}-${String(jm).padStart(2, '0')}`;
    const res = await h.app.inject({ url: `/api/v1/reports/cards/${period}`, headers: admin.headers });
    expect(res.statusCode).toBe(200);
    const rows = res.json().followUp as { unitId: number; sampled: number; reachedSatisfied: number; reachedNotSatisfied: number; notReachable: number }[];
    const mine = rows.filter((r) => r.unitId === tree.countyOffices[0].id || r.unitId === tree.countyOffices[1].id);
    const sum = (k: 'sampled' | 'reachedSatisfied' | 'reachedNotSatisfied' | 'notReachable') => mine.reduce((s, r) => s + r[k], 0);
    expect([sum('sampled'), sum('reachedSatisfied'), sum('reachedNotSatisfied'), sum('notReachable')]).toEqual([3, 1, 1, 1]);
    expect(mine.find((r) => r.unitId === tree.countyOffices[0].id)?.sampled).toBe(2);

    // The CSV export carries the same counts on each unit's row.
    const csv = await h.app.inject({ url: `/api/v1/reports/cards/${period}?format=csv`, headers: admin.headers });
    expect(csv.statusCode).toBe(200);
    const [header, ...lines] = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    const col = (name: string) => header!.indexOf(name);
    const unitRow = (id: number) => lines.find((l) => l[col('level')] === 'unit' && l[col('id')] === String(id));
    const calls = (id: number) =>
      ['follow_up_sampled', 'follow_up_reached_satisfied', 'follow_up_reached_not_satisfied', 'follow_up_not_reachable'].map((c) => unitRow(id)?.[col(c)]);
    for (const office of [tree.countyOffices[0], tree.countyOffices[1]]) {
      const t = mine.find((r) => r.unitId === office.id)!;
      expect(calls(office.id)).toEqual([t.sampled, t.reachedSatisfied, t.reachedNotSatisfied, t.notReachable].map(String));
    }
    // Other levels leave the columns blank.
    expect(lines.find((l) => l[col('level')] === 'national')![col('follow_up_sampled')]).toBe('');

    const publicCard = await buildReportCard(h.db.pool, {
      period: parsePeriod(period)!,
      audience: 'public',
      user: null,
      minComplaints: 1,
      now: h.config.clock.now(),
    });
    expect(publicCard.followUp.filter((r) => r.unitId === tree.countyOffices[1].id)).toHaveLength(1);
    // Counts only: no complaint, no tracking code, no phone.
    expect(JSON.stringify(publicCard.followUp)).not.toMatch(/complaint|tracking|phone|09\d{9}/i);
  });
});
