import { describe, expect, it } from 'vitest';
import { addCounts, compositeScore, computeMeasures, emptyCounts, type Measures, rankAmongPeers, sizeBandOf } from './measures.ts';

const context = { minComplaints: 10, population: null, services: null, months: 1 };

function counts(values: Partial<ReturnType<typeof emptyCounts>>) {
  return { ...emptyCounts(), ...values };
}

describe('the published score formula (computeMeasures)', () => {
  it('gives no rates, times, score or rank below the minimum, but keeps the raw counts', () => {
    const m = computeMeasures(counts({ received: 9, answered: 9, answeredInSla: 9, rated: 9, satisfied: 9 }), context);
    expect(m.enoughData).toBe(false);
    expect(m.received).toBe(9);
    expect([m.answeredInSlaRate, m.satisfactionRate, m.reopenRate, m.escalationRate, m.score, m.answerMedianMinutes]).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it('computes each rate against its own denominator, to four decimals', () => {
    const m = computeMeasures(
      counts({ received: 40, answeredInSla: 30, rated: 20, satisfied: 15, dissatisfied: 6, reopened: 4, escalated: 8, noRating: 5 }),
      context,
    );
    expect(m.answeredInSlaRate).toBe(0.75); // 30 / 40 received
    expect(m.satisfactionRate).toBe(0.75); // 15 / 20 rated
    expect(m.dissatisfactionRate).toBe(0.3); // 6 / 20 rated
    expect(m.reopenRate).toBe(0.1); // 4 / 40
    expect(m.escalationRate).toBe(0.2); // 8 / 40
    expect(m.noRatingRate).toBe(0.2); // 5 / (20 + 5)
    // 100 × (0.35 × 0.75 + 0.35 × 0.75 + 0.15 × 0.9 + 0.15 × 0.8) = 78
    expect(m.score).toBe(78);
  });

  it('drops a component without data and re-weights the rest (no ratings yet)', () => {
    const m = computeMeasures(counts({ received: 10, answeredInSla: 5 }), context);
    expect(m.satisfactionRate).toBeNull();
    // (0.35 × 0.5 + 0.15 × 1 + 0.15 × 1) / 0.65 = 0.7308 → 73.1
    expect(m.score).toBe(73.1);
    expect(compositeScore({ answeredInSlaRate: null, satisfactionRate: null, reopenRate: null, escalationRate: null })).toBeNull();
  });

  it('scales by population and services, and bands offices by services per month', () => {
    const m = computeMeasures(counts({ received: 50 }), { minComplaints: 10, population: 1_000_000, services: 27_000, months: 3 });
    expect(m.receivedPer100k).toBe(5);
    expect(m.receivedPer1000Services).toBe(1.85); // 50 ÷ 27,000 × 1,000, two decimals
    expect(m.sizeBand).toBe('s'); // 9,000 a month (10,000 would be m)
    expect(sizeBandOf(null)).toBe('unknown');
    expect(sizeBandOf(999)).toBe('xs');
    expect(sizeBandOf(100_000)).toBe('l');
  });

  it('adds rollup rows counter by counter, histograms included', () => {
    const a = counts({ received: 3, breaches: 1 });
    a.histAnswer[5] = 2;
    const b = counts({ received: 4, breaches: 2 });
    b.histAnswer[5] = 1;
    const sum = addCounts(emptyCounts(), a);
    addCounts(sum, b);
    expect([sum.received, sum.breaches, sum.histAnswer[5]]).toEqual([7, 3, 3]);
  });
});

describe('rankAmongPeers', () => {
  it('ranks within each peer group by score, ties share a rank, unscored entries get none', () => {
    const entry = (peer: string, score: number | null) => ({ peer, measures: { score, rank: null, peers: null } as unknown as Measures });
    const entries = [entry('a', 70), entry('a', 90), entry('a', 70), entry('a', 50), entry('b', 10), entry('a', null)];
    rankAmongPeers(entries, (e) => e.peer);
    expect(entries.map((e) => [e.measures.rank, e.measures.peers])).toEqual([
      [2, 4],
      [1, 4],
      [2, 4],
      [4, 4],
      [1, 1],
      [null, null],
    ]);
  });
});
