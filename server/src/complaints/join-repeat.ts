import type { Database } from '../db/database.ts';
import type { Status } from '../domain/lifecycle.ts';
import { toPersianDigits } from '../domain/persian-text.ts';
import { formatTrackingCode } from '../domain/tracking-code.ts';
import { type Actor, appendEvents } from '../events/store.ts';
import { enqueue, loadNotificationContext } from '../notifications/outbox.ts';
import { smsParts } from '../notifications/templates.ts';
import { lockComplaint, updateHead } from './store.ts';

export interface JoinResult {
  id: string;
  trackingCode: string;
  status: Status;
  referredTo: { unitId: number; name: string } | null;
  dueAt: string | null;
}

/**
 * "One case across channels": the same citizen (phone) about the same agency — or, for texts
 * and bot messages that name none, about nothing yet — with a case still open from the last
 * CASE_JOIN_HOURS is the same matter arriving again (by phone, then SMS, then the bot), as in
 * the 111 system. The intake query finds that case (`openCaseId` in intake-store.ts).
 *
 * Adds a repeat to an open case: a `repeat_received` event with what the citizen said this
 * time, and a message telling them it joined the case. A retry (same key) adds nothing.
 */
export async function joinOpenCase(
  db: Database,
  complaintId: string,
  repeat: { channel: string; description: string; key: string | null },
  actor: Actor,
  publicUrl: string,
): Promise<JoinResult | null> {
  return db.transaction(async (tx) => {
    const c = await lockComplaint(tx, complaintId, null);
    if (!c || !['received', 'referred', 'assigned', 'in_progress'].includes(c.status)) return null;
    const seen = repeat.key
      ? (await tx.query(`SELECT 1 FROM complaint_events WHERE complaint_id = $1 AND type = 'repeat_received' AND data->>'key' = $2`, [complaintId, repeat.key]))
          .rowCount
      : 0;
    if (!seen) {
      const head = await appendEvents(tx, c.id, { seq: c.lastSeq, hash: c.headHash }, actor, [
        { type: 'repeat_received', data: { channel: repeat.channel, description: repeat.description, key: repeat.key } },
      ]);
      await updateHead(tx, c.id, c.lastSeq, head);
      const ctx = await loadNotificationContext(tx, c.id, [], publicUrl);
      const address = ctx.reply?.address ?? ctx.citizenPhone;
      if (address) {
        const body =
          ctx.language === 'en'
            ? `Your message was added to your open complaint ${formatTrackingCode(c.trackingCode)}; no new case was opened.`
            : `پیام شما به شکایت باز ${toPersianDigits(formatTrackingCode(c.trackingCode))} افزوده شد و پروندهٔ تازه‌ای باز نشد.`;
        await enqueue(tx, [
          {
            complaintId: c.id,
            eventSeq: head.seq,
            template: 'citizen_joined',
            channel: ctx.reply?.channel ?? 'sms',
            recipientUserId: null,
            recipientAddress: address,
            language: ctx.language,
            body,
            smsParts: ctx.reply ? null : smsParts(body).parts,
            deliveryKey: `${c.id}:${head.seq}:citizen_joined:citizen`,
          },
        ]);
      }
    }
    const unit = c.unitId === null ? null : (await tx.query<{ name: string }>('SELECT name_fa AS name FROM units WHERE id = $1', [c.unitId])).rows[0];
    return {
      id: c.id,
      trackingCode: c.trackingCode,
      status: c.status,
      referredTo: c.unitId !== null ? { unitId: c.unitId, name: unit?.name ?? '' } : null,
      dueAt: c.dueAt,
    };
  });
}
