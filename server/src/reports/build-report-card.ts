import { reportScope, type StaffPrincipal } from '../core/scope.ts';
import type { Queryable } from '../db/database.ts';
import { monthKeysOf, type Period, periodBounds, periodLabel } from '../domain/jalali-periods.ts';
import { type FollowUpTally, followUpTallies } from '../follow-up/store.ts';
import { cardEntries, rankEntries } from './card-entries.ts';
import { type IncidentCounts, loadIncidentCounts } from './incident-store.ts';
import { indicatorScores } from './indicator-scores.ts';
import type { Funnel, League } from './league-card.ts';
import type { Measures } from './measures.ts';
import {
  type AreaRollupRow,
  type EnforcementInForce,
  foldRollups,
  type InspectionFindings,
  loadAccountability,
  loadAreaRollups,
  loadCardContext,
  loadRollups,
  type RollupRow,
} from './store.ts';

export type Audience = 'official' | 'public';
export type Level = 'national' | 'province' | 'agency' | 'agency_province' | 'unit' | 'manager';

export interface Entry {
  level: Level;
  id: number;
  nameFa: string;
  nameEn: string;
  provinceId: number | null;
  agencyId: number | null;
  unitKind: string | null;
  measures: Measures;
  /** For an agency in a province: its rank among all agencies of that province. */
  provinceRank?: { rank: number | null; peers: number | null };
  /** Shrunk rates, funnel flags and rank intervals (league-card.ts); absent below the minimum. */
  league?: League;
}

export interface IndicatorEntry {
  indicatorId: number;
  code: string;
  pillar: string;
  nameFa: string;
  nameEn: string;
  weight: number;
  received: number | null;
  rated: number | null;
  satisfactionRate: number | null;
  answeredInSlaRate: number | null;
  /** 0–100: the satisfaction rate of complaints under this indicator (null: not enough ratings). */
  score: number | null;
}

export interface ReportCard {
  period: { kind: string; key: string; labelFa: string; labelEn: string; startsAt: string; endsAt: string };
  audience: Audience;
  /** Whose view: 'national', or the official's unit/province scope. */
  scope: string;
  generatedAt: string;
  minComplaints: number;
  national: Entry;
  provinces: Entry[];
  agencies: Entry[];
  agencyProvinces: Entry[];
  units: Entry[];
  managers: Entry[];
  indicators: IndicatorEntry[];
  pillars: { pillar: string; score: number | null; rated: number | null }[];
  /** Official cards only: confirmed enforcement actions and inspection findings of the period. */
  enforcement: EnforcementInForce[];
  inspections: InspectionFindings[];
  /** Funnel plots per peer group and proportion measure (league-card.ts). */
  funnels: Funnel[];
  /** Incidents (one cause, many complaints) and the complaints handled with them, counted apart. */
  incidents?: IncidentCounts;
  /** Satisfaction follow-up calls per unit: the weeks drawn in the period, sample and outcomes (counts only). */
  followUp: FollowUpTally[];
}

/** Runs independent reads side by side (`concurrent`) or one after another, keeping their types. */
async function readAll<T extends readonly (() => Promise<unknown>)[]>(
  concurrent: boolean,
  jobs: T,
): Promise<{ -readonly [K in keyof T]: T[K] extends () => Promise<infer R> ? R : never }> {
  type Out = { -readonly [K in keyof T]: T[K] extends () => Promise<infer R> ? R : never };
  if (concurrent) return (await Promise.all(jobs.map((job) => job()))) as Out;
  const done: unknown[] = [];
  for (const job of jobs) done.push(await job());
  return done as Out;
}

/** Who the card is for and which rows it reads (the scope condition in SQL, see core/scope.ts). */
interface CardScope {
  scopeSql: string;
  params: unknown[];
  nationalScope: boolean;
  /** Aggregates come from the area rollups (the country or a province), not the unit rows. */
  areaScope: boolean;
  needUnits: boolean;
  areaProvince: number | null;
  indicatorsWanted: boolean;
}

function cardScope(user: StaffPrincipal | null, audience: Audience): CardScope {
  const params: unknown[] = [];
  const scopeSql = user ? reportScope(user, params) : 'TRUE';
  const nationalScope = !user || user.role === 'national_admin' || (user.unitPath === null && user.provinceId === null);
  // Aggregates (country, provinces, agencies) come from the ~600 area rows a month when the scope
  // is the country or a province; a unit-scoped official's come from their units' rows. Units and
  // managers (official cards only) always come from unit rows.
  const areaScope = nationalScope || user?.unitPath === null;
  return {
    scopeSql,
    params,
    nationalScope,
    areaScope,
    needUnits: audience === 'official' || !areaScope,
    areaProvince: nationalScope ? null : (user?.provinceId ?? null),
    indicatorsWanted: nationalScope || user?.unitPath === null,
  };
}

/** Folds pending changes into the rollups, then reads what the card needs. */
async function loadCardData(
  db: Queryable,
  months: number[],
  scope: CardScope,
  input: { audience: Audience; user: StaffPrincipal | null; startsAt: Date; endsAt: Date },
) {
  const { audience, user } = input;
  // Committed changes not yet folded into the rollups go in first, so the card is exact.
  await foldRollups(db);
  // The reads are independent: on the pool they go out side by side (one round trip's latency,
  // not six); on a single client (a publishing transaction) one after another.
  const [rows, areaLoaded, context, accountability, incidents] = await readAll('totalCount' in db, [
    () => (scope.needUnits ? loadRollups(db, months, { sql: scope.scopeSql, params: scope.params }) : Promise.resolve([] as RollupRow[])),
    () => (scope.areaScope ? loadAreaRollups(db, months, scope.areaProvince) : Promise.resolve(null)),
    () =>
      loadCardContext(db, months, {
        areaNames: scope.areaScope,
        areaProvince: scope.areaProvince,
        indicators: scope.indicatorsWanted,
        indicatorProvince: user?.provinceId ?? null,
      }),
    () =>
      audience === 'official'
        ? loadAccountability(db, input.startsAt, input.endsAt, (accountabilityParams) =>
            user ? reportScope(user, accountabilityParams, 'u', 'x.province_id') : 'TRUE',
          )
        : Promise.resolve({ enforcement: [], inspections: [] }),
    () => loadIncidentCounts(db, input.startsAt, input.endsAt, (incidentParams) => (user ? reportScope(user, incidentParams, 'u', 'c.province_id') : 'TRUE')),
  ] as const);
  const areaRows: (AreaRollupRow | RollupRow)[] = areaLoaded ?? rows;
  return { rows, areaRows, context, accountability, incidents };
}

/**
 * Builds the report card of a Jalali period from the rollups: for officials within their scope
 * (scope in the SQL), with units and managers; for the public, aggregates only, with small
 * groups' counts suppressed.
 */
export async function buildReportCard(
  db: Queryable,
  input: { period: Period; audience: Audience; user: StaffPrincipal | null; minComplaints: number; now: Date },
): Promise<ReportCard> {
  const { period, audience, user, minComplaints } = input;
  const months = monthKeysOf(period);
  const scope = cardScope(user, audience);
  const { startsAt, endsAt } = periodBounds(period);
  const data = await loadCardData(db, months, scope, { audience, user, startsAt, endsAt });
  const entries = cardEntries(data, { audience, nationalScope: scope.nationalScope, areaScope: scope.areaScope, minComplaints, months: months.length });
  const funnels = rankEntries(period, entries);
  const indicatorSection = data.context.indicatorRows ? indicatorScores(data.context.indicatorRows, data.context.indicators, minComplaints) : null;
  const card: ReportCard = {
    period: {
      kind: period.kind,
      key: period.key,
      labelFa: periodLabel(period, 'fa'),
      labelEn: periodLabel(period, 'en'),
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
    },
    audience,
    scope: scope.nationalScope ? 'national' : user?.unitPath ? `unit:${user.unitId}` : `province:${user?.provinceId}`,
    generatedAt: input.now.toISOString(),
    minComplaints,
    national: entries.national,
    provinces: sortEntries(entries.provinces),
    agencies: sortEntries(entries.agencies),
    agencyProvinces: sortEntries(entries.agencyProvinces),
    units: sortEntries(entries.units),
    managers: sortEntries(entries.managers),
    indicators: indicatorSection?.indicators ?? [],
    pillars: indicatorSection?.pillars ?? [],
    enforcement: data.accountability.enforcement,
    inspections: data.accountability.inspections,
    funnels,
    incidents: data.incidents,
    followUp: await followUpTallies(db, startsAt, endsAt, user),
  };
  return audience === 'public' ? suppressSmallCounts(card) : card;
}

/** Best score first; entries without a score after, biggest first. */
function sortEntries(entries: Entry[]): Entry[] {
  return entries.sort((a, b) => (b.measures.score ?? -1) - (a.measures.score ?? -1) || (b.measures.received ?? 0) - (a.measures.received ?? 0) || a.id - b.id);
}

/** Public cards: a group under the minimum shows no counts at all, so no small group can be singled out. */
function suppressSmallCounts(card: ReportCard): ReportCard {
  const hide = (e: Entry): Entry =>
    e.measures.enoughData
      ? e
      : {
          ...e,
          measures: {
            ...e.measures,
            received: null,
            verifiedPhone: null,
            open: null,
            answered: null,
            breaches: null,
            escalations: null,
            servicesDelivered: null,
          },
        };
  return {
    ...card,
    national: hide(card.national),
    provinces: card.provinces.map(hide),
    agencies: card.agencies.map(hide),
    agencyProvinces: card.agencyProvinces.map(hide),
    units: [],
    managers: [],
    indicators: card.indicators.map((i) => (i.received !== null && i.received < card.minComplaints ? { ...i, received: null, rated: null } : i)),
  };
}
