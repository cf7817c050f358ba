import type { Queryable } from '../db/database.ts';

/** Event data that concerns the employee a citizen named (a digest, never the name itself). */
const EMPLOYEE_FIELDS = ['namedEmployeeDigest', 'digest'];

/**
 * A complaint's events for staff, with the acting staff member's name. Staff who may not read
 * the named employee see that it was set or corrected, not even its digest.
 */
export async function complaintTimeline(db: Queryable, complaintId: string, options: { namedEmployee: boolean }) {
  const { rows } = await db.query<{
    seq: number;
    type: string;
    actorKind: string;
    actorId: number | null;
    actorName: string | null;
    data: unknown;
    createdAt: Date;
    hash: string;
  }>(
    `SELECT e.seq, e.type, e.actor_kind AS "actorKind", e.actor_id AS "actorId", s.display_name AS "actorName", e.data,
            e.created_at AS "createdAt", e.hash
     FROM complaint_events e LEFT JOIN staff_users s ON s.id = e.actor_id
     WHERE e.complaint_id = $1 ORDER BY e.seq`,
    [complaintId],
  );
  return rows.map((r) => ({ ...r, data: options.namedEmployee ? r.data : withoutEmployee(r.type, r.data), createdAt: r.createdAt.toISOString() }));
}

function withoutEmployee(type: string, data: unknown): unknown {
  // A correction's reason is staff's own words and may well name the person ("meant Mr Ahmadi at
  // desk 2"): a reader who may not see the name sees only that the named employee was changed.
  if (type === 'employee_named') return {};
  if (type !== 'received' || typeof data !== 'object' || data === null) return data;
  return Object.fromEntries(Object.entries(data).filter(([key]) => !EMPLOYEE_FIELDS.includes(key)));
}
