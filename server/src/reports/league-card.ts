import type { Period } from '../domain/jalali-periods.ts';
import {
  type BetaPrior,
  betaDraw,
  competitionRanks,
  competitionRanksInto,
  type FunnelFlag,
  fitBetaPrior,
  funnelCurve,
  funnelFlag,
  type Proportion,
  peerMean,
  rankWithUncertainty,
  seededRandom,
  shrunkRate,
} from './league-table.ts';
import { type Counts, compositeRates, compositeScore, countsOfMeasures, type Measures } from './measures.ts';

/**
 * Honest league tables on the report card (issue 15): wires the pure statistics of
 * league-table.ts into the card. Within each peer group (the same groups and minimums as before):
 *   - every proportion measure gets its empirical-Bayes shrunk rate, its place on the funnel
 *     (exact binomial limits at 95% and 99.8% around the peer mean) and a 95% rank interval;
 *   - the composite score is recomputed from the shrunk component rates, and the rank (what the
 *     card and the portal show) orders by it, with a 95% interval from joint posterior draws.
 * Draws come from a generator seeded by the period and the peer group, so every instance and
 * every rebuild of a card gives the same intervals.
 */

/** The proportion measures: numerator and denominator from the counters; `higherIsBetter` sets the rank order. */
export const PROPORTION_MEASURES = [
  { field: 'answeredInSlaRate', higherIsBetter: true, events: (c: Counts) => c.answeredInSla, trials: (c: Counts) => c.received },
  { field: 'satisfactionRate', higherIsBetter: true, events: (c: Counts) => c.satisfied, trials: (c: Counts) => c.rated },
  { field: 'dissatisfactionRate', higherIsBetter: false, events: (c: Counts) => c.dissatisfied, trials: (c: Counts) => c.rated },
  { field: 'reopenRate', higherIsBetter: false, events: (c: Counts) => c.reopened, trials: (c: Counts) => c.received },
  { field: 'escalationRate', higherIsBetter: false, events: (c: Counts) => c.escalated, trials: (c: Counts) => c.received },
] as const satisfies readonly { field: keyof Measures; higherIsBetter: boolean; events: (c: Counts) => number; trials: (c: Counts) => number }[];

export type ProportionField = (typeof PROPORTION_MEASURES)[number]['field'];

export interface LeagueMeasure {
  field: ProportionField;
  events: number;
  trials: number;
  /** Posterior mean of the rate: the raw rate pulled toward the peer mean, more so the smaller the group. */
  shrunk: number;
  flag: FunnelFlag;
  rank: number;
  rankLow: number;
  rankHigh: number;
}

export interface League {
  /** The composite score from the shrunk rates (what the rank orders by). */
  shrunkScore: number | null;
  rank: number;
  /** The central 95% of the rank over posterior draws («رتبهٔ ۳، به احتمال زیاد ۲ تا ۷»). */
  rankLow: number;
  rankHigh: number;
  measures: LeagueMeasure[];
}

export interface FunnelPoint {
  id: number;
  provinceId: number | null;
  nameFa: string;
  nameEn: string;
  trials: number;
  rate: number;
  shrunk: number;
  flag: FunnelFlag;
}

/** One funnel plot: a peer group's units on one measure, with the control limits around the peer mean. */
export interface Funnel {
  level: string;
  /** The peer group ('all', or agency:kind:size band for offices). */
  peerKey: string;
  field: ProportionField;
  higherIsBetter: boolean;
  peerMean: number;
  points: FunnelPoint[];
  curve: { trials: number; lower998: number; lower95: number; upper95: number; upper998: number }[];
}

/** Posterior draws per peer group for the rank shown: enough for a 95% rank interval, cheap enough for a country's card. */
export const RANK_DRAWS = 300;
/** For each proportion measure's own rank interval (secondary: shown in tooltips and the API). */
export const MEASURE_DRAWS = 150;
/** Office funnels: the largest peer groups only (a country has hundreds), with enough members to plot. */
const OFFICE_FUNNEL_GROUPS = 12;
const OFFICE_FUNNEL_MIN_MEMBERS = 5;
/** Levels whose peer groups get a funnel plot on the card (managers are people: ranked, not plotted). */
const PLOTTED_LEVELS = new Set(['province', 'agency', 'unit']);
const CURVE_POINTS = 20;

/** FNV-1a of a string: the seed of a peer group's draws. */
export function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

interface Rankable {
  measures: Measures;
  league?: League;
}

/** The counters behind an entry's measures (an agency-in-province wrapper ranks a copy of its entry's measures). */
function countsOf(e: Rankable): Counts | undefined {
  return countsOfMeasures.get(e.measures) ?? countsOfMeasures.get((e as { entry?: Rankable }).entry?.measures as Measures);
}

/** Competition ranks of `values` (higher first); nulls rank last together. */
function ranksDescending(values: (number | null)[]): number[] {
  return competitionRanks(
    values.map((v) => v ?? Number.NEGATIVE_INFINITY),
    true,
  );
}

function quantile(sorted: ArrayLike<number>, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;
}

/**
 * The composite score's rank with uncertainty: each component's Beta prior is fitted across the
 * group, the shrunk score is the score of the posterior means, and each draw scores every member
 * from one joint draw of its components' posteriors (a component without data stays out, as in
 * the raw score).
 */
export function rankScores(counts: Counts[], seed: number): { shrunkScore: (number | null)[]; rank: number[]; low: number[]; high: number[] } {
  const components = [
    { key: 'answeredInSlaRate', spec: PROPORTION_MEASURES[0] },
    { key: 'satisfactionRate', spec: PROPORTION_MEASURES[1] },
    { key: 'reopenRate', spec: PROPORTION_MEASURES[3] },
    { key: 'escalationRate', spec: PROPORTION_MEASURES[4] },
  ] as const;
  const data = components.map(({ spec }) => counts.map((c) => ({ events: Math.min(spec.events(c), spec.trials(c)), trials: spec.trials(c) })));
  const priors: (BetaPrior | null)[] = data.map((units) => fitBetaPrior(units));
  const scoreOf = (rates: (number | null)[]) =>
    compositeScore({ answeredInSlaRate: rates[0]!, satisfactionRate: rates[1]!, reopenRate: rates[2]!, escalationRate: rates[3]! });
  const shrunkScore = counts.map((_, i) => scoreOf(data.map((units, k) => (units[i]!.trials > 0 && priors[k] ? shrunkRate(units[i]!, priors[k]!) : null))));
  const rank = ranksDescending(shrunkScore);
  // The draws below run RANK_DRAWS × members × 4 times: flat typed arrays and the score's
  // arithmetic inline (compositeRates), in the same order as ever, so the intervals are unchanged.
  const n = counts.length;
  const k4 = components.length;
  const alpha = new Float64Array(n * k4).fill(Number.NaN); // NaN: no data for that component
  const beta = new Float64Array(n * k4);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < k4; k++) {
      const u = data[k]![i]!;
      const prior = priors[k];
      if (u.trials > 0 && prior) {
        alpha[i * k4 + k] = u.events + prior.alpha;
        beta[i * k4 + k] = u.trials - u.events + prior.beta;
      }
    }
  }
  const random = seededRandom(seed);
  const sampled = new Int32Array(n * RANK_DRAWS);
  const rates = new Float64Array(k4);
  const drawn = new Float64Array(n);
  const scratch = new Float64Array(n);
  const r = new Int32Array(n);
  for (let d = 0; d < RANK_DRAWS; d++) {
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < k4; k++) {
        const a = alpha[i * k4 + k]!;
        rates[k] = Number.isNaN(a) ? Number.NaN : betaDraw(a, beta[i * k4 + k]!, random);
      }
      // The score's own rounding is left out: draws should not tie more than the data do.
      drawn[i] = compositeRates(rates) ?? Number.NEGATIVE_INFINITY;
    }
    competitionRanksInto(drawn, true, scratch, r);
    for (let i = 0; i < n; i++) sampled[i * RANK_DRAWS + d] = r[i]!;
  }
  const low: number[] = [];
  const high: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = sampled.subarray(i * RANK_DRAWS, (i + 1) * RANK_DRAWS).sort();
    low.push(quantile(s, 0.025));
    high.push(quantile(s, 0.975));
  }
  return { shrunkScore, rank, low, high };
}

export interface LeagueRanker {
  <T extends Rankable>(entries: T[], peerKey: (entry: T) => string): void;
  /** The funnel plots of the groups ranked so far. */
  readonly funnels: Funnel[];
}

/**
 * A drop-in for measures.ts's `rankAmongPeers` that ranks by the shrunk score and attaches each
 * entry's league (shrunk rates, funnel flags, rank intervals); entries below the minimum get no
 * rank, as before. Entries whose counters are unknown fall back to the raw score's order.
 */
export function leagueRanker(period: Pick<Period, 'kind' | 'key'>): LeagueRanker {
  const funnels: Funnel[] = [];
  const rank = <T extends Rankable>(entries: T[], peerKey: (entry: T) => string) => {
    for (const [key, group] of peerGroups(entries, peerKey)) {
      const level = (group[0] as { level?: string }).level ?? (group[0] as { entry?: { level?: string } }).entry?.level ?? 'group';
      const seedText = `${period.kind}:${period.key}:${level}:${key}`;
      // A stable order (by id where there is one) so the draws do not depend on the input order.
      const ordered = [...group].sort((a, b) => idOf(a) - idOf(b) || (provinceOf(a) ?? 0) - (provinceOf(b) ?? 0));
      const counts = ordered.map((e) => countsOf(e)!);
      const scores = rankScores(counts, seedOf(`${seedText}:score`));
      const perMeasure = PROPORTION_MEASURES.map((spec) => rankMeasure(spec, counts, ordered, { level, key, seedText }, funnels));
      ordered.forEach((e, i) => {
        e.measures.rank = scores.rank[i]!;
        e.measures.peers = ordered.length;
        e.league = {
          shrunkScore: scores.shrunkScore[i] === null ? null : scores.shrunkScore[i]!,
          rank: scores.rank[i]!,
          rankLow: scores.low[i]!,
          rankHigh: scores.high[i]!,
          measures: perMeasure.flatMap((m) => (m.has(i) ? [m.get(i)!] : [])),
        };
      });
    }
  };
  return Object.defineProperty(rank, 'funnels', { get: () => pruneOfficeFunnels(funnels) }) as LeagueRanker;
}

/** The rankable entries (a score and counters) grouped by their peer key. */
function peerGroups<T extends Rankable>(entries: T[], peerKey: (entry: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const e of entries) {
    if (e.measures.score === null || !countsOf(e)) continue;
    const key = peerKey(e);
    const group = groups.get(key);
    if (group) group.push(e);
    else groups.set(key, [e]);
  }
  return groups;
}

type ProportionSpec = (typeof PROPORTION_MEASURES)[number];
type Plotted = Rankable & { id?: number; provinceId?: number | null; nameFa?: string; nameEn?: string };

/**
 * One measure ranked with its uncertainty among the peers that have data for it, by the peer's
 * index in `ordered`; a funnel for the plot is pushed to `funnels` where its level is plotted.
 */
function rankMeasure(
  spec: ProportionSpec,
  counts: Counts[],
  ordered: Plotted[],
  peers: { level: string; key: string; seedText: string },
  funnels: Funnel[],
): Map<number, LeagueMeasure> {
  const units: Proportion[] = counts.map((c) => ({ events: Math.min(spec.events(c), spec.trials(c)), trials: spec.trials(c) }));
  const withData = units.map((u, i) => [u, i] as const).filter(([u]) => u.trials > 0);
  const ranked = rankWithUncertainty(
    withData.map(([u]) => u),
    { higherIsBetter: spec.higherIsBetter, draws: MEASURE_DRAWS, seed: seedOf(`${peers.seedText}:${spec.field}`) },
  );
  const mean = peerMean(withData.map(([u]) => u)) ?? 0;
  const byIndex = new Map<number, LeagueMeasure>();
  withData.forEach(([u, i], j) => {
    const r = ranked[j]!;
    byIndex.set(i, {
      field: spec.field,
      events: u.events,
      trials: u.trials,
      shrunk: round4(r.shrunk),
      flag: funnelFlag(u, mean),
      rank: r.rank,
      rankLow: r.rankLow,
      rankHigh: r.rankHigh,
    });
  });
  if (PLOTTED_LEVELS.has(peers.level) && withData.length > 0) {
    funnels.push({
      level: peers.level,
      peerKey: peers.key,
      field: spec.field,
      higherIsBetter: spec.higherIsBetter,
      peerMean: round4(mean),
      points: withData.map(([u, i]) => {
        const e = ordered[i]!;
        return {
          id: e.id ?? 0,
          provinceId: e.provinceId ?? null,
          nameFa: e.nameFa ?? '',
          nameEn: e.nameEn ?? '',
          trials: u.trials,
          rate: round4(u.events / u.trials),
          shrunk: byIndex.get(i)!.shrunk,
          flag: byIndex.get(i)!.flag,
        };
      }),
      curve: funnelCurve(mean, Math.max(...withData.map(([u]) => u.trials)), CURVE_POINTS).map((p) => ({
        trials: p.trials,
        lower998: round4(p.lower998),
        lower95: round4(p.lower95),
        upper95: round4(p.upper95),
        upper998: round4(p.upper998),
      })),
    });
  }
  return byIndex;
}

/** Every area funnel; office funnels of the largest peer groups only (most members, then key). */
function pruneOfficeFunnels(funnels: Funnel[]): Funnel[] {
  const sizes = new Map<string, number>();
  for (const f of funnels) if (f.level === 'unit') sizes.set(f.peerKey, Math.max(sizes.get(f.peerKey) ?? 0, f.points.length));
  const kept = new Set(
    [...sizes]
      .filter(([, n]) => n >= OFFICE_FUNNEL_MIN_MEMBERS)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, OFFICE_FUNNEL_GROUPS)
      .map(([key]) => key),
  );
  return funnels.filter((f) => f.level !== 'unit' || kept.has(f.peerKey));
}

const idOf = (e: unknown) => (e as { id?: number }).id ?? (e as { entry?: { id?: number } }).entry?.id ?? 0;
const provinceOf = (e: unknown) =>
  (e as { provinceId?: number | null }).provinceId ?? (e as { entry?: { provinceId?: number | null } }).entry?.provinceId ?? null;
