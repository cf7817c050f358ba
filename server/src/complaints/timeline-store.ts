import type { Role } from '../core/roles.ts';
import type { Queryable } from '../db/database.ts';

/** One event of a complaint as staff read it, with who acted (timeline.ts decides what a reader sees). */
export interface TimelineEvent {
  seq: number;
  type: string;
  actorKind: string;
  actorId: number | null;
  actorName: string | null;
  actorRole: Role | null;
  data: unknown;
  createdAt: Date;
  hash: string;
}

/** A complaint's events in order, each with the acting staff member's name and role. */
export async function timelineEvents(db: Queryable, complaintId: string): Promise<TimelineEvent[]> {
  const { rows } = await db.query<TimelineEvent>(
    `SELECT e.seq, e.type, e.actor_kind AS "actorKind", e.actor_id AS "actorId", s.display_name AS "actorName", s.role AS "actorRole", e.data,
            e.created_at AS "createdAt", e.hash
     FROM complaint_events e LEFT JOIN staff_users s ON s.id = e.actor_id
     WHERE e.complaint_id = $1 ORDER BY e.seq`,
    [complaintId],
  );
  return rows;
}
