import type { Clock } from '../domain/business-clock.ts';
import { type Actor, chainEvents, type NewEvent, type StoredEvent } from '../domain/event-chain.ts';
import { decide, evolve, type LifecycleEvent } from '../domain/lifecycle.ts';
import type { LockedComplaint } from '../events/projection-store.ts';
import type { BreachRecord } from '../events/timer-store.ts';
import { type SlaEffect, type SlaPolicy, slaEffect, type TimerPlan, type TimerRow, timerRows, withFirstActionDue } from './plan.ts';
import type { DueTimer } from './store.ts';

const SYSTEM: Actor = { kind: 'system', id: null };

/** What firing a complaint's due timers needs, all read beforehand (so this is pure). */
export interface FireInput {
  /** The complaint, locked by the caller. */
  complaint: LockedComplaint;
  /** Its due timer rows (each a clock's next stage, with the stages after it). */
  timers: DueTimer[];
  /** The unit it sits with now: its manager is recorded with a breach, its parent is the level up. */
  unit: { id: number; parentId: number | null; inspectionHeadId: number | null } | null;
  /** The policy and clock where it is, for the clocks after a change there. */
  here: { policy: SlaPolicy; clock: Clock };
  /** One level up, when there is a level up and a breach is due: where an escalation goes, its answer deadline, its policy and clock. */
  above: { unitId: number; path: string; dueAt: string; policy: SlaPolicy; clock: Clock } | null;
  now: Date;
}

/** The writes that firing a complaint's timers asks for. */
export interface FireOutcome {
  /** Timer rows whose stage fired (marked fired). */
  fired: number[];
  /** Stages fired in all: rows, and stages after them that were due too (after a downtime). */
  firedStages: number;
  /**
   * Timer rows to write: stages that fired along with their row's (as fired rows, kept like every
   * fired deadline), each surviving clock's next stage, and the clocks an effect starts.
   */
  newRows: (TimerRow & { firedAt: string | null })[];
  /** The new events, chained onto the complaint's head. */
  events: StoredEvent[];
  /** The complaint after them (`lastSeq`/`headHash` are the new head). */
  after: LockedComplaint;
  /** Whether the lifecycle state changed (not only the chain head). */
  stateChanged: boolean;
  breaches: BreachRecord[];
  /** The clocks after a change (cancel, new timers, first-action deadline). */
  effect: SlaEffect | null;
  /** The policy to record on a complaint that had none. */
  slaPolicyId: number | null;
}

/**
 * Fires a complaint's due timers in order, through the same pure rules as every other change:
 * a warning is an `sla_warning` event; a breach is recorded against the unit and its manager and
 * escalates one level up with `decide`/`evolve` (at the top of the tree the national centre is
 * told, no new clock); a missed appeal deadline tells the national centre; a closed satisfaction window is `close_unrated`. It stops at the first
 * timer that changes the clocks (an escalation cancels everything still pending at the old
 * unit, a close cancels all): timers after it are either cancelled with it or fire next round.
 * A command the lifecycle refuses throws, as it would for a staff action.
 */
export function fireTimers(input: FireInput): FireOutcome {
  const { complaint, now } = input;
  const at = now.toISOString();
  let state: LockedComplaint = complaint;
  const newEvents: NewEvent[] = [];
  const breaches: BreachRecord[] = [];
  let stateChanged = false;
  let effect: SlaEffect | null = null;
  let policy = input.here.policy;

  // Every due stage: each row's own, and the stages after it that are due too; in deadline order
  // (ties in the order the clocks were planned), as when each stage had its own row.
  const stages = dueStages(input.timers, now);
  /** Per row, how many of its stages fired (always a prefix: a row's stages are in deadline order). */
  const firedOf = new Map<number, number>();

  for (const { row, plan } of stages) {
    const dueAt = new Date(plan.dueAt).toISOString();
    const events: NewEvent[] = [];
    if (plan.stage === 'warning') {
      events.push({ type: 'sla_warning', data: { kind: plan.kind, fraction: Number(plan.fraction), dueAt, unitId: plan.unitId } });
    } else if (plan.stage === 'expiry') {
      events.push(...apply(decide(state, { type: 'close_unrated' })));
    } else if (plan.kind === 'appeal') {
      // The supervision group missed its own deadline: the national centre is told (the event,
      // its queue); nothing is recorded against the agency, whose answer is what is appealed.
      events.push({ type: 'sla_breached', data: { kind: plan.kind, dueAt, unitId: plan.unitId, managerId: null, toNationalCentre: true } });
    } else {
      if (state.unitId === null || plan.kind === 'satisfaction') throw new Error(`breach timer ${row.id} of a complaint with no unit`);
      const above = input.above;
      const managerId = input.unit?.inspectionHeadId ?? null;
      breaches.push({ complaintId: complaint.id, unitId: state.unitId, managerId, kind: plan.kind, dueAt, breachedAt: at, escalatedTo: above?.unitId ?? null });
      events.push({
        type: 'sla_breached',
        data: { kind: plan.kind, dueAt, unitId: state.unitId, managerId, toNationalCentre: above === null },
      });
      // The top of the tree: nothing above but the national centre, which is told (no new clock).
      if (above) events.push(...apply(decide(state, { type: 'escalate', toUnitId: above.unitId, reason: 'sla_breach', dueAt: above.dueAt })));
    }
    firedOf.set(row.id, (firedOf.get(row.id) ?? 0) + 1);
    newEvents.push(...events);
    const moved = state.unitId !== complaint.unitId && input.above !== null;
    const where = moved ? input.above! : input.here;
    policy = where.policy;
    effect = slaEffect(
      events.map((e) => e.type),
      state,
      where.policy,
      where.clock,
      now,
      complaint.firstActionAt !== null,
    );
    if (effect) break;
  }

  function apply(events: LifecycleEvent[]): LifecycleEvent[] {
    for (const event of events) state = { ...state, ...evolve(state, event, at) };
    stateChanged = true;
    return events;
  }

  const newRows = rowsAfter(input.timers, firedOf, effect, at);

  // An escalation's event carries the first-action deadline of the clock it starts (same `now`).
  const head = chainEvents(complaint.id, { seq: complaint.lastSeq, hash: complaint.headHash }, SYSTEM, withFirstActionDue(newEvents, effect), now);
  const unitPath = state.unitId === complaint.unitId ? complaint.unitPath : (input.above?.path ?? null);
  const fired = input.timers.filter((row) => firedOf.has(row.id)).map((row) => row.id);
  return {
    fired,
    firedStages: [...firedOf.values()].reduce((a, n) => a + n, 0),
    newRows,
    events: head.events,
    after: { ...state, unitPath, lastSeq: head.seq, headHash: head.hash },
    stateChanged,
    breaches,
    effect,
    slaPolicyId: !complaint.slaPolicyId && policy.id > 0 && state.unitId !== null ? policy.id : null,
  };
}

/** Every due stage of the rows, each row's own first, in deadline order (ties: planning order). */
function dueStages(timers: FireInput['timers'], now: Date) {
  return timers
    .flatMap((row) => [
      { row, index: 0, plan: { ...row, fireAt: row.fireAt.toISOString(), dueAt: row.dueAt.toISOString() } as TimerPlan },
      ...row.later.map((plan, i) => ({ row, index: i + 1, plan })).filter((s) => Date.parse(s.plan.fireAt) <= now.getTime()),
    ])
    .sort((a, b) => Date.parse(a.plan.fireAt) - Date.parse(b.plan.fireAt) || a.row.id - b.row.id || a.index - b.index);
}

/**
 * The timer rows after a round: the stages that fired kept as fired rows, each row's next stage
 * pending (unless the effect cancels its kind), and the clocks the effect starts.
 */
function rowsAfter(timers: FireInput['timers'], firedOf: Map<number, number>, effect: SlaEffect | null, at: string): FireOutcome['newRows'] {
  const cancelled = (kind: string) => effect !== null && (effect.cancel === 'all' || (effect.cancel as string[]).includes(kind));
  const newRows: FireOutcome['newRows'] = [];
  for (const row of timers) {
    const count = firedOf.get(row.id) ?? 0;
    if (count === 0) continue;
    for (const plan of row.later.slice(0, count - 1)) newRows.push({ ...plan, later: [], firedAt: at });
    const rest = row.later.slice(count - 1);
    if (rest.length > 0 && !cancelled(row.kind)) newRows.push({ ...rest[0]!, later: rest.slice(1), firedAt: null });
  }
  for (const row of timerRows(effect?.timers ?? [])) newRows.push({ ...row, firedAt: null });
  return newRows;
}
