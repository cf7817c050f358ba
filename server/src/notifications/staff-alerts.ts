import type { OutboxRow } from './outbox.ts';
import { smsParts } from './templates.ts';

/** A staff member's alert settings (docs/staff-alerts.md). Quiet hours: minutes of the day, Tehran time. */
export interface AlertSettings {
  userId: number;
  channel: 'web' | 'sms' | 'telegram' | 'bale';
  address: string | null;
  quietStartMinute: number | null;
  quietEndMinute: number | null;
  urgentOverrides: boolean;
}

/**
 * Staff messages that also go out by the person's own channel: a new referral, warnings, breaches,
 * appeals, and the enforcement notices (a proposed action and its reply window, the decision, the
 * appeal's outcome) to the manager an action names and their unit's inspection head.
 */
export const ALERT_TEMPLATES: ReadonlySet<string> = new Set([
  'staff_new_referral',
  'staff_warning',
  'staff_breach',
  'staff_escalated_in',
  'staff_appeal_in',
  'staff_appeal_overdue',
  'enforcement_notice',
  'enforcement_decision',
  'enforcement_appeal_decision',
]);

/** Alerts that may wake a person in quiet hours (when they allow it): a deadline already missed. */
export const URGENT_TEMPLATES: ReadonlySet<string> = new Set(['staff_breach', 'staff_escalated_in', 'staff_appeal_overdue']);

const tehranClock = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tehran', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/** Minutes (and seconds) since Tehran midnight at `at`, through the time-zone database rather than a fixed offset. */
function tehranSecondOfDay(at: Date): number {
  const parts = Object.fromEntries(tehranClock.formatToParts(at).map((p) => [p.type, p.value]));
  return Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second);
}

/**
 * When an alert made at `now` may be sent: `now`, or the end of the person's quiet hours when
 * `now` falls in them (a window with start > end spans midnight). Pure: the caller passes the time.
 */
export function sendAfter(settings: Pick<AlertSettings, 'quietStartMinute' | 'quietEndMinute'>, now: Date): Date {
  const { quietStartMinute: start, quietEndMinute: end } = settings;
  if (start === null || end === null || start === end) return now;
  const second = tehranSecondOfDay(now);
  const [s, e] = [start * 60, end * 60];
  const inQuiet = s < e ? second >= s && second < e : second >= s || second < e;
  if (!inQuiet) return now;
  const wait = (e - second + 86_400) % 86_400;
  return new Date(Math.floor(now.getTime() / 1000) * 1000 + wait * 1000);
}

/**
 * The extra outbox rows that carry staff alerts to each person's own channel (SMS, Telegram,
 * Bale), beside the in-app row they keep: held to the end of their quiet hours unless the alert
 * is urgent and they let urgent ones through.
 */
export function externalAlerts(rows: OutboxRow[], settings: Map<number, AlertSettings>, now: Date): OutboxRow[] {
  const out: OutboxRow[] = [];
  for (const row of rows) {
    if (row.channel !== 'web' || row.recipientUserId === null || !ALERT_TEMPLATES.has(row.template)) continue;
    const s = settings.get(row.recipientUserId);
    if (!s || s.channel === 'web' || !s.address) continue;
    const urgent = URGENT_TEMPLATES.has(row.template) && s.urgentOverrides;
    const at = urgent ? now : sendAfter(s, now);
    out.push({
      ...row,
      channel: s.channel,
      recipientAddress: s.address,
      smsParts: s.channel === 'sms' ? smsParts(row.body).parts : null,
      deliveryKey: `${row.deliveryKey}:${s.channel}`,
      ...(at.getTime() > now.getTime() ? { sendAfter: at.toISOString() } : {}),
    });
  }
  return out;
}
