import { getCategory } from '../agencies/catalogue-store.ts';
import { rootIdOf, routeComplaint } from '../agencies/routing.ts';
import { getCounty, getUnit, provinceExists } from '../agencies/store.ts';
import { AppError } from '../core/errors.ts';
import { AGENCY_ROLES, can } from '../core/roles.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import type { Database, Queryable } from '../db/database.ts';
import type { Command } from '../domain/lifecycle.ts';
import { normalizePersianText } from '../domain/persian-text.ts';
import type { LockedComplaint } from '../events/projection-store.ts';
import { deadlineAt, policyOf } from '../sla/deadline.ts';
import { answerDeadline } from '../sla/plan.ts';
import { cachedClock } from '../sla/store.ts';
import { PERMISSION_OF } from './allowed-actions.ts';
import { answerEvidence } from './answer-evidence.ts';
import { type Applied, applyCommand, type ChangeSettings } from './apply-command.ts';
import { isAssignable } from './assignee-store.ts';

/** What staff can ask for on a complaint, as the HTTP body names it. */
export type StaffAction =
  | { action: 'assign'; assigneeId: number }
  | { action: 'start' }
  | { action: 'note'; text: string }
  | { action: 'answer'; text: string; evidenceIds?: string[] | undefined }
  | { action: 'transfer'; toUnitId: number; reason: string }
  | { action: 'reject'; reason: string }
  | { action: 'escalate'; reason: string }
  /** Triage: route a complaint that arrived without a known agency. */
  | { action: 'refer'; agencyId: number; categoryId?: number | undefined; provinceId?: number | undefined; countyId?: number | undefined };

/** Applies a staff member's action to a complaint in their scope. */
export async function applyStaffAction(
  db: Database,
  settings: ChangeSettings,
  user: StaffPrincipal,
  complaintId: string,
  action: StaffAction,
): Promise<Applied> {
  if (!can(user.role, PERMISSION_OF[action.action])) throw new AppError('forbidden', { action: action.action });
  // A transfer stays in its province unless the 128 centre or the national admin makes it: the
  // UPDATE that moves the complaint carries the condition, so no path around this check writes.
  const sameProvince = action.action === 'transfer' && !can(user.role, 'complaint.transfer.province');
  return applyCommand(
    db,
    settings,
    { id: complaintId },
    { kind: 'staff', id: user.id, user },
    async (complaint, tx, now) => {
      switch (action.action) {
        case 'assign':
          await checkAssignee(tx, complaint, action.assigneeId);
          return { type: 'assign', assigneeId: action.assigneeId };
        case 'start':
          if (user.role === 'responder' && complaint.assigneeId !== user.id) throw new AppError('forbidden');
          return { type: 'start' };
        case 'note':
          return { type: 'note', text: normalizePersianText(action.text) };
        case 'answer':
          if (user.role === 'responder' && complaint.assigneeId !== user.id) throw new AppError('forbidden');
          return { type: 'answer', text: normalizePersianText(action.text), ...(await answerEvidence(tx, complaint, action.evidenceIds ?? [])) };
        case 'transfer': {
          const unit = await getUnit(tx, action.toUnitId);
          if (!unit?.active) throw new AppError('unit_not_found', { toUnitId: action.toUnitId });
          const current = complaint.unitId === null ? null : await getUnit(tx, complaint.unitId);
          const crossAgency = current === null || rootIdOf(current) !== rootIdOf(unit);
          // An agency's own staff move complaints within their agency; only the 128 centre and the
          // supervisors send one to another agency (the "wrong door" case).
          if (crossAgency && AGENCY_ROLES.includes(user.role)) throw new AppError('forbidden', { reason: 'transfer to another agency' });
          return {
            type: 'transfer',
            toUnitId: unit.id,
            agencyId: crossAgency ? rootIdOf(unit) : complaint.agencyId,
            reason: normalizePersianText(action.reason),
            dueAt: await deadlineAt(tx, complaint, unit.id, now),
          };
        }
        case 'reject':
          return { type: 'reject', reason: normalizePersianText(action.reason) };
        case 'escalate': {
          const toUnitId = await unitAbove(tx, complaint);
          return {
            type: 'escalate',
            toUnitId,
            reason: normalizePersianText(action.reason),
            dueAt: await deadlineAt(tx, complaint, toUnitId, now),
          };
        }
        case 'refer': {
          const agency = await getUnit(tx, action.agencyId);
          if (!agency?.active) throw new AppError('unknown_agency', { agencyId: action.agencyId });
          const categoryId = action.categoryId ?? complaint.categoryId;
          const category = categoryId === null ? null : await getCategory(tx, categoryId);
          if (categoryId !== null && !category) throw new AppError('unknown_category', { categoryId });
          const place = await triagePlace(tx, complaint, action);
          const unit = await routeComplaint(tx, agency, place.provinceId, place.countyId);
          // A triaged complaint gets its policy now, from the agency and category it was given.
          const policy = await policyOf(tx, { slaPolicyId: null, unitPath: unit.path, categoryId });
          const dueAt = answerDeadline(policy, await cachedClock(tx, policy, unit.id, unit.path), now);
          // A new category brings its urgency to the row; the referral records it so verify can hold the row to it.
          const urgent = category && categoryId !== complaint.categoryId ? { urgent: category.urgent } : {};
          return { type: 'refer', unitId: unit.id, agencyId: agency.id, categoryId, dueAt, ...place, ...urgent } satisfies Command;
        }
      }
    },
    { sameProvince },
  );
}

/**
 * The place a triaged complaint is about: what the operator gives (a county implies its
 * province), else what the complaint already has. An SMS or a bot message may have none.
 */
async function triagePlace(tx: Queryable, complaint: LockedComplaint, action: { provinceId?: number | undefined; countyId?: number | undefined }) {
  if (action.countyId !== undefined) {
    const county = await getCounty(tx, action.countyId);
    if (!county || (action.provinceId !== undefined && action.provinceId !== county.provinceId))
      throw new AppError('unknown_place', { countyId: action.countyId });
    return { provinceId: county.provinceId, countyId: county.id };
  }
  if (action.provinceId !== undefined) {
    if (!(await provinceExists(tx, action.provinceId))) throw new AppError('unknown_place', { provinceId: action.provinceId });
    return { provinceId: action.provinceId, countyId: null };
  }
  if (complaint.provinceId === null)
    throw new AppError('validation_failed', [{ field: 'body.countyId', problem: 'this complaint has no place yet: give countyId or provinceId' }]);
  return { provinceId: complaint.provinceId, countyId: complaint.countyId };
}

/** The unit one level up from where the complaint is; at the top it stays with the top unit. */
export async function unitAbove(tx: Queryable, complaint: LockedComplaint): Promise<number> {
  if (complaint.unitId === null) throw new AppError('invalid_transition', { status: complaint.status });
  const unit = await getUnit(tx, complaint.unitId);
  return unit?.parentId ?? complaint.unitId;
}

/** An assignee must be an active staff member of the complaint's unit or a unit below it, in a working role. */
async function checkAssignee(tx: Queryable, complaint: LockedComplaint, assigneeId: number): Promise<void> {
  if (!(await isAssignable(tx, complaint.unitId, assigneeId))) throw new AppError('invalid_assignee', { assigneeId });
}
