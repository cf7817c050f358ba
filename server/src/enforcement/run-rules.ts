import type { Clock } from '../core/clock.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import type { Database } from '../db/database.ts';
import { completedPeriods } from './periods.ts';
import type { ReportCardSource } from './report-card-source.ts';
import { dueMonths, planSchedule, type SchedulePlan, type ScheduleSettings } from './schedule.ts';
import { abandonStaleRuns, claimScheduledRun, failRun, finishRun, scheduledAttempts, startManualRun } from './store.ts';
import { suggestActions } from './suggest-actions.ts';

/** A scheduled run still 'running' after this long was abandoned by its instance (graceful stops wait for it). */
export const RUN_LEASE_MS = 60 * 60_000;

export interface RunOutcome {
  runId: number;
  period: string;
  created: number | null;
  error: string | null;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** What the schedule owes at `now`: the months to run and when the next one is due. */
export async function schedulePlan(db: Database, now: Date, settings: ScheduleSettings): Promise<SchedulePlan> {
  const due = dueMonths(now, settings);
  const { attempts, firstMonth } = await scheduledAttempts(
    db.pool,
    due.map((p) => p.key),
  );
  return planSchedule(now, settings, attempts, firstMonth);
}

/**
 * One tick of the schedule: runs the rules for every ended, settled month it owes, oldest first,
 * each as of the instant its month ended (so its suggestions are about that month). Each month is
 * claimed first, so across instances it runs once; a month another instance is running stops the
 * tick there (it goes on to the later months). A failure is recorded on the run and retried by a
 * later tick after a backoff.
 */
export async function runScheduledMonths(
  db: Database,
  source: ReportCardSource,
  options: ScheduleSettings & { replyDays: number; clock: Clock },
): Promise<RunOutcome[]> {
  const now = options.clock.now();
  await abandonStaleRuns(db.pool, new Date(now.getTime() - RUN_LEASE_MS), now);
  const plan = await schedulePlan(db, now, options);
  const outcomes: RunOutcome[] = [];
  for (const month of plan.run) {
    const runId = await claimScheduledRun(db.pool, month, options.clock.now());
    if (runId === null) break;
    try {
      const { created } = await recordedRun(db, source, runId, { ...options, asOf: month.asOf });
      outcomes.push({ runId, period: month.period, created: created.length, error: null });
    } catch (error) {
      outcomes.push({ runId, period: month.period, created: null, error: messageOf(error) });
    }
  }
  return outcomes;
}

/**
 * The national centre runs the rules by hand for the last completed month before `asOf`; the run
 * is recorded like a scheduled one (who, when, what it created, or why it failed). Manual runs do
 * not stand in for the schedule: it still runs each month once it has settled (adding only what
 * is new).
 */
export async function runRulesByHand(db: Database, source: ReportCardSource, options: { user: StaffPrincipal; asOf: Date; replyDays: number; clock: Clock }) {
  const period = completedPeriods(options.asOf, 1)[0]!.key;
  const runId = await startManualRun(db.pool, { period, asOf: options.asOf, requestedBy: options.user.id, now: options.clock.now() });
  return { ...(await recordedRun(db, source, runId, options)), runId };
}

/** Runs the rules for a recorded run: its end is written with the suggestions, a failure on the run (and rethrown). */
async function recordedRun(db: Database, source: ReportCardSource, runId: number, options: { asOf: Date; replyDays: number; clock: Clock }) {
  try {
    return await suggestActions(db, source, {
      asOf: options.asOf,
      replyDays: options.replyDays,
      now: options.clock.now(),
      record: (tx, n) => finishRun(tx, runId, n, options.clock.now()),
    });
  } catch (error) {
    await failRun(db.pool, runId, messageOf(error), options.clock.now());
    throw error;
  }
}
