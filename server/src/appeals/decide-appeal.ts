import { applyCommandInTx, type ChangeSettings, nowOf } from '../complaints/apply-command.ts';
import { AppError } from '../core/errors.ts';
import { can } from '../core/roles.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import type { Database } from '../db/database.ts';
import { normalizePersianText } from '../domain/persian-text.ts';
import { deadlineAt } from '../sla/deadline.ts';
import { recordDecision } from './store.ts';

export type AppealDecision = { decision: 'uphold'; directive: string } | { decision: 'reject'; reason: string };

/**
 * The provincial supervision group decides an appeal in its province: upheld, the complaint goes
 * back to the agency's top unit with the directive and a fresh answer clock; rejected, it closes
 * with the reasons. The complaint is locked in the user's scope (another province: not found).
 */
export async function decideAppeal(db: Database, settings: ChangeSettings, user: StaffPrincipal, complaintId: string, input: AppealDecision) {
  if (!can(user.role, 'complaint.appeal.decide')) throw new AppError('forbidden');
  const text = normalizePersianText(input.decision === 'uphold' ? input.directive : input.reason);
  const now = nowOf(settings);
  return db.transaction(async (tx) => {
    const applied = await applyCommandInTx(
      tx,
      settings,
      { id: complaintId },
      { kind: 'staff', id: user.id, user },
      async (c) =>
        input.decision === 'uphold'
          ? { type: 'uphold_appeal', directive: text, dueAt: c.unitId === null ? null : await deadlineAt(tx, c, c.unitId, now) }
          : { type: 'reject_appeal', reason: text },
      { now },
    );
    // The lifecycle let it through, so the appeal is open: a missing row is a broken invariant.
    const decision: 'upheld' | 'rejected' = input.decision === 'uphold' ? 'upheld' : 'rejected';
    if (!(await recordDecision(tx, { complaintId, decision, text, userId: user.id, at: now }))) throw new AppError('concurrent_change');
    return { status: applied.complaint.status, decision };
  });
}
