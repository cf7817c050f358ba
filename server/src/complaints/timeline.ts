import type { Queryable } from '../db/database.ts';

/** A complaint's events for staff, with the acting staff member's name. */
export async function complaintTimeline(db: Queryable, complaintId: string) {
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
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}
