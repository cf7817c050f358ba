import { describe, expect, it } from 'vitest';
import {
  AWAITING_STAFF_STATUSES,
  type Command,
  type CommandType,
  type ComplaintState,
  decide,
  evolve,
  initialState,
  LifecycleError,
  OPEN_STATUSES,
  STATUSES,
  type Status,
  TRANSITIONS,
} from './lifecycle.ts';

const at = '2026-11-29T08:00:00.000Z';

/** One example of every command, aimed at unit 20 (the current unit is 10). */
const EXAMPLES: Record<CommandType, Command> = {
  refer: { type: 'refer', unitId: 10, agencyId: 1, categoryId: 3, dueAt: at, provinceId: 13, countyId: 130 },
  assign: { type: 'assign', assigneeId: 7 },
  start: { type: 'start' },
  note: { type: 'note', text: 'یادداشت' },
  answer: { type: 'answer', text: 'پاسخ داده شد' },
  transfer: { type: 'transfer', toUnitId: 20, agencyId: 1, reason: 'واحد اشتباه', dueAt: at },
  reject: { type: 'reject', reason: 'خارج از حوزه' },
  rate: { type: 'rate', satisfied: true, comment: null },
  object: { type: 'object', reason: 'اعتراض دارم', toUnitId: 20, dueAt: at },
  escalate: { type: 'escalate', toUnitId: 20, reason: 'sla_breach', dueAt: at },
  close_unrated: { type: 'close_unrated' },
  merge: { type: 'merge', intoId: 'c0ffee00-0000-4000-8000-000000000001', intoTrackingCode: '482109375512', reason: 'همان شکایت' },
  split: { type: 'split', reason: 'دو موضوع جداست', dueAt: at },
  appeal: { type: 'appeal', reason: 'پاسخ ستاد هم قانع‌کننده نبود', atTopLevel: true, appealedBefore: false, dueAt: at },
  uphold_appeal: { type: 'uphold_appeal', directive: 'دوباره و با بازدید میدانی رسیدگی شود', dueAt: at },
  reject_appeal: { type: 'reject_appeal', reason: 'پاسخ دستگاه مطابق قانون است' },
  follow_up: { type: 'follow_up', callId: 1, weekStart: '2025-06-14', outcome: 'not_reachable', attempts: 3 },
};

function stateIn(status: Status): ComplaintState {
  return {
    ...initialState({ agencyId: 1, categoryId: 3 }),
    status,
    unitId: status === 'received' ? null : 10,
    assigneeId: status === 'assigned' || status === 'in_progress' ? 5 : null,
    answer: status === 'answered' || status === 'appealed' ? 'پاسخ' : null,
    // The one way out of 'closed' is splitting a merged duplicate off: the closed example is one.
    ...(status === 'closed' ? { outcome: 'merged' as const, mergedIntoId: 'c0ffee00-0000-4000-8000-000000000001', closedAt: at } : {}),
  };
}

/** What each allowed transition leads to. */
const EXPECTED: Partial<Record<`${Status}:${CommandType}`, Status>> = {
  'received:refer': 'referred',
  'received:note': 'received',
  'received:reject': 'rejected',
  'referred:assign': 'assigned',
  'assigned:assign': 'assigned',
  'in_progress:assign': 'assigned',
  'assigned:start': 'in_progress',
  'referred:note': 'referred',
  'assigned:note': 'assigned',
  'in_progress:note': 'in_progress',
  'answered:note': 'answered',
  'referred:answer': 'answered',
  'assigned:answer': 'answered',
  'in_progress:answer': 'answered',
  'referred:transfer': 'referred',
  'assigned:transfer': 'referred',
  'in_progress:transfer': 'referred',
  'referred:reject': 'rejected',
  'assigned:reject': 'rejected',
  'in_progress:reject': 'rejected',
  'answered:rate': 'closed',
  'rejected:object': 'referred',
  'referred:escalate': 'referred',
  'assigned:escalate': 'referred',
  'in_progress:escalate': 'referred',
  'answered:close_unrated': 'closed',
  'received:merge': 'closed',
  'referred:merge': 'closed',
  'assigned:merge': 'closed',
  'in_progress:merge': 'closed',
  'closed:split': 'referred',
  'answered:appeal': 'appealed',
  'rejected:appeal': 'appealed',
  'appealed:note': 'appealed',
  'appealed:uphold_appeal': 'referred',
  'appealed:reject_appeal': 'closed',
  'closed:follow_up': 'closed',
};

describe('lifecycle transition table', () => {
  for (const status of STATUSES) {
    for (const type of Object.keys(TRANSITIONS) as CommandType[]) {
      const allowed = TRANSITIONS[type].includes(status);
      it(`${status} × ${type} → ${allowed ? EXPECTED[`${status}:${type}`] : 'refused'}`, () => {
        const state = stateIn(status);
        if (!allowed) {
          expect(() => decide(state, EXAMPLES[type])).toThrow(LifecycleError);
          return;
        }
        const events = decide(state, EXAMPLES[type]);
        expect(events.length).toBeGreaterThan(0);
        const next = events.reduce((s, e) => evolve(s, e, at), state);
        expect(next.status).toBe(EXPECTED[`${status}:${type}`]);
      });
    }
  }

  it('every allowed cell has an expected outcome written down', () => {
    const allowedCells = STATUSES.flatMap((s) => (Object.keys(TRANSITIONS) as CommandType[]).filter((t) => TRANSITIONS[t].includes(s)).map((t) => `${s}:${t}`));
    expect(allowedCells.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it('closed is terminal, except that a merged duplicate can be split off again (a follow-up call only records)', () => {
    for (const type of Object.keys(TRANSITIONS) as CommandType[])
      if (type !== 'split' && type !== 'follow_up') expect(TRANSITIONS[type]).not.toContain('closed');
    const called = stateIn('closed');
    expect(evolve(called, decide(called, EXAMPLES.follow_up)[0]!, at)).toEqual(called);
    const satisfied = { ...stateIn('closed'), outcome: 'satisfied' as const, mergedIntoId: null };
    expect(() => decide(satisfied, EXAMPLES.split)).toThrow(LifecycleError);
  });
});

describe('lifecycle rules', () => {
  it('a merge closes the duplicate as merged into the case, and a split reopens it with a new clock at its unit', () => {
    const state = { ...stateIn('assigned'), dueAt: '2026-11-30T08:00:00.000Z' };
    const merged = evolve(state, decide(state, EXAMPLES.merge)[0]!, at);
    expect(merged).toMatchObject({ status: 'closed', outcome: 'merged', closedAt: at, assigneeId: null, dueAt: null, unitId: 10 });
    expect(merged.mergedIntoId).toBe('c0ffee00-0000-4000-8000-000000000001');
    const events = decide(merged, EXAMPLES.split);
    expect(events).toEqual([{ type: 'split_off', data: { fromId: 'c0ffee00-0000-4000-8000-000000000001', reason: 'دو موضوع جداست', unitId: 10, dueAt: at } }]);
    const split = evolve(merged, events[0]!, at);
    expect(split).toMatchObject({ status: 'referred', unitId: 10, outcome: null, closedAt: null, mergedIntoId: null, dueAt: at, reopenCount: 1 });
  });

  it('a complaint merged before triage splits back to triage', () => {
    const state = stateIn('received');
    const merged = evolve(state, decide(state, EXAMPLES.merge)[0]!, at);
    const split = evolve(merged, decide(merged, EXAMPLES.split)[0]!, at);
    expect(split).toMatchObject({ status: 'received', unitId: null, dueAt: null, mergedIntoId: null });
  });

  it('not satisfied reopens one level up, counts the dissatisfaction and clears the answer', () => {
    const state = stateIn('answered');
    const events = decide(state, { type: 'rate', satisfied: false, comment: 'راضی نیستم', toUnitId: 4, dueAt: at });
    expect(events).toEqual([{ type: 'rated_not_satisfied', data: { comment: 'راضی نیستم', fromUnitId: 10, toUnitId: 4, dueAt: at } }]);
    const next = evolve(state, events[0]!, at);
    expect(next).toMatchObject({ status: 'referred', unitId: 4, assigneeId: null, answer: null, reopenCount: 1, dissatisfiedCount: 1, dueAt: at });
  });

  it('satisfied closes with that outcome', () => {
    const next = evolve(stateIn('answered'), decide(stateIn('answered'), EXAMPLES.rate)[0]!, at);
    expect(next).toMatchObject({ status: 'closed', outcome: 'satisfied', closedAt: at });
  });

  it('escalation moves up, drops the assignee and counts', () => {
    const state = stateIn('in_progress');
    const next = evolve(state, decide(state, EXAMPLES.escalate)[0]!, at);
    expect(next).toMatchObject({ status: 'referred', unitId: 20, assigneeId: null, escalationCount: 1 });
  });

  it('an escalation needs a level up: at the top it is refused', () => {
    expect(() => decide(stateIn('referred'), { ...EXAMPLES.escalate, toUnitId: 10 } as Command)).toThrowError(expect.objectContaining({ code: 'same_unit' }));
  });

  it('a cross-agency transfer moves the agency too', () => {
    const state = stateIn('assigned');
    const next = evolve(state, decide(state, { ...EXAMPLES.transfer, agencyId: 99 } as Command)[0]!, at);
    expect(next).toMatchObject({ unitId: 20, agencyId: 99, status: 'referred', assigneeId: null });
  });

  it('a referral at triage sets the place of a complaint that had none', () => {
    const state = { ...stateIn('received'), provinceId: null, countyId: null };
    const next = evolve(state, decide(state, EXAMPLES.refer)[0]!, at);
    expect(next).toMatchObject({ status: 'referred', unitId: 10, provinceId: 13, countyId: 130 });
  });

  it('a transfer to the same unit is refused', () => {
    expect(() => decide(stateIn('referred'), { ...EXAMPLES.transfer, toUnitId: 10 } as Command)).toThrowError(expect.objectContaining({ code: 'same_unit' }));
  });

  it('re-assigning to the same person is refused', () => {
    expect(() => decide(stateIn('assigned'), { type: 'assign', assigneeId: 5 })).toThrowError(expect.objectContaining({ code: 'same_assignee' }));
  });

  it('decide is pure: the state passed in is not changed', () => {
    const state = stateIn('referred');
    const copy = structuredClone(state);
    decide(state, EXAMPLES.assign);
    expect(state).toEqual(copy);
  });
});

describe('appeal to the provincial supervision group', () => {
  const appeal = (over: Partial<Extract<Command, { type: 'appeal' }>>): Command => ({ ...(EXAMPLES.appeal as Extract<Command, { type: 'appeal' }>), ...over });

  it('is refused below the top of the tree: there the complaint goes one level up instead', () => {
    expect(() => decide(stateIn('answered'), appeal({ atTopLevel: false }))).toThrow(expect.objectContaining({ code: 'appeal_not_top_level' }));
  });

  it('is refused a second time', () => {
    expect(() => decide(stateIn('answered'), appeal({ appealedBefore: true }))).toThrow(expect.objectContaining({ code: 'already_appealed' }));
  });

  it('keeps the answer for the supervisors, takes their deadline and counts the dissatisfaction', () => {
    const state: ComplaintState = { ...stateIn('answered'), dueAt: null };
    const next = decide(state, EXAMPLES.appeal).reduce((s, e) => evolve(s, e, at), state);
    expect(next).toMatchObject({ status: 'appealed', unitId: 10, answer: 'پاسخ', dueAt: at, dissatisfiedCount: 1, outcome: null });
  });

  it('from a rejection reopens the closed complaint', () => {
    const state: ComplaintState = { ...stateIn('rejected'), outcome: 'rejected', closedAt: at };
    const next = decide(state, EXAMPLES.appeal).reduce((s, e) => evolve(s, e, at), state);
    expect(next).toMatchObject({ status: 'appealed', outcome: null, closedAt: null });
  });

  it('upheld goes back to the same top unit with a fresh deadline and no answer; rejected closes with its own outcome', () => {
    const appealed = stateIn('appealed');
    const upheld = decide(appealed, EXAMPLES.uphold_appeal);
    expect(upheld).toEqual([{ type: 'appeal_upheld', data: { directive: 'دوباره و با بازدید میدانی رسیدگی شود', toUnitId: 10, dueAt: at } }]);
    expect(evolve(appealed, upheld[0]!, at)).toMatchObject({ status: 'referred', unitId: 10, answer: null, reopenCount: 1 });
    const rejected = decide(appealed, EXAMPLES.reject_appeal).reduce((s, e) => evolve(s, e, at), appealed);
    expect(rejected).toMatchObject({ status: 'closed', outcome: 'appeal_rejected', closedAt: at, dueAt: null });
  });
});

describe('open statuses', () => {
  it('awaiting staff is exactly where a complaint can still be rejected, and excludes answered', () => {
    expect([...AWAITING_STAFF_STATUSES].sort()).toEqual([...TRANSITIONS.reject].sort());
    expect(AWAITING_STAFF_STATUSES).not.toContain('answered');
  });

  it('open is awaiting staff plus answered and appealed: exactly where a note can still be added', () => {
    expect([...OPEN_STATUSES].sort()).toEqual([...TRANSITIONS.note].sort());
    expect(OPEN_STATUSES.filter((s) => !(AWAITING_STAFF_STATUSES as readonly string[]).includes(s))).toEqual(['answered', 'appealed']);
  });

  it('closed and rejected are never open', () => {
    for (const s of ['closed', 'rejected'] as const) expect(OPEN_STATUSES as readonly string[]).not.toContain(s);
  });
});
