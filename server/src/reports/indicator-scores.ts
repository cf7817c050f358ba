import type { IndicatorEntry, ReportCard } from './build-report-card.ts';
import type { IndicatorRollupRow } from './store.ts';

/**
 * Citizens' ratings score the indicators: each indicator's score is the satisfaction rate of
 * the rated complaints under it; a pillar's score is the mean of its indicators' scores
 * weighted by indicator weight × rated complaints.
 */
export function indicatorScores(
  rows: IndicatorRollupRow[],
  indicators: { id: number; code: string; pillar: string; nameFa: string; nameEn: string; weight: number }[],
  minComplaints: number,
): { indicators: IndicatorEntry[]; pillars: ReportCard['pillars'] } {
  const sums = new Map<number, { received: number; rated: number; satisfied: number; answeredInSla: number }>();
  for (const r of rows) {
    const s = sums.get(r.indicatorId) ?? { received: 0, rated: 0, satisfied: 0, answeredInSla: 0 };
    s.received += r.received;
    s.rated += r.rated;
    s.satisfied += r.satisfied;
    s.answeredInSla += r.answeredInSla;
    sums.set(r.indicatorId, s);
  }
  const entries: IndicatorEntry[] = indicators.map((i) => {
    const s = sums.get(i.id) ?? { received: 0, rated: 0, satisfied: 0, answeredInSla: 0 };
    const enough = s.received >= minComplaints;
    const satisfactionRate = enough && s.rated > 0 ? Math.round((s.satisfied / s.rated) * 10_000) / 10_000 : null;
    return {
      indicatorId: i.id,
      code: i.code,
      pillar: i.pillar,
      nameFa: i.nameFa,
      nameEn: i.nameEn,
      weight: i.weight,
      received: s.received,
      rated: s.rated,
      satisfactionRate,
      answeredInSlaRate: enough ? Math.round((s.answeredInSla / s.received) * 10_000) / 10_000 : null,
      score: satisfactionRate === null ? null : Math.round(satisfactionRate * 1000) / 10,
    };
  });
  const pillars = (['ease', 'continuity', 'dignity'] as const).map((pillar) => {
    const scored = entries.filter((e) => e.pillar === pillar && e.score !== null);
    const weight = scored.reduce((s, e) => s + e.weight * (e.rated ?? 0), 0);
    return {
      pillar,
      rated: entries.filter((e) => e.pillar === pillar).reduce((s, e) => s + (e.rated ?? 0), 0),
      score: weight > 0 ? Math.round((scored.reduce((s, e) => s + e.score! * e.weight * (e.rated ?? 0), 0) / weight) * 10) / 10 : null,
    };
  });
  return { indicators: entries, pillars };
}
