import { AppError } from '../core/errors.ts';
import { can } from '../core/roles.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import type { Database } from '../db/database.ts';
import { enqueue } from '../notifications/outbox.ts';
import { appealDecisionNotice, decisionNotice, withHeadCopy } from './notices.ts';
import { actionAudiences, type EnforcementAction, findAction, recordAppeal, recordAppealDecision, recordDecision, recordReply } from './store.ts';

/*
 * Due process for an enforcement action, one function per step. Each locks the action row, checks
 * who may act and in which state, writes the step and any message to the manager in one
 * transaction. Actions outside the user's scope are simply not found.
 */

async function locked(
  tx: Parameters<Parameters<Database['transaction']>[0]>[0],
  id: number,
  user: StaffPrincipal,
  readScope: boolean,
): Promise<EnforcementAction> {
  const action = await findAction(tx, id, user, { forUpdate: true, readScope });
  if (!action) throw new AppError('enforcement_action_not_found');
  return action;
}

/** The manager answers the proposal (once, before the decision). */
export async function replyToAction(db: Database, user: StaffPrincipal, id: number, text: string, now: Date): Promise<EnforcementAction> {
  return db.transaction(async (tx) => {
    const action = await locked(tx, id, user, false);
    if (action.managerId !== user.id) throw new AppError('enforcement_action_not_found');
    if (action.status !== 'proposed') throw new AppError('already_decided');
    if (!(await recordReply(tx, id, text, now))) throw new AppError('already_replied');
    return (await findAction(tx, id, user, { readScope: false }))!;
  });
}

/**
 * A supervisor in scope confirms or drops a proposal, with a reason and a link to the evidence.
 * Blocked until the manager has replied or the reply window has passed; nobody decides on their own case.
 */
export async function decideAction(
  db: Database,
  user: StaffPrincipal,
  id: number,
  input: { confirm: boolean; reason: string; evidenceUrl: string },
  now: Date,
): Promise<EnforcementAction> {
  if (!can(user.role, 'enforcement.decide')) throw new AppError('forbidden', { permission: 'enforcement.decide' });
  return db.transaction(async (tx) => {
    const action = await locked(tx, id, user, true);
    if (action.managerId === user.id) throw new AppError('forbidden', { reason: 'own case' });
    if (action.status !== 'proposed') throw new AppError('already_decided');
    if (action.reply === null && now < action.replyDueAt) throw new AppError('reply_window_open', { replyDueAt: action.replyDueAt.toISOString() });
    await recordDecision(tx, id, { status: input.confirm ? 'confirmed' : 'dropped', by: user.id, reason: input.reason, evidenceUrl: input.evidenceUrl, now });
    const audience = (await actionAudiences(tx, [id])).get(id);
    await enqueue(tx, withHeadCopy(decisionNotice(action, input.confirm, input.reason), action, audience, input.confirm ? 'confirmed' : 'dropped'), now);
    return (await findAction(tx, id, user, { readScope: true }))!;
  });
}

/** The manager appeals a confirmed action — once; a second appeal is refused. */
export async function appealAction(db: Database, user: StaffPrincipal, id: number, text: string, now: Date): Promise<EnforcementAction> {
  return db.transaction(async (tx) => {
    const action = await locked(tx, id, user, false);
    if (action.managerId !== user.id) throw new AppError('enforcement_action_not_found');
    if (action.appeal !== null) throw new AppError('appeal_already_made');
    if (action.status !== 'confirmed') throw new AppError('not_appealable');
    if (!(await recordAppeal(tx, id, text, now))) throw new AppError('appeal_already_made');
    return (await findAction(tx, id, user, { readScope: false }))!;
  });
}

/** The national centre decides an appeal: upheld keeps the action on the record, overturned takes it off. */
export async function decideAppeal(
  db: Database,
  user: StaffPrincipal,
  id: number,
  input: { uphold: boolean; reason: string },
  now: Date,
): Promise<EnforcementAction> {
  if (!can(user.role, 'enforcement.appeal')) throw new AppError('forbidden', { permission: 'enforcement.appeal' });
  return db.transaction(async (tx) => {
    const action = await locked(tx, id, user, true);
    if (action.managerId === user.id) throw new AppError('forbidden', { reason: 'own case' });
    if (!(await recordAppealDecision(tx, id, { upheld: input.uphold, by: user.id, reason: input.reason, now }))) throw new AppError('no_pending_appeal');
    const audience = (await actionAudiences(tx, [id])).get(id);
    await enqueue(tx, withHeadCopy(appealDecisionNotice(action, input.uphold, input.reason), action, audience, input.uphold ? 'upheld' : 'overturned'), now);
    return (await findAction(tx, id, user, { readScope: true }))!;
  });
}
