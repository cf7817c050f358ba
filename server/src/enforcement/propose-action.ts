import { getUnitInScope } from '../agencies/store.ts';
import { AppError } from '../core/errors.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import type { Database } from '../db/database.ts';
import { enqueue } from '../notifications/outbox.ts';
import { proposalNotice } from './notices.ts';
import { periodOf } from './periods.ts';
import type { ActionKind } from './rules.ts';
import { type EnforcementAction, findAction, insertProposal } from './store.ts';

/**
 * A supervisor proposes an action on the inspection head of a unit in their scope (outside the
 * rules: a finding on site, a grave complaint). The same due process follows: notice, reply window.
 */
export async function proposeAction(
  db: Database,
  user: StaffPrincipal,
  input: { unitId: number; kind: ActionKind; reason: string; evidenceUrl?: string | undefined },
  options: { replyDays: number; now: Date },
): Promise<EnforcementAction> {
  const now = options.now;
  return db.transaction(async (tx) => {
    const unit = await getUnitInScope(tx, input.unitId, user);
    if (!unit) throw new AppError('unit_not_found');
    if (unit.inspectionHeadId === null) throw new AppError('manager_not_found', { reason: 'the unit has no inspection head' });
    if (unit.inspectionHeadId === user.id) throw new AppError('forbidden', { reason: 'own case' });
    const replyDueAt = new Date(now.getTime() + options.replyDays * 86_400_000);
    const period = periodOf(now).key;
    const id = await insertProposal(tx, {
      kind: input.kind,
      managerId: unit.inspectionHeadId,
      unit,
      period,
      evidence: { reason: input.reason, ...(input.evidenceUrl ? { evidenceUrl: input.evidenceUrl } : {}) },
      proposedBy: user.id,
      now,
      replyDueAt,
    });
    await enqueue(tx, [proposalNotice({ id, managerId: unit.inspectionHeadId, kind: input.kind, unitName: unit.nameFa, period, replyDueAt })], now);
    return (await findAction(tx, id, user, { readScope: true }))!;
  });
}
