import { applyCommandInTx, type ChangeSettings, nowOf } from '../complaints/apply-command.ts';
import type { Database } from '../db/database.ts';
import { normalizePersianText } from '../domain/persian-text.ts';
import { policyOf } from '../sla/deadline.ts';
import { appealDeadline } from '../sla/plan.ts';
import { cachedClock } from '../sla/store.ts';
import { appealedBefore, insertAppeal, isTopUnit } from './store.ts';

/**
 * The citizen, still dissatisfied with the answer (or the rejection) at the top of the agency's
 * tree, appeals once to their province's supervision group. The lifecycle decides whether it is
 * allowed (top level, not appealed before); the event, the appeal row, the supervisors' clock
 * and the messages are one transaction. `complaintId` is the one the citizen's token opened.
 */
export async function appealComplaint(db: Database, settings: ChangeSettings, complaintId: string, reasonText: string) {
  const reason = normalizePersianText(reasonText);
  const now = nowOf(settings);
  return db.transaction(async (tx) => {
    let dueAt = '';
    const applied = await applyCommandInTx(
      tx,
      settings,
      { id: complaintId },
      { kind: 'citizen', id: null },
      async (c) => {
        const policy = await policyOf(tx, c);
        dueAt = c.unitId === null ? now.toISOString() : appealDeadline(policy, await cachedClock(tx, policy, c.unitId), now);
        return { type: 'appeal', reason, atTopLevel: await isTopUnit(tx, c.unitId), appealedBefore: await appealedBefore(tx, c.id), dueAt };
      },
      { now },
    );
    const c = applied.complaint;
    await insertAppeal(tx, { complaintId: c.id, provinceId: c.provinceId, unitId: c.unitId!, reason, appealedAt: now, dueAt });
    return { status: c.status, dueAt };
  });
}
