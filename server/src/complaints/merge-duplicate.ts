import { AppError } from '../core/errors.ts';
import { can } from '../core/roles.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import type { Database } from '../db/database.ts';
import { normalizePersianText } from '../domain/persian-text.ts';
import { type LockedComplaint, lockComplaint } from '../events/projection-store.ts';
import { commit } from '../events/unit-of-work.ts';
import { type ChangeSettings, decideChange, nowOf } from './apply-command.ts';

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
    const now = nowOf(settings);
    const actor = { kind: 'staff' as const, id: user.id };
    const merge = { type: 'merge' as const, intoId: into.id, intoTrackingCode: into.trackingCode, reason: text };
    // Both complaints in one unit of work: the duplicate closes, the case records it.
    await commit(
      tx,
      [
        await decideChange(tx, settings, duplicate, actor, merge, now),
        {
          from: into,
          actor,
          events: [{ type: 'duplicate_merged', data: { complaintId: duplicate.id, trackingCode: duplicate.trackingCode, reason: text } }],
        },
      ],
      now,
    );
    return { replayed: false };
  });
}
