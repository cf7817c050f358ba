import { AppError } from '../core/errors.ts';
import { can } from '../core/roles.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import type { Database } from '../db/database.ts';
import { normalizePersianText } from '../domain/persian-text.ts';
import { lockComplaint } from '../events/projection-store.ts';
import { repeatEventData, repeatWasSplit } from '../events/store.ts';
import { type Change, commit } from '../events/unit-of-work.ts';
import { type ChangeSettings, nowOf } from './apply-command.ts';
import { getComplaint, getContact, replyOf } from './store.ts';
import { CHANNELS, type Channel, submitComplaint } from './submit-complaint.ts';

/**
 * Splits a repeat that was joined automatically (a `repeat_received` event, see join-repeat.ts)
 * off its case into a complaint of its own: the citizen's words of that message, the case's
 * citizen, agency and place, a new tracking code and its own clock (intake as usual, so the
 * citizen is sent the new code). The case gets `repeat_split`, the new complaint `split_from`.
 * The intake's idempotency key is derived from the case and the repeat, so a retry returns the
 * complaint already made.
 */
export async function splitRepeat(
  db: Database,
  settings: ChangeSettings,
  user: StaffPrincipal,
  caseId: string,
  repeatSeq: number,
  reason: string,
): Promise<{ complaintId: string; replayed: boolean }> {
  if (!can(user.role, 'complaint.merge')) throw new AppError('forbidden', { action: 'split' });
  const parent = await getComplaint(db.pool, { id: caseId }, user, nowOf(settings));
  if (!parent) throw new AppError('complaint_not_found');
  const repeat = await repeatEventData(db.pool, caseId, repeatSeq);
  if (!repeat?.description) throw new AppError('not_a_repeat', { seq: repeatSeq });
  const contact = await getContact(db.pool, caseId);
  const place = await replyOf(db.pool, caseId);
  const channel: Channel = (CHANNELS as readonly string[]).includes(repeat.channel ?? '') ? (repeat.channel as Channel) : 'web';
  const made = await submitComplaint(
    db,
    {
      channel,
      ...(parent.agency ? { agencyId: parent.agency.id } : { officeText: parent.officeText ?? '—' }),
      ...(parent.countyId ? { countyId: parent.countyId } : parent.provinceId ? { provinceId: parent.provinceId } : {}),
      ...(parent.categoryId ? { categoryId: parent.categoryId } : {}),
      description: repeat.description,
      contact: { phone: contact!.phone, ...(contact!.name ? { name: contact!.name } : {}) },
      confidential: parent.confidential,
      language: parent.language,
      ...(place.replyChannel && place.replyAddress ? { reply: { channel: place.replyChannel, address: place.replyAddress } } : {}),
    },
    {
      idempotencyKey: `split-${caseId}-${repeatSeq}`,
      actor: { kind: 'staff', id: user.id },
      publicUrl: settings.publicUrl,
      clock: settings.clock,
      joinWindowHours: 0,
    },
  );
  const text = normalizePersianText(reason);
  const recorded = await db.transaction(async (tx) => {
    if (await repeatWasSplit(tx, caseId, repeatSeq)) return false;
    const now = nowOf(settings);
    const actor = { kind: 'staff' as const, id: user.id };
    const changes: Change[] = [];
    for (const id of [caseId, made.id].sort()) {
      const c = await lockComplaint(tx, id, id === caseId ? user : null);
      if (!c) throw new AppError('complaint_not_found');
      const event =
        id === caseId
          ? { type: 'repeat_split', data: { seq: repeatSeq, complaintId: made.id, trackingCode: made.trackingCode, reason: text } }
          : { type: 'split_from', data: { complaintId: caseId, trackingCode: parent.trackingCode, seq: repeatSeq, reason: text } };
      changes.push({ from: c, actor, events: [event] });
    }
    await commit(tx, changes, now);
    return true;
  });
  return { complaintId: made.id, replayed: !recorded };
}
