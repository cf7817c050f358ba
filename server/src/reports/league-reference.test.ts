import { describe, expect, it } from 'vitest';
import { PROPORTION_MEASURES, RANK_DRAWS, rankScores } from './league-card.ts';
import { betaDraw, competitionRanks, fitBetaPrior, type Proportion, rankWithUncertainty, seededRandom, shrunkRate } from './league-table.ts';
import { type Counts, compositeRates, compositeScore, emptyCounts } from './measures.ts';

/**
 * Issue 14: the league tables were rewritten for speed (typed arrays, binary-searched ranks, the
 * score inline) and must give the same card to the bit. These are the implementations as they
 * were before, kept here as the reference the fast ones are checked against on random groups.
 */

function referenceRankOf(values: number[], better: (a: number, b: number) => number): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => better(a[0], b[0]));
  const ranks = new Array<number>(values.length);
  order.forEach(([v, i], position) => {
    const previous = order[position - 1];
    ranks[i] = previous && previous[0] === v ? ranks[previous[1]]! : position + 1;
  });
  return ranks;
}

function referenceQuantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;
}

function referenceRankWithUncertainty(units: Proportion[], higherIsBetter: boolean, draws: number, seed: number) {
  const prior = fitBetaPrior(units)!;
  const random = seededRandom(seed);
  const better = (a: number, b: number) => (higherIsBetter ? b - a : a - b);
  const shrunk = units.map((u) => shrunkRate(u, prior));
  const ranks = referenceRankOf(shrunk, better);
  const sampled: number[][] = units.map(() => []);
  const values = new Array<number>(units.length);
  for (let d = 0; d < draws; d++) {
    units.forEach((u, i) => {
      values[i] = betaDraw(u.events + prior.alpha, Math.max(0, u.trials - u.events) + prior.beta, random);
    });
    const drawn = referenceRankOf(values, better);
    for (let i = 0; i < drawn.length; i++) sampled[i]!.push(drawn[i]!);
  }
  return units.map((_, i) => {
    const sorted = sampled[i]!.sort((a, b) => a - b);
    return { shrunk: shrunk[i]!, rank: ranks[i]!, rankLow: referenceQuantile(sorted, 0.025), rankHigh: referenceQuantile(sorted, 0.975) };
  });
}

function referenceRankScores(counts: Counts[], seed: number) {
  const specs = [PROPORTION_MEASURES[0], PROPORTION_MEASURES[1], PROPORTION_MEASURES[3], PROPORTION_MEASURES[4]];
  const data = specs.map((spec) => counts.map((c) => ({ events: Math.min(spec.events(c), spec.trials(c)), trials: spec.trials(c) })));
  const priors = data.map((units) => fitBetaPrior(units));
  const scoreOf = (r: (number | null)[]) => compositeScore({ answeredInSlaRate: r[0]!, satisfactionRate: r[1]!, reopenRate: r[2]!, escalationRate: r[3]! });
  const descending = (values: (number | null)[]) =>
    referenceRankOf(
      values.map((v) => v ?? Number.NEGATIVE_INFINITY),
      (a, b) => b - a,
    );
  const shrunkScore = counts.map((_, i) => scoreOf(data.map((units, k) => (units[i]!.trials > 0 && priors[k] ? shrunkRate(units[i]!, priors[k]!) : null))));
  const random = seededRandom(seed);
  const sampled: number[][] = counts.map(() => []);
  const rates = new Array<number | null>(4);
  const drawn = new Array<number | null>(counts.length);
  for (let d = 0; d < RANK_DRAWS; d++) {
    for (let i = 0; i < counts.length; i++) {
      for (let k = 0; k < 4; k++) {
        const u = data[k]![i]!;
        const prior = priors[k];
        rates[k] = u.trials > 0 && prior ? betaDraw(u.events + prior.alpha, u.trials - u.events + prior.beta, random) : null;
      }
      drawn[i] = scoreOf(rates);
    }
    const r = descending(drawn);
    for (let i = 0; i < counts.length; i++) sampled[i]!.push(r[i]!);
  }
  const sorted = sampled.map((s) => s.sort((a, b) => a - b));
  return {
    shrunkScore,
    rank: descending(shrunkScore),
    low: sorted.map((s) => referenceQuantile(s, 0.025)),
    high: sorted.map((s) => referenceQuantile(s, 0.975)),
  };
}

/** A group of offices from small to large, some without ratings, some identical (ties). */
function randomGroup(seed: number, size: number): Counts[] {
  const random = seededRandom(seed);
  const group = Array.from({ length: size }, () => {
    const received = 1 + Math.floor(random() ** 3 * 3000);
    const rated = random() < 0.15 ? 0 : Math.floor(received * random() * 0.6);
    return {
      ...emptyCounts(),
      received,
      answeredInSla: Math.floor(received * random()),
      rated,
      satisfied: Math.floor(rated * random()),
      dissatisfied: Math.floor(rated * random() * 0.5),
      reopened: Math.floor(received * random() * 0.1),
      escalated: Math.floor(received * random() * 0.05),
    };
  });
  return [...group, ...group.slice(0, 5).map((c) => ({ ...c }))];
}

describe('the fast league tables give the reference results to the bit', () => {
  it('competition ranks, with ties and "no score" (−∞), both ways', () => {
    const random = seededRandom(7);
    for (let t = 0; t < 50; t++) {
      const values = Array.from({ length: 1 + Math.floor(random() * 60) }, () => (random() < 0.1 ? Number.NEGATIVE_INFINITY : Math.round(random() * 20) / 2));
      expect(competitionRanks(values, true)).toEqual(referenceRankOf(values, (a, b) => b - a));
      expect(competitionRanks(values, false)).toEqual(referenceRankOf(values, (a, b) => a - b));
    }
  });

  it('the score from four rates equals compositeScore, rates missing or not', () => {
    const random = seededRandom(11);
    for (let t = 0; t < 2000; t++) {
      const r = Array.from({ length: 4 }, () => (random() < 0.2 ? null : random()));
      const expected = compositeScore({ answeredInSlaRate: r[0]!, satisfactionRate: r[1]!, reopenRate: r[2]!, escalationRate: r[3]! });
      expect(compositeRates(Float64Array.from(r, (v) => v ?? Number.NaN))).toBe(expected);
    }
  });

  it('each measure’s rank and its interval', () => {
    for (const seed of [1, 2, 3]) {
      const units = randomGroup(seed, 80).map((c) => ({ events: c.reopened, trials: c.received }));
      for (const higherIsBetter of [true, false]) {
        expect(rankWithUncertainty(units, { higherIsBetter, draws: 150, seed })).toEqual(referenceRankWithUncertainty(units, higherIsBetter, 150, seed));
      }
    }
  });

  it('the composite score’s rank and its interval', () => {
    for (const seed of [4, 5]) {
      const group = randomGroup(seed, 120);
      expect(rankScores(group, seed)).toEqual(referenceRankScores(group, seed));
    }
  });
});
