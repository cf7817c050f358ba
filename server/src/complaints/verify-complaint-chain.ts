import type { Queryable } from '../db/database.ts';
import { verifyChain } from '../domain/hash-chain.ts';
import { type ComplaintState, evolve, initialState, type LifecycleEvent } from '../domain/lifecycle.ts';
import { listEvents, type StoredEvent } from '../events/store.ts';

/** Event types that only record something (a read, an intake) and change no lifecycle state. */
const NON_LIFECYCLE = new Set(['received', 'contact_viewed']);

/** Rebuilds a complaint's lifecycle state from its events alone. */
export function rebuildState(events: StoredEvent[]): ComplaintState {
  const received = events[0];
  const data = (received?.data ?? {}) as { agencyId?: number | null; categoryId?: number | null };
  let state = initialState({ agencyId: data.agencyId ?? null, categoryId: data.categoryId ?? null });
  for (const event of events) {
    if (NON_LIFECYCLE.has(event.type)) continue;
    state = evolve(state, { type: event.type, data: event.data } as LifecycleEvent, event.createdAt);
  }
  return state;
}

export interface ChainReport {
  complaintId: string;
  valid: boolean;
  events: number;
  brokenAtSeq?: number;
  reason?: string;
  /** The complaint row agrees with the state rebuilt from its events. */
  projectionMatches: boolean;
  headMatches: boolean;
}

/** Verifies a complaint's hash chain and that its row is the projection of its events. */
export async function verifyComplaintChain(db: Queryable, complaintId: string): Promise<ChainReport | null> {
  const { rows } = await db.query<{
    status: string;
    unitId: number | null;
    assigneeId: number | null;
    answer: string | null;
    reopenCount: number;
    escalationCount: number;
    lastSeq: number;
    headHash: string;
  }>(
    `SELECT status, unit_id AS "unitId", assignee_id AS "assigneeId", answer, reopen_count AS "reopenCount",
            escalation_count AS "escalationCount", last_seq AS "lastSeq", head_hash AS "headHash" FROM complaints WHERE id = $1`,
    [complaintId],
  );
  const row = rows[0];
  if (!row) return null;
  const events = await listEvents(db, complaintId);
  const verdict = verifyChain(events);
  const state = rebuildState(events);
  const projectionMatches =
    state.status === row.status &&
    state.unitId === row.unitId &&
    state.assigneeId === row.assigneeId &&
    state.answer === row.answer &&
    state.reopenCount === row.reopenCount &&
    state.escalationCount === row.escalationCount;
  const last = events[events.length - 1];
  return {
    complaintId,
    valid: verdict.valid,
    events: verdict.events,
    ...(verdict.valid ? {} : { brokenAtSeq: verdict.brokenAtSeq, reason: verdict.reason }),
    projectionMatches,
    headMatches: last !== undefined && last.seq === row.lastSeq && last.hash === row.headHash,
  };
}
