import type { Lang, Status } from './api.ts';

const TEHRAN = 'Asia/Tehran';

/** Numbers in the reader's digits: Persian digits (۱۲۳) in Persian, Latin in English. */
export function num(value: number, lang: Lang): string {
  return new Intl.NumberFormat(lang === 'fa' ? 'fa-IR' : 'en-US').format(value);
}

/** A digit string (a tracking code, a phone number) in the reader's digits, without grouping. */
export function digits(value: string, lang: Lang): string {
  return lang === 'fa' ? value.replace(/[0-9]/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!) : value;
}

/** Persian or Arabic-Indic digits typed by a person, as ASCII digits for the API. */
export function asciiDigits(value: string): string {
  return value.replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x06f0)).replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x0660));
}

/**
 * A tracking code as people read it aloud and copy it from paper: three groups of four
 * (۴۸۲۱ ۰۹۳۷ ۵۵۱۲), in the reader's digits. Shown inside <TrackingCode>, isolated left to right.
 */
export function groupedTrackingCode(code: string, lang: Lang): string {
  const clean = trackingCodeDigits(code);
  return digits(clean.replace(/(\d{4})(?=\d)/g, '$1 '), lang);
}

/**
 * What a person typed or pasted as a tracking code, as the API takes it: Persian or Arabic digits
 * to ASCII, and spaces, dashes and anything else between the digits dropped.
 */
export function trackingCodeDigits(input: string): string {
  return asciiDigits(input).replace(/\D/g, '');
}

/** A moment as a person in Iran reads it: the Jalali calendar in Persian, Tehran time either way. */
export function dateTime(iso: string, lang: Lang): string {
  return new Intl.DateTimeFormat(lang === 'fa' ? 'fa-IR-u-ca-persian' : 'en-GB-u-ca-persian', {
    timeZone: TEHRAN,
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

/** The Gregorian reading of the same moment (shown to staff on hover). */
export function gregorian(iso: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: TEHRAN, dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)) + ' (Tehran)';
}

/** "2 h 15 min left" / "overdue by 40 min", from now to a deadline. */
export function countdown(dueIso: string, now: number, lang: Lang): { text: string; overdue: boolean } {
  const ms = new Date(dueIso).getTime() - now;
  const overdue = ms < 0;
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts: string[] = [];
  if (lang === 'fa') {
    if (days) parts.push(`${num(days, lang)} روز`);
    if (hours) parts.push(`${num(hours, lang)} ساعت`);
    if (!days) parts.push(`${num(mins, lang)} دقیقه`);
    return { text: overdue ? `${parts.join(' و ')} از مهلت گذشته` : `${parts.join(' و ')} مانده`, overdue };
  }
  if (days) parts.push(`${days} d`);
  if (hours) parts.push(`${hours} h`);
  if (!days) parts.push(`${mins} min`);
  return { text: overdue ? `overdue by ${parts.join(' ')}` : `${parts.join(' ')} left`, overdue };
}

export const STATUS_NAMES: Record<Status, { fa: string; en: string; color: string }> = {
  received: { fa: 'دریافت‌شده (در انتظار ارجاع)', en: 'Received (awaiting referral)', color: 'gray' },
  referred: { fa: 'ارجاع‌شده به دستگاه', en: 'Referred to the agency', color: 'blue' },
  assigned: { fa: 'واگذارشده به کارشناس', en: 'Assigned', color: 'indigo' },
  in_progress: { fa: 'در حال رسیدگی', en: 'In progress', color: 'violet' },
  answered: { fa: 'پاسخ داده شد', en: 'Answered', color: 'teal' },
  closed: { fa: 'بسته شد', en: 'Closed', color: 'green' },
  rejected: { fa: 'رد شد', en: 'Rejected', color: 'red' },
  appealed: { fa: 'در تجدیدنظر نزد ناظر استان', en: 'Under appeal', color: 'orange' },
};

export const EVENT_NAMES: Record<string, { fa: string; en: string }> = {
  received: { fa: 'شکایت ثبت شد', en: 'Complaint filed' },
  repeat_received: { fa: 'شکایت تکراری به همین پرونده پیوست', en: 'A repeat joined this case' },
  repeat_linked: { fa: 'شکایت تازه‌ای از همین شماره به این پرونده پیوند خورد', en: 'A new complaint from the same phone was linked to this case' },
  case_linked: { fa: 'به پروندهٔ باز همین شماره پیوند خورد', en: 'Linked to the open case of the same phone' },
  referred: { fa: 'ارجاع به دستگاه', en: 'Referred' },
  assigned: { fa: 'واگذاری به کارشناس', en: 'Assigned' },
  started: { fa: 'شروع رسیدگی', en: 'Work started' },
  note_added: { fa: 'یادداشت', en: 'Note' },
  answered: { fa: 'پاسخ دستگاه', en: 'Answered' },
  transferred: { fa: 'انتقال به واحد دیگر', en: 'Transferred' },
  appealed: { fa: 'درخواست تجدیدنظر نزد ناظر استان', en: 'Appealed to the provincial supervisors' },
  appeal_upheld: { fa: 'تجدیدنظر پذیرفته شد؛ بازگشت به دستگاه با دستور رسیدگی', en: 'Appeal upheld; back to the agency with a directive' },
  appeal_rejected: { fa: 'تجدیدنظر پذیرفته نشد', en: 'Appeal rejected' },
  rejected: { fa: 'رد شکایت', en: 'Rejected' },
  rated_satisfied: { fa: 'شهروند راضی بود', en: 'Citizen satisfied' },
  rated_not_satisfied: { fa: 'شهروند ناراضی بود؛ به سطح بالاتر رفت', en: 'Citizen not satisfied; reopened one level up' },
  objected: { fa: 'اعتراض شهروند؛ به سطح بالاتر رفت', en: 'Citizen objected; reopened one level up' },
  escalated: { fa: 'ارجاع به سطح بالاتر', en: 'Escalated' },
  closed_unrated: { fa: 'بسته شد بدون نظر شهروند', en: 'Closed without a rating' },
  sla_warning: { fa: 'هشدار مهلت', en: 'Deadline warning' },
  sla_breached: { fa: 'مهلت پاسخ گذشت', en: 'Deadline breached' },
  contact_viewed: { fa: 'مشاهدهٔ اطلاعات تماس شاکی', en: 'Contact data viewed' },
  merged: { fa: 'ادغام با پروندهٔ دیگر', en: 'Merged into another case' },
  split: { fa: 'جدا شد از پرونده', en: 'Split off' },
  attachment_added: { fa: 'پیوست افزوده شد', en: 'Attachment added' },
  employee_named: { fa: 'کارمند نام‌برده ثبت یا اصلاح شد', en: 'Named employee set or corrected' },
  hotspot: { fa: 'هشدار افزایش ناگهانی شکایت', en: 'Hotspot alert' },
  incident_linked: { fa: 'به رخداد شناخته‌شده پیوست', en: 'Linked to a known incident' },
  incident_unlinked: { fa: 'از رخداد جدا شد', en: 'Unlinked from the incident' },
  incident_updated: { fa: 'وضعیت یا عنوان رخداد تغییر کرد', en: 'Incident status or title changed' },
  incident_closed: { fa: 'رخداد با یک پاسخ بسته شد', en: 'Incident closed with one answer' },
  follow_up_recorded: { fa: 'تماس پیگیری رضایت ثبت شد', en: 'Follow-up call recorded' },
};

/** An incident's public status as citizens and staff read it (the server's domain/incident.ts). */
export const INCIDENT_STATUS_NAMES: Record<string, { fa: string; en: string }> = {
  investigating: { fa: 'در حال بررسی', en: 'Being investigated' },
  handling: { fa: 'در حال رسیدگی', en: 'Being handled' },
  resolved: { fa: 'برطرف شد', en: 'Resolved' },
};

export const CHANNEL_NAMES: Record<string, { fa: string; en: string }> = {
  web: { fa: 'وب', en: 'Web' },
  app: { fa: 'اپلیکیشن', en: 'App' },
  sms: { fa: 'پیامک', en: 'SMS' },
  phone: { fa: 'تلفن ۱۲۸', en: 'Phone 128' },
  telegram: { fa: 'تلگرام', en: 'Telegram' },
  bale: { fa: 'بله', en: 'Bale' },
  open311: { fa: 'برنامهٔ دیگر (Open311)', en: 'Third-party app (Open311)' },
};

export function nameOf<T extends { fa: string; en: string }>(table: Record<string, T>, key: string, lang: Lang): string {
  return table[key]?.[lang] ?? key;
}
