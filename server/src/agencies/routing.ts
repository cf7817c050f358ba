import type { Queryable } from '../db/database.ts';
import { findLocalUnits, type Unit } from './store.ts';

/**
 * The routing rule, applied at intake in the same transaction as the complaint:
 *
 * A complaint names an agency (any unit of the tree the citizen picked) and a place (a county,
 * or only a province). It is referred to the inspection head of the most specific active unit
 * of that agency for that place:
 *   1. the picked unit itself when it is a county office;
 *   2. else the county office for the complaint's county inside the picked unit's subtree;
 *   3. else the provincial directorate for the complaint's province inside that subtree;
 *   4. else the picked unit itself (a ministry or organisation with no office there).
 * Among several candidates of the same kind the one nearest the picked unit wins (smallest
 * depth), then the oldest (smallest id), so the choice is deterministic.
 */
export function chooseUnit(agency: Unit, candidates: Unit[], countyId: number | null): Unit {
  if (agency.kind === 'county_office') return agency;
  const byNearness = [...candidates].sort((a, b) => a.depth - b.depth || a.id - b.id);
  const countyOffice = countyId === null ? undefined : byNearness.find((u) => u.kind === 'county_office' && u.countyId === countyId);
  if (countyOffice) return countyOffice;
  const directorate = byNearness.find((u) => u.kind === 'provincial_directorate');
  return directorate ?? agency;
}

/** Resolves the unit a complaint about `agency` at this place is referred to. */
export async function routeComplaint(db: Queryable, agency: Unit, provinceId: number, countyId: number | null): Promise<Unit> {
  if (agency.kind === 'county_office') return agency;
  const candidates = await findLocalUnits(db, agency, provinceId, countyId);
  return chooseUnit(agency, candidates, countyId);
}

/** The national root (ministry or organisation at the top) of a unit, from its path. */
export function rootIdOf(unit: Unit): number {
  return Number(unit.path.split('/')[1]);
}
