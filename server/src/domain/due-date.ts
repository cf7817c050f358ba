/**
 * The first-cut answer deadline: the category's hours on the wall clock from the moment the
 * complaint reached the unit. The SLA engine replaces this with versioned policies and the
 * business calendar; intake and the lifecycle only ever ask this one function.
 */
export const DEFAULT_ANSWER_HOURS = 72;

export function answerDueAt(from: Date, answerHours: number | null): string {
  return new Date(from.getTime() + (answerHours ?? DEFAULT_ANSWER_HOURS) * 3_600_000).toISOString();
}
