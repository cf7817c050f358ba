import { INCIDENT_STATUS_TEXT, type IncidentPublicStatus } from '../domain/incident.ts';
import { toPersianDigits } from '../domain/persian-text.ts';
import { trackingCodeText } from '../domain/tracking-code.ts';

/** Everything a message may mention. */
export interface MessageParams {
  trackingCode: string;
  unitName?: string | null;
  toUnitName?: string | null;
  dueAt?: string | null;
  percent?: number;
  link?: string;
  /** The other complaint of a merge: the case a duplicate joined. */
  otherTrackingCode?: string;
  /** The incident a complaint was linked to: its public title and status (no personal data). */
  incidentTitle?: string;
  incidentStatus?: IncidentPublicStatus;
}

export type TemplateKey =
  | 'citizen_received'
  | 'citizen_referred'
  | 'citizen_answered'
  | 'citizen_closed'
  | 'citizen_rejected'
  | 'citizen_merged'
  | 'citizen_split'
  | 'citizen_reopened'
  | 'citizen_incident_linked'
  | 'citizen_incident_status'
  | 'staff_new_referral'
  | 'staff_warning'
  | 'staff_breach'
  | 'staff_escalated_in'
  | 'citizen_appealed'
  | 'citizen_appeal_upheld'
  | 'citizen_appeal_rejected'
  | 'staff_appeal_in'
  | 'staff_appeal_overdue';

/** Outbox templates, including direct replies whose text the channel writes (SMS status, help). */
export type OutboxTemplate =
  | TemplateKey
  | 'sms_reply'
  | 'citizen_joined'
  | 'enforcement_notice'
  | 'enforcement_decision'
  | 'enforcement_appeal_decision'
  | 'inspection_assigned'
  | 'hotspot_alert';

const faDate = new Intl.DateTimeFormat('fa-IR-u-ca-persian', { timeZone: 'Asia/Tehran', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const enDate = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tehran', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false });

/** A deadline as a person in Iran reads it: Jalali, Tehran time, Persian digits (or English). */
export function displayDeadline(iso: string, language: 'fa' | 'en'): string {
  return language === 'fa' ? faDate.format(new Date(iso)) : `${enDate.format(new Date(iso))} Tehran time`;
}

type Render = (p: MessageParams) => string;

const FA: Record<TemplateKey, Render> = {
  citizen_received: (p) =>
    `شکایت شما در سامانهٔ ۱۲۸ ثبت شد.\nکد رهگیری: ${trackingCodeText(p.trackingCode, 'fa')}${p.unitName ? `\nارجاع به: ${p.unitName}` : ''}`,
  citizen_referred: (p) => `شکایت ${trackingCodeText(p.trackingCode, 'fa')} به «${p.unitName}» ارجاع شد.`,
  citizen_answered: (p) => `به شکایت ${trackingCodeText(p.trackingCode, 'fa')} پاسخ داده شد. لطفاً پاسخ را بخوانید و رضایت خود را اعلام کنید:\n${p.link}`,
  citizen_closed: (p) => `شکایت ${trackingCodeText(p.trackingCode, 'fa')} بسته شد. از همراهی شما سپاسگزاریم.`,
  citizen_rejected: (p) => `شکایت ${trackingCodeText(p.trackingCode, 'fa')} رد شد. اگر اعتراض دارید:\n${p.link}`,
  citizen_merged: (p) =>
    `شکایت ${trackingCodeText(p.trackingCode, 'fa')} همان موضوع شکایت ${trackingCodeText(p.otherTrackingCode ?? '', 'fa')} است و با آن یکی شد. رسیدگی در آن پرونده ادامه دارد و خبرهایش برای شما هم فرستاده می‌شود؛ کد رهگیری شما همچنان کار می‌کند.`,
  citizen_split: (p) => `شکایت ${trackingCodeText(p.trackingCode, 'fa')} دوباره جداگانه رسیدگی می‌شود${p.unitName ? `؛ ارجاع به: ${p.unitName}` : ''}.`,
  citizen_reopened: (p) =>
    `شکایت ${trackingCodeText(p.trackingCode, 'fa')} با اعلام نارضایتی شما دوباره باز شد و برای رسیدگی دوباره به «${p.unitName ?? 'مرجع بالاتر'}» فرستاده شد. پاسخ تازه تا ${p.dueAt ? displayDeadline(p.dueAt, 'fa') : 'پایان مهلت'} می‌رسد و پس از آن دوباره می‌توانید رضایت خود را اعلام کنید.`,
  citizen_incident_linked: (p) =>
    `شکایت ${trackingCodeText(p.trackingCode, 'fa')} دربارهٔ مشکلی است که شناخته شده و ${INCIDENT_STATUS_TEXT[p.incidentStatus ?? 'handling'].fa} است: «${p.incidentTitle ?? ''}». پاسخ آن برای شما هم فرستاده می‌شود.`,
  citizen_incident_status: (p) =>
    `خبر تازه دربارهٔ مشکل شناخته‌شدهٔ شکایت ${trackingCodeText(p.trackingCode, 'fa')}: «${p.incidentTitle ?? ''}» اکنون ${INCIDENT_STATUS_TEXT[p.incidentStatus ?? 'handling'].fa} است.`,
  staff_new_referral: (p) =>
    `شکایت تازهٔ ${trackingCodeText(p.trackingCode, 'fa')} به ${p.unitName} ارجاع شد. مهلت پاسخ: ${p.dueAt ? displayDeadline(p.dueAt, 'fa') : '—'}`,
  staff_warning: (p) =>
    `هشدار: ${toPersianDigits(p.percent ?? 0)}٪ مهلت شکایت ${trackingCodeText(p.trackingCode, 'fa')} گذشته است. مهلت: ${p.dueAt ? displayDeadline(p.dueAt, 'fa') : '—'}`,
  staff_breach: (p) => `مهلت شکایت ${trackingCodeText(p.trackingCode, 'fa')} در «${p.unitName}» گذشت و به «${p.toUnitName}» ارجاع شد.`,
  staff_escalated_in: (p) =>
    `شکایت ${trackingCodeText(p.trackingCode, 'fa')} پس از گذشتن مهلت در «${p.unitName}» به واحد شما ارجاع شد. مهلت تازه: ${p.dueAt ? displayDeadline(p.dueAt, 'fa') : '—'}`,
  citizen_appealed: (p) =>
    `درخواست تجدیدنظر شما در شکایت ${trackingCodeText(p.trackingCode, 'fa')} به گروه نظارت استان رسید. نتیجه تا ${p.dueAt ? displayDeadline(p.dueAt, 'fa') : 'پایان مهلت'} اعلام می‌شود.`,
  citizen_appeal_upheld: (p) =>
    `ناظر استان تجدیدنظر شما در شکایت ${trackingCodeText(p.trackingCode, 'fa')} را پذیرفت و شکایت با دستور رسیدگی دوباره به «${p.unitName ?? 'دستگاه'}» بازگشت.`,
  citizen_appeal_rejected: (p) =>
    `ناظر استان تجدیدنظر شما در شکایت ${trackingCodeText(p.trackingCode, 'fa')} را نپذیرفت و شکایت بسته شد. دلیل را اینجا ببینید:\n${p.link}`,
  staff_appeal_in: (p) =>
    `درخواست تجدیدنظر تازه در شکایت ${trackingCodeText(p.trackingCode, 'fa')}. مهلت تصمیم: ${p.dueAt ? displayDeadline(p.dueAt, 'fa') : '—'}`,
  staff_appeal_overdue: (p) => `مهلت تصمیم دربارهٔ تجدیدنظر شکایت ${trackingCodeText(p.trackingCode, 'fa')} گذشت و به مرکز ملی گزارش شد.`,
};

const EN: Record<TemplateKey, Render> = {
  citizen_received: (p) =>
    `Your complaint was registered with 128. Tracking code: ${trackingCodeText(p.trackingCode, 'en')}${p.unitName ? `. Referred to: ${p.unitName}` : ''}`,
  citizen_referred: (p) => `Complaint ${trackingCodeText(p.trackingCode, 'en')} was referred to ${p.unitName}.`,
  citizen_answered: (p) => `Complaint ${trackingCodeText(p.trackingCode, 'en')} has an answer. Please read it and tell us if you are satisfied: ${p.link}`,
  citizen_closed: (p) => `Complaint ${trackingCodeText(p.trackingCode, 'en')} is closed. Thank you.`,
  citizen_rejected: (p) => `Complaint ${trackingCodeText(p.trackingCode, 'en')} was rejected. To object: ${p.link}`,
  citizen_merged: (p) =>
    `Complaint ${trackingCodeText(p.trackingCode, 'en')} is the same matter as complaint ${trackingCodeText(p.otherTrackingCode ?? '', 'en')} and was merged into it. It is handled there and you will get its news; your tracking code still works.`,
  citizen_split: (p) => `Complaint ${trackingCodeText(p.trackingCode, 'en')} is handled on its own again${p.unitName ? `; referred to ${p.unitName}` : ''}.`,
  citizen_reopened: (p) =>
    `Complaint ${trackingCodeText(p.trackingCode, 'en')} is open again because you were not satisfied; it went to ${p.unitName ?? 'the next level'} for a new review. A new answer is due by ${p.dueAt ? displayDeadline(p.dueAt, 'en') : 'the deadline'}, and you can rate it again then.`,
  citizen_incident_linked: (p) =>
    `Complaint ${trackingCodeText(p.trackingCode, 'en')} is about a known problem that is ${INCIDENT_STATUS_TEXT[p.incidentStatus ?? 'handling'].en}: "${p.incidentTitle ?? ''}". You will get its answer too.`,
  citizen_incident_status: (p) =>
    `News on the known problem behind complaint ${trackingCodeText(p.trackingCode, 'en')}: "${p.incidentTitle ?? ''}" is now ${INCIDENT_STATUS_TEXT[p.incidentStatus ?? 'handling'].en}.`,
  staff_new_referral: (p) =>
    `New complaint ${trackingCodeText(p.trackingCode, 'en')} referred to ${p.unitName}. Answer due: ${p.dueAt ? displayDeadline(p.dueAt, 'en') : '—'}`,
  staff_warning: (p) =>
    `Warning: ${p.percent ?? 0}% of the time for complaint ${trackingCodeText(p.trackingCode, 'en')} has passed. Due: ${p.dueAt ? displayDeadline(p.dueAt, 'en') : '—'}`,
  staff_breach: (p) => `Complaint ${trackingCodeText(p.trackingCode, 'en')} missed its deadline at ${p.unitName} and went up to ${p.toUnitName}.`,
  staff_escalated_in: (p) =>
    `Complaint ${trackingCodeText(p.trackingCode, 'en')} came to your unit after missing its deadline at ${p.unitName}. New deadline: ${p.dueAt ? displayDeadline(p.dueAt, 'en') : '—'}`,
  citizen_appealed: (p) =>
    `Your appeal on complaint ${trackingCodeText(p.trackingCode, 'en')} reached the provincial supervisors. Their decision is due by ${p.dueAt ? displayDeadline(p.dueAt, 'en') : 'the deadline'}.`,
  citizen_appeal_upheld: (p) =>
    `The provincial supervisors upheld your appeal on complaint ${trackingCodeText(p.trackingCode, 'en')}; it went back to ${p.unitName ?? 'the agency'} with a directive.`,
  citizen_appeal_rejected: (p) =>
    `The provincial supervisors rejected your appeal on complaint ${trackingCodeText(p.trackingCode, 'en')}; it is closed. The reasons: ${p.link}`,
  staff_appeal_in: (p) => `New appeal on complaint ${trackingCodeText(p.trackingCode, 'en')}. Decision due: ${p.dueAt ? displayDeadline(p.dueAt, 'en') : '—'}`,
  staff_appeal_overdue: (p) => `The decision on the appeal of complaint ${trackingCodeText(p.trackingCode, 'en')} is overdue; the national centre was told.`,
};

export function render(key: TemplateKey, language: 'fa' | 'en', params: MessageParams): string {
  return (language === 'en' ? EN : FA)[key](params);
}

// GSM 03.38 basic set (and the escape-table characters, which count double).
const GSM7 = /^[@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&'()*+,\-./0-9:;<=>?¡A-ZÄÖÑÜ§¿a-zäöñüà^{}\\[~\]|€]*$/;

/**
 * How many SMS parts a text takes. Persian needs UCS-2: 70 UTF-16 units in one part, 67 per
 * part when concatenated (the UDH takes the rest). GSM-7 text: 160, then 153 per part.
 */
export function smsParts(text: string): { encoding: 'gsm7' | 'ucs2'; parts: number; units: number } {
  if (GSM7.test(text)) {
    const units = [...text].reduce((n, c) => n + ('^{}\\[~]|€'.includes(c) ? 2 : 1), 0);
    return { encoding: 'gsm7', units, parts: units <= 160 ? 1 : Math.ceil(units / 153) };
  }
  const units = text.length; // UTF-16 code units, as UCS-2 counts them
  return { encoding: 'ucs2', units, parts: units <= 70 ? 1 : Math.ceil(units / 67) };
}
