import { getUnitsWithParents } from '../agencies/store.ts';
import type { ChangeSettings } from '../complaints/apply-command.ts';
import type { Database, Queryable } from '../db/database.ts';
import { startWorkLoop } from '../db/work-loop.ts';
import type { StoredEvent } from '../domain/event-chain.ts';
import { type ProjectionWrite, readLockedComplaints, writeProjections } from '../events/projection-store.ts';
import { insertChainedEvents } from '../events/store.ts';
import { enqueue, loadNotificationContexts, type OutboxRow, planNotifications } from '../notifications/outbox.ts';
import { policyOf } from './deadline.ts';
import { type FireInput, fireTimers } from './fire-timers.ts';
import { answerDeadline, type SlaEffect, type TimerRow } from './plan.ts';
import {
  type BreachRecord,
  cachedClock,
  cancelTimers,
  claimDueComplaints,
  type DueTimer,
  dueTimersOf,
  holdBackTimers,
  insertTimerRows,
  markTimersFired,
  recordBreaches,
} from './store.ts';

export type { DueTimer } from './store.ts';

export interface SweepOptions {
  settings: ChangeSettings;
  /** Due timers claimed per batch (one transaction). */
  batchSize?: number;
  /** How long a complaint whose timers failed to fire is held back before it is tried again. */
  leaseSeconds?: number;
  /** Batches fired side by side per round (each its own transaction and connection); 1 on PGlite. */
  concurrency?: number;
  /** Told about a batch or a complaint that failed to fire (it is retried; nothing is lost). */
  onError?: (error: unknown) => void;
  /** Told after each committed batch: timers claimed, and the lag of its oldest deadline (for /metrics). */
  onBatch?: (batch: { claimed: number; lagSeconds: number | null }) => void;
}

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
  await tx.query('SET LOCAL synchronous_commit = off');
  const claim = await claimDueComplaints(tx, limit, options.onlyComplaintId);
  options.claimed?.(claim.ids);
  if (claim.ids.length === 0) return { claimed: 0, fired: 0 };
  const complaints = await readLockedComplaints(tx, claim.ids);
  const timers = await dueTimersOf(tx, claim.ids);
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

  const now = new Date();
  const firedIds: number[] = [];
  let firedStages = 0;
  const timerRows: (TimerRow & { complaintId: string; firedAt: string | null })[] = [];
  const events: StoredEvent[] = [];
  const projections: ProjectionWrite[] = [];
  const effects: { complaintId: string; effect: SlaEffect }[] = [];
  const breaches: BreachRecord[] = [];
  const messages: OutboxRow[] = [];
  for (const complaint of complaints) {
    const due = timersOf.get(complaint.id);
    if (!due) continue;
    const unit = complaint.unitId === null ? null : (units.get(complaint.unitId) ?? null);
    const parent = unit?.parentId == null ? null : (units.get(unit.parentId) ?? null);
    const policy = await policyOf(tx, complaint);
    const here = { policy, clock: await cachedClock(tx, policy, complaint.unitId) };
    let above: FireInput['above'] = null;
    if (parent && due.some((t) => t.stage === 'breach' || t.later.some((l) => l.stage === 'breach'))) {
      const abovePolicy = await policyOf(tx, { ...complaint, unitPath: parent.path });
      above = {
        unitId: parent.id,
        path: parent.path,
        dueAt: answerDeadline(policy, await cachedClock(tx, policy, parent.id), now),
        policy: abovePolicy,
        clock: await cachedClock(tx, abovePolicy, parent.id),
      };
    }
    const outcome = fireTimers({ complaint, timers: due, unit, here, above, now });
    if (outcome.fired.length === 0) continue;
    firedIds.push(...outcome.fired);
    firedStages += outcome.firedStages;
    for (const row of outcome.newRows) timerRows.push({ ...row, complaintId: complaint.id });
    events.push(...outcome.events);
    breaches.push(...outcome.breaches);
    if (outcome.effect) effects.push({ complaintId: complaint.id, effect: outcome.effect });
    projections.push({
      id: complaint.id,
      from: complaint,
      state: outcome.after,
      head: { seq: outcome.after.lastSeq, hash: outcome.after.headHash },
      at: now.toISOString(),
      stateChanged: outcome.stateChanged,
      breaches: outcome.breaches.length,
      slaPolicyId: outcome.slaPolicyId,
      firstActionDueAt: outcome.effect?.firstActionDueAt,
      firstActionAt: outcome.effect?.firstActionAt,
    });
    const context = contexts.get(complaint.id);
    if (context) messages.push(...planNotifications(outcome.events, context));
  }

  // Fired first, so that cancelling a complaint's clocks leaves its fired timers in place; the
  // next stages and new clocks after the cancelling.
  await markTimersFired(tx, firedIds, now.toISOString());
  await cancelTimers(tx, effects);
  await insertTimerRows(tx, timerRows);
  await insertChainedEvents(tx, events);
  if ((await writeProjections(tx, projections)) !== projections.length) throw new Error('a complaint changed under the sweeper’s lock');
  await recordBreaches(tx, breaches);
  await enqueue(tx, messages);
  const oldest = Math.min(...timers.map((t) => t.fireAt.getTime()));
  return { claimed: claim.timers, fired: firedStages, ...(timers.length ? { lagSeconds: Math.max(0, (now.getTime() - oldest) / 1000) } : {}) };
}

/**
 * Fires one batch; if it fails, fires its complaints one by one so that one bad complaint does
 * not hold back the others, and holds back the timers of a complaint that fails on its own
 * (tried again after the lease, by any instance).
 */
async function fireBatchIsolating(db: Database, options: SweepOptions): Promise<{ claimed: number; fired: number }> {
  const limit = options.batchSize ?? 200;
  let claimedIds: string[] = [];
  try {
    const batch = await db.transaction((tx) => fireDueBatch(tx, options.settings, limit, { claimed: (ids) => (claimedIds = ids) }));
    if (batch.claimed > 0) options.onBatch?.({ claimed: batch.claimed, lagSeconds: batch.lagSeconds ?? null });
    return batch;
  } catch (error) {
    options.onError?.(error);
    let fired = 0;
    for (const id of claimedIds) {
      try {
        fired += (await db.transaction((tx) => fireDueBatch(tx, options.settings, limit, { onlyComplaintId: id }))).fired;
      } catch (error) {
        options.onError?.(error);
        await db.transaction((tx) => holdBackTimers(tx, id, options.leaseSeconds ?? 60)).catch(() => undefined);
      }
    }
    return { claimed: claimedIds.length, fired };
  }
}

/** One round: `concurrency` batches side by side (disjoint: SKIP LOCKED). Returns how many timers were claimed and fired. */
export async function sweepOnce(db: Database, options: SweepOptions): Promise<{ claimed: number; fired: number }> {
  const parallel = db.kind === 'pglite' ? 1 : Math.max(1, options.concurrency ?? 2);
  const results = await Promise.all(Array.from({ length: parallel }, () => fireBatchIsolating(db, options)));
  return { claimed: results.reduce((a, r) => a + r.claimed, 0), fired: results.reduce((a, r) => a + r.fired, 0) };
}

/** Runs the sweeper until stopped: a round every `intervalMs`, at once again while rounds come back full. */
export function startSweeper(db: Database, options: SweepOptions & { intervalMs: number; onError?: (error: unknown) => void }): { stop: () => Promise<void> } {
  return startWorkLoop(async () => ({ full: (await sweepOnce(db, options)).claimed >= (options.batchSize ?? 200) }), options.intervalMs, options.onError);
}
