import { applyCommandInTx, type ChangeSettings, nowOf } from '../complaints/apply-command.ts';
import { AppError } from '../core/errors.ts';
import { can } from '../core/roles.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import type { Database } from '../db/database.ts';
import type { FollowUpOutcome } from '../domain/lifecycle.ts';
import { type FollowUpCall, lockCall, setCallOutcome } from './store.ts';

/**
 * The operator records what a follow-up call found: a `follow_up_recorded` event on the
 * complaint's chain (through applyCommand, so the lifecycle decides and verify-chain covers it)
 * and the call's row, in one transaction. Out of scope is "not found"; a call already recorded
 * is 409 and writes nothing.
 */
export async function recordFollowUp(
  db: Database,
  settings: ChangeSettings,
  user: StaffPrincipal,
  callId: number,
  input: { outcome: FollowUpOutcome; attempts?: number | undefined },
): Promise<FollowUpCall> {
  if (!can(user.role, 'followup.call')) throw new AppError('forbidden');
  const now = nowOf(settings);
  return db.transaction(async (tx) => {
    const call = await lockCall(tx, user, callId);
    if (!call) throw new AppError('follow_up_not_found');
    if (call.outcome !== null) throw new AppError('follow_up_recorded');
    const attempts = input.attempts ?? (input.outcome === 'not_reachable' ? null : 1);
    await applyCommandInTx(
      tx,
      settings,
      { id: call.complaintId },
      { kind: 'staff', id: user.id, user },
      () => ({ type: 'follow_up', callId: call.id, weekStart: call.weekStart, outcome: input.outcome, attempts }),
      { now },
    );
    if (!(await setCallOutcome(tx, call.id, input.outcome, attempts, user.id, now))) throw new AppError('concurrent_change');
    return { ...call, outcome: input.outcome, attempts, calledAt: now.toISOString() };
  });
}
