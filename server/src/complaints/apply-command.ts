import type { Clock } from '../core/clock.ts';
import { systemClock } from '../core/clock.ts';
import { AppError } from '../core/errors.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import type { Database, Queryable } from '../db/database.ts';
import type { Actor, NewEvent, StoredEvent } from '../domain/event-chain.ts';
import { type Command, decide, evolve, LifecycleError, type LifecycleEvent } from '../domain/lifecycle.ts';
import { type LockedComplaint, lockComplaint, lockComplaintByCode, unitPathOf } from '../events/projection-store.ts';
import { type Change, commit } from '../events/unit-of-work.ts';
import { loadNotificationContext, planNotifications, unitsOf } from '../notifications/outbox.ts';
import { policyOf } from '../sla/deadline.ts';
import { slaEffect, timerRows, withFirstActionDue } from '../sla/plan.ts';
import { cachedClock } from '../sla/store.ts';

export interface Applied {
  complaint: LockedComplaint;
  events: StoredEvent[];
}

/** Settings the side effects of a change need. */
export interface ChangeSettings {
  publicUrl: string;
  /** The time of every change (core/clock.ts); the wall clock when absent. */
  clock?: Clock;
}

/** The time a change is decided at: the caller's, else the injected clock's. */
export function nowOf(settings: ChangeSettings, now?: Date): Date {
  return now ?? (settings.clock ?? systemClock).now();
}

/**
 * Decides one command on a locked complaint and returns it as a change for the unit of work
 * (events/unit-of-work.ts): the events, the new state, its SLA clocks and its messages.
 */
export async function decideChange(
  tx: Queryable,
  settings: ChangeSettings,
  complaint: LockedComplaint,
  actor: Actor,
  command: Command,
  now: Date,
  options: { precedingEvents?: NewEvent[]; sameProvince?: boolean } = {},
): Promise<Change> {
  let events: LifecycleEvent[];
  try {
    events = decide(complaint, command);
  } catch (error) {
    if (error instanceof LifecycleError) throw new AppError(error.code, { status: error.status, command: error.command });
    throw error;
  }
  let state: LockedComplaint = complaint;
  for (const event of events) state = { ...state, ...evolve(state, event, now.toISOString()) };
  const unitPath = state.unitId === complaint.unitId ? complaint.unitPath : await unitPathOf(tx, state.unitId);
  const policy = await policyOf(tx, { slaPolicyId: complaint.slaPolicyId, unitPath, categoryId: state.categoryId });
  const effect = slaEffect(
    events.map((e) => e.type),
    state,
    policy,
    await cachedClock(tx, policy, state.unitId, unitPath),
    now,
    complaint.firstActionAt !== null,
  );
  return {
    from: complaint,
    actor: { kind: actor.kind, id: actor.id },
    // The referral event carries the first-action deadline its timer gets, from the same `now`,
    // so verify can hold both to it (withFirstActionDue).
    events: withFirstActionDue([...(options.precedingEvents ?? []), ...events], effect),
    state,
    unitPath,
    ...(options.sameProvince ? { sameProvince: true } : {}),
    sla: {
      ...(!complaint.slaPolicyId && policy.id > 0 && state.unitId !== null ? { slaPolicyId: policy.id } : {}),
      ...(effect
        ? {
            cancel: effect.cancel,
            timers: timerRows(effect.timers),
            firstActionDueAt: effect.firstActionDueAt,
            ...(effect.firstActionAt !== undefined ? { firstActionAt: effect.firstActionAt } : {}),
          }
        : {}),
    },
    messages: async (chained, after) =>
      planNotifications(chained, await loadNotificationContext(tx, complaint.id, unitsOf(chained, after.unitId), settings.publicUrl)),
  };
}

/**
 * The one way a complaint changes state, inside a transaction: lock the complaint (inside the
 * user's scope when a staff user acts), build the command from what is locked, decide, and
 * commit through the unit of work (events, projection, clocks, messages, live notification).
 * A thin wrapper kept for the many use cases that call it.
 */
export async function applyCommandInTx(
  tx: Queryable,
  settings: ChangeSettings,
  target: { id: string } | { trackingCode: string },
  actor: Actor & { user?: StaffPrincipal | null },
  /** Builds the command from the locked row, at `now`: the time the change and its deadlines share. */
  build: (complaint: LockedComplaint, tx: Queryable, now: Date) => Promise<Command> | Command,
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
  // One time, taken once, for the command's deadlines, its events and its timers (they differed
  // by milliseconds when each caller took its own, which verify caught).
  const now = nowOf(settings, options.now);
  const command = await build(complaint, tx, now);
  const change = await decideChange(tx, settings, complaint, actor, command, now, options);
  const [done] = await commit(tx, [change], now);
  return done!;
}

/** `applyCommandInTx` in its own transaction. */
export async function applyCommand(
  db: Database,
  settings: ChangeSettings,
  target: { id: string } | { trackingCode: string },
  actor: Actor & { user?: StaffPrincipal | null },
  build: (complaint: LockedComplaint, tx: Queryable, now: Date) => Promise<Command> | Command,
  /** `now`: the time the command was decided at, when the caller needs it outside the change too; else the clock's. */
  options: { sameProvince?: boolean; now?: Date } = {},
): Promise<Applied> {
  return db.transaction((tx) => applyCommandInTx(tx, settings, target, actor, build, options));
}
