import type { Clock } from '../core/clock.ts';
import type { Database } from '../db/database.ts';
import { startWorkLoop } from '../db/work-loop.ts';
import { addDays, drawSample, type SampleSettings, weekStartOf } from '../domain/follow-up-sample.ts';
import { tehranDay, tehranMidnight } from '../domain/jalali-periods.ts';
import { claimWeek, closedCandidates, insertCalls } from './store.ts';

/** How often an instance looks whether this week's sample is drawn: one small insert when it is. */
export const DRAW_INTERVAL_MS = 10 * 60_000;

export interface DrawSettings extends SampleSettings {
  /** The seed's secret (config SECRET): reproducible for whoever holds it, unpredictable to agencies. */
  secret: string;
}

/**
 * Draws the sample of the week `now` falls in (Tehran time; weeks start on Saturday) from the
 * complaints closed the week before. Claiming the week's row and writing its calls are one
 * transaction: a second run — here or in another instance, even at the same moment — finds the
 * row taken and draws nothing. Returns the week and how many calls it drew (null: drawn before).
 */
export async function drawWeeklySample(db: Database, settings: DrawSettings, now: Date): Promise<{ weekStart: string; calls: number | null }> {
  const weekStart = weekStartOf(tehranDay(now));
  const calls = await db.transaction(async (tx) => {
    if (!(await claimWeek(tx, weekStart))) return null;
    const candidates = await closedCandidates(tx, tehranMidnight(addDays(weekStart, -7)), tehranMidnight(weekStart));
    const drawn = drawSample(candidates, weekStart, settings.secret, settings);
    await insertCalls(tx, weekStart, drawn);
    return drawn.length;
  });
  return { weekStart, calls };
}

/** The worker: draws each week's sample once, in every instance that runs workers (the claim keeps it to one). */
export function startFollowUpScheduler(
  db: Database,
  settings: DrawSettings,
  options: { intervalMs?: number; clock: Clock; onDrawn?: (weekStart: string, calls: number) => void; onError?: (error: unknown) => void },
): { stop: () => Promise<void> } {
  return startWorkLoop(
    async () => {
      const { weekStart, calls } = await drawWeeklySample(db, settings, options.clock.now());
      if (calls !== null) options.onDrawn?.(weekStart, calls);
      return { full: false };
    },
    options.intervalMs ?? DRAW_INTERVAL_MS,
    options.onError,
  );
}
