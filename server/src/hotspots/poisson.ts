/** Settings of one hotspot dimension (hotspot_settings). */
export interface HotspotSettings {
  dimension: 'unit' | 'category' | 'employee';
  windowMinutes: number;
  baselineHours: number;
  minCount: number;
  maxPValue: number;
  minExpected: number;
  active: boolean;
}

function lnFactorial(n: number): number {
  let sum = 0;
  for (let i = 2; i <= n; i++) sum += Math.log(i);
  return sum;
}

/** P(X ≥ k) for X ~ Poisson(λ), summed from k upwards (accurate for the tiny tails that matter here). */
export function poissonUpperTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  if (lambda <= 0) return 0;
  let term = Math.exp(-lambda + k * Math.log(lambda) - lnFactorial(k));
  let sum = 0;
  for (let i = k; i < k + 100_000; i++) {
    sum += term;
    term *= lambda / (i + 1);
    if (term < sum * 1e-16 && i > lambda) break;
  }
  return Math.min(1, sum);
}

export interface Assessment {
  hot: boolean;
  expected: number;
  pValue: number;
}

/**
 * Is a window's count unusual against its trailing baseline? The expected count in the window is
 * the baseline's rate scaled to the window, never below `minExpected` (a quiet office's first
 * complaints are not an outbreak); the count is hot when it is at least `minCount` and the
 * one-sided Poisson probability of seeing at least as many is at most `maxPValue`.
 */
export function assess(windowCount: number, baselineCount: number, s: HotspotSettings): Assessment {
  const expected = Math.max(s.minExpected, (baselineCount * s.windowMinutes) / (s.baselineHours * 60));
  const pValue = poissonUpperTail(windowCount, expected);
  return { hot: windowCount >= s.minCount && pValue <= s.maxPValue, expected, pValue };
}
