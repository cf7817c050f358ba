import { addClockMinutes, type Clock } from '../domain/business-clock.ts';

/** The SLA policy a complaint is measured by (a version of it: complaints keep theirs). */
export interface SlaPolicy {
  id: number;
  clock: '24x7' | 'business';
  firstActionMinutes: number;
  answerMinutes: number;
  warnFractions: number[];
  satisfactionHours: number;
  /** The provincial supervision group's time to decide an appeal, on the policy's clock (docs/appeals.md). */
  appealMinutes: number;
}

export interface TimerPlan {
  kind: 'first_action' | 'answer' | 'satisfaction' | 'appeal';
  stage: 'warning' | 'breach' | 'expiry';
  fraction: number;
  fireAt: string;
  dueAt: string;
  unitId: number | null;
}

/** A timer row: a clock's next stage, with the stages after it (each clock keeps one pending row). */
export interface TimerRow extends TimerPlan {
  later: TimerPlan[];
}

/** The rows that store a set of planned stages: one per clock (kind), its first stage with the rest in `later`. */
export function timerRows(plans: TimerPlan[]): TimerRow[] {
  const byKind = new Map<string, TimerPlan[]>();
  for (const plan of plans) byKind.set(plan.kind, [...(byKind.get(plan.kind) ?? []), plan]);
  return [...byKind.values()].map((stages) => {
    const [first, ...later] = [...stages].sort((a, b) => Date.parse(a.fireAt) - Date.parse(b.fireAt));
    return { ...first!, later };
  });
}

/** What a change to a complaint does to its clocks. Pure: the store applies it. */
export interface SlaEffect {
  /** Unfired timers to drop: every one, or only these kinds. */
  cancel: 'all' | ('first_action' | 'answer' | 'satisfaction' | 'appeal')[];
  timers: TimerPlan[];
  /** New values for the complaint row, when they change. */
  firstActionDueAt?: string | null;
  firstActionAt?: string;
}

/** Events that hand a complaint to a unit and start a fresh clock there. */
export const REFERRAL_EVENTS = new Set(['referred', 'transferred', 'escalated', 'rated_not_satisfied', 'objected', 'split_off', 'appeal_upheld']);

/** Events that leave a complaint's clocks as they are. */
const CLOCK_NEUTRAL_EVENTS = new Set(['note_added', 'contact_viewed', 'sla_warning', 'sla_breached']);

/** The index of the event a change's clocks follow: its last one that is not clock-neutral (-1: none). */
function decidingIndex(eventTypes: string[]): number {
  for (let i = eventTypes.length - 1; i >= 0; i--) if (!CLOCK_NEUTRAL_EVENTS.has(eventTypes[i]!)) return i;
  return -1;
}

/**
 * The change's events with the first-action deadline its referral starts written into that
 * referral event's payload, so the chain's hash covers it and verify can hold the timer and the
 * complaint row to it. Both come from the one `effect`, itself from one `now`: they are equal by
 * construction. Events of a change that starts no first-action clock are returned as they are.
 */
export function withFirstActionDue<E extends { type: string; data: unknown }>(events: E[], effect: SlaEffect | null): E[] {
  const due = effect?.firstActionDueAt;
  const i = decidingIndex(events.map((e) => e.type));
  const event = events[i];
  if (typeof due !== 'string' || !event || !REFERRAL_EVENTS.has(event.type)) return events;
  const stamped = [...events];
  stamped[i] = { ...event, data: { ...(event.data as object), firstActionDueAt: due } };
  return stamped;
}

/** The answer deadline for a referral now, on the clock of the unit it goes to. */
export function answerDeadline(policy: SlaPolicy, clock: Clock, from: Date): string {
  return addClockMinutes(from, policy.answerMinutes, clock).toISOString();
}

/** The supervision group's deadline for an appeal made now. */
export function appealDeadline(policy: SlaPolicy, clock: Clock, from: Date): string {
  return addClockMinutes(from, policy.appealMinutes, clock).toISOString();
}

/** Warnings at each fraction of the way from `start` to `due`, then the breach at `due`. */
function stagedTimers(
  kind: 'first_action' | 'answer' | 'appeal',
  start: Date,
  minutes: number,
  fractions: number[],
  clock: Clock,
  unitId: number,
): TimerPlan[] {
  const due = addClockMinutes(start, minutes, clock).toISOString();
  const timers: TimerPlan[] = [...new Set(fractions)]
    .filter((f) => f > 0 && f < 1)
    .sort()
    .map((fraction) => ({ kind, stage: 'warning', fraction, fireAt: addClockMinutes(start, minutes * fraction, clock).toISOString(), dueAt: due, unitId }));
  timers.push({ kind, stage: 'breach', fraction: 1, fireAt: due, dueAt: due, unitId });
  return timers;
}

/**
 * The clocks after a complaint's events. `state` is the complaint after them; `firstActionAt`
 * whether a first action (assignment, start, answer) was already recorded before.
 */
export function slaEffect(
  eventTypes: string[],
  state: { status: string; unitId: number | null; dueAt: string | null },
  policy: SlaPolicy,
  clock: Clock,
  now: Date,
  firstActionDone: boolean,
): SlaEffect | null {
  const last = eventTypes[decidingIndex(eventTypes)];
  if (!last) return null;
  if (REFERRAL_EVENTS.has(last) && state.unitId !== null) {
    const firstActionDueAt = addClockMinutes(now, policy.firstActionMinutes, clock).toISOString();
    return {
      cancel: 'all',
      timers: [
        ...stagedTimers('first_action', now, policy.firstActionMinutes, policy.warnFractions, clock, state.unitId),
        ...stagedTimers('answer', now, policy.answerMinutes, policy.warnFractions, clock, state.unitId),
      ],
      firstActionDueAt,
    };
  }
  // An appeal stops the agency's clocks and starts the supervision group's own.
  if (last === 'appealed' && state.unitId !== null) {
    return { cancel: 'all', timers: stagedTimers('appeal', now, policy.appealMinutes, policy.warnFractions, clock, state.unitId) };
  }
  if (last === 'assigned' || last === 'started') {
    return firstActionDone ? null : { cancel: ['first_action'], timers: [], firstActionAt: now.toISOString() };
  }
  if (last === 'answered') {
    const expiry = new Date(now.getTime() + policy.satisfactionHours * 3_600_000).toISOString();
    return {
      cancel: 'all',
      timers: [{ kind: 'satisfaction', stage: 'expiry', fraction: 1, fireAt: expiry, dueAt: expiry, unitId: state.unitId }],
      ...(firstActionDone ? {} : { firstActionAt: now.toISOString() }),
    };
  }
  if (last === 'rejected' || last === 'rated_satisfied' || last === 'closed_unrated' || last === 'merged_into' || last === 'appeal_rejected')
    return { cancel: 'all', timers: [] };
  return null;
}
