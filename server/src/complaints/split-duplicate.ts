import { AppError } from '../core/errors.ts';
import { can } from '../core/roles.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import type { Database } from '../db/database.ts';
import { normalizePersianText } from '../domain/persian-text.ts';
import { lockComplaint, updateHead } from '../events/projection-store.ts';
import { appendEvents } from '../events/store.ts';
import { deadlineAt } from '../sla/deadline.ts';
import { applyCommandInTx, type ChangeSettings } from './apply-command.ts';

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
    const peek = await tx.query<{ mergedIntoId: string | null }>('SELECT merged_into_id AS "mergedIntoId" FROM complaints WHERE id = $1', [complaintId]);
    const caseId = peek.rows[0]?.mergedIntoId ?? null;
    let probe = null;
    let into = null;
    for (const id of [complaintId, ...(caseId ? [caseId] : [])].sort()) {
      if (id === complaintId) probe = await lockComplaint(tx, id, user);
      else into = await lockComplaint(tx, id, null);
    }
    if (!probe) throw new AppError('complaint_not_found');
    if (probe.outcome !== 'merged' || probe.mergedIntoId === null) {
      const { rows } = await tx.query<{ type: string }>(
        `SELECT type FROM complaint_events WHERE complaint_id = $1 AND type IN ('merged_into', 'split_off') ORDER BY seq DESC LIMIT 1`,
        [complaintId],
      );
      if (rows[0]?.type === 'split_off') return { replayed: true };
      throw new AppError('not_merged', { status: probe.status });
    }
    if (probe.mergedIntoId !== caseId) throw new AppError('concurrent_change');
    const text = normalizePersianText(reason);
    const now = new Date();
    await applyCommandInTx(
      tx,
      settings,
      { id: probe.id },
      { kind: 'staff', id: user.id, user },
      async (c) => ({ type: 'split', reason: text, dueAt: c.unitId === null ? null : await deadlineAt(tx, c, c.unitId, now) }),
      { locked: probe, now },
    );
    if (into) {
      const head = await appendEvents(
        tx,
        into.id,
        { seq: into.lastSeq, hash: into.headHash },
        { kind: 'staff', id: user.id },
        [{ type: 'duplicate_split', data: { complaintId: probe.id, trackingCode: probe.trackingCode, reason: text } }],
        now,
      );
      if (!(await updateHead(tx, into.id, into.lastSeq, head))) throw new AppError('concurrent_change');
    }
    return { replayed: false };
  });
}
