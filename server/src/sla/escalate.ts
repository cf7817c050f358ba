import { getUnitsWithParents } from '../agencies/store.ts';
import type { ChangeSettings } from '../complaints/apply-command.ts';
import { systemClock } from '../core/clock.ts';
import type { Queryable } from '../db/database.ts';
import { readLockedComplaints } from '../events/projection-store.ts';
import { type Change, commit } from '../events/unit-of-work.ts';
import { loadNotificationContexts, planNotifications } from '../notifications/outbox.ts';
import { policyOf } from './deadline.ts';
import { type FireInput, fireTimers } from './fire-timers.ts';
import { answerDeadline } from './plan.ts';
import { cachedClock, claimDueComplaints, type DueTimer, dueTimersOf, relaxCommit } from './store.ts';

export type { DueTimer } from './store.ts';

/*
 * Escalation, the SLA's use case: due deadlines fire — a warning to the unit, a breach recorded
 * against it and the complaint escalated one level up, an unanswered satisfaction survey closed.
 * The sweeper worker (sweeper-worker.ts) decides when; this decides what, with the pure
 * fire-timers.ts, and writes the whole batch through the unit of work at once.
 */

/**
 * Fires a batch of due deadlines in one transaction. The complaints are claimed (locked, SKIP
 * LOCKED) first and their due timers read afresh after the lock, so a timer that a state change
 * cancelled or another instance fired is not fired again: each deadline fires once however many
 * instances run. Then each complaint's events, new state and clocks are worked out in Node with
 * the pure domain functions, and everything is written set-based: a dozen statements for the
 * whole batch instead of a dozen per deadline. `claimed` reports the ids before anything can fail.
 */
export async function fireDueBatch(
  tx: Queryable,
  settings: ChangeSettings,
  limit: number,
  options: { onlyComplaintId?: string; claimed?: (ids: string[]) => void } = {},
): Promise<{ claimed: number; fired: number; lagSeconds?: number }> {
  // A lost commit only means the timers fire again after a crash (everything they write is in
  // this transaction), so the sweeper does not wait for the WAL flush.
  await relaxCommit(tx);
  const now = (settings.clock ?? systemClock).now();
  const claim = await claimDueComplaints(tx, limit, now, options.onlyComplaintId);
  options.claimed?.(claim.ids);
  if (claim.ids.length === 0) return { claimed: 0, fired: 0 };
  const complaints = await readLockedComplaints(tx, claim.ids);
  const timers = await dueTimersOf(tx, claim.ids, now);
  const timersOf = new Map<string, DueTimer[]>();
  for (const t of timers) timersOf.set(t.complaintId, [...(timersOf.get(t.complaintId) ?? []), t]);
  const unitIds = new Set<number>();
  for (const c of complaints) if (c.unitId !== null) unitIds.add(c.unitId);
  for (const t of timers) if (t.unitId !== null) unitIds.add(t.unitId);
  const units = await getUnitsWithParents(tx, [...unitIds]);
  const contexts = await loadNotificationContexts(
    tx,
    claim.ids,
    new Map([...units.values()].map((u) => [u.id, { nameFa: u.nameFa, headId: u.inspectionHeadId }])),
    settings.publicUrl,
  );

  const changes: Change[] = [];
  let firedStages = 0;
  for (const complaint of complaints) {
    const due = timersOf.get(complaint.id);
    if (!due) continue;
    const unit = complaint.unitId === null ? null : (units.get(complaint.unitId) ?? null);
    const parent = unit?.parentId == null ? null : (units.get(unit.parentId) ?? null);
    const policy = await policyOf(tx, complaint);
    const here = { policy, clock: await cachedClock(tx, policy, complaint.unitId, complaint.unitPath) };
    let above: FireInput['above'] = null;
    if (parent && due.some((t) => t.stage === 'breach' || t.later.some((l) => l.stage === 'breach'))) {
      const abovePolicy = await policyOf(tx, { ...complaint, unitPath: parent.path });
      above = {
        unitId: parent.id,
        path: parent.path,
        dueAt: answerDeadline(policy, await cachedClock(tx, policy, parent.id, parent.path), now),
        policy: abovePolicy,
        clock: await cachedClock(tx, abovePolicy, parent.id, parent.path),
      };
    }
    const outcome = fireTimers({ complaint, timers: due, unit, here, above, now });
    if (outcome.fired.length === 0) continue;
    firedStages += outcome.firedStages;
    const context = contexts.get(complaint.id);
    changes.push({
      from: complaint,
      actor: { kind: 'system', id: null },
      chained: outcome.events,
      state: outcome.after,
      unitPath: outcome.after.unitPath,
      stateChanged: outcome.stateChanged,
      sla: {
        fired: outcome.fired,
        ...(outcome.effect ? { cancel: outcome.effect.cancel } : {}),
        timers: outcome.newRows,
        breaches: outcome.breaches,
        slaPolicyId: outcome.slaPolicyId,
        firstActionDueAt: outcome.effect?.firstActionDueAt,
        ...(outcome.effect?.firstActionAt !== undefined ? { firstActionAt: outcome.effect.firstActionAt } : {}),
      },
      ...(context ? { messages: (events) => planNotifications(events, context) } : {}),
    });
  }
  await commit(tx, changes, now, { set: true });
  const oldest = Math.min(...timers.map((t) => t.fireAt.getTime()));
  return { claimed: claim.timers, fired: firedStages, ...(timers.length ? { lagSeconds: Math.max(0, (now.getTime() - oldest) / 1000) } : {}) };
}
