/**
 * Honest league tables (pure, no I/O): what statisticians recommend before ranking public
 * bodies on proportions — a funnel plot around the peer mean, rates shrunk toward that mean by
 * empirical Bayes, and an interval for each rank — so that a small office with 2 bad outcomes
 * out of 2 is not declared the worst, and a large one truly out of line is flagged.
 *
 * References: Spiegelhalter, "Funnel plots for comparing institutional performance" (Stat Med
 * 2005); Goldstein & Spiegelhalter, "League tables and their limitations" (JRSS A 1996).
 *
 * Samplers are written here (not taken from a statistics package) because published intervals
 * must be reproducible: every draw comes from one seeded generator, so the same rollups give the
 * same card on every instance and every rebuild.
 */

import { seededRandom } from '../domain/seeded-random.ts';

export { seededRandom };

/** One unit's count of outcomes (`events`, e.g. breached complaints) out of `trials` (received complaints). */
export interface Proportion {
  events: number;
  trials: number;
}

export type FunnelFlag = 'within' | 'high95' | 'high998' | 'low95' | 'low998';

export interface FunnelLimits {
  lower998: number;
  lower95: number;
  upper95: number;
  upper998: number;
}

/** The peer mean: all events over all trials (a unit counts in proportion to its volume). */
export function peerMean(units: Proportion[]): number | null {
  const trials = units.reduce((s, u) => s + u.trials, 0);
  return trials > 0 ? units.reduce((s, u) => s + u.events, 0) / trials : null;
}

/**
 * Control limits around `p0` for a unit of `trials`: the rates at which the exact binomial tail
 * probability is 2.5% / 0.1% each side (Spiegelhalter 2005's exact limits, with the count taken
 * as continuous so the curve is smooth). The normal approximation is not used: it flags an office
 * with 2 bad outcomes of 2 at 99.8%, where the exact tail (1% at a 10% mean) does not.
 */
export function funnelLimits(p0: number, trials: number): FunnelLimits {
  const n = Math.max(1, trials);
  return {
    lower998: lowerLimit(p0, n, 0.001),
    lower95: lowerLimit(p0, n, 0.025),
    upper95: upperLimit(p0, n, 0.025),
    upper998: upperLimit(p0, n, 0.001),
  };
}

/** Where a unit's raw rate falls on the funnel (exact binomial tails, as the limits). */
export function funnelFlag(unit: Proportion, p0: number): FunnelFlag {
  if (unit.trials <= 0) return 'within';
  const high = upperTail(unit.events, unit.trials, p0);
  const low = lowerTail(unit.events, unit.trials, p0);
  if (high < 0.001) return 'high998';
  if (high < 0.025) return 'high95';
  if (low < 0.001) return 'low998';
  if (low < 0.025) return 'low95';
  return 'within';
}

/** P(X ≥ y) for X ~ Binomial(n, p), y may be fractional: I_p(y, n − y + 1). */
function upperTail(y: number, n: number, p: number): number {
  if (y <= 0) return 1;
  if (y > n) return 0;
  return regularizedBeta(p, y, n - y + 1);
}

/** P(X ≤ y) = P(n − X ≥ n − y) with n − X ~ Binomial(n, 1 − p). */
function lowerTail(y: number, n: number, p: number): number {
  return upperTail(n - y, n, 1 - p);
}

/** The rate y/n above which the upper tail is below `alpha` (bisection on the continuous count). */
function upperLimit(p0: number, n: number, alpha: number): number {
  if (p0 <= 0) return 0;
  if (upperTail(n, n, p0) >= alpha) return 1;
  let lo = 0;
  let hi = n;
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (upperTail(mid, n, p0) < alpha) hi = mid;
    else lo = mid;
  }
  return hi / n;
}

function lowerLimit(p0: number, n: number, alpha: number): number {
  return 1 - upperLimit(1 - p0, n, alpha);
}

/** ln Γ(x) (Lanczos, g = 7, n = 9): enough for tail probabilities. */
function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012,
    9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The regularized incomplete beta I_x(a, b), by its continued fraction (Lentz). */
function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x > (a + 1) / (a + b + 2)) return 1 - (front * continuedFraction(1 - x, b, a)) / b;
  return (front * continuedFraction(x, a, b)) / a;
}

function continuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let f = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    for (const aa of [(m * (b - m) * x) / ((a + m2 - 1) * (a + m2)), (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1))]) {
      d = 1 + aa * d;
      if (Math.abs(d) < tiny) d = tiny;
      c = 1 + aa / c;
      if (Math.abs(c) < tiny) c = tiny;
      d = 1 / d;
      f *= d * c;
    }
    if (Math.abs(d * c - 1) < 1e-12) break;
  }
  return f;
}

/** The funnel's curves for a chart: limits at volumes from 1 to the largest unit's. */
export function funnelCurve(p0: number, maxTrials: number, points = 40): ({ trials: number } & FunnelLimits)[] {
  const out: ({ trials: number } & FunnelLimits)[] = [];
  const top = Math.max(2, maxTrials);
  for (let i = 0; i < points; i++) {
    const trials = Math.max(1, Math.round(Math.exp((Math.log(top) * i) / (points - 1))));
    if (out.at(-1)?.trials === trials) continue;
    out.push({ trials, ...funnelLimits(p0, trials) });
  }
  return out;
}

/** A Beta(alpha, beta) prior for the peers' true rates. */
export interface BetaPrior {
  alpha: number;
  beta: number;
}

/**
 * Fits the peers' Beta prior by the method of moments (beta-binomial): the mean is the peer
 * mean; the spread is what the observed rates vary by beyond binomial noise. When they vary no
 * more than chance explains, the prior is made tight (strong shrinkage), as it should be.
 */
export function fitBetaPrior(units: Proportion[]): BetaPrior | null {
  const used = units.filter((u) => u.trials > 0);
  const m = peerMean(used);
  if (m === null || used.length === 0) return null;
  const mean = Math.min(1 - 1e-6, Math.max(1e-6, m));
  const weights = used.map((u) => u.trials);
  const total = weights.reduce((s, w) => s + w, 0);
  const observedVariance = used.reduce((s, u) => s + u.trials * (u.events / u.trials - mean) ** 2, 0) / total;
  const noise = used.reduce((s, u) => s + u.trials * ((mean * (1 - mean)) / u.trials), 0) / total;
  const between = Math.max(observedVariance - noise, (mean * (1 - mean)) / 10_000);
  const strength = Math.min(1e6, Math.max(0.5, (mean * (1 - mean)) / between - 1));
  return { alpha: mean * strength, beta: (1 - mean) * strength };
}

/** The posterior mean of a unit's rate: its raw rate pulled toward the peer mean, more so the fewer its trials. */
export function shrunkRate(unit: Proportion, prior: BetaPrior): number {
  return (unit.events + prior.alpha) / (unit.trials + prior.alpha + prior.beta);
}

function normal(random: () => number): number {
  // Box–Muller; 1 − u keeps log away from 0.
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Gamma(shape, 1) by Marsaglia and Tsang (2000), with the usual boost for shape < 1. */
function gamma(shape: number, random: () => number): number {
  if (shape < 1) return gamma(shape + 1, random) * random() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = random();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * One draw from Beta(a, b). With both parameters large (a big office's posterior) the Beta is
 * indistinguishable from a normal with its mean and variance, drawn at a third of the cost: a
 * country's card draws millions of these.
 */
export function betaDraw(a: number, b: number, random: () => number): number {
  if (a > 60 && b > 60) {
    const n = a + b;
    const mean = a / n;
    return Math.min(1, Math.max(0, mean + Math.sqrt((mean * (1 - mean)) / (n + 1)) * normal(random)));
  }
  const x = gamma(a, random);
  const y = gamma(b, random);
  return x / (x + y);
}

export interface RankedUnit {
  /** Posterior mean of the rate (what is ranked). */
  shrunk: number;
  /** 1 = best. Ties share a rank. */
  rank: number;
  /** The central 95% of the unit's rank over posterior draws. */
  rankLow: number;
  rankHigh: number;
}

/**
 * Ranks units by their shrunk rate and gives each a 95% interval for its rank, from `draws`
 * joint draws of every unit's posterior (Beta(events + α, trials − events + β)), ranked in each
 * draw. `higherIsBetter` is false for bad outcomes (breaches, dissatisfaction).
 */
export function rankWithUncertainty(units: Proportion[], options: { higherIsBetter: boolean; draws?: number; seed?: number }): RankedUnit[] {
  const prior = fitBetaPrior(units);
  if (!prior) return [];
  const draws = options.draws ?? 1000;
  const random = seededRandom(options.seed ?? 128);
  const shrunk = units.map((u) => shrunkRate(u, prior));
  const ranks = competitionRanks(shrunk, options.higherIsBetter);
  // Flat typed arrays, one pass per draw: a country's card ranks thousands of offices hundreds of
  // times, and per-draw arrays of pairs and closures were most of its time (issue 14). The draws
  // are taken in the same order as ever, so the intervals are unchanged.
  const n = units.length;
  const a = Float64Array.from(units, (u) => u.events + prior.alpha);
  const b = Float64Array.from(units, (u) => Math.max(0, u.trials - u.events) + prior.beta);
  const sampled = new Int32Array(n * draws);
  const values = new Float64Array(n);
  const scratch = new Float64Array(n);
  const drawn = new Int32Array(n);
  for (let d = 0; d < draws; d++) {
    for (let i = 0; i < n; i++) values[i] = betaDraw(a[i]!, b[i]!, random);
    competitionRanksInto(values, options.higherIsBetter, scratch, drawn);
    for (let i = 0; i < n; i++) sampled[i * draws + d] = drawn[i]!;
  }
  return units.map((_, i) => {
    const sorted = sampled.subarray(i * draws, (i + 1) * draws).sort();
    return { shrunk: shrunk[i]!, rank: ranks[i]!, rankLow: quantile(sorted, 0.025), rankHigh: quantile(sorted, 0.975) };
  });
}

/** Competition ranks (1, 2, 2, 4) of `values`, highest first when `higherIsBetter`, else lowest first. */
export function competitionRanks(values: ArrayLike<number>, higherIsBetter: boolean): number[] {
  const out = new Int32Array(values.length);
  competitionRanksInto(values, higherIsBetter, new Float64Array(values.length), out);
  return Array.from(out);
}

/**
 * Competition ranks into `out`, with `scratch` (same length) for the sorted copy: a value's rank is
 * one more than the number of values strictly better than it, found by binary search in the
 * sorted copy — the same ranks as sorting pairs and giving ties the first one's place. Values
 * must not be NaN (−Infinity, for "no score", ranks last).
 */
export function competitionRanksInto(values: ArrayLike<number>, higherIsBetter: boolean, scratch: Float64Array, out: Int32Array): void {
  const n = values.length;
  for (let i = 0; i < n; i++) scratch[i] = values[i]!;
  scratch.sort();
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    let lo = 0;
    let hi = n;
    if (higherIsBetter) {
      // the first index holding a value > v: everything from there on is better
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (scratch[mid]! > v) hi = mid;
        else lo = mid + 1;
      }
      out[i] = n - lo + 1;
    } else {
      // the first index holding a value >= v: everything before it is better
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (scratch[mid]! < v) lo = mid + 1;
        else hi = mid;
      }
      out[i] = lo + 1;
    }
  }
}

function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;
}
