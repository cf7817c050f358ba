import { describe, expect, it } from 'vitest';
import { completedPeriods, periodOf } from './periods.ts';
import type { UnitPeriodStats } from './report-card-source.ts';
import { type EnforcementRule, evaluateRules } from './rules.ts';

const rule = (over: Partial<EnforcementRule>): EnforcementRule => ({
  id: 1,
  code: 'r',
  action: 'warning',
  condition: 'above_for_periods',
  threshold: 0.2,
  periods: 3,
  minComplaints: 10,
  priorWarnings: 0,
  active: true,
  descriptionFa: '',
  ...over,
});

const asOf = new Date('2026-11-29T08:00:00Z'); // 8 Azar 1405
const periods = completedPeriods(asOf, 3);
const stat = (unitId: number, period: string, complaints: number, breaches: number, managerId: number | null = unitId * 10): UnitPeriodStats => ({
  unitId,
  unitPath: `/${unitId}/`,
  provinceId: 1,
  managerId,
  period,
  complaints,
  breaches,
});

describe('Jalali periods', () => {
  it('are whole Tehran months before the month of asOf, oldest first', () => {
    expect(periods.map((p) => p.key)).toEqual(['1405-06', '1405-07', '1405-08']);
    expect(periods[2]!.to.getTime()).toBe(periodOf(asOf).from.getTime());
    // 1 Azar 1405 = 22 Nov 2026, 00:00 Tehran = 21 Nov 20:30 UTC
    expect(periodOf(asOf).from.toISOString()).toBe('2026-11-21T20:30:00.000Z');
    expect(periods[1]!.to.getTime()).toBe(periods[2]!.from.getTime());
  });

  it('cross Nowruz at Tehran midnight: Esfand has 30 days in a leap year (1403), 29 otherwise (1404)', () => {
    const day = 86_400_000;
    // 1 Farvardin 1404, 00:00:01 Tehran: Esfand 1403 is the last completed month.
    const leap = completedPeriods(new Date('2025-03-20T20:30:01Z'), 1)[0]!;
    expect(leap).toEqual({ key: '1403-12', from: new Date('2025-02-18T20:30:00Z'), to: new Date('2025-03-20T20:30:00Z') });
    expect((leap.to.getTime() - leap.from.getTime()) / day).toBe(30);
    // One second earlier it is still 30 Esfand: Bahman is the last completed month.
    expect(completedPeriods(new Date('2025-03-20T20:29:59Z'), 1)[0]!.key).toBe('1403-11');
    const plain = periodOf(new Date('2026-03-20T08:00:00Z')); // 29 Esfand 1404, the year's last day
    expect(plain.key).toBe('1404-12');
    expect((plain.to.getTime() - plain.from.getTime()) / day).toBe(29);
    expect(periodOf(plain.to).key).toBe('1405-01');
  });
});

describe('enforcement rules', () => {
  const keys = periods.map((p) => p.key);

  /** Every month, a large office with 5% late and no inspection head: the peers the funnel is drawn around. */
  const background = keys.map((k) => stat(99, k, 200, 10, null));

  it('warns after N consecutive months above the threshold and the 99.8% funnel limit, not after N−1', () => {
    const stats = [...background, ...keys.map((k) => stat(1, k, 20, 12)), stat(2, keys[0]!, 20, 1), stat(2, keys[1]!, 20, 12), stat(2, keys[2]!, 20, 12)];
    const out = evaluateRules([rule({})], stats, periods, new Map());
    expect(out.map((s) => s.unitId)).toEqual([1]);
    expect(out[0]).toMatchObject({ kind: 'warning', managerId: 10, period: '1405-08' });
    expect(out[0]!.evidence.periods.map((p) => p.breachRate)).toEqual([0.6, 0.6, 0.6]);
    // The threshold is checked against the shrunk rate, below the raw one; the funnel pools the three months.
    for (const p of out[0]!.evidence.periods) expect(p.shrunkRate!).toBeLessThan(0.6);
    expect(out[0]!.evidence.funnel).toMatchObject({ complaints: 60, breaches: 36, rate: 0.6, flag: 'high998' });
    expect(out[0]!.evidence.summaryFa).toContain('بالاتر از حد ۹۹٫۸٪');
    expect(out[0]!.evidence.summaryFa).toContain('۶۰٫۰٪');
  });

  it('does not warn a small office with 2 late of 2, and does warn a large office truly above the 99.8% limit', () => {
    const month = rule({ periods: 1, minComplaints: 2 });
    const latest = keys[2]!;
    const stats = [stat(99, latest, 1000, 50, null), stat(3, latest, 2, 2), stat(4, latest, 100, 25)];
    const out = evaluateRules([month], stats, periods, new Map());
    expect(out.map((s) => s.unitId)).toEqual([4]);
    expect(out[0]!.evidence.funnel).toMatchObject({ flag: 'high998', complaints: 100, breaches: 25 });
    // Without the funnel (raw rate over the threshold) the small office would have been warned: 100% > 20%.
    expect(stats[1]!.breaches / stats[1]!.complaints).toBeGreaterThan(month.threshold!);
  });

  it('a unit alone has no peers to be out of line with: no warning', () => {
    expect(
      evaluateRules(
        [rule({})],
        keys.map((k) => stat(1, k, 10, 9)),
        periods,
        new Map(),
      ),
    ).toEqual([]);
  });

  it('ignores months with too few complaints and units without a manager', () => {
    const stats = [...keys.map((k) => stat(1, k, 9, 9)), ...keys.map((k) => stat(2, k, 10, 9, null))];
    expect(evaluateRules([rule({})], stats, periods, new Map())).toEqual([]);
  });

  it('commends the top decile (lowest breach rate, more complaints first on a tie) and needs ten units', () => {
    const latest = keys[2]!;
    const stats = Array.from({ length: 20 }, (_, i) => stat(i + 1, latest, 20 + i, i < 5 ? 0 : 5));
    const out = evaluateRules(
      [rule({ action: 'commendation', condition: 'top_decile', threshold: null, periods: 1, minComplaints: 20 })],
      stats,
      periods,
      new Map(),
    );
    expect(out.map((s) => s.unitId)).toEqual([5, 4]);
    expect(out[0]!.evidence).toMatchObject({ rank: 1, ranked: 20 });
    expect(evaluateRules([rule({ condition: 'top_decile', threshold: null, periods: 1 })], stats.slice(0, 9), periods, new Map())).toEqual([]);
  });

  it('recommends dismissal only after enough confirmed warnings', () => {
    const stats = [...background, ...keys.map((k) => stat(1, k, 10, 8))];
    const dismissal = rule({ action: 'dismissal', condition: 'severe_after_warnings', threshold: 0.5, periods: 2, priorWarnings: 2 });
    expect(evaluateRules([dismissal], stats, periods, new Map([[10, 1]]))).toEqual([]);
    const out = evaluateRules([dismissal], stats, periods, new Map([[10, 2]]));
    expect(out).toHaveLength(1);
    expect(out[0]!.evidence).toMatchObject({ priorWarnings: 2 });
    expect(out[0]!.evidence.periods).toHaveLength(2);
  });

  it('skips inactive rules', () => {
    expect(evaluateRules([rule({ active: false })], [...background, ...keys.map((k) => stat(1, k, 10, 9))], periods, new Map())).toEqual([]);
  });
});
