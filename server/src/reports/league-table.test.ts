import { describe, expect, it } from 'vitest';
import { betaDraw, fitBetaPrior, funnelCurve, funnelFlag, funnelLimits, peerMean, rankWithUncertainty, seededRandom, shrunkRate } from './league-table.ts';

/** Twenty ordinary offices near a 10% breach rate, 150–600 complaints each (deterministic). */
function ordinaryOffices() {
  return Array.from({ length: 20 }, (_, i) => {
    const trials = 150 + ((i * 37) % 450);
    const rate = 0.08 + ((i * 7) % 5) / 100; // 8–12%
    return { events: Math.round(trials * rate), trials };
  });
}

describe('funnel plot', () => {
  it('narrows with volume around the peer mean, 99.8% outside 95%', () => {
    const small = funnelLimits(0.1, 20);
    const large = funnelLimits(0.1, 2000);
    expect(small.upper95 - small.lower95).toBeGreaterThan(large.upper95 - large.lower95);
    expect(large.upper998).toBeGreaterThan(large.upper95);
    expect(large.lower998).toBeLessThan(large.lower95);
    expect(funnelLimits(0.5, 1).lower998).toBe(0); // clipped
    const curve = funnelCurve(0.1, 5000);
    expect(curve[0]!.trials).toBe(1);
    expect(curve.at(-1)!.trials).toBe(5000);
  });

  it('flags a large unit truly outside the 99.8% limit, and not a small one with 2 of 2', () => {
    const offices = ordinaryOffices();
    const large = { events: 400, trials: 2000 }; // 20% where peers run at ~10%
    const small = { events: 2, trials: 2 };
    const p0 = peerMean([...offices, large, small])!;
    expect(funnelFlag(large, p0)).toBe('high998');
    expect(['within', 'high95']).toContain(funnelFlag(small, p0)); // 100% on 2 complaints is not evidence at 99.8%
    expect(offices.filter((o) => funnelFlag(o, p0) === 'high998')).toHaveLength(0);
  });
});

describe('empirical Bayes shrinkage and rank intervals', () => {
  it('does not rank a small unit with 2 of 2 bad outcomes worst; the large unit out of line is worst', () => {
    const units = [...ordinaryOffices(), { events: 2, trials: 2 }, { events: 400, trials: 2000 }];
    const ranked = rankWithUncertainty(units, { higherIsBetter: false, draws: 400, seed: 7 });
    const small = ranked[20]!;
    const large = ranked[21]!;
    expect(large.rank).toBe(units.length); // worst of 22
    expect(small.rank).toBeLessThan(units.length);
    expect(small.shrunk).toBeLessThan(0.3); // pulled from 100% toward ~10%
    // The small unit's rank is very uncertain, the large one's is not.
    expect(small.rankHigh - small.rankLow).toBeGreaterThan(10);
    expect(large.rankHigh - large.rankLow).toBeLessThanOrEqual(1);
    for (const r of ranked) {
      expect(r.rankLow).toBeLessThanOrEqual(r.rank + 1);
      expect(r.rankHigh).toBeGreaterThanOrEqual(r.rankLow);
    }
  });

  it('shrinks more the fewer the trials, and hardly at all for a large unit', () => {
    const prior = fitBetaPrior(ordinaryOffices())!;
    const p0 = prior.alpha / (prior.alpha + prior.beta);
    expect(Math.abs(shrunkRate({ events: 1, trials: 1 }, prior) - p0)).toBeLessThan(Math.abs(1 - p0));
    expect(shrunkRate({ events: 2000, trials: 10_000 }, prior)).toBeCloseTo(0.2, 1);
  });

  it('is reproducible: the same data and seed give the same intervals', () => {
    const units = [...ordinaryOffices(), { events: 5, trials: 9 }];
    expect(rankWithUncertainty(units, { higherIsBetter: false, draws: 200, seed: 3 })).toEqual(
      rankWithUncertainty(units, { higherIsBetter: false, draws: 200, seed: 3 }),
    );
  });

  it('ranks good outcomes the other way round', () => {
    const units = [
      { events: 90, trials: 100 },
      { events: 50, trials: 100 },
    ];
    const [high, low] = rankWithUncertainty(units, { higherIsBetter: true, draws: 100 });
    expect([high!.rank, low!.rank]).toEqual([1, 2]);
  });

  it('draws Beta variates with the right mean', () => {
    const random = seededRandom(42);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += betaDraw(2, 8, random);
    expect(sum / 20_000).toBeCloseTo(0.2, 2);
    let small = 0;
    for (let i = 0; i < 20_000; i++) small += betaDraw(0.3, 0.7, random);
    expect(small / 20_000).toBeCloseTo(0.3, 1);
  });
});

describe('exact binomial limits', () => {
  it('match hand-computed tails', () => {
    // Binomial(2, 0.1): P(X ≥ 2) = 0.01 → above the 95% limit (2.5%), inside 99.8% (0.1%).
    expect(funnelFlag({ events: 2, trials: 2 }, 0.1)).toBe('high95');
    // Binomial(10, 0.5): P(X ≥ 9) = 11/1024 ≈ 1.07% → high95; P(X ≥ 10) ≈ 0.098% → high998.
    expect(funnelFlag({ events: 9, trials: 10 }, 0.5)).toBe('high95');
    expect(funnelFlag({ events: 10, trials: 10 }, 0.5)).toBe('high998');
    expect(funnelFlag({ events: 0, trials: 10 }, 0.5)).toBe('low998');
    expect(funnelFlag({ events: 5, trials: 10 }, 0.5)).toBe('within');
    // Large n: close to the normal limits p0 ± 1.96·√(p0(1−p0)/n).
    const l = funnelLimits(0.1, 10_000);
    expect(l.upper95).toBeCloseTo(0.1 + 1.96 * Math.sqrt(0.09 / 10_000), 3);
  });
});
