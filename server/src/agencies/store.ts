import { type StaffPrincipal, unitScope } from '../core/scope.ts';
import { param } from '../core/sql-param.ts';
import type { Queryable } from '../db/database.ts';
import { searchForm } from '../domain/persian-text.ts';
import { forgetUnitNames } from './names-store.ts';
import { searchSql } from './search.ts';

export type UnitKind = 'ministry' | 'organisation' | 'provincial_directorate' | 'county_office';
export const UNIT_KINDS: readonly UnitKind[] = ['ministry', 'organisation', 'provincial_directorate', 'county_office'];

export interface Unit {
  id: number;
  code: string;
  parentId: number | null;
  kind: UnitKind;
  nameFa: string;
  nameEn: string;
  provinceId: number | null;
  countyId: number | null;
  path: string;
  depth: number;
  active: boolean;
  inspectionHeadId: number | null;
}

export const UNIT_COLUMNS = `id, code, parent_id AS "parentId", kind, name_fa AS "nameFa", name_en AS "nameEn",
  province_id AS "provinceId", county_id AS "countyId", path, depth, active, inspection_head_id AS "inspectionHeadId"`;

export async function getUnit(db: Queryable, id: number): Promise<Unit | null> {
  const { rows } = await db.query<Unit>(`SELECT ${UNIT_COLUMNS} FROM units WHERE id = $1`, [id]);
  return rows[0] ?? null;
}

/** A unit, if it lies in the user's scope (the same rule as for rows about a unit: subtree and/or province). */
export async function getUnitInScope(db: Queryable, id: number, user: StaffPrincipal): Promise<Unit | null> {
  const params: unknown[] = [id];
  const { rows } = await db.query<Unit>(
    `SELECT ${UNIT_COLUMNS} FROM (SELECT *, path AS unit_path FROM units WHERE id = $1) a WHERE ${unitScope(user, params)}`,
    params,
  );
  return rows[0] ?? null;
}

/** Units by id together with their parents (the sweeper escalates one level up), in one query. */
export async function getUnitsWithParents(db: Queryable, ids: number[]): Promise<Map<number, Unit>> {
  const { rows } = await db.query<Unit>({
    name: 'units-with-parents',
    text: `SELECT ${UNIT_COLUMNS} FROM units WHERE id = ANY($1::int[]) OR id IN (SELECT parent_id FROM units WHERE id = ANY($1::int[]))`,
    values: [ids],
  });
  return new Map(rows.map((u) => [u.id, u]));
}

export async function getUnitByCode(db: Queryable, code: string): Promise<Unit | null> {
  const { rows } = await db.query<Unit>(`SELECT ${UNIT_COLUMNS} FROM units WHERE code = $1`, [code]);
  return rows[0] ?? null;
}

export interface UnitListFilter {
  q?: string | undefined;
  kind?: UnitKind | undefined;
  provinceId?: number | undefined;
  countyId?: number | undefined;
  parentId?: number | undefined;
  rootsOnly?: boolean | undefined;
  includeInactive?: boolean | undefined;
  /** With `q`: rank units of this province (and county) first, without hiding others. */
  preferProvinceId?: number | undefined;
  preferCountyId?: number | undefined;
  limit: number;
}

/**
 * Units, filtered: in tree order (parents before children), or — with a name search — best
 * match first (see search.ts), preferring the province and county the citizen chose.
 */
export async function listUnits(db: Queryable, filter: UnitListFilter): Promise<Unit[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const p = (value: unknown) => param(params, value);
  if (!filter.includeInactive) where.push('active');
  if (filter.kind) where.push(`kind = ${p(filter.kind)}`);
  if (filter.provinceId) where.push(`(province_id = ${p(filter.provinceId)} OR province_id IS NULL)`);
  if (filter.countyId) where.push(`(county_id = ${p(filter.countyId)} OR county_id IS NULL)`);
  if (filter.parentId) where.push(`parent_id = ${p(filter.parentId)}`);
  if (filter.rootsOnly) where.push(`kind IN ('ministry', 'organisation')`);
  if (filter.q?.trim()) {
    // The best-covering tier only (a unit with every word beats one with half of them); trigram
    // closeness alone (a typo) only when no unit has any word.
    const search = searchSql(filter.q, { provinceId: filter.preferProvinceId, countyId: filter.preferCountyId }, p);
    const { rows } = await db.query<Unit>(
      `SELECT ${UNIT_COLUMNS} FROM (
         SELECT units.*, ${search.rank} AS score, sm.covered, max(sm.covered) OVER () AS best
         FROM units ${search.from} WHERE ${[...where, search.where].join(' AND ')}
       ) found
       WHERE (covered > 0 AND covered >= best - 0.25) OR best = 0
       ORDER BY score DESC, path LIMIT ${p(filter.limit)}`,
      params,
    );
    return rows;
  }
  const { rows } = await db.query<Unit>(
    `SELECT ${UNIT_COLUMNS} FROM units ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY path LIMIT ${p(filter.limit)}`,
    params,
  );
  return rows;
}

export interface NewUnit {
  code: string;
  parentId: number | null;
  kind: UnitKind;
  nameFa: string;
  nameEn: string;
  provinceId: number | null;
  countyId: number | null;
}

/** Inserts a unit and sets its materialised path from its parent's. */
export async function insertUnit(db: Queryable, unit: NewUnit, parent: Unit | null): Promise<Unit> {
  const { rows } = await db.query<Unit>(
    `INSERT INTO units (id, code, parent_id, kind, name_fa, name_en, name_search, province_id, county_id, path, depth)
     SELECT n, $1, $2, $3, $4, $5, $6, $7, $8, $10 || n || '/', $9
     FROM (SELECT nextval(pg_get_serial_sequence('units', 'id')) AS n) AS next_id
     RETURNING ${UNIT_COLUMNS}`,
    [
      unit.code,
      unit.parentId,
      unit.kind,
      unit.nameFa,
      unit.nameEn,
      searchForm(`${unit.nameFa} ${unit.nameEn}`),
      unit.provinceId,
      unit.countyId,
      parent ? parent.depth + 1 : 1,
      parent ? parent.path : '/',
    ],
  );
  return rows[0]!;
}

export async function updateUnitNames(db: Queryable, id: number, nameFa: string, nameEn: string, now: Date): Promise<void> {
  forgetUnitNames(); // the public status's cache (names-store.ts)
  await db.query('UPDATE units SET name_fa = $2, name_en = $3, name_search = $4, updated_at = $5 WHERE id = $1', [
    id,
    nameFa,
    nameEn,
    searchForm(`${nameFa} ${nameEn}`),
    now,
  ]);
}

/** Moves a unit and its whole subtree under a new parent (one UPDATE of every path in it). */
export async function moveSubtree(db: Queryable, unit: Unit, newParent: Unit, now: Date): Promise<void> {
  const newPath = `${newParent.path}${unit.id}/`;
  const depthShift = newParent.depth + 1 - unit.depth;
  await db.query(
    `UPDATE units SET path = $2 || substr(path, length($3) + 1), depth = depth + $4, updated_at = $6,
       parent_id = CASE WHEN id = $1 THEN $5 ELSE parent_id END
     WHERE path LIKE $3 || '%'`,
    [unit.id, newPath, unit.path, depthShift, newParent.id, now],
  );
}

/** Deactivates a unit and everything under it. Open complaints stay where they are. */
export async function deactivateSubtree(db: Queryable, unit: Unit, now: Date): Promise<number> {
  const result = await db.query(`UPDATE units SET active = false, updated_at = $2 WHERE path LIKE $1 || '%' AND active`, [unit.path, now]);
  return result.rowCount ?? 0;
}

export async function setInspectionHead(db: Queryable, unitId: number, userId: number | null, now: Date): Promise<void> {
  await db.query('UPDATE units SET inspection_head_id = $2, updated_at = $3 WHERE id = $1', [unitId, userId, now]);
}

/** Moved to the complaint row's one writer; re-exported so unit admin keeps its import. */
export { refreshComplaintPaths } from '../events/projection-store.ts';

/**
 * The candidates for routing a complaint about `agency` at a place: active units in the
 * agency's subtree that are the county office for the county or the provincial directorate for
 * the province. The routing rule (routing.ts) picks among them.
 */
export async function findLocalUnits(db: Queryable, agency: Unit, provinceId: number, countyId: number | null): Promise<Unit[]> {
  const { rows } = await db.query<Unit>(
    `SELECT ${UNIT_COLUMNS} FROM units
     WHERE active AND path LIKE $1 || '%' AND id <> $2
       AND ((kind = 'county_office' AND county_id = $3) OR (kind = 'provincial_directorate' AND province_id = $4))
     ORDER BY depth, id`,
    [agency.path, agency.id, countyId, provinceId],
  );
  return rows;
}

export interface Province {
  id: number;
  code: string;
  nameFa: string;
  nameEn: string;
  population: number | null;
}
export interface County {
  id: number;
  provinceId: number;
  code: string;
  nameFa: string;
  nameEn: string;
}

export async function listDivisions(db: Queryable): Promise<(Province & { counties: County[] })[]> {
  const provinces = await db.query<Province>('SELECT id, code, name_fa AS "nameFa", name_en AS "nameEn", population FROM provinces ORDER BY name_fa');
  const counties = await db.query<County>(
    'SELECT id, province_id AS "provinceId", code, name_fa AS "nameFa", name_en AS "nameEn" FROM counties ORDER BY name_fa',
  );
  return provinces.rows.map((p) => ({ ...p, counties: counties.rows.filter((c) => c.provinceId === p.id) }));
}

export async function getCounty(db: Queryable, id: number): Promise<County | null> {
  const { rows } = await db.query<County>(
    'SELECT id, province_id AS "provinceId", code, name_fa AS "nameFa", name_en AS "nameEn" FROM counties WHERE id = $1',
    [id],
  );
  return rows[0] ?? null;
}

export async function provinceExists(db: Queryable, id: number): Promise<boolean> {
  return (await db.query('SELECT 1 FROM provinces WHERE id = $1', [id])).rowCount === 1;
}

export async function findProvinceByCode(db: Queryable, code: string): Promise<Province | null> {
  const { rows } = await db.query<Province>('SELECT id, code, name_fa AS "nameFa", name_en AS "nameEn", population FROM provinces WHERE code = $1', [code]);
  return rows[0] ?? null;
}

export async function findCountyByCode(db: Queryable, code: string): Promise<County | null> {
  const { rows } = await db.query<County>(
    'SELECT id, province_id AS "provinceId", code, name_fa AS "nameFa", name_en AS "nameEn" FROM counties WHERE code = $1',
    [code],
  );
  return rows[0] ?? null;
}

/** A staff user's unit and whether the account is active (null: no such user). */
export async function staffPlacement(db: Queryable, userId: number): Promise<{ unitId: number | null; active: boolean } | null> {
  const { rows } = await db.query<{ unitId: number | null; active: boolean }>('SELECT unit_id AS "unitId", active FROM staff_users WHERE id = $1', [userId]);
  return rows[0] ?? null;
}
