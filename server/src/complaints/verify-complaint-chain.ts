import type { Queryable } from '../db/database.ts';
import { currentChainKeys, type StoredEvent } from '../domain/event-chain.ts';
import { type ChainKeyring, verifyChain } from '../domain/hash-chain.ts';
import { type ComplaintState, evolve, initialState, LIFECYCLE_EVENT_TYPES, type LifecycleEvent } from '../domain/lifecycle.ts';
import { namedEmployeeDigest } from '../domain/named-employee.ts';
import { listEvents, listEventsOfMany } from '../events/store.ts';
import { loadStoredProjection, loadStoredProjections, type StoredProjection } from './chain-check-store.ts';
import { breachesOf, chainedFirstActionDue, contactMatches, mismatchedFacts, receivedFacts, timerProblems } from './complaint-facts.ts';

/** Rebuilds a complaint's lifecycle state from its events alone. */
export function rebuildState(events: StoredEvent[]): ComplaintState {
  const received = events[0];
  const data = (received?.data ?? {}) as { agencyId?: number | null; categoryId?: number | null; provinceId?: number | null; countyId?: number | null };
  let state = initialState({
    agencyId: data.agencyId ?? null,
    categoryId: data.categoryId ?? null,
    provinceId: data.provinceId ?? null,
    countyId: data.countyId ?? null,
  });
  for (const event of events) {
    if (!LIFECYCLE_EVENT_TYPES.has(event.type as LifecycleEvent['type'])) continue;
    state = evolve(state, { type: event.type, data: event.data } as LifecycleEvent, event.createdAt);
  }
  return state;
}

/** The digest of the named employee the events say the complaint holds: intake's, then each correction's (null: none). */
export function namedEmployeeDigestOf(events: StoredEvent[]): string | null {
  let digest: string | null = null;
  for (const event of events) {
    const data = (event.data ?? {}) as { namedEmployeeDigest?: string; digest?: string | null };
    if (event.type === 'received') digest = data.namedEmployeeDigest ?? null;
    if (event.type === 'employee_named') digest = data.digest ?? null;
  }
  return digest;
}

export interface ChainReport {
  complaintId: string;
  valid: boolean;
  events: number;
  brokenAtSeq?: number;
  reason?: string;
  /** Events with version-1 (unkeyed) links from before the upgrade: sealed only by the checkpoints. */
  unkeyedEvents?: number;
  /** The complaint row, its contact and its pending timers agree with what its events say. */
  projectionMatches: boolean;
  mismatchedFields?: string[];
  headMatches: boolean;
}

/**
 * Verifies a complaint's keyed hash chain and that every stored fact of it — the row, the
 * contact, the pending deadlines — is what its events say (the projection rebuilt and compared).
 */
export async function verifyComplaintChain(db: Queryable, complaintId: string, keyring: ChainKeyring = currentChainKeys()): Promise<ChainReport | null> {
  const row = await loadStoredProjection(db, complaintId);
  if (!row) return null;
  return checkComplaintChain(complaintId, row, await listEvents(db, complaintId), keyring);
}

/**
 * `verifyComplaintChain` for many complaints with two reads in all (their rows, their events)
 * instead of two each: what `verify-chain --all` runs page by page. Ids with no row (deleted
 * since they were listed) are left out.
 */
export async function verifyComplaintChains(db: Queryable, complaintIds: string[], keyring: ChainKeyring = currentChainKeys()): Promise<ChainReport[]> {
  const [rows, events] = await Promise.all([loadStoredProjections(db, complaintIds), listEventsOfMany(db, complaintIds)]);
  const reports: ChainReport[] = [];
  for (const id of complaintIds) {
    const row = rows.get(id);
    if (row) reports.push(checkComplaintChain(id, row, events.get(id) ?? [], keyring));
  }
  return reports;
}

/** The verdict on one complaint from its stored row and its events (no I/O). */
export function checkComplaintChain(complaintId: string, row: StoredProjection, events: StoredEvent[], keyring: ChainKeyring): ChainReport {
  const verdict = verifyChain(events, keyring);
  const rebuilt = rebuildState(events);
  const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v);
  // Every field of the lifecycle state, not a sample: these are what managers are judged on.
  const fields = Object.keys(rebuilt) as (keyof ComplaintState)[];
  const mismatched: string[] = fields.filter((f) => iso(rebuilt[f]) !== iso(row[f]));
  mismatched.push(...mismatchedFacts(withRecordedUrgency(receivedFacts(events), events), row));
  // The named employee is outside the lifecycle state, and the chain holds only its digest.
  const employee =
    row.employeeKey !== null && row.employeeText !== null && row.employeeSalt !== null
      ? { key: row.employeeKey, text: row.employeeText, salt: row.employeeSalt }
      : null;
  if (namedEmployeeDigest(complaintId, employee) !== namedEmployeeDigestOf(events)) mismatched.push('namedEmployee');
  const reply = row.replyChannel !== null && row.replyAddress !== null ? { channel: row.replyChannel, address: row.replyAddress } : null;
  if (contactMatches(events, row.contact && { ...row.contact, reply }, keyring) === 'no') mismatched.push('contact');
  if (row.breachCount !== breachesOf(events)) mismatched.push('breachCount');
  mismatched.push(...timerProblems(rebuilt, iso(row.firstActionDueAt) as string | null, row.timers));
  // The first-action deadline is in the chain too: the row (and through it the timer) must say it.
  const chainedDue = chainedFirstActionDue(events);
  if (chainedDue !== undefined && Date.parse(chainedDue) !== row.firstActionDueAt?.getTime()) mismatched.push('firstActionDueAt');
  const last = events[events.length - 1];
  return {
    complaintId,
    valid: verdict.valid,
    events: verdict.events,
    ...(verdict.valid
      ? verdict.unkeyedEvents > 0
        ? { unkeyedEvents: verdict.unkeyedEvents }
        : {}
      : { brokenAtSeq: verdict.brokenAtSeq, reason: verdict.reason }),
    projectionMatches: mismatched.length === 0 && row.pathMatches,
    ...(mismatched.length ? { mismatchedFields: mismatched } : {}),
    headMatches: last !== undefined && last.seq === row.lastSeq && last.hash === row.headHash,
  };
}

/**
 * The urgency the row must have: the intake's, unless a referral gave the complaint a new
 * category, whose urgency it then recorded (the row follows the category only when it changes).
 */
function withRecordedUrgency<F extends { urgent: unknown }>(facts: F, events: StoredEvent[]): F {
  for (let i = events.length - 1; i > 0; i--) {
    const urgent = (events[i]!.data as { urgent?: unknown } | null)?.urgent;
    if (events[i]!.type === 'referred' && typeof urgent === 'boolean') return { ...facts, urgent };
  }
  return facts;
}
