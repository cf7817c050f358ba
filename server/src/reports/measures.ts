import { emptyHistogram, mergeInto, percentile } from './histogram.ts';

/**
 * Report-card measures, computed from rollup counters (pure: no I/O). Every measure here has a
 * written definition in docs/measures.md and in MEASURE_DEFINITIONS (served to the portal).
 */

/** The counters of one rollup row, or of any sum of them. */
export interface Counts {
  received: number;
  open: number;
  answered: number;
  answeredInSla: number;
  rejected: number;
  firstActioned: number;
  breaches: number;
  breached: number;
  escalations: number;
  escalated: number;
  reopened: number;
  rated: number;
  satisfied: number;
  dissatisfied: number;
  noRating: number;
  /** Complaints whose phone was proved by who sent it (SMS sender, caller id, bot contact). */
  verifiedPhone: number;
  histFirstAction: number[];
  histAnswer: number[];
}

export function emptyCounts(): Counts {
  // A literal: one shape for every Counts object keeps addCounts monomorphic.
  return {
    received: 0,
    open: 0,
    answered: 0,
    answeredInSla: 0,
    rejected: 0,
    firstActioned: 0,
    breaches: 0,
    breached: 0,
    escalations: 0,
    escalated: 0,
    reopened: 0,
    rated: 0,
    satisfied: 0,
    dissatisfied: 0,
    noRating: 0,
    verifiedPhone: 0,
    histFirstAction: emptyHistogram(),
    histAnswer: emptyHistogram(),
  };
}

/** Adds `from` into `into`. */
export function addCounts(into: Counts, from: Counts): Counts {
  // Written out (not a loop over the keys): keyed access made this the hot spot of a country's card.
  into.received += from.received;
  into.open += from.open;
  into.answered += from.answered;
  into.answeredInSla += from.answeredInSla;
  into.rejected += from.rejected;
  into.firstActioned += from.firstActioned;
  into.breaches += from.breaches;
  into.breached += from.breached;
  into.escalations += from.escalations;
  into.escalated += from.escalated;
  into.reopened += from.reopened;
  into.rated += from.rated;
  into.satisfied += from.satisfied;
  into.dissatisfied += from.dissatisfied;
  into.noRating += from.noRating;
  into.verifiedPhone += from.verifiedPhone;
  mergeInto(into.histFirstAction, from.histFirstAction);
  mergeInto(into.histAnswer, from.histAnswer);
  return into;
}

export type SizeBand = 'xs' | 's' | 'm' | 'l' | 'unknown';

/** Size bands by services delivered per month: fair comparison puts an office beside offices of its size. */
export const SIZE_BANDS: { band: Exclude<SizeBand, 'unknown'>; below: number }[] = [
  { band: 'xs', below: 1_000 },
  { band: 's', below: 10_000 },
  { band: 'm', below: 100_000 },
  { band: 'l', below: Number.POSITIVE_INFINITY },
];

export function sizeBandOf(servicesPerMonth: number | null): SizeBand {
  if (servicesPerMonth === null) return 'unknown';
  return SIZE_BANDS.find((b) => servicesPerMonth < b.below)!.band;
}

/** Weights of the composite score; a component without data is left out and the rest re-weighted. */
export const SCORE_WEIGHTS = { answeredInSlaRate: 0.35, satisfactionRate: 0.35, notReopenedRate: 0.15, notEscalatedRate: 0.15 } as const;

export const SCORE_FORMULA =
  'score = 100 × (0.35 × answeredInSlaRate + 0.35 × satisfactionRate + 0.15 × (1 − reopenRate) + 0.15 × (1 − escalationRate)); ' +
  'a component with no data (e.g. no ratings yet) is dropped and the remaining weights are scaled to sum to 1; ' +
  'no score below the minimum number of complaints.';

export interface Measures {
  /** False when fewer complaints than the minimum: rates, times, score and rank are null ("not enough data"). */
  enoughData: boolean;
  received: number | null;
  /** Of received, complaints from a verified phone (null in public cards below the minimum). */
  verifiedPhone: number | null;
  receivedPer100k: number | null;
  receivedPer1000Services: number | null;
  servicesDelivered: number | null;
  sizeBand: SizeBand;
  open: number | null;
  answered: number | null;
  answeredInSlaRate: number | null;
  firstActionMedianMinutes: number | null;
  firstActionP90Minutes: number | null;
  answerMedianMinutes: number | null;
  answerP90Minutes: number | null;
  breaches: number | null;
  escalations: number | null;
  escalationRate: number | null;
  satisfactionRate: number | null;
  dissatisfactionRate: number | null;
  reopenRate: number | null;
  noRatingRate: number | null;
  score: number | null;
  rank: number | null;
  peers: number | null;
}

export interface MeasureContext {
  minComplaints: number;
  /** Population of the area, when known (provinces, the country). */
  population: number | null;
  /** Services delivered in the period, when known for every office counted. */
  services: number | null;
  /** Months in the period (for the size band, which is per month). */
  months: number;
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? Math.round((numerator / denominator) * 10_000) / 10_000 : null;
}

/** The weights of `compositeRates`' four rates, in its order. */
const RATE_WEIGHTS = [SCORE_WEIGHTS.answeredInSlaRate, SCORE_WEIGHTS.satisfactionRate, SCORE_WEIGHTS.notReopenedRate, SCORE_WEIGHTS.notEscalatedRate];

/**
 * `compositeScore` of four rates in a typed array (answered in SLA, satisfaction, reopen,
 * escalation; NaN: no data), with the same arithmetic in the same order, so the same result to
 * the bit; no arrays made: the league tables call it millions of times on a country's card.
 */
export function compositeRates(rates: Float64Array): number | null {
  let weight = 0;
  let sum = 0;
  for (let k = 0; k < 4; k++) {
    const rate = rates[k]!;
    if (Number.isNaN(rate)) continue;
    const w = RATE_WEIGHTS[k]!;
    weight += w;
    sum += (k < 2 ? rate : 1 - rate) * w;
  }
  if (weight === 0) return null;
  return Math.round((sum / weight) * 1000) / 10;
}

/** The composite score (0–100, one decimal) from the rates; null when nothing to score. */
export function compositeScore(m: Pick<Measures, 'answeredInSlaRate' | 'satisfactionRate' | 'reopenRate' | 'escalationRate'>): number | null {
  const parts: [number | null, number][] = [
    [m.answeredInSlaRate, SCORE_WEIGHTS.answeredInSlaRate],
    [m.satisfactionRate, SCORE_WEIGHTS.satisfactionRate],
    [m.reopenRate === null ? null : 1 - m.reopenRate, SCORE_WEIGHTS.notReopenedRate],
    [m.escalationRate === null ? null : 1 - m.escalationRate, SCORE_WEIGHTS.notEscalatedRate],
  ];
  const present = parts.filter((p): p is [number, number] => p[0] !== null);
  const weight = present.reduce((sum, [, w]) => sum + w, 0);
  if (weight === 0) return null;
  return Math.round((present.reduce((sum, [v, w]) => sum + v * w, 0) / weight) * 1000) / 10;
}

/**
 * The counters each computed Measures came from (not serialised): the league tables
 * (league-card.ts) need numerators and denominators, which the rounded rates do not carry.
 */
export const countsOfMeasures = new WeakMap<Measures, Counts>();

/** The measures of one unit, agency, province, manager or the country for a period. */
export function computeMeasures(c: Counts, context: MeasureContext): Measures {
  const measures = rawMeasures(c, context);
  countsOfMeasures.set(measures, c);
  return measures;
}

function rawMeasures(c: Counts, context: MeasureContext): Measures {
  const enough = c.received >= context.minComplaints && c.received > 0;
  const services = context.services;
  const answeredInSlaRate = enough ? ratio(c.answeredInSla, c.received) : null;
  const satisfactionRate = enough ? ratio(c.satisfied, c.rated) : null;
  const reopenRate = enough ? ratio(c.reopened, c.received) : null;
  const escalationRate = enough ? ratio(c.escalated, c.received) : null;
  return {
    enoughData: enough,
    received: c.received,
    verifiedPhone: c.verifiedPhone,
    receivedPer100k: enough && context.population ? Math.round((c.received / context.population) * 100_000 * 100) / 100 : null,
    receivedPer1000Services: enough && services !== null && services > 0 ? Math.round((c.received / services) * 1000 * 100) / 100 : null,
    servicesDelivered: services,
    sizeBand: sizeBandOf(services === null ? null : services / Math.max(1, context.months)),
    open: c.open,
    answered: c.answered,
    answeredInSlaRate,
    firstActionMedianMinutes: enough ? percentile(c.histFirstAction, 0.5) : null,
    firstActionP90Minutes: enough ? percentile(c.histFirstAction, 0.9) : null,
    answerMedianMinutes: enough ? percentile(c.histAnswer, 0.5) : null,
    answerP90Minutes: enough ? percentile(c.histAnswer, 0.9) : null,
    breaches: c.breaches,
    escalations: c.escalations,
    escalationRate,
    satisfactionRate,
    dissatisfactionRate: enough ? ratio(c.dissatisfied, c.rated) : null,
    reopenRate,
    noRatingRate: enough ? ratio(c.noRating, c.rated + c.noRating) : null,
    score: enough ? compositeScore({ answeredInSlaRate, satisfactionRate, reopenRate, escalationRate }) : null,
    rank: null,
    peers: null,
  };
}

/**
 * Ranks entries among their peers (same `peerKey`) by score, best first; ties share a rank
 * (1, 2, 2, 4). Entries without a score get no rank.
 */
export function rankAmongPeers<T extends { measures: Measures }>(entries: T[], peerKey: (entry: T) => string): void {
  const groups = new Map<string, T[]>();
  for (const e of entries) {
    if (e.measures.score === null) continue;
    const key = peerKey(e);
    const group = groups.get(key);
    if (group) group.push(e);
    else groups.set(key, [e]);
  }
  for (const group of groups.values()) {
    group.sort((a, b) => b.measures.score! - a.measures.score!);
    group.forEach((e, i) => {
      const previous = group[i - 1];
      e.measures.rank = previous && previous.measures.score === e.measures.score ? previous.measures.rank : i + 1;
      e.measures.peers = group.length;
    });
  }
}

/** What each measure means: served to the portal with the formula (the same text as docs/measures.md). */
export const MEASURE_DEFINITIONS: { field: keyof Measures; en: string; fa: string }[] = [
  {
    field: 'received',
    en: 'Complaints filed in the period (Tehran time) whose responsible office is in the group.',
    fa: 'شکایت‌هایی که در دوره (به وقت تهران) ثبت شده و دستگاه مسئولشان در این گروه است.',
  },
  {
    field: 'verifiedPhone',
    en: 'Of received, complaints whose phone was proved by who sent it (the SMS sender, an operator call with caller id, a contact shared in a bot), not only typed into a form.',
    fa: 'از شکایت‌های دریافتی، شمار آن‌ها که شمارهٔ تلفنشان تأییدشده است (پیامک از همان شماره، تماس با شمارهٔ تماس‌گیرنده، شمارهٔ هم‌رسانی‌شده در بات).',
  },
  {
    field: 'receivedPer100k',
    en: 'received ÷ population × 100,000 (provinces and the country; 2016 census; null where unknown).',
    fa: 'شکایت‌ها به ازای هر ۱۰۰ هزار نفر جمعیت (سرشماری ۱۳۹۵؛ برای شهرستان نامعلوم).',
  },
  {
    field: 'receivedPer1000Services',
    en: 'received ÷ services delivered × 1,000, for offices that reported their services (see servicesDelivered).',
    fa: 'شکایت‌ها به ازای هر هزار خدمت ارائه‌شده، هرجا شمار خدمات اعلام شده باشد.',
  },
  {
    field: 'servicesDelivered',
    en: 'Services delivered in the period as reported by the agency (null: unknown).',
    fa: 'شمار خدمات ارائه‌شده در دوره به گزارش دستگاه.',
  },
  {
    field: 'sizeBand',
    en: 'Size band by services per month: xs < 1,000 ≤ s < 10,000 ≤ m < 100,000 ≤ l; unknown without services.',
    fa: 'ردهٔ اندازه بر پایهٔ خدمات ماهانه.',
  },
  { field: 'open', en: 'Of received, complaints not yet closed or rejected when the card was made.', fa: 'شکایت‌های هنوز باز.' },
  {
    field: 'answered',
    en: 'Of received, complaints with an answer standing (an answer the citizen rejected no longer counts until the new one).',
    fa: 'شکایت‌های پاسخ‌داده‌شده.',
  },
  {
    field: 'answeredInSlaRate',
    en: 'Share of received complaints answered with no SLA deadline breached (first action or answer).',
    fa: 'سهم شکایت‌هایی که بی‌گذشتن از هیچ مهلتی پاسخ گرفته‌اند.',
  },
  {
    field: 'firstActionMedianMinutes',
    en: 'Median minutes from filing to the first action (assignment, start or answer), from a log histogram (±9%).',
    fa: 'میانهٔ زمان ثبت تا نخستین اقدام (دقیقه).',
  },
  { field: 'firstActionP90Minutes', en: '90th percentile of the same.', fa: 'صدک ۹۰ زمان تا نخستین اقدام.' },
  { field: 'answerMedianMinutes', en: 'Median minutes from filing to the standing answer, from a log histogram (±9%).', fa: 'میانهٔ زمان ثبت تا پاسخ (دقیقه).' },
  { field: 'answerP90Minutes', en: '90th percentile of the same.', fa: 'صدک ۹۰ زمان تا پاسخ.' },
  { field: 'breaches', en: 'SLA deadlines breached (first action and answer, at any level) by these complaints.', fa: 'شمار مهلت‌های گذشته.' },
  { field: 'escalations', en: 'Times these complaints were escalated one level up after a breach or by a supervisor.', fa: 'شمار ارجاع به سطح بالاتر.' },
  { field: 'escalationRate', en: 'Share of received complaints escalated at least once.', fa: 'سهم شکایت‌های دست‌کم یک بار ارجاع‌شده به بالا.' },
  {
    field: 'satisfactionRate',
    en: 'Of complaints the citizen rated (satisfied, or not satisfied at least once), the share closed satisfied.',
    fa: 'از شکایت‌های ارزیابی‌شده، سهم رضایت.',
  },
  {
    field: 'dissatisfactionRate',
    en: 'Of rated complaints, the share where the citizen was not satisfied (or objected to a rejection) at least once.',
    fa: 'از شکایت‌های ارزیابی‌شده، سهم نارضایتی.',
  },
  { field: 'reopenRate', en: 'Share of received complaints reopened at least once (dissatisfaction or objection).', fa: 'سهم شکایت‌های دوباره بازشده.' },
  {
    field: 'noRatingRate',
    en: 'Of complaints whose answer was rated or whose rating window closed, the share closed without a rating.',
    fa: 'سهم پاسخ‌هایی که بی‌ارزیابی بسته شدند.',
  },
  { field: 'score', en: SCORE_FORMULA, fa: 'امتیاز ترکیبی ۰ تا ۱۰۰ (فرمول در متن انگلیسی).' },
  {
    field: 'rank',
    en: 'Rank among peers by the score of the shrunk (empirical-Bayes) rates (1 = best; ties share a rank), with a 95% rank interval (league.rankLow–rankHigh). Peers: units — the same agency and kind across provinces; agencies in a province — all agencies there; agencies, provinces — each other nationally.',
    fa: 'رتبه در میان هم‌ترازها بر پایهٔ نرخ‌های تعدیل‌شده (بیز تجربی)، با بازهٔ ۹۵٪ رتبه.',
  },
  { field: 'peers', en: 'How many peers were ranked.', fa: 'شمار هم‌ترازهای رتبه‌بندی‌شده.' },
  {
    field: 'enoughData',
    en: 'False when fewer than the minimum number of complaints (REPORT_MIN_COMPLAINTS, default 10): "not enough data".',
    fa: 'کمتر از حداقل شکایت: «داده کافی نیست».',
  },
];
