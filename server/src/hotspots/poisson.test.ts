import { describe, expect, it } from 'vitest';
import { assess, type HotspotSettings, poissonUpperTail } from './poisson.ts';

const settings: HotspotSettings = { dimension: 'unit', windowMinutes: 60, baselineHours: 24, minCount: 5, maxPValue: 0.001, minExpected: 0.5, active: true };

describe('Poisson upper tail', () => {
  it('matches known values', () => {
    expect(poissonUpperTail(0, 3)).toBe(1);
    expect(poissonUpperTail(1, 2)).toBeCloseTo(1 - Math.exp(-2), 12);
    // P(X ≥ 6 | 0.5) = 1.4164e-5 ; P(X ≥ 6 | 2.5) = 0.04202
    expect(poissonUpperTail(6, 0.5)).toBeCloseTo(1.4164e-5, 8);
    expect(poissonUpperTail(6, 2.5)).toBeCloseTo(0.04202, 4);
    expect(poissonUpperTail(200, 100)).toBeLessThan(1e-18);
    expect(poissonUpperTail(200, 100)).toBeGreaterThan(0);
  });
});

describe('hotspot assessment', () => {
  it('is hot for a burst against a quiet baseline', () => {
    expect(assess(6, 0, settings)).toMatchObject({ hot: true, expected: 0.5 });
  });
  it('is not hot below the minimum count, however unusual', () => {
    expect(assess(4, 0, settings).hot).toBe(false);
  });
  it('is not hot for an office that is always this busy', () => {
    expect(assess(6, 60, settings)).toMatchObject({ hot: false, expected: 2.5 });
  });
});
