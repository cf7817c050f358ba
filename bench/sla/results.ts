import { percentile } from '../lib.ts';

// ── Results ──────────────────────────────────────────────────────────────────────────────────

export interface Spread {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function spread(values: ArrayLike<number>): Spread {
  const sorted = Float64Array.from(values).sort();
  return {
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : Number.NaN,
  };
}

export const sumMs = (m: Map<string, { ms: number }>) => [...m.values()].reduce((a, e) => a + e.ms, 0);

export const fmt = (n: number | null, digits = 1) => (n !== null && Number.isFinite(n) ? n.toFixed(digits) : '—');

export function round(n: number | null, digits = 1): number | null {
  return n !== null && Number.isFinite(n) ? Number(n.toFixed(digits)) : null;
}

export function roundSpread(s: Spread, digits = 1): Record<string, number | null> {
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, round(v, digits)]));
}
