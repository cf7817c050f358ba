import type { Queryable } from '../db/database.ts';
import type { AlertSettings } from './staff-alerts.ts';

const COLUMNS = `user_id AS "userId", channel, address, quiet_start_minute AS "quietStartMinute", quiet_end_minute AS "quietEndMinute",
  urgent_overrides AS "urgentOverrides"`;

/** The alert settings of some staff members (those who set none are absent: in-app only). */
export async function loadAlertSettings(db: Queryable, userIds: number[]): Promise<Map<number, AlertSettings>> {
  if (userIds.length === 0) return new Map();
  const { rows } = await db.query<AlertSettings>({
    name: 'staff-alert-settings',
    text: `SELECT ${COLUMNS} FROM staff_alert_settings WHERE user_id = ANY($1::int[])`,
    values: [userIds],
  });
  return new Map(rows.map((r) => [r.userId, r]));
}

/** One person's settings, or the default (in-app only, no quiet hours). */
export async function getAlertSettings(db: Queryable, userId: number): Promise<AlertSettings> {
  return (
    (await loadAlertSettings(db, [userId])).get(userId) ?? {
      userId,
      channel: 'web',
      address: null,
      quietStartMinute: null,
      quietEndMinute: null,
      urgentOverrides: true,
    }
  );
}

/** Sets one person's own settings, stamped `now`. */
export async function putAlertSettings(db: Queryable, s: AlertSettings, now: Date): Promise<AlertSettings> {
  const { rows } = await db.query<AlertSettings>(
    `INSERT INTO staff_alert_settings (user_id, channel, address, quiet_start_minute, quiet_end_minute, urgent_overrides, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (user_id) DO UPDATE SET channel = $2, address = $3, quiet_start_minute = $4, quiet_end_minute = $5, urgent_overrides = $6, updated_at = $7
     RETURNING ${COLUMNS}`,
    [s.userId, s.channel, s.address, s.quietStartMinute, s.quietEndMinute, s.urgentOverrides, now],
  );
  return rows[0]!;
}
