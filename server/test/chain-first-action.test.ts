import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyComplaintChain } from '../src/complaints/verify-complaint-chain.ts';
import { sweepOnce } from '../src/sla/sweeper-worker.ts';
import { buildTree, complaintBody, type Place, places, type StaffFixture, staff, type Tree, urgentCategory } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';
import { makeStageDue } from './sla-timers.ts';

/**
 * The first-action deadline is in the chain: each referral event (intake, a staff action, the
 * sweeper's escalation) carries the deadline its first-action clock runs to, equal to the
 * millisecond to the complaint row's and the timer's, and verify holds both to it. The urgent
 * policy runs on the business clock: during Tehran working hours a deadline keeps the
 * milliseconds of the moment it was planned at (two clock readings would differ), outside them
 * it starts at the next opening.
 */
const WORKING = new Date('2025-06-01T06:00:00.123Z'); // Sunday 11 Khordad 1404, 09:30 Tehran
const CLOSED = new Date('2025-06-01T18:00:00.456Z'); // the same Sunday, 21:30 Tehran

let h: Harness;
let place: Place;
let tree: Tree;
let supervisor: StaffFixture;
let categoryId: number;

beforeAll(async () => {
  h = await startHarness();
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place);
  await staff(h.db, h.config, 'inspection_head', { unit: tree.countyOffices[0] }, { inspectionHead: true });
  await staff(h.db, h.config, 'inspection_head', { unit: tree.directorate }, { inspectionHead: true });
  supervisor = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: place.provinceId });
  categoryId = (await urgentCategory(h.db.pool)).id;
});
afterEach(() => vi.useRealTimers());
afterAll(() => h.close());

async function file(at: Date): Promise<string> {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/complaints',
    payload: complaintBody(tree.organisation.id, place.countyIds[0]!, { categoryId }),
  });
  vi.useRealTimers();
  expect(res.statusCode).toBe(201);
  return res.json().id;
}

/** The first-action deadline as the last referral event, the complaint row and the pending timer say it. */
async function deadlines(id: string) {
  const event = await h.db.pool.query<{ type: string; data: { firstActionDueAt?: string } }>(
    `SELECT type, data FROM complaint_events WHERE complaint_id = $1 AND type IN ('referred', 'escalated', 'transferred') ORDER BY seq DESC LIMIT 1`,
    [id],
  );
  const row = await h.db.pool.query<{ due: Date }>('SELECT first_action_due_at AS due FROM complaints WHERE id = $1', [id]);
  const timer = await h.db.pool.query<{ due: Date }>(
    `SELECT due_at AS due FROM sla_timers WHERE complaint_id = $1 AND kind = 'first_action' AND fired_at IS NULL`,
    [id],
  );
  return {
    type: event.rows[0]!.type,
    chained: event.rows[0]!.data.firstActionDueAt,
    row: row.rows[0]!.due.toISOString(),
    timer: timer.rows[0]?.due.toISOString(),
  };
}

describe('the first-action deadline in the chain', () => {
  it('intake during working hours: the chained deadline is the timer’s, to the millisecond', async () => {
    const id = await file(WORKING);
    const d = await deadlines(id);
    expect(d).toEqual({ type: 'referred', chained: '2025-06-01T06:30:00.123Z', row: '2025-06-01T06:30:00.123Z', timer: '2025-06-01T06:30:00.123Z' });
    expect(await verifyComplaintChain(h.db.pool, id)).toMatchObject({ valid: true, projectionMatches: true, headMatches: true });
  });

  it('intake outside working hours: the deadline runs from the next opening, chained the same', async () => {
    const id = await file(CLOSED);
    const d = await deadlines(id);
    expect(d.type).toBe('referred');
    expect(Date.parse(d.chained!)).toBeGreaterThan(CLOSED.getTime() + 30 * 60_000);
    expect([d.row, d.timer]).toEqual([d.chained, d.chained]);
    expect(await verifyComplaintChain(h.db.pool, id)).toMatchObject({ valid: true, projectionMatches: true });
  });

  it('a staff escalation and the sweeper’s escalation chain the deadline of the clock they start', async () => {
    const id = await file(WORKING);
    const later = new Date(WORKING.getTime() + 7 * 60_000 + 89);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(later);
    const escalated = await h.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${id}/actions`,
      headers: supervisor.headers,
      payload: { action: 'escalate', reason: 'پاسخ اداره قانع‌کننده نبود.' },
    });
    vi.useRealTimers();
    expect(escalated.statusCode).toBe(200);
    const byStaff = await deadlines(id);
    expect(byStaff).toEqual({ type: 'escalated', chained: '2025-06-01T06:37:00.212Z', row: '2025-06-01T06:37:00.212Z', timer: '2025-06-01T06:37:00.212Z' });

    await makeStageDue(h.db.pool, id, 'first_action', 'breach');
    await sweepOnce(h.db, { settings: h.config, batchSize: 1000 });
    const bySweeper = await deadlines(id);
    expect(bySweeper.type).toBe('escalated');
    expect(bySweeper.chained).not.toBe(byStaff.chained);
    expect([bySweeper.row, bySweeper.timer]).toEqual([bySweeper.chained, bySweeper.chained]);
    expect(await verifyComplaintChain(h.db.pool, id)).toMatchObject({ valid: true, projectionMatches: true });
  });

  it('verify reports a timer row or a complaint row whose deadline is not the chain’s', async () => {
    const id = await file(WORKING);
    expect(await verifyComplaintChain(h.db.pool, id)).toMatchObject({ projectionMatches: true });
    // A careful edit: the first-action clock a minute later, every stage of it consistently.
    const { rows } = await h.db.pool.query<{ id: number; later: { dueAt: string; fireAt: string }[] }>(
      `SELECT id, later FROM sla_timers WHERE complaint_id = $1 AND kind = 'first_action' AND fired_at IS NULL`,
      [id],
    );
    const plusMinute = (iso: string) => new Date(Date.parse(iso) + 60_000).toISOString();
    const later = rows[0]!.later.map((l) => ({ ...l, dueAt: plusMinute(l.dueAt), fireAt: plusMinute(l.fireAt) }));
    await h.db.pool.query(`UPDATE sla_timers SET due_at = due_at + interval '1 minute', fire_at = fire_at + interval '1 minute', later = $2 WHERE id = $1`, [
      rows[0]!.id,
      JSON.stringify(later),
    ]);
    const timerOnly = await verifyComplaintChain(h.db.pool, id);
    expect(timerOnly).toMatchObject({ valid: true, projectionMatches: false, mismatchedFields: ['timers.first_action.dueAt'] });
    // The row moved with it: timer and row agree, only the chain still says the real deadline.
    await h.db.pool.query(`UPDATE complaints SET first_action_due_at = first_action_due_at + interval '1 minute' WHERE id = $1`, [id]);
    const both = await verifyComplaintChain(h.db.pool, id);
    expect(both).toMatchObject({ valid: true, projectionMatches: false, mismatchedFields: ['firstActionDueAt'] });
  });
});
