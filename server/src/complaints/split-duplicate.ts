import { AppError } from '../core/errors.ts';
import { can } from '../core/roles.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import type { Database } from '../db/database.ts';
import { normalizePersianText } from '../domain/persian-text.ts';
import { type LockedComplaint, lockComplaint, mergedIntoOf } from '../events/projection-store.ts';
import { lastMergeEventOf } from '../events/store.ts';
import { type Change, commit } from '../events/unit-of-work.ts';
import { deadlineAt } from '../sla/deadline.ts';
import { type ChangeSettings, decideChange, nowOf } from './apply-command.ts';

/**
 * Undoes a merge: the duplicate reopens as its own complaint — its own tracking code, which it
 * always kept, and a new clock at its unit (or back to triage if it was merged before it had
 * one). Its chain gets `split_off`, the case it had joined `duplicate_split`. The staff member
 * needs the duplicate in scope; a retry after the split changes nothing.
 */
export async function splitDuplicate(
  db: Database,
  settings: ChangeSettings,
  user: StaffPrincipal,
  complaintId: string,
  reason: string,
): Promise<{ replayed: boolean }> {
  if (!can(user.role, 'complaint.merge')) throw new AppError('forbidden', { action: 'split' });
  return db.transaction(async (tx) => {
    // Both rows are locked in id order, as a merge locks them, so the two never deadlock.
    const caseId = await mergedIntoOf(tx, complaintId);
    let probe: LockedComplaint | null = null;
    let into: LockedComplaint | null = null;
    for (const id of [complaintId, ...(caseId ? [caseId] : [])].sort()) {
      if (id === complaintId) probe = await lockComplaint(tx, id, user);
      else into = await lockComplaint(tx, id, null);
    }
    if (!probe) throw new AppError('complaint_not_found');
    if (probe.outcome !== 'merged' || probe.mergedIntoId === null) {
      if ((await lastMergeEventOf(tx, complaintId)) === 'split_off') return { replayed: true };
      throw new AppError('not_merged', { status: probe.status });
    }
    if (probe.mergedIntoId !== caseId) throw new AppError('concurrent_change');
    const text = normalizePersianText(reason);
    const now = nowOf(settings);
    const actor = { kind: 'staff' as const, id: user.id };
    const split = { type: 'split' as const, reason: text, dueAt: probe.unitId === null ? null : await deadlineAt(tx, probe, probe.unitId, now) };
    const changes: Change[] = [await decideChange(tx, settings, probe, actor, split, now)];
    if (into) {
      const data = { complaintId: probe.id, trackingCode: probe.trackingCode, reason: text };
      changes.push({ from: into, actor, events: [{ type: 'duplicate_split', data }] });
    }
    await commit(tx, changes, now);
    return { replayed: false };
  });
}
