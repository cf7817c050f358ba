import type { Queryable } from '../db/database.ts';
import type { StoredEvent } from '../domain/event-chain.ts';
import type { IncidentPublicStatus } from '../domain/incident.ts';
import { loadAlertSettings } from './alert-settings-store.ts';
import { insertOutboxRows, notificationContextRow, notificationContextRows } from './outbox-store.ts';
import { externalAlerts } from './staff-alerts.ts';
import { type MessageParams, type OutboxTemplate, render, smsParts, type TemplateKey } from './templates.ts';

export interface OutboxRow {
  complaintId: string | null;
  eventSeq: number | null;
  template: OutboxTemplate;
  channel: 'sms' | 'web' | 'telegram' | 'bale';
  recipientUserId: number | null;
  recipientAddress: string | null;
  language: 'fa' | 'en';
  body: string;
  smsParts: number | null;
  deliveryKey: string;
  /** Not before this time (a staff alert held to the end of its recipient's quiet hours); else at once. */
  sendAfter?: string;
}

/** A plain SMS answer to a citizen's text (help, errors, one-time codes), outside any complaint event. */
export function smsReply(complaintId: string | null, to: string, text: string, deliveryKey: string): OutboxRow {
  return {
    complaintId,
    eventSeq: 0,
    template: 'sms_reply',
    channel: 'sms',
    recipientUserId: null,
    recipientAddress: to,
    language: 'fa',
    body: text,
    smsParts: smsParts(text).parts,
    deliveryKey,
  };
}

/** Who and what a complaint's messages need to know. */
export interface NotificationContext {
  complaintId: string;
  trackingCode: string;
  language: 'fa' | 'en';
  citizenPhone: string | null;
  /** A messenger chat the citizen wrote from: their messages go back there instead of by SMS. */
  reply: { channel: 'telegram' | 'bale'; address: string } | null;
  /** Citizens of duplicates merged into this case: they get the case's citizen messages too. */
  followers: { complaintId: string; channel: 'sms' | 'telegram' | 'bale'; address: string; language: 'fa' | 'en' }[];
  units: Map<number, { nameFa: string; headId: number | null }>;
  supervisorIds: number[];
  publicUrl: string;
}

/** Reads the context for a complaint's messages in one query. */
export async function loadNotificationContext(db: Queryable, complaintId: string, unitIds: number[], publicUrl: string): Promise<NotificationContext> {
  const row = await notificationContextRow(db, complaintId, unitIds);
  return {
    complaintId,
    trackingCode: row.trackingCode,
    language: row.language,
    citizenPhone: row.phone,
    reply: row.replyChannel && row.replyAddress ? { channel: row.replyChannel, address: row.replyAddress } : null,
    followers: row.followers ?? [],
    units: new Map((row.units ?? []).map((u) => [u.id, { nameFa: u.nameFa, headId: u.headId }])),
    supervisorIds: row.supervisors ?? [],
    publicUrl,
  };
}

/**
 * `loadNotificationContext` for a batch of complaints in one query (the sweeper's); the units are
 * passed in, already read with the batch.
 */
export async function loadNotificationContexts(
  db: Queryable,
  complaintIds: string[],
  units: NotificationContext['units'],
  publicUrl: string,
): Promise<Map<string, NotificationContext>> {
  const rows = await notificationContextRows(db, complaintIds);
  return new Map(
    rows.map((row) => [
      row.id,
      {
        complaintId: row.id,
        trackingCode: row.trackingCode,
        language: row.language,
        citizenPhone: row.phone,
        reply: row.replyChannel && row.replyAddress ? { channel: row.replyChannel, address: row.replyAddress } : null,
        followers: row.followers ?? [],
        units,
        supervisorIds: row.supervisors ?? [],
        publicUrl,
      },
    ]),
  );
}

/** The units a set of events mentions (for loading their names and inspection heads). */
export function unitsOf(events: StoredEvent[], currentUnitId: number | null): number[] {
  const ids = new Set<number>();
  if (currentUnitId !== null) ids.add(currentUnitId);
  for (const e of events) {
    const d = e.data as Record<string, unknown>;
    for (const key of ['unitId', 'toUnitId', 'fromUnitId']) if (typeof d[key] === 'number') ids.add(d[key] as number);
  }
  return [...ids];
}

/**
 * The messages a complaint's new events cause, to the citizen (SMS) and to staff (in the web
 * app). Pure: the rows are written in the same transaction as the events.
 */
export function planNotifications(events: StoredEvent[], ctx: NotificationContext): OutboxRow[] {
  const rows: OutboxRow[] = [];
  const add = adders(rows, ctx);
  const types = new Set(events.map((e) => e.type));
  for (const e of events) {
    // Each event kind is in one planner only, so at most one of them adds rows for it.
    planRouting(e, events, types, ctx, add);
    planOutcome(e, ctx, add);
  }
  return rows;
}

/** The two ways a message is added (to the citizen and those following the case, to a staff member) and unit lookup. */
function adders(rows: OutboxRow[], ctx: NotificationContext) {
  const citizen = (e: StoredEvent, template: TemplateKey, params: Partial<MessageParams> = {}) => {
    // Back the way the citizen came: their messenger chat, else SMS to their phone.
    const channel = ctx.reply?.channel ?? 'sms';
    const address = ctx.reply?.address ?? ctx.citizenPhone;
    if (!address) return;
    const body = render(template, ctx.language, { trackingCode: ctx.trackingCode, ...params });
    rows.push({
      complaintId: ctx.complaintId,
      eventSeq: e.seq,
      template,
      channel,
      recipientUserId: null,
      recipientAddress: address,
      language: ctx.language,
      body,
      smsParts: channel === 'sms' ? smsParts(body).parts : null,
      deliveryKey: `${ctx.complaintId}:${e.seq}:${template}:citizen`,
    });
    // The citizens of merged duplicates follow the case (not twice to the same address).
    for (const f of ctx.followers) {
      if (f.address === address || rows.some((r) => r.recipientAddress === f.address && r.eventSeq === e.seq && r.template === template)) continue;
      const text = render(template, f.language, { trackingCode: ctx.trackingCode, ...params });
      rows.push({
        complaintId: ctx.complaintId,
        eventSeq: e.seq,
        template,
        channel: f.channel,
        recipientUserId: null,
        recipientAddress: f.address,
        language: f.language,
        body: text,
        smsParts: f.channel === 'sms' ? smsParts(text).parts : null,
        deliveryKey: `${ctx.complaintId}:${e.seq}:${template}:follower:${f.complaintId}`,
      });
    }
  };
  const staff = (e: StoredEvent, template: TemplateKey, userId: number | null | undefined, params: Partial<MessageParams> = {}) => {
    if (!userId) return;
    if (rows.some((r) => r.recipientUserId === userId && r.eventSeq === e.seq && r.template === template)) return;
    rows.push({
      complaintId: ctx.complaintId,
      eventSeq: e.seq,
      template,
      channel: 'web',
      recipientUserId: userId,
      recipientAddress: null,
      language: 'fa',
      body: render(template, 'fa', { trackingCode: ctx.trackingCode, ...params }),
      smsParts: null,
      deliveryKey: `${ctx.complaintId}:${e.seq}:${template}:staff:${userId}`,
    });
  };
  const unit = (id: unknown) => (typeof id === 'number' ? ctx.units.get(id) : undefined);
  return { citizen, staff, unit };
}

type Adders = ReturnType<typeof adders>;

/** Events that send the case to an office: the citizen hears where, the office head gets a referral. */
function planRouting(e: StoredEvent, events: StoredEvent[], types: Set<string>, ctx: NotificationContext, add: Adders): void {
  const { citizen, staff, unit } = add;
  const d = e.data as Record<string, unknown>;
  const dueAt = typeof d.dueAt === 'string' ? d.dueAt : null;
  switch (e.type) {
    case 'received': {
      const referred = events.find((x) => x.type === 'referred');
      citizen(e, 'citizen_received', { unitName: unit((referred?.data as { unitId?: number } | undefined)?.unitId)?.nameFa ?? null });
      break;
    }
    case 'referred':
      if (!types.has('received')) citizen(e, 'citizen_referred', { unitName: unit(d.unitId)?.nameFa });
      staff(e, 'staff_new_referral', unit(d.unitId)?.headId, { unitName: unit(d.unitId)?.nameFa, dueAt });
      break;
    case 'transferred':
    case 'rated_not_satisfied':
    case 'objected':
      if (e.type === 'transferred') citizen(e, 'citizen_referred', { unitName: unit(d.toUnitId)?.nameFa });
      // The citizen who said "not satisfied" hears where the case went and when the new answer is due.
      if (e.type === 'rated_not_satisfied') citizen(e, 'citizen_reopened', { unitName: unit(d.toUnitId)?.nameFa ?? null, dueAt });
      staff(e, 'staff_new_referral', unit(d.toUnitId)?.headId, { unitName: unit(d.toUnitId)?.nameFa, dueAt });
      break;
    case 'escalated': {
      const from = unit(d.fromUnitId);
      const to = unit(d.toUnitId);
      citizen(e, 'citizen_referred', { unitName: to?.nameFa });
      staff(e, 'staff_escalated_in', to?.headId, { unitName: from?.nameFa, dueAt });
      for (const id of [from?.headId, ...ctx.supervisorIds]) staff(e, 'staff_breach', id, { unitName: from?.nameFa, toUnitName: to?.nameFa });
      break;
    }
    case 'split_off':
      citizen(e, 'citizen_split', { unitName: unit(d.unitId)?.nameFa ?? null });
      staff(e, 'staff_new_referral', unit(d.unitId)?.headId, { unitName: unit(d.unitId)?.nameFa, dueAt });
      break;
    case 'appeal_upheld':
      citizen(e, 'citizen_appeal_upheld', { unitName: unit(d.toUnitId)?.nameFa ?? null });
      staff(e, 'staff_new_referral', unit(d.toUnitId)?.headId, { unitName: unit(d.toUnitId)?.nameFa, dueAt });
      break;
  }
}

/** Events that answer, close or follow up a case: answers, closings, merges, incidents, appeals and deadlines. */
function planOutcome(e: StoredEvent, ctx: NotificationContext, add: Adders): void {
  const { citizen, staff, unit } = add;
  const d = e.data as Record<string, unknown>;
  const dueAt = typeof d.dueAt === 'string' ? d.dueAt : null;
  const link = `${ctx.publicUrl}/track/${ctx.trackingCode}`;
  switch (e.type) {
    case 'answered':
      citizen(e, 'citizen_answered', { link });
      break;
    case 'rated_satisfied':
    case 'closed_unrated':
      citizen(e, 'citizen_closed');
      break;
    case 'rejected':
      citizen(e, 'citizen_rejected', { link });
      break;
    case 'merged_into':
      citizen(e, 'citizen_merged', { otherTrackingCode: String(d.intoTrackingCode ?? '') });
      break;
    case 'incident_linked':
      citizen(e, 'citizen_incident_linked', { incidentTitle: String(d.title ?? ''), incidentStatus: d.publicStatus as IncidentPublicStatus });
      break;
    case 'incident_updated':
      // Once per change of the public status; a new title alone is recorded but not sent.
      if (d.statusChanged === true)
        citizen(e, 'citizen_incident_status', { incidentTitle: String(d.title ?? ''), incidentStatus: d.publicStatus as IncidentPublicStatus });
      break;
    case 'appealed':
      citizen(e, 'citizen_appealed', { dueAt });
      for (const id of ctx.supervisorIds) staff(e, 'staff_appeal_in', id, { dueAt });
      break;
    case 'appeal_rejected':
      citizen(e, 'citizen_appeal_rejected', { link });
      break;
    case 'sla_breached':
      if (d.kind === 'appeal') for (const id of ctx.supervisorIds) staff(e, 'staff_appeal_overdue', id);
      break;
    case 'sla_warning':
      staff(e, 'staff_warning', unit(d.unitId)?.headId, { dueAt, percent: Math.round(Number(d.fraction) * 100) });
      break;
  }
}

/** Planned rows plus the staff alerts they carry to each recipient's own channel (staff-alerts.ts). */
export async function withStaffAlerts(db: Queryable, planned: OutboxRow[], now: Date): Promise<OutboxRow[]> {
  const staffIds = [...new Set(planned.flatMap((r) => (r.channel === 'web' && r.recipientUserId !== null ? [r.recipientUserId] : [])))];
  return staffIds.length === 0 ? planned : [...planned, ...externalAlerts(planned, await loadAlertSettings(db, staffIds), now)];
}

/**
 * Writes outbox rows (in the caller's transaction). A row whose delivery key exists is skipped.
 * Staff alerts also go to each recipient's own channel, held through their quiet hours
 * (staff-alerts.ts); `now` is when the alerts are made.
 */
export async function enqueue(db: Queryable, planned: OutboxRow[], now: Date): Promise<void> {
  if (planned.length === 0) return;
  const rows = await withStaffAlerts(db, planned, now);
  await insertOutboxRows(db, rows);
}
