import type { StoredEvent } from '../domain/event-chain.ts';
import { type ChainKeyring, contactDigest, sameDigest } from '../domain/hash-chain.ts';
import { REFERRAL_EVENTS } from '../sla/plan.ts';

/**
 * The stored facts of a complaint that intake fixes once, as its `received` event says them;
 * verify compares them with the complaint row (pure functions, the SQL is in the caller).
 */
export interface ReceivedFacts {
  trackingCode: unknown;
  channel: unknown;
  officeText: unknown;
  serviceId: unknown;
  urgent: unknown;
  description: unknown;
  locationLat: unknown;
  locationLng: unknown;
  locationText: unknown;
  confidential: unknown;
  language: unknown;
  country: unknown;
  createdAt: unknown;
}

/** The facts the first event holds (missing ones as null, so a row value that has no event behind it is a mismatch). */
export function receivedFacts(events: StoredEvent[]): ReceivedFacts {
  const first = events[0];
  const d = (first?.type === 'received' ? first.data : {}) as Record<string, unknown>;
  const location = (d.location ?? null) as { lat?: unknown; lng?: unknown; text?: unknown } | null;
  return {
    trackingCode: d.trackingCode ?? null,
    channel: d.channel ?? null,
    officeText: d.officeText ?? null,
    serviceId: d.serviceId ?? null,
    urgent: d.urgent ?? null,
    description: d.description ?? null,
    locationLat: location?.lat ?? null,
    locationLng: location?.lng ?? null,
    locationText: location?.text ?? null,
    confidential: d.confidential ?? null,
    language: d.language ?? null,
    country: d.country ?? null,
    createdAt: first?.createdAt ?? null,
  };
}

/** Names of the facts where the row differs from the events. */
export function mismatchedFacts(expected: ReceivedFacts, row: ReceivedFacts): string[] {
  const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v);
  return (Object.keys(expected) as (keyof ReceivedFacts)[]).filter((f) => iso(expected[f]) !== iso(row[f]));
}

export interface StoredContact {
  phone: string;
  name: string | null;
  nationalId: string | null;
  reply: { channel: string; address: string } | null;
}

/**
 * Whether the stored contact is the one intake recorded: the `received` event holds a keyed digest
 * of it (not the phone itself, which must not sit in an append-only log). A version-1 complaint
 * from before the digest existed has none to compare with: 'unrecorded'.
 */
export function contactMatches(events: StoredEvent[], contact: StoredContact | null, keyring: ChainKeyring): 'yes' | 'no' | 'unrecorded' {
  const first = events[0];
  const recorded = (first?.data as { contactDigest?: unknown } | undefined)?.contactDigest;
  if (typeof recorded !== 'string') return first?.keyId === null ? 'unrecorded' : 'no';
  const key = first?.keyId ? keyring.keys.get(first.keyId) : undefined;
  if (!key || !contact || !first) return 'no';
  return sameDigest(contactDigest(key, first.complaintId, contact), recorded) ? 'yes' : 'no';
}

/** The breaches the events record (the row keeps their count). */
export function breachesOf(events: StoredEvent[]): number {
  // A missed appeal deadline is the supervision group's, not the agency's: not counted against it.
  return events.filter((e) => e.type === 'sla_breached' && (e.data as { kind?: string }).kind !== 'appeal').length;
}

export interface PendingTimer {
  kind: string;
  fireAt: string;
  dueAt: string;
  unitId: number | null;
  later: { dueAt: string; fireAt: string }[];
}

/**
 * Checks the complaint's pending deadlines against what its events and row say: an answer clock
 * runs to the answer deadline of the events, at the unit that holds it; a first-action clock to
 * the row's first-action deadline, which must not come after the answer deadline; the rating
 * window only on an answered complaint; nothing on a finished one; no stage fires after its due.
 */
export function timerProblems(
  state: { status: string; unitId: number | null; dueAt: string | null },
  firstActionDueAt: string | null,
  timers: PendingTimer[],
): string[] {
  const problems = new Set<string>();
  const ms = (v: string | null) => (v === null ? null : Date.parse(v));
  if (ms(firstActionDueAt) !== null && state.dueAt !== null && ms(firstActionDueAt)! > ms(state.dueAt)!) problems.add('timers.firstActionDueAt');
  for (const t of timers) {
    const stages = [t, ...t.later];
    if (stages.some((s) => ms(s.fireAt)! > ms(s.dueAt)! || ms(s.dueAt) !== ms(t.dueAt))) problems.add(`timers.${t.kind}.fireAt`);
    if (state.status === 'closed' || state.status === 'rejected') problems.add(`timers.${t.kind}.pending`);
    if (t.kind === 'answer' && (ms(t.dueAt) !== ms(state.dueAt) || t.unitId !== state.unitId)) problems.add('timers.answer.dueAt');
    if (t.kind === 'first_action' && (ms(t.dueAt) !== ms(firstActionDueAt) || t.unitId !== state.unitId)) problems.add('timers.first_action.dueAt');
    if (t.kind === 'appeal' && (state.status !== 'appealed' || ms(t.dueAt) !== ms(state.dueAt))) problems.add('timers.appeal.dueAt');
    if (t.kind === 'satisfaction' && state.status !== 'answered') problems.add('timers.satisfaction.pending');
  }
  return [...problems];
}

/**
 * The first-action deadline the chain gives the complaint's current clock: the one its last
 * referral event carries (sla/plan.ts withFirstActionDue). Undefined when that event holds none
 * (chained before the deadline was, or a referral that started no clock): nothing to compare.
 */
export function chainedFirstActionDue(events: StoredEvent[]): string | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (!REFERRAL_EVENTS.has(event.type)) continue;
    const due = (event.data as { firstActionDueAt?: unknown } | null)?.firstActionDueAt;
    return typeof due === 'string' ? due : undefined;
  }
  return undefined;
}
