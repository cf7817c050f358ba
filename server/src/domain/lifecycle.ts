/**
 * The complaint lifecycle: one transition table and one pure function.
 * HTTP handlers, channel adapters and the SLA sweeper all change a complaint only through
 * `decide` (command → events) and `evolve` (events → state); nothing else writes status.
 */

export const STATUSES = ['received', 'referred', 'assigned', 'in_progress', 'answered', 'closed', 'rejected', 'appealed'] as const;
export type Status = (typeof STATUSES)[number];

/**
 * The agency still owes the citizen an answer: the SLA clocks run, the staff queue and the
 * dashboard count these as open, a new complaint may be linked to one as its case. The
 * statuses `reject` applies to (a test ties the two).
 */
export const AWAITING_STAFF_STATUSES = ['received', 'referred', 'assigned', 'in_progress'] as const satisfies readonly Status[];

/**
 * Not finished: awaiting staff, answered and waiting for the citizen's rating or objection, or
 * under appeal with the provincial supervision group. What Open311 calls "open" and what a duplicate may be merged into. The statuses
 * `note` applies to (a test ties the two).
 */
export const OPEN_STATUSES = [...AWAITING_STAFF_STATUSES, 'answered', 'appealed'] as const satisfies readonly Status[];

/**
 * The citizen may appeal to the provincial supervision group from these statuses, once, and only
 * when the complaint is already with the top of its agency's tree (docs/appeals.md).
 */
export const APPEALABLE_STATUSES = ['answered', 'rejected'] as const satisfies readonly Status[];

export type Outcome = 'satisfied' | 'no_rating' | 'rejected' | 'merged' | 'appeal_rejected';

/** The part of a complaint the lifecycle reads and writes. */
export interface ComplaintState {
  status: Status;
  /** Where the complaint is about; null only while an SMS or bot complaint waits for triage. */
  provinceId: number | null;
  countyId: number | null;
  unitId: number | null;
  agencyId: number | null;
  categoryId: number | null;
  assigneeId: number | null;
  dueAt: string | null;
  answer: string | null;
  answeredAt: string | null;
  closedAt: string | null;
  outcome: Outcome | null;
  reopenCount: number;
  escalationCount: number;
  dissatisfiedCount: number;
  /** The case this complaint was merged into as a duplicate (closed, outcome 'merged'); null otherwise. */
  mergedIntoId: string | null;
}

export type Command =
  /** Triage or first routing: send a complaint to a unit; `urgent`, the new category's urgency when the category changes (recorded). */
  | {
      type: 'refer';
      unitId: number;
      agencyId: number;
      categoryId: number | null;
      dueAt: string | null;
      provinceId: number;
      countyId: number | null;
      urgent?: boolean;
    }
  | { type: 'assign'; assigneeId: number }
  | { type: 'start' }
  | { type: 'note'; text: string }
  /** `evidence`: ids of the office's attachments that prove the answer (closure with evidence). */
  | { type: 'answer'; text: string; evidence?: string[] }
  /** `agencyId` is the agency the complaint is about after the transfer (another agency's root for a cross-agency move). */
  | { type: 'transfer'; toUnitId: number; agencyId: number | null; reason: string; dueAt: string | null }
  | { type: 'reject'; reason: string }
  | { type: 'rate'; satisfied: true; comment: string | null }
  /** Not satisfied: reopens the complaint one level up (`toUnitId` is the parent unit, resolved by the caller). */
  | { type: 'rate'; satisfied: false; comment: string | null; toUnitId: number; dueAt: string | null; indicators?: string[] }
  /** The citizen objects to a rejection: it reopens one level up. */
  | { type: 'object'; reason: string; toUnitId: number; dueAt: string | null }
  /** SLA hook: a breached deadline moves the complaint one level up. */
  | { type: 'escalate'; toUnitId: number; reason: string; dueAt: string | null }
  /** SLA hook: the satisfaction window closed without a rating. */
  | { type: 'close_unrated' }
  /** Staff: this complaint is a duplicate of another open case; it closes as merged into it. */
  | { type: 'merge'; intoId: string; intoTrackingCode: string; reason: string }
  /** Staff: undo a merge; the complaint reopens on its own, with a new clock at its unit (or back to triage without one). */
  | { type: 'split'; reason: string; dueAt: string | null }
  /**
   * The citizen, still dissatisfied at the top of the agency's tree, appeals to the provincial
   * supervision group. The caller resolves from the database whether the unit is the top
   * (`atTopLevel`) and whether the complaint was appealed before (`appealedBefore`).
   */
  | { type: 'appeal'; reason: string; atTopLevel: boolean; appealedBefore: boolean; dueAt: string | null }
  /** The supervision group upholds the citizen: back to the agency's top unit with a directive and a fresh clock. */
  | { type: 'uphold_appeal'; directive: string; dueAt: string | null }
  /** The supervision group rejects the appeal with reasons: the complaint closes. */
  | { type: 'reject_appeal'; reason: string }
  /** The 128 centre's satisfaction follow-up call on a closed complaint: what it found (changes no state). */
  | { type: 'follow_up'; callId: number; weekStart: string; outcome: FollowUpOutcome; attempts: number | null };

/** What a follow-up call found: the citizen reached and satisfied, reached and not satisfied, or not reached after some attempts. */
export const FOLLOW_UP_OUTCOMES = ['reached_satisfied', 'reached_not_satisfied', 'not_reachable'] as const;
export type FollowUpOutcome = (typeof FOLLOW_UP_OUTCOMES)[number];

export type CommandType = Command['type'];
export const COMMAND_TYPES: readonly CommandType[] = [
  'refer',
  'assign',
  'start',
  'note',
  'answer',
  'transfer',
  'reject',
  'rate',
  'object',
  'escalate',
  'close_unrated',
  'merge',
  'split',
  'appeal',
  'uphold_appeal',
  'reject_appeal',
  'follow_up',
];

export type LifecycleEvent =
  | {
      type: 'referred';
      data: {
        unitId: number;
        agencyId: number;
        categoryId: number | null;
        dueAt: string | null;
        provinceId?: number;
        countyId?: number | null;
        urgent?: boolean;
      };
    }
  | { type: 'assigned'; data: { assigneeId: number } }
  | { type: 'started'; data: Record<string, never> }
  | { type: 'note_added'; data: { text: string } }
  | { type: 'answered'; data: { text: string; evidence?: string[] } }
  | { type: 'transferred'; data: { fromUnitId: number; toUnitId: number; agencyId?: number | null; reason: string; dueAt: string | null } }
  | { type: 'rejected'; data: { reason: string } }
  | { type: 'rated_satisfied'; data: { comment: string | null } }
  | {
      type: 'rated_not_satisfied';
      /** `indicators`: the quality indicators (codes) the citizen says failed, when they named any. */
      data: { comment: string | null; fromUnitId: number; toUnitId: number; dueAt: string | null; indicators?: string[] };
    }
  | { type: 'objected'; data: { reason: string; fromUnitId: number; toUnitId: number; dueAt: string | null } }
  | { type: 'escalated'; data: { reason: string; fromUnitId: number; toUnitId: number; dueAt: string | null } }
  | { type: 'closed_unrated'; data: Record<string, never> }
  | { type: 'merged_into'; data: { intoId: string; intoTrackingCode: string; reason: string } }
  | { type: 'split_off'; data: { fromId: string; reason: string; unitId: number | null; dueAt: string | null } }
  /** `unitId`: the top unit the appeal is against; `dueAt`: the supervision group's own deadline. */
  | { type: 'appealed'; data: { reason: string; unitId: number; dueAt: string | null } }
  | { type: 'appeal_upheld'; data: { directive: string; toUnitId: number; dueAt: string | null } }
  | { type: 'appeal_rejected'; data: { reason: string } }
  | { type: 'follow_up_recorded'; data: { callId: number; weekStart: string; outcome: FollowUpOutcome; attempts: number | null } };

/** Every event type `evolve` knows. Other events in a chain (intake, audited reads, SLA warnings) change no state. */
export const LIFECYCLE_EVENT_TYPES: ReadonlySet<LifecycleEvent['type']> = new Set([
  'referred',
  'assigned',
  'started',
  'note_added',
  'answered',
  'transferred',
  'rejected',
  'rated_satisfied',
  'rated_not_satisfied',
  'objected',
  'escalated',
  'closed_unrated',
  'merged_into',
  'split_off',
  'appealed',
  'appeal_upheld',
  'appeal_rejected',
  'follow_up_recorded',
] as const);

/** Which command may be applied in which status. Every cell is walked by a test. */
export const TRANSITIONS: Record<CommandType, readonly Status[]> = {
  refer: ['received'],
  assign: ['referred', 'assigned', 'in_progress'],
  start: ['assigned'],
  note: ['received', 'referred', 'assigned', 'in_progress', 'answered', 'appealed'],
  answer: ['referred', 'assigned', 'in_progress'],
  transfer: ['referred', 'assigned', 'in_progress'],
  reject: ['received', 'referred', 'assigned', 'in_progress'],
  rate: ['answered'],
  object: ['rejected'],
  escalate: ['referred', 'assigned', 'in_progress'],
  close_unrated: ['answered'],
  merge: ['received', 'referred', 'assigned', 'in_progress'],
  /** Only a merged complaint (closed with outcome 'merged'); `decide` checks the outcome. */
  split: ['closed'],
  /** Only at the top of the tree and only once; `decide` checks both. */
  appeal: APPEALABLE_STATUSES,
  uphold_appeal: ['appealed'],
  reject_appeal: ['appealed'],
  /** Only closed complaints are sampled for a call; the call records, it does not reopen. */
  follow_up: ['closed'],
};

export class LifecycleError extends Error {
  constructor(
    readonly code: 'invalid_transition' | 'same_unit' | 'same_assignee' | 'not_merged' | 'appeal_not_top_level' | 'already_appealed',
    readonly status: Status,
    readonly command: CommandType,
  ) {
    super(`${command} is not allowed while the complaint is ${status}`);
  }
}

/** The referral an operator (or the router) makes: where it goes, its clock and its place. */
function referred(command: Extract<Command, { type: 'refer' }>): LifecycleEvent {
  return {
    type: 'referred',
    data: {
      unitId: command.unitId,
      agencyId: command.agencyId,
      categoryId: command.categoryId,
      dueAt: command.dueAt,
      provinceId: command.provinceId,
      countyId: command.countyId,
      ...(command.urgent === undefined ? {} : { urgent: command.urgent }),
    },
  };
}

/** The citizen's rating: satisfied closes; not satisfied goes to `toUnitId` with a new clock. */
function rated(command: Extract<Command, { type: 'rate' }>, fromUnitId: number): LifecycleEvent {
  if (command.satisfied) return { type: 'rated_satisfied', data: { comment: command.comment } };
  return {
    type: 'rated_not_satisfied',
    data: {
      comment: command.comment,
      fromUnitId,
      toUnitId: command.toUnitId,
      dueAt: command.dueAt,
      ...(command.indicators?.length ? { indicators: command.indicators } : {}),
    },
  };
}

/** Decides what happens when `command` is applied in `state`: the events, or a LifecycleError. */
export function decide(state: ComplaintState, command: Command): LifecycleEvent[] {
  if (!TRANSITIONS[command.type].includes(state.status)) {
    throw new LifecycleError('invalid_transition', state.status, command.type);
  }
  const fromUnitId = state.unitId ?? 0;
  switch (command.type) {
    case 'refer':
      return [referred(command)];
    case 'assign':
      if (state.assigneeId === command.assigneeId && state.status !== 'referred') {
        throw new LifecycleError('same_assignee', state.status, command.type);
      }
      return [{ type: 'assigned', data: { assigneeId: command.assigneeId } }];
    case 'start':
      return [{ type: 'started', data: {} }];
    case 'note':
      return [{ type: 'note_added', data: { text: command.text } }];
    case 'answer':
      return [{ type: 'answered', data: { text: command.text, ...(command.evidence?.length ? { evidence: command.evidence } : {}) } }];
    case 'transfer':
      if (command.toUnitId === state.unitId) throw new LifecycleError('same_unit', state.status, command.type);
      return [
        { type: 'transferred', data: { fromUnitId, toUnitId: command.toUnitId, agencyId: command.agencyId, reason: command.reason, dueAt: command.dueAt } },
      ];
    case 'reject':
      return [{ type: 'rejected', data: { reason: command.reason } }];
    case 'rate':
      return [rated(command, fromUnitId)];
    case 'object':
      return [{ type: 'objected', data: { reason: command.reason, fromUnitId, toUnitId: command.toUnitId, dueAt: command.dueAt } }];
    case 'escalate':
      // At the top of the tree there is no level up; the SLA engine reports to the national centre instead.
      if (command.toUnitId === state.unitId) throw new LifecycleError('same_unit', state.status, command.type);
      return [{ type: 'escalated', data: { reason: command.reason, fromUnitId, toUnitId: command.toUnitId, dueAt: command.dueAt } }];
    case 'close_unrated':
      return [{ type: 'closed_unrated', data: {} }];
    case 'merge':
      return [{ type: 'merged_into', data: { intoId: command.intoId, intoTrackingCode: command.intoTrackingCode, reason: command.reason } }];
    case 'split':
      if (state.outcome !== 'merged' || state.mergedIntoId === null) throw new LifecycleError('not_merged', state.status, command.type);
      return [{ type: 'split_off', data: { fromId: state.mergedIntoId, reason: command.reason, unitId: state.unitId, dueAt: command.dueAt } }];
    case 'appeal':
      if (command.appealedBefore) throw new LifecycleError('already_appealed', state.status, command.type);
      // Below the top the citizen's dissatisfaction goes one level up the tree instead (rate, object).
      if (!command.atTopLevel || state.unitId === null) throw new LifecycleError('appeal_not_top_level', state.status, command.type);
      return [{ type: 'appealed', data: { reason: command.reason, unitId: state.unitId, dueAt: command.dueAt } }];
    case 'uphold_appeal':
      return [{ type: 'appeal_upheld', data: { directive: command.directive, toUnitId: fromUnitId, dueAt: command.dueAt } }];
    case 'reject_appeal':
      return [{ type: 'appeal_rejected', data: { reason: command.reason } }];
    case 'follow_up':
      return [
        { type: 'follow_up_recorded', data: { callId: command.callId, weekStart: command.weekStart, outcome: command.outcome, attempts: command.attempts } },
      ];
  }
}

/** Moves a complaint to another unit and back to the start of that unit's work. */
function referTo(state: ComplaintState, unitId: number, dueAt: string | null): ComplaintState {
  return { ...state, status: 'referred', unitId, assigneeId: null, dueAt };
}

/** Applies one event to a state. Folding a complaint's events over `evolve` rebuilds its row. */
export function evolve(state: ComplaintState, event: LifecycleEvent, at: string): ComplaintState {
  switch (event.type) {
    case 'referred':
      return {
        ...referTo(state, event.data.unitId, event.data.dueAt),
        agencyId: event.data.agencyId,
        categoryId: event.data.categoryId ?? state.categoryId,
        // Triage may set the place (older events carry none and keep the intake's).
        ...(event.data.provinceId === undefined ? {} : { provinceId: event.data.provinceId, countyId: event.data.countyId ?? null }),
      };
    case 'assigned':
      return { ...state, status: 'assigned', assigneeId: event.data.assigneeId };
    case 'started':
      return { ...state, status: 'in_progress' };
    case 'note_added':
      return state;
    case 'answered':
      return { ...state, status: 'answered', answer: event.data.text, answeredAt: at };
    case 'transferred':
      return { ...referTo(state, event.data.toUnitId, event.data.dueAt), agencyId: event.data.agencyId ?? state.agencyId };
    case 'rejected':
      return { ...state, status: 'rejected', outcome: 'rejected', closedAt: at, assigneeId: null };
    case 'rated_satisfied':
      return { ...state, status: 'closed', outcome: 'satisfied', closedAt: at };
    case 'rated_not_satisfied':
      return {
        ...referTo(state, event.data.toUnitId, event.data.dueAt),
        answer: null,
        answeredAt: null,
        reopenCount: state.reopenCount + 1,
        dissatisfiedCount: state.dissatisfiedCount + 1,
      };
    case 'objected':
      return {
        ...referTo(state, event.data.toUnitId, event.data.dueAt),
        outcome: null,
        closedAt: null,
        reopenCount: state.reopenCount + 1,
        dissatisfiedCount: state.dissatisfiedCount + 1,
      };
    case 'escalated':
      return { ...referTo(state, event.data.toUnitId, event.data.dueAt), escalationCount: state.escalationCount + 1 };
    case 'closed_unrated':
      return { ...state, status: 'closed', outcome: 'no_rating', closedAt: at };
    case 'merged_into':
      return { ...state, status: 'closed', outcome: 'merged', closedAt: at, assigneeId: null, dueAt: null, mergedIntoId: event.data.intoId };
    case 'split_off': {
      const reopened = { ...state, outcome: null, closedAt: null, mergedIntoId: null, reopenCount: state.reopenCount + 1 };
      // Merged before triage: back to the operators; else a new clock at its own unit.
      return event.data.unitId === null ? { ...reopened, status: 'received', dueAt: null } : referTo(reopened, event.data.unitId, event.data.dueAt);
    }
    case 'appealed':
      // The agency's answer stays for the supervision group to read; the deadline is theirs now.
      return {
        ...state,
        status: 'appealed',
        outcome: null,
        closedAt: null,
        assigneeId: null,
        dueAt: event.data.dueAt,
        dissatisfiedCount: state.dissatisfiedCount + 1,
      };
    case 'appeal_upheld':
      return { ...referTo(state, event.data.toUnitId, event.data.dueAt), answer: null, answeredAt: null, reopenCount: state.reopenCount + 1 };
    case 'appeal_rejected':
      return { ...state, status: 'closed', outcome: 'appeal_rejected', closedAt: at, dueAt: null };
    case 'follow_up_recorded':
      return state;
  }
}

// The state a complaint starts in lives beside it (kept out to hold this file under the size limit).
export { initialState } from './initial-state.ts';
