import { completedPeriods, type Period, periodOf } from './periods.ts';

/** After a downtime the schedule catches up at most this many ended months (older ones: a manual run with `asOf`). */
export const CATCH_UP_MONTHS = 3;
/** A failed month is tried again after 5 min, 10, 20… at most 6 h after its last failure. */
const RETRY_BASE_MS = 5 * 60_000;
const RETRY_MAX_MS = 6 * 3_600_000;

/** What the schedule has recorded about one month (its scheduled attempts only). */
export interface ScheduledAttempt {
  period: string;
  attempt: number;
  status: 'running' | 'done' | 'failed';
  finishedAt: Date | null;
}

export interface ScheduleSettings {
  /** Hours after a month ends (Tehran time) before its rules run: late answers and ratings land first. */
  settleHours: number;
}

/** A month to run now: `asOf` is the instant it ended, so its suggestions are about it. */
export interface MonthToRun {
  period: string;
  asOf: Date;
  attempt: number;
  /** When it became due: the month's end plus the settle delay, or the end of a failure's backoff. */
  dueAt: Date;
}

export interface SchedulePlan {
  run: MonthToRun[];
  /** The next time a tick has work, and for which month (it may be now or past, until a tick picks it up). */
  next: { period: string; dueAt: Date; retry: boolean };
}

/** How long after its `failures`-th failure a month is tried again. */
export function retryDelayMs(failures: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.max(0, failures - 1));
}

/** The ended months whose settle delay has passed at `now`, oldest first, at most `CATCH_UP_MONTHS`. */
export function dueMonths(now: Date, settings: ScheduleSettings): Period[] {
  return completedPeriods(new Date(now.getTime() - settings.settleHours * 3_600_000), CATCH_UP_MONTHS);
}

/**
 * Which months a tick at `now` should run, in order, and when the next one is due. Pure.
 * `firstMonth` is the earliest month the schedule ever attempted: months before it were never
 * missed (the schedule did not exist yet), so a first start runs only the newest due month.
 * A done month is skipped; one running elsewhere holds the later months back (order); a failed
 * one waits `retryDelayMs` after its last failure, then runs as the next attempt — meanwhile the
 * later months go ahead (each month is evaluated on its own numbers, as of its own end).
 */
export function planSchedule(now: Date, settings: ScheduleSettings, attempts: ScheduledAttempt[], firstMonth: string | null): SchedulePlan {
  const settleMs = settings.settleHours * 3_600_000;
  const due = dueMonths(now, settings);
  const since = firstMonth ?? due.at(-1)?.key ?? '';
  const run: MonthToRun[] = [];
  let waiting: SchedulePlan['next'] | null = null;
  for (const month of due.filter((p) => p.key >= since)) {
    const mine = attempts.filter((a) => a.period === month.key);
    if (mine.some((a) => a.status === 'done')) continue;
    // Another instance is running it: later months wait, so months are always run in order.
    if (mine.some((a) => a.status === 'running')) break;
    const failures = mine.length;
    const lastFailure = Math.max(0, ...mine.map((a) => a.finishedAt?.getTime() ?? 0));
    const retryAt = failures ? lastFailure + retryDelayMs(failures) : 0;
    if (retryAt > now.getTime()) {
      if (!waiting || retryAt < waiting.dueAt.getTime()) waiting = { period: month.key, dueAt: new Date(retryAt), retry: true };
      continue;
    }
    const dueAt = new Date(Math.max(month.to.getTime() + settleMs, retryAt));
    run.push({ period: month.key, asOf: month.to, attempt: Math.max(0, ...mine.map((a) => a.attempt)) + 1, dueAt });
  }
  // The month under way (in settle terms): due when it has ended and settled.
  const current = periodOf(new Date(now.getTime() - settleMs));
  const upcoming = { period: current.key, dueAt: new Date(current.to.getTime() + settleMs), retry: false };
  const first = run[0];
  const next = first ? { period: first.period, dueAt: first.dueAt, retry: first.attempt > 1 } : waiting && waiting.dueAt < upcoming.dueAt ? waiting : upcoming;
  return { run, next };
}
