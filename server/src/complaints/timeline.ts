import type { Queryable } from '../db/database.ts';
import { timelineEvents } from './timeline-store.ts';

/** Event data that concerns the employee a citizen named (a digest, never the name itself). */
const EMPLOYEE_FIELDS = ['namedEmployeeDigest', 'digest'];

/** What a citizen can do to a complaint; anything else credited to a citizen was the system's doing. */
const CITIZEN_EVENTS: ReadonlySet<string> = new Set(['received', 'repeat_received', 'rated_satisfied', 'rated_not_satisfied', 'objected', 'attachment_added']);

/**
 * Who a reader should see as having done an event. Complaints filed before intake credited its
 * automatic referral to the system were chained with the filer as the actor of every intake
 * event: a citizen (who never refers) or the operator on the call (whose referral at the very
 * moment of filing was the router's). Those read as the system; the chain itself is unchanged.
 */
export function creditOf(event: { type: string; actorKind: string; createdAt: Date }, filedAt: Date | null): 'citizen' | 'staff' | 'system' {
  if (event.actorKind === 'citizen') return CITIZEN_EVENTS.has(event.type) ? 'citizen' : 'system';
  if (event.actorKind === 'staff' && (event.type === 'referred' || event.type === 'case_linked') && filedAt?.getTime() === event.createdAt.getTime())
    return 'system';
  return event.actorKind === 'staff' ? 'staff' : 'system';
}

/**
 * A complaint's events for staff, with the acting staff member's name. Staff who may not read
 * the named employee see that it was set or corrected, not even its digest.
 */
export async function complaintTimeline(db: Queryable, complaintId: string, options: { namedEmployee: boolean }) {
  const rows = await timelineEvents(db, complaintId);
  const filedAt = rows.find((r) => r.type === 'received')?.createdAt ?? null;
  return rows.map((r) => {
    const actorKind = creditOf(r, filedAt);
    const staff = actorKind === 'staff';
    return {
      ...r,
      actorKind,
      actorId: staff ? r.actorId : null,
      actorName: staff ? r.actorName : null,
      actorRole: staff ? r.actorRole : null,
      data: options.namedEmployee ? r.data : withoutEmployee(r.type, r.data),
      createdAt: r.createdAt.toISOString(),
    };
  });
}

function withoutEmployee(type: string, data: unknown): unknown {
  // A correction's reason is staff's own words and may well name the person ("meant Mr Ahmadi at
  // desk 2"): a reader who may not see the name sees only that the named employee was changed.
  if (type === 'employee_named') return {};
  if (type !== 'received' || typeof data !== 'object' || data === null) return data;
  return Object.fromEntries(Object.entries(data).filter(([key]) => !EMPLOYEE_FIELDS.includes(key)));
}
