import { afterAll, beforeAll, expect, it } from 'vitest';
import { objectToRejection, rateComplaint } from '../src/complaints/rate-complaint.ts';
import { ManualClock } from '../src/core/clock.ts';
import { AppError } from '../src/core/errors.ts';
import { buildTree, complaintBody, type Place, places, type StaffFixture, staff, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

/*
 * The citizen's rating and objection as use cases (complaints/rate-complaint.ts), called
 * directly rather than over HTTP: the change happens at the injected clock's time (events,
 * deadline and timers alike), reopens one level up, and bad input writes nothing.
 */

let h: Harness;
let place: Place;
let tree: Tree;
let leader: StaffFixture;
let head: StaffFixture;
// Ahead of the wall clock, so a change stamped with `new Date()` would land before its own intake.
const clock = new ManualClock(new Date('2027-01-10T06:00:00Z'));
const DAY = 24 * 3600_000;

beforeAll(async () => {
  h = await startHarness();
  h.config.clock = clock;
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place);
  leader = await staff(h.db, h.config, 'leader_county', { unit: tree.countyOffices[0] });
  head = await staff(h.db, h.config, 'inspection_head', { unit: tree.countyOffices[0] });
});
afterAll(() => h.close());

async function fileAnd(action: { action: 'answer'; text: string } | { action: 'reject'; reason: string }): Promise<string> {
  const filed = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(tree.organisation.id, place.countyIds[0]!) });
  expect(filed.statusCode).toBe(201);
  const id: string = filed.json().id;
  const acted = await h.app.inject({
    method: 'POST',
    url: `/api/v1/complaints/${id}/actions`,
    headers: (action.action === 'answer' ? leader : head).headers,
    payload: action,
  });
  expect(acted.statusCode).toBe(200);
  return id;
}

async function row(id: string) {
  const { rows } = await h.db.pool.query<{ status: string; unit_id: number; dissatisfied_count: number; due_at: Date | null; last_seq: number }>(
    'SELECT status, unit_id, dissatisfied_count, due_at, last_seq FROM complaints WHERE id = $1',
    [id],
  );
  return rows[0]!;
}

async function lastEvent(id: string) {
  const { rows } = await h.db.pool.query<{ type: string; created_at: Date; data: { dueAt?: string; toUnitId?: number; comment?: string } }>(
    'SELECT type, created_at, data FROM complaint_events WHERE complaint_id = $1 ORDER BY seq DESC LIMIT 1',
    [id],
  );
  return rows[0]!;
}

async function chainIsValid(id: string) {
  const auditor = await staff(h.db, h.config, 'auditor');
  const verify = await h.app.inject({ url: `/api/v1/complaints/${id}/verify`, headers: auditor.headers });
  expect(verify.json()).toMatchObject({ valid: true, projectionMatches: true });
}

it('“not satisfied” reopens one level up at the clock’s time, with a deadline counted from it', async () => {
  const id = await fileAnd({ action: 'answer', text: 'کارمند جایگزین مستقر شد و کار شما انجام شد.' });
  clock.advance(2 * DAY);
  const at = clock.now();

  expect(await rateComplaint(h.db, h.config, id, { satisfied: false, comment: 'هنوز  کسی نیست' })).toEqual({ status: 'referred' });

  const c = await row(id);
  expect(c).toMatchObject({ status: 'referred', unit_id: tree.directorate.id, dissatisfied_count: 1 });
  const event = await lastEvent(id);
  expect(event.type).toBe('rated_not_satisfied');
  expect(event.created_at.toISOString()).toBe(at.toISOString());
  expect(event.data.toUnitId).toBe(tree.directorate.id);
  expect(event.data.comment).toBe('هنوز کسی نیست');
  // The deadline lies after the clock's time, and the row and the directorate's new timer hold it.
  expect(new Date(event.data.dueAt!).getTime()).toBeGreaterThan(at.getTime());
  expect(c.due_at?.toISOString()).toBe(new Date(event.data.dueAt!).toISOString());
  const timers = await h.db.pool.query<{ due_at: Date }>(
    "SELECT due_at FROM sla_timers WHERE complaint_id = $1 AND unit_id = $2 AND kind = 'answer' AND fired_at IS NULL",
    [id, tree.directorate.id],
  );
  expect(timers.rows.length).toBeGreaterThan(0);
  for (const t of timers.rows) expect(t.due_at.toISOString()).toBe(c.due_at?.toISOString());
  await chainIsValid(id);
});

it('“satisfied” closes the complaint at the clock’s time', async () => {
  const id = await fileAnd({ action: 'answer', text: 'کارمند جایگزین مستقر شد و کار شما انجام شد.' });
  clock.advance(DAY);
  expect(await rateComplaint(h.db, h.config, id, { satisfied: true })).toEqual({ status: 'closed' });
  const event = await lastEvent(id);
  expect(event.type).toBe('rated_satisfied');
  expect(event.created_at.toISOString()).toBe(clock.now().toISOString());
  await chainIsValid(id);
});

it('bad input writes nothing: indicators with “satisfied”, an unknown indicator, a second rating', async () => {
  const id = await fileAnd({ action: 'answer', text: 'کارمند جایگزین مستقر شد و کار شما انجام شد.' });
  const before = await row(id);
  const code = (await h.db.pool.query<{ code: string }>('SELECT code FROM quality_indicators WHERE active ORDER BY code LIMIT 1')).rows[0]!.code;
  const refused = async (rating: Parameters<typeof rateComplaint>[3]) => {
    const error = await rateComplaint(h.db, h.config, id, rating).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).code;
  };
  expect(await refused({ satisfied: true, indicators: [code] })).toBe('validation_failed');
  expect(await refused({ satisfied: false, indicators: [code, 'no_such_indicator'] })).toBe('unknown_indicator');
  expect(await row(id)).toEqual(before);

  expect(await rateComplaint(h.db, h.config, id, { satisfied: true })).toEqual({ status: 'closed' });
  const closed = await row(id);
  expect(await refused({ satisfied: false })).toBe('invalid_transition');
  expect(await row(id)).toEqual(closed);
});

it('an objection to a rejection reopens one level up at the clock’s time', async () => {
  const id = await fileAnd({ action: 'reject', reason: 'خارج از صلاحیت این اداره است.' });
  clock.advance(DAY);
  expect(await objectToRejection(h.db, h.config, id, 'این کار در صلاحیت همین اداره است.')).toEqual({ status: 'referred' });
  expect(await row(id)).toMatchObject({ status: 'referred', unit_id: tree.directorate.id });
  const event = await lastEvent(id);
  expect(event.type).toBe('objected');
  expect(event.created_at.toISOString()).toBe(clock.now().toISOString());
  expect(new Date(event.data.dueAt!).getTime()).toBeGreaterThan(clock.now().getTime());
  await chainIsValid(id);
});

it('a rating after the satisfaction window is refused once the clock passes it, before any sweep and without rewriting rows', async () => {
  const inTime = await fileAnd({ action: 'answer', text: 'کارمند جایگزین مستقر شد و کار شما انجام شد.' });
  const late = await fileAnd({ action: 'answer', text: 'کارمند جایگزین مستقر شد و کار شما انجام شد.' });
  const timers = async (id: string) =>
    (await h.db.pool.query('SELECT id, kind, stage, fire_at, fired_at FROM sla_timers WHERE complaint_id = $1 ORDER BY id', [id])).rows;
  const expiry = (await timers(late)).find((t) => t.kind === 'satisfaction' && t.stage === 'expiry')!.fire_at as Date;
  // The window is the policy's (72 hours by default), counted from the answer at the clock's time.
  expect(expiry.getTime() - clock.now().getTime()).toBe(72 * 3600_000);
  const before = { row: await row(late), timers: await timers(late) };

  clock.set(new Date(expiry.getTime() - 60_000));
  expect(await rateComplaint(h.db, h.config, inTime, { satisfied: true })).toEqual({ status: 'closed' });

  clock.set(new Date(expiry.getTime() + 60_000));
  for (const rating of [{ satisfied: true }, { satisfied: false }]) {
    const error = await rateComplaint(h.db, h.config, late, rating).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('rating_window_closed');
  }
  // Nothing rewritten: the row and its timers are as the answer left them (the sweeper closes it as unrated in its own time).
  expect({ row: await row(late), timers: await timers(late) }).toEqual(before);
  expect(before.row.status).toBe('answered');
});
