import type { StaffPrincipal } from '../auth/scope.ts';
import type { Database, Queryable } from '../db/database.ts';
import { type Command, decide, evolve, LifecycleError, type LifecycleEvent } from '../domain/lifecycle.ts';
import { type Actor, appendEvents, type StoredEvent } from '../events/store.ts';
import { AppError } from '../http/errors.ts';
import { type LockedComplaint, lockComplaint, lockComplaintByCode, updateProjection } from './store.ts';

export interface Applied {
  complaint: LockedComplaint;
  events: StoredEvent[];
}

/**
 * The one way a complaint changes state. In one transaction: lock the complaint (inside the
 * user's scope when a staff user acts), build the command from what is locked, let the pure
 * lifecycle decide, append the events to the chain and write the projection conditionally.
 * Staff, citizens and the SLA sweeper all come through here.
 */
export async function applyCommand(
  db: Database,
  target: { id: string } | { trackingCode: string },
  actor: Actor & { user?: StaffPrincipal | null },
  build: (complaint: LockedComplaint, tx: Queryable) => Promise<Command> | Command,
): Promise<Applied> {
  return db.transaction(async (tx) => {
    const complaint = 'id' in target ? await lockComplaint(tx, target.id, actor.user ?? null) : await lockComplaintByCode(tx, target.trackingCode);
    if (!complaint) throw new AppError('complaint_not_found');
    const command = await build(complaint, tx);
    let events: LifecycleEvent[];
    try {
      events = decide(complaint, command);
    } catch (error) {
      if (error instanceof LifecycleError) throw new AppError(error.code, { status: error.status, command: error.command });
      throw error;
    }
    const now = new Date();
    let state: LockedComplaint = complaint;
    for (const event of events) state = { ...state, ...evolve(state, event, now.toISOString()) };
    const head = await appendEvents(tx, complaint.id, { seq: complaint.lastSeq, hash: complaint.headHash }, { kind: actor.kind, id: actor.id }, events, now);
    if (!(await updateProjection(tx, complaint.id, complaint, state, head, now))) throw new AppError('concurrent_change');
    return { complaint: { ...state, lastSeq: head.seq, headHash: head.hash }, events: head.events };
  });
}
