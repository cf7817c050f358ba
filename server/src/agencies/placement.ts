import type { Unit, UnitKind } from './store.ts';

/**
 * Where a unit of each kind may stand in the four-level tree:
 *   ministry               — a root, national (no province).
 *   organisation           — a root or under a ministry/organisation, national.
 *   provincial_directorate — under a ministry or organisation, in one province.
 *   county_office          — under a provincial directorate of the same province, or directly
 *                            under a ministry/organisation; in one county.
 * Returns the reason a placement is wrong, or null when it is allowed.
 */
export function placementProblem(
  kind: UnitKind,
  parent: Pick<Unit, 'kind' | 'provinceId' | 'active'> | null,
  provinceId: number | null,
  countyId: number | null,
): string | null {
  const national = kind === 'ministry' || kind === 'organisation';
  if (national && (provinceId !== null || countyId !== null)) return 'a national unit has no province or county';
  if (kind === 'provincial_directorate' && (provinceId === null || countyId !== null)) return 'a provincial directorate needs a province and no county';
  if (kind === 'county_office' && (provinceId === null || countyId === null)) return 'a county office needs a county';
  if (kind === 'ministry') return parent ? 'a ministry has no parent' : null;
  if (!parent) return kind === 'organisation' ? null : `a ${kind} needs a parent`;
  if (!parent.active) return 'the parent unit is inactive';
  const parentNational = parent.kind === 'ministry' || parent.kind === 'organisation';
  if (kind === 'organisation' || kind === 'provincial_directorate') {
    return parentNational ? null : `a ${kind} must be under a ministry or organisation`;
  }
  if (parentNational) return null;
  if (parent.kind !== 'provincial_directorate') return 'a county office must be under a provincial directorate, ministry or organisation';
  return parent.provinceId === provinceId ? null : 'a county office must be in its directorate’s province';
}
