import { AppError } from '../core/errors.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import type { Database, Queryable } from '../db/database.ts';
import type { Actor, NewEvent, StoredEvent } from '../domain/event-chain.ts';
import { type Command, decide, evolve, LifecycleError, type LifecycleEvent } from '../domain/lifecycle.ts';
import { type LockedComplaint, lockComplaint, lockComplaintByCode, staysInProvince, updateProjection } from '../events/projection-store.ts';
import { appendEvents } from '../events/store.ts';
import { enqueue, loadNotificationContext, planNotifications, unitsOf } from '../notifications/outbox.ts';
import { policyOf } from '../sla/deadline.ts';
import { type SlaEffect, type SlaPolicy, slaEffect, withFirstActionDue } from '../sla/plan.ts';
import { applySlaEffect, cachedClock } from '../sla/store.ts';

export interface Applied {
  complaint: LockedComplaint;
  events: StoredEvent[];
}

/** Settings the side effects of a change need. */
export interface ChangeSettings {
  publicUrl: string;
}

/** The policy a change is measured by and what it does to the clocks, planned before its events are chained. */
interface ClockPlan {
  policy: SlaPolicy;
  effect: SlaEffect | null;
}

async function planClocks(tx: Queryable, before: LockedComplaint, after: LockedComplaint, eventTypes: string[], now: Date): Promise<ClockPlan> {
  const policy = await policyOf(tx, { slaPolicyId: before.slaPolicyId, unitPath: after.unitPath, categoryId: after.categoryId });
  const clock = await cachedClock(tx, policy, after.unitId, after.unitPath);
  return { policy, effect: slaEffect(eventTypes, after, policy, clock, now, before.firstActionAt !== null) };
}

/**
 * Everything that follows new events in the same transaction: the SLA clocks (timers, first
 * action) as planned, and the messages to the citizen and staff (outbox rows).
 */
async function afterEvents(
  tx: Queryable,
  settings: ChangeSettings,
  before: LockedComplaint,
  after: LockedComplaint,
  events: StoredEvent[],
  { policy, effect }: ClockPlan,
): Promise<void> {
  if (!before.slaPolicyId && policy.id > 0 && after.unitId !== null) {
    await tx.query('UPDATE complaints SET sla_policy_id = $2 WHERE id = $1', [before.id, policy.id]);
  }
  if (effect) await applySlaEffect(tx, before.id, effect);
  const context = await loadNotificationContext(tx, before.id, unitsOf(events, after.unitId), settings.publicUrl);
  await enqueue(tx, planNotifications(events, context));
}

/**
 * The one way a complaint changes state, inside a transaction: lock the complaint (inside the
 * user's scope when a staff user acts), build the command from what is locked, let the pure
 * lifecycle decide, append the events to the chain, write the projection conditionally, then
 * the clocks and messages. Staff, citizens and the SLA sweeper all come through here.
 */
export async function applyCommandInTx(
  tx: Queryable,
  settings: ChangeSettings,
  target: { id: string } | { trackingCode: string },
  actor: Actor & { user?: StaffPrincipal | null },
  build: (complaint: LockedComplaint, tx: Queryable) => Promise<Command> | Command,
  options: {
    precedingEvents?: NewEvent[];
    now?: Date /** The complaint already locked in this transaction (by the sweeper). */;
    locked?: LockedComplaint;
    /** The write also requires the new unit to be in the complaint's province (checked in the UPDATE). */
    sameProvince?: boolean;
  } = {},
): Promise<Applied> {
  const complaint =
    options.locked ?? ('id' in target ? await lockComplaint(tx, target.id, actor.user ?? null) : await lockComplaintByCode(tx, target.trackingCode));
  if (!complaint) throw new AppError('complaint_not_found');
  const command = await build(complaint, tx);
  let events: LifecycleEvent[];
  try {
    events = decide(complaint, command);
  } catch (error) {
    if (error instanceof LifecycleError) throw new AppError(error.code, { status: error.status, command: error.command });
    throw error;
  }
  const now = options.now ?? new Date();
  let state: LockedComplaint = complaint;
  for (const event of events) state = { ...state, ...evolve(state, event, now.toISOString()) };
  const unitPath =
    state.unitId === complaint.unitId
      ? complaint.unitPath
      : ((await tx.query<{ path: string }>('SELECT path FROM units WHERE id = $1', [state.unitId])).rows[0]?.path ?? null);
  const newEvents = [...(options.precedingEvents ?? []), ...events];
  // The clocks are planned from the same `now` before chaining: the referral event carries the
  // first-action deadline the timer gets (withFirstActionDue), so verify can hold both to it.
  const clocks = await planClocks(
    tx,
    complaint,
    { ...state, unitPath },
    newEvents.map((e) => e.type),
    now,
  );
  const head = await appendEvents(
    tx,
    complaint.id,
    { seq: complaint.lastSeq, hash: complaint.headHash },
    { kind: actor.kind, id: actor.id },
    withFirstActionDue(newEvents, clocks.effect),
    now,
  );
  const guard = { sameProvince: options.sameProvince === true && state.unitId !== null };
  if (!(await updateProjection(tx, complaint.id, complaint, state, head, now, guard))) {
    if (guard.sameProvince && !(await staysInProvince(tx, complaint.id, state.unitId!))) throw new AppError('transfer_cross_province');
    throw new AppError('concurrent_change');
  }
  const after: LockedComplaint = { ...state, unitPath, lastSeq: head.seq, headHash: head.hash };
  await afterEvents(tx, settings, complaint, after, head.events, clocks);
  return { complaint: after, events: head.events };
}

/** `applyCommandInTx` in its own transaction. */
export async function applyCommand(
  db: Database,
  settings: ChangeSettings,
  target: { id: string } | { trackingCode: string },
  actor: Actor & { user?: StaffPrincipal | null },
  build: (complaint: LockedComplaint, tx: Queryable) => Promise<Command> | Command,
  /** `now`: the time the command was decided at; its deadlines and the timers must share it. */
  options: { sameProvince?: boolean; now?: Date } = {},
): Promise<Applied> {
  return db.transaction((tx) => applyCommandInTx(tx, settings, target, actor, build, options));
}
