import { AppError } from '../core/errors.ts';
import type { Database, Queryable } from '../db/database.ts';
import { placementProblem } from './placement.ts';
import {
  deactivateSubtree,
  getCounty,
  getUnit,
  getUnitByCode,
  insertUnit,
  moveSubtree,
  provinceExists,
  refreshComplaintPaths,
  setInspectionHead,
  staffPlacement,
  type Unit,
  type UnitKind,
  updateUnitNames,
} from './store.ts';

export interface UnitInput {
  code: string;
  parentId: number | null;
  kind: UnitKind;
  nameFa: string;
  nameEn: string;
  provinceId: number | null;
  countyId: number | null;
}

/** Creates a unit after checking where it may stand in the tree. */
export async function createUnit(db: Queryable, input: UnitInput): Promise<Unit> {
  if (await getUnitByCode(db, input.code)) throw new AppError('duplicate', { field: 'code', code: input.code });
  const parent = input.parentId === null ? null : await getUnit(db, input.parentId);
  if (input.parentId !== null && !parent) throw new AppError('unit_not_found', { parentId: input.parentId });
  let provinceId = input.provinceId;
  if (input.countyId !== null) {
    const county = await getCounty(db, input.countyId);
    if (!county) throw new AppError('unknown_place', { countyId: input.countyId });
    if (provinceId !== null && provinceId !== county.provinceId) throw new AppError('unknown_place', { countyId: input.countyId, provinceId });
    provinceId = county.provinceId;
  }
  if (provinceId !== null && !(await provinceExists(db, provinceId))) throw new AppError('unknown_place', { provinceId });
  const problem = placementProblem(input.kind, parent, provinceId, input.countyId);
  if (problem) throw new AppError('invalid_tree', { reason: problem });
  return insertUnit(db, { ...input, provinceId }, parent);
}

export interface UnitChange {
  nameFa?: string | undefined;
  nameEn?: string | undefined;
  parentId?: number | undefined;
  inspectionHeadId?: number | null | undefined;
}

/** Renames, moves (with its subtree) or sets the inspection head of a unit, in one transaction, stamped `now`. */
export async function changeUnit(db: Database, id: number, change: UnitChange, now: Date): Promise<Unit> {
  return db.transaction(async (tx) => {
    const unit = await getUnit(tx, id);
    if (!unit) throw new AppError('unit_not_found', { id });
    if (change.nameFa !== undefined || change.nameEn !== undefined) {
      await updateUnitNames(tx, id, change.nameFa ?? unit.nameFa, change.nameEn ?? unit.nameEn, now);
    }
    if (change.parentId !== undefined && change.parentId !== unit.parentId) {
      const parent = await getUnit(tx, change.parentId);
      if (!parent) throw new AppError('unit_not_found', { parentId: change.parentId });
      if (parent.path.startsWith(unit.path)) throw new AppError('invalid_tree', { reason: 'a unit cannot move under itself' });
      const problem = placementProblem(unit.kind, parent, unit.provinceId, unit.countyId);
      if (problem) throw new AppError('invalid_tree', { reason: problem });
      await moveSubtree(tx, unit, parent, now);
      await refreshComplaintPaths(tx, `${parent.path}${unit.id}/`);
    }
    if (change.inspectionHeadId !== undefined) {
      if (change.inspectionHeadId !== null) {
        const head = await staffPlacement(tx, change.inspectionHeadId);
        if (!head?.active || head.unitId !== id) {
          throw new AppError('invalid_assignee', { reason: 'the inspection head must be an active user of this unit' });
        }
      }
      await setInspectionHead(tx, id, change.inspectionHeadId, now);
    }
    return (await getUnit(tx, id))!;
  });
}

/** Deactivates a unit and its subtree: no new complaint is routed to them. */
export async function deactivateUnit(db: Database, id: number, now: Date): Promise<{ deactivated: number }> {
  return db.transaction(async (tx) => {
    const unit = await getUnit(tx, id);
    if (!unit) throw new AppError('unit_not_found', { id });
    return { deactivated: await deactivateSubtree(tx, unit, now) };
  });
}
