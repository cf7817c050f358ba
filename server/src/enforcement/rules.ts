import type { Period } from './periods.ts';
import type { UnitPeriodStats } from './report-card-source.ts';

export const ACTION_KINDS = ['warning', 'commendation', 'dismissal'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export const RULE_CONDITIONS = ['above_for_periods', 'top_decile', 'severe_after_warnings'] as const;

/** An enforcement rule as stored (enforcement_rules). */
export interface EnforcementRule {
  id: number;
  code: string;
  action: ActionKind;
  condition: (typeof RULE_CONDITIONS)[number];
  threshold: number | null;
  periods: number;
  minComplaints: number;
  priorWarnings: number;
  active: boolean;
  descriptionFa: string;
}

export interface PeriodEvidence {
  period: string;
  complaints: number;
  /** Of `complaints`, how many came from a proved phone (operator call, SMS sender, bot contact): the rest are typed claims. */
  verifiedComplaints: number;
  breaches: number;
  breachRate: number;
}

/** What a rule proposes: an action on a unit's manager, with the numbers that triggered it. */
export interface Suggestion {
  ruleId: number;
  kind: ActionKind;
  managerId: number;
  unitId: number;
  unitPath: string;
  provinceId: number | null;
  period: string;
  evidence: { rule: string; periods: PeriodEvidence[]; rank?: number; ranked?: number; priorWarnings?: number };
}

const rate = (s: { complaints: number; breaches: number }) => (s.complaints === 0 ? 0 : Math.round((s.breaches / s.complaints) * 10_000) / 10_000);

/**
 * Applies the rules to per-unit, per-month breach numbers. Pure. `periods` are the completed
 * months, oldest first; the newest is the one the suggestions are for.
 *   - above_for_periods: the breach rate is above the threshold in each of the last N months
 *     (each with at least min_complaints);
 *   - top_decile: among units with at least min_complaints in the newest month, the tenth with
 *     the lowest breach rate (more complaints first on a tie; needs ten units to rank);
 *   - severe_after_warnings: like above_for_periods, for a manager who already has at least
 *     prior_warnings confirmed warnings in the last 12 months.
 * A unit without an inspection head has nobody to act on and gets no suggestion.
 */
export function evaluateRules(rules: EnforcementRule[], stats: UnitPeriodStats[], periods: Period[], priorWarnings: Map<number, number>): Suggestion[] {
  const latest = periods.at(-1);
  if (!latest) return [];
  const byUnit = new Map<number, Map<string, UnitPeriodStats>>();
  for (const s of stats) {
    const m = byUnit.get(s.unitId) ?? new Map<string, UnitPeriodStats>();
    m.set(s.period, s);
    byUnit.set(s.unitId, m);
  }
  const evidenceOf = (unitId: number, keys: string[]): PeriodEvidence[] =>
    keys.map((key) => {
      const s = byUnit.get(unitId)?.get(key);
      const complaints = s?.complaints ?? 0;
      const breaches = s?.breaches ?? 0;
      return { period: key, complaints, verifiedComplaints: s?.verifiedComplaints ?? 0, breaches, breachRate: rate({ complaints, breaches }) };
    });
  const unitInfo = (unitId: number) => [...(byUnit.get(unitId)?.values() ?? [])].at(-1)!;
  const out: Suggestion[] = [];
  const suggest = (rule: EnforcementRule, unitId: number, evidence: Suggestion['evidence']) => {
    const info = unitInfo(unitId);
    if (info.managerId === null) return;
    out.push({
      ruleId: rule.id,
      kind: rule.action,
      managerId: info.managerId,
      unitId,
      unitPath: info.unitPath,
      provinceId: info.provinceId,
      period: latest.key,
      evidence,
    });
  };

  for (const rule of rules.filter((r) => r.active)) {
    if (rule.condition === 'top_decile') {
      const ranked = [...byUnit.keys()]
        .map((unitId) => ({ unitId, s: byUnit.get(unitId)!.get(latest.key) }))
        .filter((r) => r.s && r.s.complaints >= rule.minComplaints)
        .sort((a, b) => rate(a.s!) - rate(b.s!) || b.s!.complaints - a.s!.complaints || a.unitId - b.unitId);
      const top = Math.floor(ranked.length / 10);
      ranked.slice(0, top).forEach((r, i) => {
        suggest(rule, r.unitId, { rule: rule.code, periods: evidenceOf(r.unitId, [latest.key]), rank: i + 1, ranked: ranked.length });
      });
      continue;
    }
    const keys = periods.slice(-rule.periods).map((p) => p.key);
    if (keys.length < rule.periods) continue;
    for (const unitId of byUnit.keys()) {
      const evidence = evidenceOf(unitId, keys);
      const above = evidence.every((e) => e.complaints >= rule.minComplaints && e.breachRate > rule.threshold!);
      if (!above) continue;
      if (rule.condition === 'severe_after_warnings') {
        const managerId = unitInfo(unitId).managerId;
        const prior = managerId === null ? 0 : (priorWarnings.get(managerId) ?? 0);
        if (prior < rule.priorWarnings) continue;
        suggest(rule, unitId, { rule: rule.code, periods: evidence, priorWarnings: prior });
      } else {
        suggest(rule, unitId, { rule: rule.code, periods: evidence });
      }
    }
  }
  return out;
}
