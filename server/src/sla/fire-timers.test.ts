import { describe, expect, it } from 'vitest';
import { currentChainKeys } from '../domain/event-chain.ts';
import { GENESIS_HASH, verifyChain } from '../domain/hash-chain.ts';
import { initialState } from '../domain/lifecycle.ts';
import type { LockedComplaint } from '../events/projection-store.ts';
import { fireTimers } from './fire-timers.ts';
import { slaEffect, timerRows } from './plan.ts';
import { FALLBACK_POLICY } from './store.ts';

const now = new Date('2026-11-29T08:00:00.000Z');
const clock = { kind: '24x7' as const };
const policy = { ...FALLBACK_POLICY, id: 7, clock: '24x7' as const, firstActionMinutes: 60, answerMinutes: 240 };
const minutes = (n: number) => new Date(now.getTime() + n * 60_000);

function complaint(): LockedComplaint {
  return {
    ...initialState({ agencyId: 1, categoryId: 2, provinceId: 3, countyId: 4 }),
    status: 'referred',
    unitId: 10,
    dueAt: minutes(-60).toISOString(),
    id: '00000000-0000-4000-8000-000000000001',
    trackingCode: '100000000001',
    confidential: false,
    lastSeq: 0,
    headHash: GENESIS_HASH,
    slaPolicyId: 7,
    firstActionAt: null,
    unitPath: '/1/10/',
  };
}

/** The rows a referral 5 hours ago wrote (all its stages are due now), as the store reads them back. */
function dueRows() {
  const started = new Date(now.getTime() - 5 * 3_600_000);
  const effect = slaEffect(['referred'], { status: 'referred', unitId: 10, dueAt: null }, policy, clock, started, false)!;
  return timerRows(effect.timers).map((row, i) => ({
    ...row,
    id: i + 1,
    complaintId: complaint().id,
    fireAt: new Date(row.fireAt),
    dueAt: new Date(row.dueAt),
  }));
}

describe('firing a complaint’s due timers', () => {
  it('stores one row per clock: the next stage, the later ones carried in it', () => {
    const rows = dueRows();
    expect(rows.map((r) => [r.kind, r.stage, r.fraction, r.later.map((l) => `${l.stage}:${l.fraction}`)])).toEqual([
      ['first_action', 'warning', 0.5, ['warning:0.8', 'breach:1']],
      ['answer', 'warning', 0.5, ['warning:0.8', 'breach:1']],
    ]);
  });

  it('fires due stages in deadline order, escalates at the first breach and cancels the rest', () => {
    const out = fireTimers({
      complaint: complaint(),
      timers: dueRows(),
      unit: { id: 10, parentId: 1, inspectionHeadId: 99 },
      here: { policy, clock },
      above: { unitId: 1, path: '/1/', dueAt: minutes(240).toISOString(), policy, clock },
      now,
    });
    expect(out.events.map((e) => e.type)).toEqual(['sla_warning', 'sla_warning', 'sla_breached', 'escalated']);
    // The escalation's chained payload holds the first-action deadline of the clock it starts.
    expect(out.effect?.firstActionDueAt).toEqual(expect.any(String));
    expect(out.events.at(-1)!.data).toMatchObject({ firstActionDueAt: out.effect!.firstActionDueAt });
    expect(out.firedStages).toBe(3);
    expect(out.fired).toEqual([1]);
    expect(out.after).toMatchObject({ status: 'referred', unitId: 1, unitPath: '/1/', escalationCount: 1, lastSeq: 4 });
    expect(out.breaches).toEqual([expect.objectContaining({ unitId: 10, managerId: 99, kind: 'first_action', escalatedTo: 1 })]);
    expect(out.effect?.cancel).toBe('all');
    // The stages that fired after their row's are kept as fired rows; the new clocks are one row each.
    expect(out.newRows.filter((r) => r.firedAt !== null).map((r) => `${r.kind}:${r.stage}:${r.fraction}`)).toEqual([
      'first_action:warning:0.8',
      'first_action:breach:1',
    ]);
    expect(out.newRows.filter((r) => r.firedAt === null).map((r) => [r.kind, r.unitId, r.later.length])).toEqual([
      ['first_action', 1, 2],
      ['answer', 1, 2],
    ]);
    expect(verifyChain(out.events, currentChainKeys())).toMatchObject({ valid: true });
  });

  it('after a warning writes the clock’s next stage as its pending row', () => {
    const [firstAction] = dueRows();
    const row = { ...firstAction!, later: firstAction!.later.map((l) => ({ ...l, fireAt: minutes(30).toISOString() })) };
    const out = fireTimers({
      complaint: complaint(),
      timers: [row],
      unit: { id: 10, parentId: 1, inspectionHeadId: null },
      here: { policy, clock },
      above: null,
      now,
    });
    expect(out.events.map((e) => e.type)).toEqual(['sla_warning']);
    expect(out.effect).toBeNull();
    expect(out.newRows).toEqual([
      expect.objectContaining({ kind: 'first_action', stage: 'warning', fraction: 0.8, firedAt: null, later: [expect.objectContaining({ stage: 'breach' })] }),
    ]);
  });
});
