import type { Period } from '../domain/jalali-periods.ts';
import type { Audience, Entry } from './build-report-card.ts';
import type { Funnel } from './league-card.ts';
import { leagueRanker } from './league-card.ts';
import { addCounts, type Counts, computeMeasures, emptyCounts, type Measures } from './measures.ts';
import type { AreaRollupRow, CardContext, RollupRow } from './store.ts';

/*
 * The entries of a report card — the country, provinces, agencies, agencies in a province, and
 * for officials offices and managers — summed from the rollup rows, measured and ranked.
 */

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

/** What the entries are built from (build-report-card.ts reads it). */
export interface CardData {
  /** Unit rollup rows (official cards, and unit-scoped officials' aggregates). */
  rows: RollupRow[];
  /** The rows the aggregates are summed from: area rollups, or the unit rows. */
  areaRows: (AreaRollupRow | RollupRow)[];
  context: CardContext;
}

export interface EntryOptions {
  audience: Audience;
  nationalScope: boolean;
  areaScope: boolean;
  minComplaints: number;
  /** How many months the period has. */
  months: number;
}

export interface CardEntries {
  national: Entry;
  provinces: Entry[];
  agencies: Entry[];
  agencyProvinces: Entry[];
  units: Entry[];
  managers: Entry[];
}

type Measure = (g: Group, population: number | null) => Measures;
type Names = Map<number, { nameFa: string; nameEn: string }>;
type Provinces = Map<number, CardContext['provinces'][number]>;

/** Measures a group: services delivered count only if every office of it reported every month. */
function measurer(volumes: CardContext['volumes'], o: EntryOptions): Measure {
  const servicesOf = (unitIds: Set<number> | null): number | null => {
    if (unitIds === null || volumes.size === 0) return null;
    let total = 0;
    for (const id of unitIds) {
      const v = volumes.get(id);
      if (!v || v.months < o.months) return null;
      total += v.services;
    }
    return unitIds.size ? total : null;
  };
  return (g, population) => computeMeasures(g.counts, { minComplaints: o.minComplaints, population, services: servicesOf(g.unitIds), months: o.months });
}

/** An aggregate entry (no province, agency or office kind unless given). */
function entry(level: Entry['level'], id: number, names: { nameFa: string; nameEn: string }, measures: Measures, at: Partial<Entry> = {}): Entry {
  return { level, id, nameFa: names.nameFa, nameEn: names.nameEn, provinceId: null, agencyId: null, unitKind: null, measures, ...at };
}

/** Names come with the unit rows (joined in SQL) or beside the area rows (loadCardContext). */
function agencyNamesOf(rows: RollupRow[], areaAgencyNames: CardContext['agencyNames']): Names {
  const agencyName: Names = new Map();
  for (const r of rows) if (r.agencyNameFa !== null) agencyName.set(r.agencyId, { nameFa: r.agencyNameFa, nameEn: r.agencyNameEn ?? '' });
  for (const a of areaAgencyNames) agencyName.set(a.id, a);
  return agencyName;
}

/** The whole scope: the sum of the provinces (and, for a unit scope, the offices counted). */
function nationalEntry(provinceGroups: Map<number, Group>, unitIds: Iterable<number>, o: EntryOptions, population: number | null, measure: Measure): Entry {
  const all: Group = { counts: emptyCounts(), owned: true, unitIds: o.areaScope ? null : new Set() };
  for (const g of provinceGroups.values()) addCounts(all.counts, g.counts);
  if (all.unitIds) for (const id of unitIds) all.unitIds.add(id);
  const names = o.nationalScope ? { nameFa: 'کل کشور', nameEn: 'Whole country' } : { nameFa: 'حوزهٔ شما', nameEn: 'Your scope' };
  return entry('national', 0, names, measure(all, o.nationalScope ? population : null));
}

function agencyProvinceEntries(groups: Map<string, Group>, agencyName: Names, provinceById: Provinces, measure: Measure): Entry[] {
  return [...groups].map(([key, g]) => {
    const [agencyId, provinceId] = key.split(':').map(Number) as [number, number];
    const p = provinceById.get(provinceId);
    const a = agencyName.get(agencyId);
    const names = { nameFa: `${a?.nameFa ?? ''} — ${p?.nameFa ?? ''}`, nameEn: `${a?.nameEn ?? ''} — ${p?.nameEn ?? ''}` };
    return entry('agency_province', agencyId, names, measure(g, p?.population ?? null), { provinceId, agencyId });
  });
}

/** Offices and managers: official cards only. */
function officeEntries(rows: RollupRow[], unitGroups: Map<number, Group>, o: EntryOptions, measure: Measure): Pick<CardEntries, 'units' | 'managers'> {
  if (o.audience !== 'official') return { units: [], managers: [] };
  const unitInfo = new Map(rows.map((r) => [r.unitId, r]));
  const units = [...unitGroups].map(([key, g]) => {
    const u = unitInfo.get(key)!;
    const at = { provinceId: u.provinceId, agencyId: u.agencyId, unitKind: u.unitKind };
    return entry('unit', u.unitId, { nameFa: u.unitNameFa, nameEn: u.unitNameEn }, measure(g, null), at);
  });
  const managerName = new Map(rows.map((r) => [r.managerId, r.managerName ?? '']));
  const managers = [...groupBy(rows, (r) => (r.managerId ? r.managerId : null))].map(([key, g]) => {
    const name = managerName.get(key) ?? '';
    return entry('manager', key, { nameFa: name, nameEn: name }, measure(g, null));
  });
  return { units, managers };
}

/** Sums the rows into every entry of the card and measures each. */
export function cardEntries(data: CardData, o: EntryOptions): CardEntries {
  const { rows, areaRows, context } = data;
  const measure = measurer(context.volumes, o);
  const provinceById: Provinces = new Map(context.provinces.map((p) => [p.id, p]));
  const nationalPopulation = context.provinces.every((p) => p.population !== null) ? context.provinces.reduce((s, p) => s + (p.population ?? 0), 0) : null;
  const agencyName = agencyNamesOf(rows, context.agencyNames);
  const unitGroups = groupBy(rows, (r) => r.unitId);
  const provinceGroups = groupBy(areaRows, (r) => r.provinceId);
  const noName = { nameFa: '', nameEn: '' };
  return {
    national: nationalEntry(provinceGroups, unitGroups.keys(), o, nationalPopulation, measure),
    provinces: [...provinceGroups].map(([key, g]) => {
      const p = provinceById.get(key);
      return entry('province', key, p ?? noName, measure(g, p?.population ?? null), { provinceId: key });
    }),
    agencies: [...groupBy(areaRows, (r) => r.agencyId)].map(([key, g]) =>
      entry('agency', key, agencyName.get(key) ?? noName, measure(g, o.nationalScope ? nationalPopulation : null), { agencyId: key }),
    ),
    agencyProvinces: agencyProvinceEntries(
      groupBy(areaRows, (r) => `${r.agencyId}:${r.provinceId}`),
      agencyName,
      provinceById,
      measure,
    ),
    ...officeEntries(rows, unitGroups, o, measure),
  };
}

/** Ranks every entry among its peers (in place) and returns the funnel plots. */
export function rankEntries(period: Period, e: CardEntries): Funnel[] {
  // Peers: an office beside the same agency's offices of the same kind and size band in other
  // provinces; an agency in a province beside the same agency elsewhere (rank) and beside the
  // other agencies of that province (provinceRank); agencies and provinces nationally.
  // Ranked by the shrunk (empirical-Bayes) score, with rank intervals and funnels: league-card.ts.
  const rankAmongPeers = leagueRanker(period);
  rankAmongPeers(e.units, (e) => `${e.agencyId}:${e.unitKind}:${e.measures.sizeBand}`);
  rankAmongPeers(e.agencies, () => 'all');
  rankAmongPeers(e.provinces, () => 'all');
  rankAmongPeers(e.managers, () => 'all');
  const inProvince = e.agencyProvinces.map((e) => ({ entry: e, measures: { ...e.measures } }));
  rankAmongPeers(inProvince, (x) => String(x.entry.provinceId));
  for (const x of inProvince) x.entry.provinceRank = { rank: x.measures.rank, peers: x.measures.peers };
  rankAmongPeers(e.agencyProvinces, (e) => String(e.agencyId));

  return rankAmongPeers.funnels;
}
