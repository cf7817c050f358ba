import type { OutboxRow } from '../notifications/outbox.ts';
import type { OutboxTemplate } from '../notifications/templates.ts';
import { displayDeadline } from '../notifications/templates.ts';
import type { ActionKind } from './rules.ts';

export const KIND_FA: Record<ActionKind, string> = { warning: 'تذکر', commendation: 'تشویق', dismissal: 'پیشنهاد برکناری' };

/** An in-app message to the manager an action is about; one per action and step (the delivery key). */
function toManager(template: OutboxTemplate, actionId: number, managerId: number, body: string, step: string): OutboxRow {
  return {
    complaintId: null,
    eventSeq: null,
    template,
    channel: 'web',
    recipientUserId: managerId,
    recipientAddress: null,
    language: 'fa',
    body,
    smsParts: null,
    deliveryKey: `enforcement:${actionId}:${step}`,
  };
}

/** Due process, step one: the manager hears of the proposal and until when they may reply. */
export function proposalNotice(a: { id: number; managerId: number; kind: ActionKind; unitName: string; period: string; replyDueAt: Date }): OutboxRow {
  return toManager(
    'enforcement_notice',
    a.id,
    a.managerId,
    `برای شما «${KIND_FA[a.kind]}» دربارهٔ عملکرد «${a.unitName}» در دورهٔ ${a.period} پیشنهاد شده است (شمارهٔ ${a.id}). ` +
      `تا ${displayDeadline(a.replyDueAt.toISOString(), 'fa')} می‌توانید پاسخ خود را ثبت کنید؛ پیش از آن تصمیمی گرفته نمی‌شود مگر پاسخ دهید.`,
    'notice',
  );
}

export function decisionNotice(a: { id: number; managerId: number; kind: ActionKind }, confirmed: boolean, reason: string): OutboxRow {
  return toManager(
    'enforcement_decision',
    a.id,
    a.managerId,
    confirmed
      ? `«${KIND_FA[a.kind]}» شمارهٔ ${a.id} تأیید و در پروندهٔ شما ثبت شد. دلیل: ${reason}. یک بار می‌توانید درخواست تجدیدنظر کنید.`
      : `«${KIND_FA[a.kind]}» شمارهٔ ${a.id} کنار گذاشته شد. دلیل: ${reason}.`,
    'decision',
  );
}

export function appealDecisionNotice(a: { id: number; managerId: number; kind: ActionKind }, upheld: boolean, reason: string): OutboxRow {
  return toManager(
    'enforcement_appeal_decision',
    a.id,
    a.managerId,
    upheld
      ? `درخواست تجدیدنظر شما دربارهٔ «${KIND_FA[a.kind]}» شمارهٔ ${a.id} پذیرفته نشد. دلیل: ${reason}.`
      : `درخواست تجدیدنظر شما دربارهٔ «${KIND_FA[a.kind]}» شمارهٔ ${a.id} پذیرفته شد و این اقدام از پرونده برداشته شد. دلیل: ${reason}.`,
    'appeal-decision',
  );
}

/** Who hears of an action besides its manager: the unit's inspection head now (null: none), with the names the copy needs. */
export interface ActionAudience {
  managerName: string;
  unitName: string;
  headId: number | null;
}

const STEP_FA = {
  notice: 'پیشنهاد شده است و مسئول آن می‌تواند پاسخ دهد',
  confirmed: 'تأیید و در پرونده ثبت شد',
  dropped: 'کنار گذاشته شد',
  upheld: 'در تجدیدنظر پابرجا ماند',
  overturned: 'در تجدیدنظر از پرونده برداشته شد',
} as const;

/**
 * The manager's notice and, when the unit's inspection head is now someone else (the manager the
 * rules named has moved on, or a copy is owed to the one who heads it now), a short copy for that
 * head under its own delivery key. Both are staff alerts: they also go by each person's channel.
 */
export function withHeadCopy(
  notice: OutboxRow,
  a: { id: number; managerId: number; kind: ActionKind },
  audience: ActionAudience | undefined,
  step: keyof typeof STEP_FA,
): OutboxRow[] {
  if (!audience?.headId || audience.headId === a.managerId) return [notice];
  const body = `«${KIND_FA[a.kind]}» شمارهٔ ${a.id} برای ${audience.managerName} دربارهٔ عملکرد «${audience.unitName}» ${STEP_FA[step]}.`;
  return [notice, { ...notice, recipientUserId: audience.headId, body, deliveryKey: `${notice.deliveryKey}:head:${audience.headId}` }];
}
