import { AppError } from '../core/errors.ts';
import { can } from '../core/roles.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import type { Database } from '../db/database.ts';
import { normalizePersianText } from '../domain/persian-text.ts';
import { type LockedComplaint, lockComplaint, updateHead } from '../events/projection-store.ts';
import { appendEvents } from '../events/store.ts';
import { applyCommandInTx, type ChangeSettings } from './apply-command.ts';

const OPEN = ['received', 'referred', 'assigned', 'in_progress', 'answered'];

/**
 * Marks complaint `duplicateId` as a duplicate of `intoId` ("staff can merge duplicates by hand").
 * Both must be in the staff member's scope: both are locked with the scope in the query, in id
 * order so two merges never deadlock. The duplicate closes as merged (`merged_into` in its chain,
 * its clocks cancelled, its citizen told the case's code); the case gets a `duplicate_merged`
 * event. From then on the duplicate's code resolves to the case in tracking and its citizen
 * follows the case's messages. Merging again into the same case changes nothing (a retry).
 */
export async function mergeDuplicate(
  db: Database,
  settings: ChangeSettings,
  user: StaffPrincipal,
  duplicateId: string,
  intoId: string,
  reason: string,
): Promise<{ replayed: boolean }> {
  if (!can(user.role, 'complaint.merge')) throw new AppError('forbidden', { action: 'merge' });
  if (duplicateId === intoId) throw new AppError('same_complaint');
  return db.transaction(async (tx) => {
    const locked = new Map<string, LockedComplaint>();
    for (const id of [duplicateId, intoId].sort()) {
      const c = await lockComplaint(tx, id, user);
      if (!c) throw new AppError('complaint_not_found', { id });
      locked.set(id, c);
    }
    const duplicate = locked.get(duplicateId)!;
    const into = locked.get(intoId)!;
    if (duplicate.outcome === 'merged' && duplicate.mergedIntoId === into.id) return { replayed: true };
    if (!OPEN.includes(into.status) || into.mergedIntoId !== null) throw new AppError('merge_target_closed', { status: into.status });
    const text = normalizePersianText(reason);
    const now = new Date();
    await applyCommandInTx(
      tx,
      settings,
      { id: duplicate.id },
      { kind: 'staff', id: user.id, user },
      () => ({ type: 'merge', intoId: into.id, intoTrackingCode: into.trackingCode, reason: text }),
      { locked: duplicate, now },
    );
    const head = await appendEvents(
      tx,
      into.id,
      { seq: into.lastSeq, hash: into.headHash },
      { kind: 'staff', id: user.id },
      [{ type: 'duplicate_merged', data: { complaintId: duplicate.id, trackingCode: duplicate.trackingCode, reason: text } }],
      now,
    );
    if (!(await updateHead(tx, into.id, into.lastSeq, head))) throw new AppError('concurrent_change');
    return { replayed: false };
  });
}
