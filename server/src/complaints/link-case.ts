import { complaintScope, type StaffPrincipal } from '../core/scope.ts';
import type { Queryable } from '../db/database.ts';
import type { Actor } from '../domain/event-chain.ts';
import { type LockedComplaint, lockComplaint } from '../events/projection-store.ts';
import { commit } from '../events/unit-of-work.ts';
import { caseLinkRows, findOpenCase } from './store.ts';

/**
 * "One case across channels", made internal (issue 11). The same phone about the same agency
 * root — or, for texts and bot messages naming none, about nothing yet — with a case still open
 * from the last CASE_JOIN_HOURS is the same matter arriving again. It used to be answered with
 * that case's tracking code, which handed anyone who knew a phone number someone else's case.
 * Now every submission is a complaint of its own (its own code, its own answer) and is only
 * linked to the case here, where nobody outside sees it.
 *
 * Takes a transaction-scoped advisory lock on (phone, agency root) first, so concurrent
 * submissions of the same matter are serialised: the first becomes the case, every later one
 * links to it — never several "cases" made by a race. Returns the open case, locked, or null.
 */
export async function openCaseFor(tx: Queryable, phone: string, agencyRoot: string | null, hours: number, now: Date) {
  const id = await findOpenCase(tx, phone, agencyRoot, hours, now);
  return id ? lockComplaint(tx, id, null) : null;
}

/** The first segment of a unit path ("/12/40/" → "12"): the agency root a case is about. */
export function agencyRootOf(path: string | null | undefined): string | null {
  return path ? (path.split('/')[1] ?? null) : null;
}

/** Records on the case that a new complaint was linked to it (its id only: staff open it in their scope). */
export async function recordLink(tx: Queryable, c: LockedComplaint, complaintId: string, channel: string, actor: Actor, now: Date) {
  await commit(tx, [{ from: c, actor, events: [{ type: 'repeat_linked', data: { complaintId, channel } }] }], now);
}

export interface CaseLinks {
  linkedCase: { id: string; trackingCode: string } | null;
  linkedComplaints: { id: string; trackingCode: string }[];
}

/**
 * The links of one complaint both ways: the case it was linked to and the complaints linked to
 * it. For staff only those in their scope (the scope is in the query); for a citizen (`user`
 * null, after the one-time code) only complaints with the same phone as theirs.
 */
export async function caseLinks(db: Queryable, complaintId: string, user: StaffPrincipal | null): Promise<CaseLinks> {
  const params: unknown[] = [complaintId];
  const visible = user
    ? complaintScope(user, params, 'l')
    : `EXISTS (SELECT 1 FROM complainant_contacts a JOIN complainant_contacts b ON b.phone = a.phone WHERE a.complaint_id = $1 AND b.complaint_id = l.id)`;
  const rows = await caseLinkRows(db, params, visible);
  const up = rows.find((r) => r.up);
  return {
    linkedCase: up ? { id: up.id, trackingCode: up.trackingCode } : null,
    linkedComplaints: rows.filter((r) => !r.up).map((r) => ({ id: r.id, trackingCode: r.trackingCode })),
  };
}
