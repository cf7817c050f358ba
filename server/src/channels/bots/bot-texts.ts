import { ERRORS } from '../../core/errors.ts';
import { toPersianDigits } from '../../domain/persian-text.ts';
import { trackingCodeText } from '../../domain/tracking-code.ts';
import { consentLine } from './consent-step.ts';
import type { BotChannel, Draft } from './conversation.ts';

export const DESCRIPTION_MIN = 15;
export const DESCRIPTION_MAX = 3500;
export const MAX_ATTACHMENTS = 10;

/** Everything the bot says, in Persian. */
export const T = {
  welcome:
    'سلام! این‌جا ربات سامانهٔ ۱۲۸ (فوریت‌های اداری) است.\n\n' +
    '• ثبت شکایت از یک دستگاه اجرایی، گام به گام: نام دستگاه، استان و شهرستان، نوع شکایت، شرح ماجرا، نام یا سمت کارمند (اختیاری)، موقعیت (اختیاری) و شمارهٔ همراه شما.\n' +
    '• پیگیری: کد رهگیری ۱۲ رقمی را بفرستید (یا /status و پس از آن کد).\n\n' +
    'خبرهای شکایت شما در همین گفتگو فرستاده می‌شود. هر زمان /cancel شکایت نیمه‌کاره را لغو می‌کند.',
  help: 'برای ثبت شکایت تازه /start را بزنید. برای پیگیری، کد رهگیری ۱۲ رقمی را بفرستید.',
  askAgency: 'از کدام دستگاه یا سازمان شکایت دارید؟ نام آن را بنویسید (بخشی از نام هم کافی است؛ مثلاً «تأمین اجتماعی» یا «شهرداری»).',
  agencyTooShort: 'دست‌کم دو حرف از نام دستگاه را بنویسید.',
  agencyNone: 'دستگاهی با این نام پیدا نشد. نام دیگری یا بخش دیگری از نام را بنویسید.',
  agencyPick: 'دستگاه موردنظر را برگزینید:',
  agencyMore: '\nاگر در فهرست نیست، نام را دقیق‌تر بنویسید.',
  askProvince: 'استان را برگزینید (یا بخشی از نام آن را بنویسید):',
  askCounty: (province: string) => `شهرستان را در استان ${province} برگزینید (یا بخشی از نام آن را بنویسید):`,
  placeNone: 'با این نام چیزی پیدا نشد؛ از دکمه‌ها برگزینید یا نام دیگری بنویسید.',
  askCategory: 'نوع شکایت را برگزینید.',
  urgentNote: (list: string) => `نوع‌های فوری (🔴) زودتر رسیدگی می‌شوند: ${list}.`,
  categoryUnknown: 'نمی‌دانم / سایر',
  useButtons: 'لطفاً یکی از دکمه‌ها را بزنید.',
  askDescription: `شرح شکایت را بنویسید: چه شد، کجا و چه زمانی (دست‌کم ${toPersianDigits(DESCRIPTION_MIN)} حرف). می‌توانید عکس، فیلم یا پیام صوتی هم بفرستید.`,
  descriptionShort: `شرح کوتاه است؛ دست‌کم ${toPersianDigits(DESCRIPTION_MIN)} حرف بنویسید.`,
  descriptionLong: `شرح بلند است؛ آن را در ${toPersianDigits(DESCRIPTION_MAX)} حرف خلاصه کنید.`,
  askEmployee:
    'اگر نام یا سمت کارمندی را که با او سروکار داشتید می‌دانید، بنویسید؛ مثلاً «آقای رضایی» یا «مسئول باجهٔ ۳».\n' +
    'این کار اختیاری است و نام را فقط بازرسان می‌بینند. اگر نمی‌خواهید، «رد شدن» را بزنید.',
  skipEmployee: 'رد شدن',
  employeeBad: `${ERRORS.invalid_named_employee.fa}\nدوباره بنویسید یا «رد شدن» را بزنید.`,
  askLocation: 'اگر می‌خواهید، موقعیت مکانی را با دکمهٔ زیر بفرستید؛ وگرنه «بدون موقعیت» را بزنید.',
  sendLocation: '📍 فرستادن موقعیت',
  noLocation: 'بدون موقعیت',
  locationHint: 'موقعیت را با دکمهٔ «📍 فرستادن موقعیت» بفرستید، یا «بدون موقعیت» را بزنید.',
  locationBad: 'این موقعیت درست نیست؛ دوباره بفرستید یا «بدون موقعیت» را بزنید.',
  locationNotNow: 'اکنون به موقعیت نیازی نیست.',
  askPhone: 'شمارهٔ همراه شما برای پیگیری و پیامک‌های شکایت لازم است. دکمهٔ «📱 فرستادن شمارهٔ من» را بزنید.',
  sendPhone: '📱 فرستادن شمارهٔ من',
  phoneHint: 'برای اطمینان، شماره فقط با دکمهٔ «📱 فرستادن شمارهٔ من» پذیرفته می‌شود.',
  phoneNotOwn: 'فقط شمارهٔ خودتان را می‌توان فرستاد؛ دکمهٔ «📱 فرستادن شمارهٔ من» را بزنید.',
  phoneBad: 'این شماره پذیرفته نشد؛ یک شمارهٔ همراه معتبر لازم است.',
  phoneNotNow: 'اکنون به شماره نیازی نیست.',
  phoneOk: 'شماره دریافت شد.',
  confirm: 'تأیید',
  cancel: 'لغو',
  confirmHint: 'اگر درست است «تأیید» را بزنید؛ برای شروع دوباره «لغو» را.',
  attachmentNoted: (n: number) => `پیوست دریافت شد (${toPersianDigits(n)}). پس از تأیید، همراه شکایت نگهداری می‌شود.`,
  attachmentNotedIdOnly: (n: number) => `پیوست دریافت شد (${toPersianDigits(n)}). شناسهٔ پرونده در متن شکایت ثبت می‌شود.`,
  attachmentsStored: (n: number) => `${toPersianDigits(n)} پیوست همراه شکایت نگهداری شد.`,
  attachmentsFailed: (n: number) =>
    `${toPersianDigits(n)} پیوست نگهداری نشد (نوع یا حجم پذیرفته نیست، یا دریافت آن از پیام‌رسان ممکن نشد). می‌توانید آن را از راه وبگاه با کد رهگیری بفرستید.`,
  attachmentTooMany: `بیش از ${toPersianDigits(MAX_ATTACHMENTS)} پیوست پذیرفته نمی‌شود.`,
  attachmentNotNow: 'پیوست را پس از گام «شرح شکایت» بفرستید.',
  cancelled: 'شکایت نیمه‌کاره لغو شد. برای شروع دوباره /start را بزنید.',
  nothingToCancel: 'شکایت نیمه‌کاره‌ای در کار نیست.',
  stale: 'این دکمه دیگر کار نمی‌کند.',
  alreadyFiled: (code: string) => `این شکایت پیش‌تر ثبت شده است. کد رهگیری: ${trackingCodeText(code, 'fa')}`,
  notFiled: (reason: string) => `شکایت ثبت نشد: ${reason}`,
  statusUsage: 'کد رهگیری ۱۲ رقمی را پس از /status بنویسید، یا خود کد را بفرستید.',
  badCode: 'کد رهگیری درست نیست؛ رقم‌ها را دوباره بررسی کنید.',
  noComplaint: 'شکایتی با این کد رهگیری پیدا نشد.',
  failure: 'خطایی پیش آمد و کار انجام نشد. چند لحظهٔ دیگر دوباره تلاش کنید.',
  chatLinked: (where: string) =>
    `این گفتگو به حساب کاربری شما در سامانهٔ ۱۲۸ پیوند خورد. از این پس اعلان‌های کاری شما در همین گفتگوی ${where} فرستاده می‌شود (با همان ساعت‌های آرام).`,
  linkCodeBad: 'این کد اتصال درست نیست، یا زمانش گذشته یا پیش‌تر به کار رفته است. از صفحهٔ «اعلان‌ها» در سامانه کد تازه بگیرید.',
};

/** Shortens a label to `max` characters. */
export function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The confirmation summary of the draft. */
export function summary(d: Draft): string {
  const lines = [
    'خلاصهٔ شکایت شما:',
    `دستگاه: ${d.agency?.name ?? '—'}`,
    `استان و شهرستان: ${d.province?.name ?? '—'} / ${d.county?.name ?? '—'}`,
    `نوع: ${d.category ? `${d.category.name}${d.category.urgent ? ' (فوری)' : ''}` : 'نامشخص'}`,
    `شرح: ${clip(d.description ?? '', 1500)}`,
    `کارمند نام‌برده: ${d.namedEmployee ?? 'ندارد'}`,
    `موقعیت: ${d.location ? 'فرستاده شد' : 'ندارد'}`,
  ];
  if (d.attachments.length) lines.push(`پیوست‌ها: ${toPersianDigits(d.attachments.length)}`);
  lines.push(`شمارهٔ همراه: ${toPersianDigits(d.phone ? `0${d.phone.replace(/^\+98/, '')}` : '—')}`, consentLine(d.shareIdentity), '', T.confirmHint);
  return lines.join('\n');
}

/** The description as filed: the citizen's text, then (only when files are not stored) the messenger file ids of what they attached. */
export function filedDescription(channel: BotChannel, d: Draft, filesStored: boolean): string {
  if (!d.attachments.length || filesStored) return d.description!;
  const where = channel === 'telegram' ? 'تلگرام' : 'بله';
  return `${d.description}\n\n[پیوست‌ها در ${where} — شناسهٔ پرونده: ${d.attachments.join(' ، ')}]`;
}
