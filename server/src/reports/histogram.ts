/**
 * Time histograms of the report rollups (see migration 012, report_bucket): 80 log-spaced
 * buckets of minutes, four per doubling. Percentiles are read from merged histograms, so a
 * month, a quarter or a whole country costs the same handful of additions.
 */
export const BUCKETS = 80;

/** The bucket (1-based, as in SQL) of a duration in minutes — the same rule as report_bucket(). */
export function bucketOf(minutes: number): number {
  if (minutes < 1) return 1;
  return Math.min(BUCKETS, 2 + Math.floor((4 * Math.log(minutes)) / Math.log(2)));
}

/** [low, high) minutes of a bucket. */
export function bucketBounds(bucket: number): [number, number] {
  if (bucket === 1) return [0, 1];
  return [2 ** ((bucket - 2) / 4), bucket === BUCKETS ? Number.POSITIVE_INFINITY : 2 ** ((bucket - 1) / 4)];
}

/** The value a bucket reports: its geometric middle (half a minute for the first, the lower bound for the last). */
export function bucketValue(bucket: number): number {
  const [low, high] = bucketBounds(bucket);
  if (bucket === 1) return 0.5;
  if (!Number.isFinite(high)) return low;
  return Math.sqrt(low * high);
}

/** Adds `from` into `into` element by element. */
export function mergeInto(into: number[], from: readonly number[]): number[] {
  for (let i = 0; i < from.length; i++) into[i] = (into[i] ?? 0) + (from[i] ?? 0);
  return into;
}

export function emptyHistogram(): number[] {
  return new Array<number>(BUCKETS).fill(0);
}

/**
 * The p-th percentile (0 < p ≤ 1, nearest rank: the smallest value with at least p of the
 * observations at or below it), in minutes, rounded to a tenth; null for an empty histogram.
 */
export function percentile(histogram: readonly number[], p: number): number | null {
  let total = 0;
  for (let i = 0; i < histogram.length; i++) total += histogram[i] ?? 0;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i] ?? 0;
    if (seen >= rank) return REPORTED[i]!;
  }
  return null;
}

/** What each bucket reports, rounded to a tenth of a minute (computed once). */
const REPORTED = Array.from({ length: BUCKETS }, (_, i) => Math.round(bucketValue(i + 1) * 10) / 10);

/**
 * PostgreSQL's text form of an integer array, '{0,3,-1,…}', → numbers (already-parsed arrays pass
 * through). Written by hand: pg's generic array parser, and even split + Number, made this the
 * largest cost of a country's card (1,240 histograms a month, 80 buckets each).
 */
export function parseHistogram(text: unknown): number[] {
  if (typeof text !== 'string') return text as number[];
  const out: number[] = [];
  if (text.length <= 2) return out;
  let value = 0;
  let negative = false;
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) value = value * 10 + (c - 48);
    else if (c === 45) negative = true;
    else {
      // ',' or the closing '}': one bucket ends.
      out.push(negative ? -value : value);
      value = 0;
      negative = false;
    }
  }
  return out;
}
