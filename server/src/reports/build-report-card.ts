import { reportScope, type StaffPrincipal } from '../core/scope.ts';
import type { Queryable } from '../db/database.ts';
import { monthKeysOf, type Period, periodBounds, periodLabel } from '../domain/jalali-periods.ts';
import { type FollowUpTally, followUpTallies } from '../follow-up/store.ts';
import { type IncidentCounts, loadIncidentCounts } from './incident-store.ts';
import { type Funnel, type League, leagueRanker } from './league-card.ts';
import { addCounts, type Counts, computeMeasures, emptyCounts, type Measures } from './measures.ts';
import {
  type AreaRollupRow,
  type EnforcementInForce,
  foldRollups,
  type IndicatorRollupRow,
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

interface Group {
  /** The sum; while the group has one row, that row itself (never written to: see groupBy). */
  counts: Counts;
  owned: boolean;
  /** The offices counted, for services delivered (unknown when the group comes from area rollups). */
  unitIds: Set<number> | null;
}

/**
 * Sums rows into groups. A group of one row borrows that row's counters and copies them only when
 * a second row arrives: most offices have one row a month, and copying every row's two histograms
 * made an official card spend a quarter of its time collecting garbage.
 */
function groupBy<R extends Counts & { unitId?: number }, K>(rows: R[], key: (row: R) => K | null): Map<K, Group> {
  const groups = new Map<K, Group>();
  for (const row of rows) {
    const k = key(row);
    if (k === null) continue;
    const g = groups.get(k);
    if (!g) {
      groups.set(k, { counts: row, owned: false, unitIds: row.unitId === undefined ? null : new Set([row.unitId]) });
      continue;
    }
    if (!g.owned) {
      g.counts = addCounts(emptyCounts(), g.counts);
      g.owned = true;
    }
    addCounts(g.counts, row);
    if (row.unitId !== undefined) g.unitIds?.add(row.unitId);
  }
  return groups;
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

/**
 * Builds the report card of a Jalali period from the rollups: for officials within their scope
 * (scope in the SQL), with units and managers; for the public, aggregates only, with small
 * groups' counts suppressed.
 */
export async function buildReportCard(
  db: Queryable,
  input: { period: Period; audience: Audience; user: StaffPrincipal | null; minComplaints: number; now?: Date },
): Promise<ReportCard> {
  const { period, audience, user, minComplaints } = input;
  const months = monthKeysOf(period);
  const params: unknown[] = [];
  const scopeSql = user ? reportScope(user, params) : 'TRUE';
  const nationalScope = !user || user.role === 'national_admin' || (user.unitPath === null && user.provinceId === null);
  // Aggregates (country, provinces, agencies) come from the ~600 area rows a month when the scope
  // is the country or a province; a unit-scoped official's come from their units' rows. Units and
  // managers (official cards only) always come from unit rows.
  const areaScope = nationalScope || user?.unitPath === null;
  const needUnits = audience === 'official' || !areaScope;
  const areaProvince = nationalScope ? null : (user?.provinceId ?? null);
  const indicatorsWanted = nationalScope || user?.unitPath === null;
  const { startsAt, endsAt } = periodBounds(period);
  // Committed changes not yet folded into the rollups go in first, so the card is exact.
  await foldRollups(db);
  // The reads are independent: on the pool they go out side by side (one round trip's latency,
  // not six); on a single client (a publishing transaction) one after another.
  const results = await readAll('totalCount' in db, [
    () => (needUnits ? loadRollups(db, months, { sql: scopeSql, params }) : Promise.resolve([] as RollupRow[])),
    () => (areaScope ? loadAreaRollups(db, months, areaProvince) : Promise.resolve(null)),
    () =>
      loadCardContext(db, months, {
        areaNames: areaScope,
        areaProvince,
        indicators: indicatorsWanted,
        indicatorProvince: user?.provinceId ?? null,
      }),
    () =>
      audience === 'official'
        ? loadAccountability(db, startsAt, endsAt, (accountabilityParams) => (user ? reportScope(user, accountabilityParams, 'u', 'x.province_id') : 'TRUE'))
        : Promise.resolve({ enforcement: [], inspections: [] }),
    () => loadIncidentCounts(db, startsAt, endsAt, (incidentParams) => (user ? reportScope(user, incidentParams, 'u', 'c.province_id') : 'TRUE')),
  ] as const);
  const [rows, areaLoaded, context, accountability, incidents] = results;
  const { provinces, volumes, indicators, indicatorRows, agencyNames: areaAgencyNames } = context;
  const areaRows: (AreaRollupRow | RollupRow)[] = areaLoaded ?? rows;
  const provinceById = new Map(provinces.map((p) => [p.id, p]));
  const nationalPopulation = provinces.every((p) => p.population !== null) ? provinces.reduce((s, p) => s + (p.population ?? 0), 0) : null;

  /** Services of a group's offices, if every one of them reported every month. */
  const servicesOf = (unitIds: Set<number> | null): number | null => {
    if (unitIds === null || volumes.size === 0) return null;
    let total = 0;
    for (const id of unitIds) {
      const v = volumes.get(id);
      if (!v || v.months < months.length) return null;
      total += v.services;
    }
    return unitIds.size ? total : null;
  };
  const measure = (g: Group, population: number | null) =>
    computeMeasures(g.counts, { minComplaints, population, services: servicesOf(g.unitIds), months: months.length });

  const unitGroups = groupBy(rows, (r) => r.unitId);
  const unitInfo = new Map(rows.map((r) => [r.unitId, r]));
  const agencyGroups = groupBy(areaRows, (r) => r.agencyId);
  const provinceGroups = groupBy(areaRows, (r) => r.provinceId);
  const agencyProvinceGroups = groupBy(areaRows, (r) => `${r.agencyId}:${r.provinceId}`);
  const managerGroups = audience === 'official' ? groupBy(rows, (r) => (r.managerId ? r.managerId : null)) : new Map<number, Group>();

  // Names come with the unit rows (joined in SQL) or beside the area rows (loadCardContext).
  const agencyName = new Map<number, { nameFa: string; nameEn: string }>();
  for (const r of rows) if (r.agencyNameFa !== null) agencyName.set(r.agencyId, { nameFa: r.agencyNameFa, nameEn: r.agencyNameEn ?? '' });
  for (const a of areaAgencyNames) agencyName.set(a.id, a);
  const managerName = new Map(rows.map((r) => [r.managerId, r.managerName ?? '']));

  const all: Group = { counts: emptyCounts(), owned: true, unitIds: areaScope ? null : new Set() };
  for (const g of provinceGroups.values()) addCounts(all.counts, g.counts);
  if (all.unitIds) for (const id of unitGroups.keys()) all.unitIds.add(id);
  const national: Entry = {
    level: 'national',
    id: 0,
    nameFa: nationalScope ? 'کل کشور' : 'حوزهٔ شما',
    nameEn: nationalScope ? 'Whole country' : 'Your scope',
    provinceId: null,
    agencyId: null,
    unitKind: null,
    measures: measure(all, nationalScope ? nationalPopulation : null),
  };
  const provinceEntries: Entry[] = [...provinceGroups].map(([key, g]) => {
    const p = provinceById.get(key);
    return {
      level: 'province',
      id: key,
      nameFa: p?.nameFa ?? '',
      nameEn: p?.nameEn ?? '',
      provinceId: key,
      agencyId: null,
      unitKind: null,
      measures: measure(g, p?.population ?? null),
    };
  });
  const agencyEntries: Entry[] = [...agencyGroups].map(([key, g]) => ({
    level: 'agency',
    id: key,
    nameFa: agencyName.get(key)?.nameFa ?? '',
    nameEn: agencyName.get(key)?.nameEn ?? '',
    provinceId: null,
    agencyId: key,
    unitKind: null,
    measures: measure(g, nationalScope ? nationalPopulation : null),
  }));
  const agencyProvinceEntries: Entry[] = [...agencyProvinceGroups].map(([key, g]) => {
    const [agencyId, provinceId] = key.split(':').map(Number) as [number, number];
    const p = provinceById.get(provinceId);
    const a = agencyName.get(agencyId);
    return {
      level: 'agency_province',
      id: agencyId,
      nameFa: `${a?.nameFa ?? ''} — ${p?.nameFa ?? ''}`,
      nameEn: `${a?.nameEn ?? ''} — ${p?.nameEn ?? ''}`,
      provinceId,
      agencyId,
      unitKind: null,
      measures: measure(g, p?.population ?? null),
    };
  });
  const unitEntries: Entry[] =
    audience === 'official'
      ? [...unitGroups].map(([key, g]) => {
          const u = unitInfo.get(key)!;
          return {
            level: 'unit',
            id: u.unitId,
            nameFa: u.unitNameFa,
            nameEn: u.unitNameEn,
            provinceId: u.provinceId,
            agencyId: u.agencyId,
            unitKind: u.unitKind,
            measures: measure(g, null),
          };
        })
      : [];
  const managerEntries: Entry[] = [...managerGroups].map(([key, g]) => ({
    level: 'manager',
    id: key,
    nameFa: managerName.get(key) ?? '',
    nameEn: managerName.get(key) ?? '',
    provinceId: null,
    agencyId: null,
    unitKind: null,
    measures: measure(g, null),
  }));

  // Peers: an office beside the same agency's offices of the same kind and size band in other
  // provinces; an agency in a province beside the same agency elsewhere (rank) and beside the
  // other agencies of that province (provinceRank); agencies and provinces nationally.
  // Ranked by the shrunk (empirical-Bayes) score, with rank intervals and funnels: league-card.ts.
  const rankAmongPeers = leagueRanker(period);
  rankAmongPeers(unitEntries, (e) => `${e.agencyId}:${e.unitKind}:${e.measures.sizeBand}`);
  rankAmongPeers(agencyEntries, () => 'all');
  rankAmongPeers(provinceEntries, () => 'all');
  rankAmongPeers(managerEntries, () => 'all');
  const inProvince = agencyProvinceEntries.map((e) => ({ entry: e, measures: { ...e.measures } }));
  rankAmongPeers(inProvince, (x) => String(x.entry.provinceId));
  for (const x of inProvince) x.entry.provinceRank = { rank: x.measures.rank, peers: x.measures.peers };
  rankAmongPeers(agencyProvinceEntries, (e) => String(e.agencyId));

  const indicatorSection = indicatorRows ? indicatorScores(indicatorRows, indicators, minComplaints) : null;

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
    scope: nationalScope ? 'national' : user?.unitPath ? `unit:${user.unitId}` : `province:${user?.provinceId}`,
    generatedAt: (input.now ?? new Date()).toISOString(),
    minComplaints,
    national,
    provinces: sortEntries(provinceEntries),
    agencies: sortEntries(agencyEntries),
    agencyProvinces: sortEntries(agencyProvinceEntries),
    units: sortEntries(unitEntries),
    managers: sortEntries(managerEntries),
    indicators: indicatorSection?.indicators ?? [],
    pillars: indicatorSection?.pillars ?? [],
    enforcement: accountability.enforcement,
    inspections: accountability.inspections,
    funnels: rankAmongPeers.funnels,
    incidents,
    followUp: await followUpTallies(db, new Date(startsAt), new Date(endsAt), user),
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

/**
 * Citizens' ratings score the indicators: each indicator's score is the satisfaction rate of
 * the rated complaints under it; a pillar's score is the mean of its indicators' scores
 * weighted by indicator weight × rated complaints.
 */
function indicatorScores(
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
