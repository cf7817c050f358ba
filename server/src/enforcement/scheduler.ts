import type { Clock } from '../core/clock.ts';
import type { Database } from '../db/database.ts';
import { startWorkLoop } from '../db/work-loop.ts';
import type { ReportCardSource } from './report-card-source.ts';
import { type RunOutcome, runScheduledMonths } from './run-rules.ts';

/** How often an instance looks whether a month is owed: one small query when nothing is. */
export const SCHEDULE_INTERVAL_MS = 60_000;

/**
 * Runs the enforcement rules once for every Jalali month after it has ended (Tehran time) and
 * settled. Safe in every instance: a month is claimed by a unique row before it runs.
 */
export function startEnforcementScheduler(
  db: Database,
  source: ReportCardSource,
  options: {
    settleHours: number;
    replyDays: number;
    intervalMs?: number;
    clock: Clock;
    onRun?: (outcome: RunOutcome) => void;
    onError?: (error: unknown) => void;
  },
): { stop: () => Promise<void> } {
  return startWorkLoop(
    async () => {
      for (const outcome of await runScheduledMonths(db, source, { settleHours: options.settleHours, replyDays: options.replyDays, clock: options.clock })) {
        options.onRun?.(outcome);
      }
      return { full: false };
    },
    options.intervalMs ?? SCHEDULE_INTERVAL_MS,
    options.onError,
  );
}
