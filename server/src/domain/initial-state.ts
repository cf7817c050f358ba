import type { ComplaintState } from './lifecycle.ts';

/** The state of a complaint just received, before any routing. */
export function initialState(input: {
  agencyId: number | null;
  categoryId: number | null;
  provinceId?: number | null;
  countyId?: number | null;
}): ComplaintState {
  return {
    status: 'received',
    provinceId: input.provinceId ?? null,
    countyId: input.countyId ?? null,
    unitId: null,
    agencyId: input.agencyId,
    categoryId: input.categoryId,
    assigneeId: null,
    dueAt: null,
    answer: null,
    answeredAt: null,
    closedAt: null,
    outcome: null,
    reopenCount: 0,
    escalationCount: 0,
    dissatisfiedCount: 0,
    mergedIntoId: null,
  };
}
