import type { Queryable } from '../db/database.ts';
import type { NotificationContext, OutboxRow } from './outbox.ts';

/** A message claimed for sending. */
export interface OutboxMessage {
  id: number;
  complaintId: string | null;
  template: string;
  channel: 'sms' | 'web' | 'telegram' | 'bale';
  recipientUserId: number | null;
  recipientAddress: string | null;
  body: string;
  deliveryKey: string;
  attempts: number;
}

/**
 * Hands claimed but unsent messages back at once (status pending, lease cleared, the attempt not
 * counted), so another instance sends them now instead of after the lease runs out. Only rows
 * still 'sending' under this claim are touched.
 */
export async function releaseOutbox(db: Queryable, ids: number[]): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db.query(
    `UPDATE outbox SET status = 'pending', claimed_until = NULL, attempts = greatest(attempts - 1, 0)
     WHERE id = ANY($1::bigint[]) AND status = 'sending'`,
    [ids],
  );
  return result.rowCount ?? 0;
}

/**
 * Claims sendable messages: pending ones that are due, and "sending" ones whose lease ran out
 * (their sender died between sending and marking). SKIP LOCKED keeps instances apart.
 */
export async function claimOutbox(db: Queryable, channels: string[], limit: number, leaseSeconds: number, now: Date | null = null): Promise<OutboxMessage[]> {
  const { rows } = await db.query<OutboxMessage>({
    name: 'outbox-claim',
    text: `UPDATE outbox o SET status = 'sending', claimed_until = now() + make_interval(secs => $3), attempts = attempts + 1
           WHERE o.id IN (
             SELECT id FROM outbox
             WHERE status IN ('pending', 'sending') AND next_attempt_at <= COALESCE($4::timestamptz, now()) AND channel = ANY($1::text[])
               AND (claimed_until IS NULL OR claimed_until < now())
             ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED)
           RETURNING o.id, o.complaint_id AS "complaintId", o.template, o.channel, o.recipient_user_id AS "recipientUserId",
                     o.recipient_address AS "recipientAddress", o.body, o.delivery_key AS "deliveryKey", o.attempts`,
    values: [channels, limit, leaseSeconds, now],
  });
  return rows;
}

/**
 * Claims one complaint's pending messages of one template, the same way `claimOutbox` does (so
 * whoever gets there first sends them).
 */
export async function claimComplaintOutbox(
  db: Queryable,
  which: { complaintId: string; template: string },
  channels: string[],
  leaseSeconds: number,
): Promise<OutboxMessage[]> {
  const { rows } = await db.query<OutboxMessage>({
    name: 'outbox-claim-now',
    text: `UPDATE outbox o SET status = 'sending', claimed_until = now() + make_interval(secs => $4), attempts = attempts + 1
           WHERE o.id IN (
             SELECT id FROM outbox
             WHERE complaint_id = $1 AND template = $2 AND channel = ANY($3::text[]) AND status IN ('pending', 'sending')
               AND (claimed_until IS NULL OR claimed_until < now())
             FOR UPDATE SKIP LOCKED)
           RETURNING o.id, o.complaint_id AS "complaintId", o.template, o.channel, o.recipient_user_id AS "recipientUserId",
                     o.recipient_address AS "recipientAddress", o.body, o.delivery_key AS "deliveryKey", o.attempts`,
    values: [which.complaintId, which.template, channels, leaseSeconds],
  });
  return rows;
}

/** Marks a message sent (with the provider's id for it, when it gave one). */
export async function markOutboxSent(db: Queryable, id: number, providerMessageId: string | null): Promise<void> {
  await db.query(`UPDATE outbox SET status = 'sent', sent_at = now(), claimed_until = NULL, provider_message_id = $2, last_error = NULL WHERE id = $1`, [
    id,
    providerMessageId,
  ]);
}

/** Marks a failed send: dead, or pending again after `retryInSeconds`. */
export async function markOutboxFailed(db: Queryable, id: number, failure: { dead: boolean; error: string; retryInSeconds: number }): Promise<void> {
  await db.query(`UPDATE outbox SET status = $2, claimed_until = NULL, last_error = $3, next_attempt_at = now() + make_interval(secs => $4) WHERE id = $1`, [
    id,
    failure.dead ? 'dead' : 'pending',
    failure.error,
    failure.retryInSeconds,
  ]);
}

/** The citizens of duplicates merged into complaint `c`, who follow its messages by their own channel. */
const FOLLOWERS_SQL = `(SELECT json_agg(json_build_object('complaintId', m.id, 'channel', COALESCE(m.reply_channel, 'sms'), 'address', COALESCE(m.reply_address, mc.phone), 'language', m.language) ORDER BY m.id)
   FROM complaints m LEFT JOIN complainant_contacts mc ON mc.complaint_id = m.id
   WHERE m.merged_into_id = c.id AND COALESCE(m.reply_address, mc.phone) IS NOT NULL)`;

interface ContextRow {
  trackingCode: string;
  language: 'fa' | 'en';
  phone: string | null;
  replyChannel: 'telegram' | 'bale' | null;
  replyAddress: string | null;
  units: { id: number; nameFa: string; headId: number | null }[] | null;
  supervisors: number[] | null;
  followers: NotificationContext['followers'] | null;
}

/** What a complaint's messages need to know, as stored (outbox.ts shapes it). */
export async function notificationContextRow(db: Queryable, complaintId: string, unitIds: number[]): Promise<ContextRow> {
  const { rows } = await db.query<ContextRow>({
    name: 'notification-context',
    text: `SELECT c.tracking_code AS "trackingCode", c.language, cc.phone, c.reply_channel AS "replyChannel", c.reply_address AS "replyAddress",
             (SELECT json_agg(json_build_object('id', u.id, 'nameFa', u.name_fa, 'headId', u.inspection_head_id)) FROM units u WHERE u.id = ANY($2::int[])) AS units,
             (SELECT array_agg(s.id ORDER BY s.id) FROM staff_users s WHERE s.role = 'provincial_supervisor' AND s.active AND s.province_id = c.province_id) AS supervisors,
             ${FOLLOWERS_SQL} AS followers
           FROM complaints c LEFT JOIN complainant_contacts cc ON cc.complaint_id = c.id WHERE c.id = $1`,
    values: [complaintId, unitIds],
  });
  return rows[0]!;
}

interface ContextsRow {
  id: string;
  trackingCode: string;
  language: 'fa' | 'en';
  phone: string | null;
  replyChannel: 'telegram' | 'bale' | null;
  replyAddress: string | null;
  supervisors: number[] | null;
  followers: NotificationContext['followers'] | null;
}

/** `notificationContextRow` for a batch of complaints (without the units). */
export async function notificationContextRows(db: Queryable, complaintIds: string[]): Promise<ContextsRow[]> {
  const { rows } = await db.query<ContextsRow>({
    name: 'notification-contexts',
    text: `SELECT c.id, c.tracking_code AS "trackingCode", c.language, cc.phone, c.reply_channel AS "replyChannel", c.reply_address AS "replyAddress",
             s.ids AS supervisors, ${FOLLOWERS_SQL} AS followers
           FROM complaints c LEFT JOIN complainant_contacts cc ON cc.complaint_id = c.id
           LEFT JOIN (SELECT province_id, array_agg(id ORDER BY id) AS ids FROM staff_users
                      WHERE role = 'provincial_supervisor' AND active GROUP BY province_id) s ON s.province_id = c.province_id
           WHERE c.id = ANY($1::uuid[])`,
    values: [complaintIds],
  });
  return rows;
}

/** Writes outbox rows (in the caller's transaction). A row whose delivery key exists is skipped. */
export async function insertOutboxRows(db: Queryable, rows: OutboxRow[]): Promise<void> {
  await db.query({
    name: 'outbox-enqueue',
    text: `INSERT INTO outbox (complaint_id, event_seq, template, channel, recipient_user_id, recipient_address, language, body, sms_parts, delivery_key, next_attempt_at)
           SELECT r."complaintId", r."eventSeq", r.template, r.channel, r."recipientUserId", r."recipientAddress", r.language, r.body, r."smsParts", r."deliveryKey",
                  COALESCE(r."sendAfter", now())
           FROM jsonb_to_recordset($1::jsonb) AS r("complaintId" uuid, "eventSeq" int, template text, channel text, "recipientUserId" int,
             "recipientAddress" text, language text, body text, "smsParts" int, "deliveryKey" text, "sendAfter" timestamptz)
           ON CONFLICT (delivery_key, created_at) DO NOTHING`,
    values: [JSON.stringify(rows)],
  });
}
