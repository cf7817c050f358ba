import { type BetaPrior, type FunnelFlag, fitBetaPrior, funnelFlag, funnelLimits, type Proportion, peerMean, shrunkRate } from '../reports/league-table.ts';
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
  /** The month's breach rate shrunk toward all units' mean that month (empirical Bayes): what the threshold is checked against. */
  shrunkRate?: number;
}

/** Where a unit's breaches over the rule's months fall on the funnel around all units' mean over those months. */
export interface FunnelEvidence {
  complaints: number;
  /** Breaches, at most one per complaint (a proportion needs events ≤ trials). */
  breaches: number;
  rate: number;
  shrunkRate: number;
  peerMean: number;
  upper95: number;
  upper998: number;
  flag: FunnelFlag;
}

/**
 * A warning (and a dismissal recommendation) needs the unit above the 99.8% funnel limit, not
 * merely over a threshold or at the bottom of a ranking: with hundreds of offices judged every
 * month, a 95% limit would flag about one in forty by chance alone (Spiegelhalter 2005).
 */
export const WARNING_FUNNEL_FLAG: FunnelFlag = 'high998';

/** What a rule proposes: an action on a unit's manager, with the numbers that triggered it. */
export interface Suggestion {
  ruleId: number;
  kind: ActionKind;
  managerId: number;
  unitId: number;
  unitPath: string;
  provinceId: number | null;
  period: string;
  evidence: {
    rule: string;
    periods: PeriodEvidence[];
    rank?: number;
    ranked?: number;
    priorWarnings?: number;
    funnel?: FunnelEvidence;
    /** The numbers in one Persian sentence (shrunk rate, funnel flag), for the manager's notice and the supervisor. */
    summaryFa?: string;
  };
}

const rate = (s: { complaints: number; breaches: number }) => (s.complaints === 0 ? 0 : Math.round((s.breaches / s.complaints) * 10_000) / 10_000);

/**
 * Applies the rules to per-unit, per-month breach numbers. Pure. `periods` are the completed
 * months, oldest first; the newest is the one the suggestions are for.
 *   - above_for_periods: the breach rate, shrunk toward all units' mean that month (empirical
 *     Bayes), is above the threshold in each of the last N months (each with at least
 *     min_complaints), AND the N months together lie above the 99.8% funnel limit around all
 *     units' mean over those months (exact binomial limits) — so a small office with 2 late of 2
 *     is not warned on chance, and a large one truly out of line is;
 *   - top_decile: among units with at least min_complaints in the newest month, the tenth with
 *     the lowest shrunk breach rate (more complaints first on a tie; needs ten units to rank),
 *     never one above the 95% funnel limit;
 *   - severe_after_warnings: like above_for_periods, for a manager who already has at least
 *     prior_warnings confirmed warnings in the last 12 months.
 * Breaches count at most once per complaint for the rates (an office can miss both the first-action
 * and the answer deadline of one complaint).
 * A unit without an inspection head has nobody to act on and gets no suggestion.
 */
export function evaluateRules(rules: EnforcementRule[], stats: UnitPeriodStats[], periods: Period[], priorWarnings: Map<number, number>): Suggestion[] {
  const latest = periods.at(-1);
  if (!latest) return [];
  const board = boardOf(stats, periods, latest);
  return rules
    .filter((r) => r.active)
    .flatMap((rule) => (rule.condition === 'top_decile' ? topDecile(board, rule) : aboveForPeriods(board, rule, priorWarnings)));
}

/** The numbers every rule reads: each unit's months, and each month's Beta prior. */
interface Board {
  periods: Period[];
  latest: Period;
  byUnit: Map<number, Map<string, UnitPeriodStats>>;
  priorOf: Map<string, BetaPrior | null>;
}

/** Groups the stats by unit and month and fits each month's prior. */
function boardOf(stats: UnitPeriodStats[], periods: Period[], latest: Period): Board {
  const byUnit = new Map<number, Map<string, UnitPeriodStats>>();
  for (const s of stats) {
    const m = byUnit.get(s.unitId) ?? new Map<string, UnitPeriodStats>();
    m.set(s.period, s);
    byUnit.set(s.unitId, m);
  }
  // Each month's Beta prior, fitted across every unit with complaints that month.
  const priorOf = new Map(periods.map((p) => [p.key, fitBetaPrior(stats.filter((s) => s.period === p.key && s.complaints > 0).map(proportion))] as const));
  return { periods, latest, byUnit, priorOf };
}

/** A month's breaches as a proportion of its complaints (at most one breach per complaint). */
const proportion = (s: { complaints: number; breaches: number } | undefined): Proportion => ({
  events: Math.min(s?.breaches ?? 0, s?.complaints ?? 0),
  trials: s?.complaints ?? 0,
});

/** The unit's breach rate in month `key`, shrunk toward that month's prior; null without complaints. */
function shrunkOf(board: Board, unitId: number, key: string): number | null {
  const prior = board.priorOf.get(key);
  const s = board.byUnit.get(unitId)?.get(key);
  return prior && s && s.complaints > 0 ? Math.round(shrunkRate(proportion(s), prior) * 10_000) / 10_000 : null;
}

/** The unit's numbers for each of the months `keys`. */
function evidenceOf(board: Board, unitId: number, keys: string[]): PeriodEvidence[] {
  return keys.map((key) => {
    const s = board.byUnit.get(unitId)?.get(key);
    const complaints = s?.complaints ?? 0;
    const breaches = s?.breaches ?? 0;
    const shrunk = shrunkOf(board, unitId, key);
    return {
      period: key,
      complaints,
      verifiedComplaints: s?.verifiedComplaints ?? 0,
      breaches,
      breachRate: rate({ complaints, breaches }),
      ...(shrunk === null ? {} : { shrunkRate: shrunk }),
    };
  });
}

/** The unit's months `keys` pooled, on the funnel of every unit's pooled months. */
function funnelOf(board: Board, unitId: number, keys: string[]): FunnelEvidence | null {
  const pooled = [...board.byUnit.keys()].map((id) => {
    const p: Proportion = { events: 0, trials: 0 };
    for (const key of keys) {
      const one = proportion(board.byUnit.get(id)!.get(key));
      p.events += one.events;
      p.trials += one.trials;
    }
    return [id, p] as const;
  });
  const peers = pooled.map(([, p]) => p).filter((p) => p.trials > 0);
  const mean = peerMean(peers);
  const prior = fitBetaPrior(peers);
  const own = pooled.find(([id]) => id === unitId)?.[1];
  if (mean === null || !prior || !own || own.trials === 0) return null;
  const limits = funnelLimits(mean, own.trials);
  const r4 = (x: number) => Math.round(x * 10_000) / 10_000;
  return {
    complaints: own.trials,
    breaches: own.events,
    rate: r4(own.events / own.trials),
    shrunkRate: r4(shrunkRate(own, prior)),
    peerMean: r4(mean),
    upper95: r4(limits.upper95),
    upper998: r4(limits.upper998),
    flag: funnelFlag(own, mean),
  };
}

/** The unit's newest stats row: its manager, path and province. */
const unitInfo = (board: Board, unitId: number) => [...(board.byUnit.get(unitId)?.values() ?? [])].at(-1)!;

/** The rule's suggestion for the unit's manager; none when the unit has no inspection head. */
function suggestion(board: Board, rule: EnforcementRule, unitId: number, evidence: Suggestion['evidence']): Suggestion[] {
  const info = unitInfo(board, unitId);
  if (info.managerId === null) return [];
  return [
    {
      ruleId: rule.id,
      kind: rule.action,
      managerId: info.managerId,
      unitId,
      unitPath: info.unitPath,
      provinceId: info.provinceId,
      period: board.latest.key,
      evidence,
    },
  ];
}

/** top_decile: the tenth with the lowest shrunk breach rate in the newest month, none above the 95% funnel limit. */
function topDecile(board: Board, rule: EnforcementRule): Suggestion[] {
  const { byUnit, latest } = board;
  const ranked = [...byUnit.keys()]
    .map((unitId) => ({ unitId, s: byUnit.get(unitId)!.get(latest.key) }))
    .filter((r) => r.s && r.s.complaints >= rule.minComplaints)
    .map((r) => ({ ...r, shrunk: shrunkOf(board, r.unitId, latest.key)! }))
    .sort((a, b) => a.shrunk - b.shrunk || b.s!.complaints - a.s!.complaints || a.unitId - b.unitId);
  const top = Math.floor(ranked.length / 10);
  return ranked.slice(0, top).flatMap((r, i) => {
    const funnel = funnelOf(board, r.unitId, [latest.key]);
    if (funnel && (funnel.flag === 'high95' || funnel.flag === 'high998')) return [];
    return suggestion(board, rule, r.unitId, {
      rule: rule.code,
      periods: evidenceOf(board, r.unitId, [latest.key]),
      rank: i + 1,
      ranked: ranked.length,
      ...(funnel ? { funnel, summaryFa: summaryFa(rule, funnel, [latest.key]) } : {}),
    });
  });
}

/** above_for_periods and severe_after_warnings: above the threshold every month and above the 99.8% funnel limit. */
function aboveForPeriods(board: Board, rule: EnforcementRule, priorWarnings: Map<number, number>): Suggestion[] {
  const keys = board.periods.slice(-rule.periods).map((p) => p.key);
  if (keys.length < rule.periods) return [];
  return [...board.byUnit.keys()].flatMap((unitId) => {
    const evidence = evidenceOf(board, unitId, keys);
    const above = evidence.every((e) => e.complaints >= rule.minComplaints && (e.shrunkRate ?? 0) > rule.threshold!);
    if (!above) return [];
    const funnel = funnelOf(board, unitId, keys);
    if (funnel?.flag !== WARNING_FUNNEL_FLAG) return [];
    const summary = { funnel, summaryFa: summaryFa(rule, funnel, keys) };
    if (rule.condition !== 'severe_after_warnings') return suggestion(board, rule, unitId, { rule: rule.code, periods: evidence, ...summary });
    const managerId = unitInfo(board, unitId).managerId;
    const prior = managerId === null ? 0 : (priorWarnings.get(managerId) ?? 0);
    if (prior < rule.priorWarnings) return [];
    return suggestion(board, rule, unitId, { rule: rule.code, periods: evidence, priorWarnings: prior, ...summary });
  });
}

const FA_DIGITS = '۰۱۲۳۴۵۶۷۸۹';
const fa = (text: string) => text.replace(/\d/g, (d) => FA_DIGITS[Number(d)]!).replace(/\./g, '٫');
const percent = (x: number) => `${fa((x * 100).toFixed(1))}٪`;

export const FUNNEL_FLAG_FA: Record<FunnelFlag, string> = {
  within: 'درون حدود کنترل ۹۵٪',
  high95: 'بالاتر از حد ۹۵٪',
  high998: 'بالاتر از حد ۹۹٫۸٪',
  low95: 'پایین‌تر از حد ۹۵٪',
  low998: 'پایین‌تر از حد ۹۹٫۸٪',
};

/** The evidence in one Persian sentence, e.g. «در ۳ ماه ۳۰ شکایت، ۱۸ مهلت گذشته (۶۰٫۰٪)؛ نرخ تعدیل‌شده ۵۸٫۲٪ …». */
export function summaryFa(rule: Pick<EnforcementRule, 'condition'>, f: FunnelEvidence, keys: string[]): string {
  const months = keys.length === 1 ? `در ماه ${fa(keys[0]!)}` : `در ${fa(String(keys.length))} ماه (${fa(keys[0]!)} تا ${fa(keys.at(-1)!)})`;
  const head = `${months}، از ${fa(String(f.complaints))} شکایت ${fa(String(f.breaches))} مورد از مهلت گذشت (${percent(f.rate)})`;
  const shrunk = `نرخ تعدیل‌شده به روش بیز تجربی ${percent(f.shrunkRate)} در برابر میانگین همهٔ واحدها ${percent(f.peerMean)}`;
  const place =
    rule.condition === 'top_decile'
      ? `جایگاه در نمودار قیفی: ${FUNNEL_FLAG_FA[f.flag]}`
      : `جایگاه در نمودار قیفی: ${FUNNEL_FLAG_FA[f.flag]} (حد ۹۹٫۸٪ برای این حجم ${percent(f.upper998)})`;
  return `${head}؛ ${shrunk}؛ ${place}.`;
}
