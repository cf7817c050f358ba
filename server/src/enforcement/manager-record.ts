import { AppError } from '../core/errors.ts';
import { can } from '../core/roles.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import type { Queryable } from '../db/database.ts';
import { actionsOfManager, managerSummary } from './store.ts';

/**
 * A manager's record: who they are, the units they head, the breaches recorded against them and
 * every enforcement action (proposed, confirmed, dropped, appealed). The manager reads their own;
 * supervisors read the managers of units in their province; the national centre and national
 * auditors read all. Anyone else: not found.
 */
export async function managerRecord(db: Queryable, user: StaffPrincipal, managerId: number, now: Date) {
  const summary = await managerSummary(db, managerId, now);
  if (!summary) throw new AppError('manager_not_found');
  const self = user.id === managerId;
  const provinces = new Set([summary.provinceId, ...summary.headOf.map((u) => u.provinceId)].filter((p) => p !== null));
  const inScope =
    can(user.role, 'enforcement.read') &&
    (user.provinceId === null ? user.role !== 'provincial_supervisor' && user.unitId === null : provinces.has(user.provinceId));
  if (!self && !inScope) throw new AppError('manager_not_found');
  const actions = await actionsOfManager(db, managerId);
  return { manager: summary, actions };
}
