import type { Queryable } from '../db/database.ts';

/** A staff member's in-app notifications, newest first, and how many are unread. */
export async function listStaffNotifications(db: Queryable, userId: number, unreadOnly: boolean | null, limit: number) {
  const { rows } = await db.query<{ id: number; complaintId: string | null; template: string; body: string; createdAt: Date; readAt: Date | null }>(
    `SELECT id, complaint_id AS "complaintId", template, body, created_at AS "createdAt", read_at AS "readAt" FROM staff_notifications
       WHERE user_id = $1 AND ($2::boolean IS NOT TRUE OR read_at IS NULL) ORDER BY created_at DESC, id DESC LIMIT $3`,
    [userId, unreadOnly, limit],
  );
  const unread = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM staff_notifications WHERE user_id = $1 AND read_at IS NULL', [userId]);
  return { unread: unread.rows[0]!.n, rows };
}

/** Marks one of the user's notifications read at `now` (the first read time is kept); false when it is not theirs or does not exist. */
export async function markStaffNotificationRead(db: Queryable, userId: number, id: number, now: Date): Promise<boolean> {
  const result = await db.query('UPDATE staff_notifications SET read_at = COALESCE(read_at, $3) WHERE id = $1 AND user_id = $2', [id, userId, now]);
  return result.rowCount !== 0;
}

/** Files an in-app message; one with the same delivery key is kept as it was. */
export async function insertStaffNotification(
  db: Queryable,
  n: { userId: number; complaintId: string | null; template: string; body: string; deliveryKey: string },
): Promise<void> {
  await db.query(
    `INSERT INTO staff_notifications (user_id, complaint_id, template, body, delivery_key) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (delivery_key) DO NOTHING`,
    [n.userId, n.complaintId, n.template, n.body, n.deliveryKey],
  );
}
