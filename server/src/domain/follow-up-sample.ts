import { createHmac } from 'node:crypto';
import { seededRandom } from './seeded-random.ts';

/*
 * The weekly sample of closed complaints the 128 centre calls back (docs/follow-up-calls.md).
 * Pure: the same week, units, complaints and secret always give the same sample, so a draw can
 * be re-run and checked; the secret keeps agencies from predicting which citizens will be called.
 */

export interface SampleSettings {
  percent: number;
  min: number;
  max: number;
}

/** How many of a unit's `closed` complaints to call: the percentage, at least `min` (or all), at most `max`. */
export function sampleSize(closed: number, settings: SampleSettings): number {
  const wanted = Math.max(Math.ceil((closed * settings.percent) / 100), settings.min);
  return Math.min(closed, wanted, settings.max);
}

/** The Saturday (Iranian weeks start on Saturday) of the week a Gregorian day ('YYYY-MM-DD') falls in. */
export function weekStartOf(isoDay: string): string {
  const day = new Date(`${isoDay}T00:00:00Z`);
  const back = (day.getUTCDay() + 1) % 7; // Saturday is 6
  return new Date(day.getTime() - back * 86_400_000).toISOString().slice(0, 10);
}

/** The day `days` after a Gregorian day. */
export function addDays(isoDay: string, days: number): string {
  return new Date(new Date(`${isoDay}T00:00:00Z`).getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Draws each unit's sample: its candidates in id order, shuffled by a generator seeded from the
 * secret, the week and the unit (Fisher–Yates), the first `sampleSize` taken.
 */
export function drawSample(
  candidates: { complaintId: string; unitId: number }[],
  week: string,
  secret: string,
  settings: SampleSettings,
): { complaintId: string; unitId: number }[] {
  const byUnit = new Map<number, string[]>();
  for (const c of candidates) byUnit.set(c.unitId, [...(byUnit.get(c.unitId) ?? []), c.complaintId]);
  const drawn: { complaintId: string; unitId: number }[] = [];
  for (const unitId of [...byUnit.keys()].sort((a, b) => a - b)) {
    const ids = byUnit.get(unitId)!.sort();
    const seed = createHmac('sha256', secret).update(`follow-up:${week}:${unitId}`).digest().readUInt32BE(0);
    const random = seededRandom(seed);
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [ids[i], ids[j]] = [ids[j]!, ids[i]!];
    }
    for (const complaintId of ids.slice(0, sampleSize(ids.length, settings))) drawn.push({ complaintId, unitId });
  }
  return drawn;
}
