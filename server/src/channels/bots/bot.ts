import { randomBytes } from 'node:crypto';
import { Bot, type Context, GrammyError, InlineKeyboard, Keyboard, type SessionFlavor, type StorageAdapter, session } from 'grammy';
import type { Message, Update, UserFromGetMe } from 'grammy/types';
import { listCategories } from '../../agencies/catalogue-store.ts';
import { type County, getUnit, listDivisions, listUnits, type Province } from '../../agencies/store.ts';
import type { AttachmentSettings } from '../../attachments/add-attachment.ts';
import { type IntakeInput, submitComplaint } from '../../complaints/submit-complaint.ts';
import { AppError, ERRORS } from '../../core/errors.ts';
import type { Database } from '../../db/database.ts';
import { parseContactPhone } from '../../domain/identity.ts';
import { parseNamedEmployee } from '../../domain/named-employee.ts';
import { normalizePersianText, searchForm, toAsciiDigits, toPersianDigits } from '../../domain/persian-text.ts';
import { formatTrackingCode, parseTrackingCode } from '../../domain/tracking-code.ts';
import { publicStatus } from '../../tracking/citizen-tracking.ts';
import { statusSentence } from '../status-text.ts';
import { CONSENT_ACTION, confirmKeyboard, consentChoice, consentLine } from './consent-step.ts';
import { DatabaseSessionStorage } from './session-store.ts';
import { storeBotFiles } from './store-bot-files.ts';

export type BotChannel = 'telegram' | 'bale';

/** Where each messenger's Bot API lives (Bale speaks the Telegram Bot API at its own root). */
export const DEFAULT_API_ROOTS: Record<BotChannel, string> = { telegram: 'https://api.telegram.org', bale: 'https://tapi.bale.ai' };

type Step = 'idle' | 'agency' | 'province' | 'county' | 'category' | 'description' | 'employee' | 'location' | 'phone' | 'confirm';

interface Named {
  id: number;
  name: string;
}

/** What the citizen has told the bot so far. */
export interface Draft {
  agency?: Named;
  province?: Named;
  county?: Named;
  /** null: the citizen did not know the category */
  category?: (Named & { urgent: boolean }) | null;
  description?: string;
  /** The employee the citizen names, as typed; null: they skipped the question. */
  namedEmployee?: string | null;
  /** `<kind>:<file_id>` of the photos, videos and voice notes sent; fetched and stored as attachments once the complaint is filed. */
  attachments: string[];
  /** null: the citizen chose to give no location */
  location?: { lat: number; lng: number } | null;
  /** E.164, from the citizen's own shared contact */
  phone?: string;
  /** The citizen agrees that the agency may see their name and phone (consent-step.ts; default no). */
  shareIdentity?: boolean;
}

/** One chat's conversation, kept in the session storage. */
export interface BotSession {
  step: Step;
  /**
   * The current form's random id. Every inline button carries it, so a button from an older
   * form does nothing, and it makes the idempotency key: however often the confirmation
   * arrives (a redelivered update, a second press), one form files one complaint.
   */
  form: string;
  draft: Draft;
  /** The last form filed from this chat, to answer a repeated confirmation with the same code. */
  filed?: { form: string; trackingCode: string } | undefined;
}

export type BotContext = Context & SessionFlavor<BotSession>;

export interface ComplaintBotOptions {
  db: Database;
  /** publicUrl for the links in messages; caseJoinHours: the same citizen about the same agency within it joins their open case (0: never, the default). */
  settings: { publicUrl: string; caseJoinHours?: number | undefined };
  token: string;
  channel: BotChannel;
  /** The Bot API root (no trailing slash); defaults to Telegram's or Bale's. Tests point it at a local fake. */
  apiRoot?: string | undefined;
  /** Where conversations are kept; defaults to the `bot_sessions` table. */
  storage?: StorageAdapter<BotSession> | undefined;
  /** Known bot info: skips the getMe call at start (and lets webhook mode answer the first update at once). */
  botInfo?: UserFromGetMe | undefined;
  /** Where the files citizens send are stored (the server's attachment storage and limits). Without it files are only noted by id. */
  attachments?: AttachmentSettings | undefined;
  /** Errors the bot could not answer (failed API calls, database errors). Defaults to console.error. */
  onError?: ((error: unknown) => void) | undefined;
}

export interface ComplaintBot {
  readonly channel: BotChannel;
  readonly bot: Bot<BotContext>;
  /**
   * Long polling: resolves once the bot is polling (getMe and deleteWebhook done); polling goes on
   * in the background until `stop()`. Use either this or the webhook, never both.
   */
  startPolling(options?: { timeoutSeconds?: number | undefined; dropPendingUpdates?: boolean | undefined }): Promise<void>;
  /** Stops long polling (confirming the updates already handled); a no-op otherwise. */
  stop(): Promise<void>;
  /** Webhook mode: tells the messenger where to post updates, with the secret it must send back. */
  setWebhook(url: string, secretToken: string): Promise<void>;
  /** Handles one update (what the webhook does): for tests and custom transports. */
  handleUpdate(update: Update): Promise<void>;
}

const DESCRIPTION_MIN = 15;
const DESCRIPTION_MAX = 3500;
const MAX_ATTACHMENTS = 10;
const AGENCY_MATCHES = 8;
const PAGE_SIZE = 12;
const DIVISIONS_TTL_MS = 10 * 60_000;

const T = {
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
  filed: (code: string, unit: string | null) =>
    `شکایت شما ثبت شد.\nکد رهگیری: ${persianCode(code)}${unit ? `\nارجاع به: ${unit}` : ''}\n\nاین کد را نگه دارید؛ برای پیگیری آن را همین‌جا بفرستید. خبرهای شکایت نیز در همین گفتگو می‌رسد.`,
  alreadyFiled: (code: string) => `این شکایت پیش‌تر ثبت شده است. کد رهگیری: ${persianCode(code)}`,
  notFiled: (reason: string) => `شکایت ثبت نشد: ${reason}`,
  statusUsage: 'کد رهگیری ۱۲ رقمی را پس از /status بنویسید، یا خود کد را بفرستید.',
  badCode: 'کد رهگیری درست نیست؛ رقم‌ها را دوباره بررسی کنید.',
  noComplaint: 'شکایتی با این کد رهگیری پیدا نشد.',
  failure: 'خطایی پیش آمد و کار انجام نشد. چند لحظهٔ دیگر دوباره تلاش کنید.',
};

function persianCode(code: string): string {
  return toPersianDigits(formatTrackingCode(code));
}

function newForm(): string {
  return randomBytes(4).toString('hex');
}

function freshSession(previous?: BotSession): BotSession {
  return { step: 'idle', form: newForm(), draft: { attachments: [] }, filed: previous?.filed };
}

/** Inline button data: `<form>|<action>|<argument>` (Telegram allows 64 bytes). */
function data(form: string, action: string, arg: string | number = ''): string {
  return `${form}|${action}|${arg}`;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A page of choices as an inline keyboard, two to a row, with page buttons. */
function pagedKeyboard(form: string, items: Named[], action: string, pageAction: string, page: number): InlineKeyboard {
  const pages = Math.max(1, Math.ceil(items.length / PAGE_SIZE));
  const current = Math.min(Math.max(0, page), pages - 1);
  const keyboard = new InlineKeyboard();
  items.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE).forEach((item, i) => {
    keyboard.text(clip(item.name, 40), data(form, action, item.id));
    if (i % 2 === 1) keyboard.row();
  });
  if (pages > 1) {
    keyboard.row();
    if (current > 0) keyboard.text('« قبلی', data(form, pageAction, current - 1));
    keyboard.text(`${toPersianDigits(current + 1)} از ${toPersianDigits(pages)}`, data(form, 'noop'));
    if (current < pages - 1) keyboard.text('بعدی »', data(form, pageAction, current + 1));
  }
  return keyboard;
}

/** The bare tracking code in a message, if the message is nothing else: 12 digits, any digits, spaces or dashes. */
function bareCode(text: string): string | null {
  const compact = toAsciiDigits(text).replace(/[\s\-_.]/g, '');
  return /^\d{12}$/.test(compact) ? compact : null;
}

function summary(d: Draft): string {
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
function filedDescription(channel: BotChannel, d: Draft, filesStored: boolean): string {
  if (!d.attachments.length || filesStored) return d.description!;
  const where = channel === 'telegram' ? 'تلگرام' : 'بله';
  return `${d.description}\n\n[پیوست‌ها در ${where} — شناسهٔ پرونده: ${d.attachments.join(' ، ')}]`;
}

/**
 * The 128 complaint bot for Telegram or Bale (the same code; only the API root differs).
 * A private chat walks the citizen through a complaint — agency (typed, then picked), province
 * and county, category, description (with attachments noted), the employee they name (optional:
 * «رد شدن» skips it), optional location and the citizen's own phone — shows a summary, and on «تأیید» files it with submitComplaint, replies
 * going back to this chat. A tracking code (or /status code) answers with the status.
 */
export function createComplaintBot(options: ComplaintBotOptions): ComplaintBot {
  const { db, channel } = options;
  const apiRoot = options.apiRoot ?? DEFAULT_API_ROOTS[channel];
  const bot = new Bot<BotContext>(options.token, { client: { apiRoot }, ...(options.botInfo ? { botInfo: options.botInfo } : {}) });
  const onError = options.onError ?? ((error: unknown) => console.error(`[${channel} bot]`, error));
  const storage = options.storage ?? new DatabaseSessionStorage<BotSession>(db.pool);

  let divisions: { at: number; list: Promise<(Province & { counties: County[] })[]> } | null = null;
  const provinces = () => {
    if (!divisions || Date.now() - divisions.at > DIVISIONS_TTL_MS) {
      const list = listDivisions(db.pool);
      divisions = { at: Date.now(), list };
      list.catch(() => (divisions = null));
    }
    return divisions.list;
  };

  bot.catch((error) => onError(error.error));

  // Only private chats: the reply address is the chat, and the phone must be the citizen's own.
  const pm = bot.chatType('private');
  pm.use(
    session({
      initial: () => freshSession(),
      storage,
      getSessionKey: (ctx) => (ctx.chat ? `${channel}:${ctx.me.id}:${ctx.chat.id}` : undefined),
    }),
  );
  // Inside the session: the conversation is saved even when a reply fails, and the citizen hears of the failure.
  const chat = pm.errorBoundary(async (error) => {
    onError(error.error);
    await error.ctx.reply(T.failure).catch(() => undefined);
  });

  // ——— asking ———
  const askAgency = async (ctx: BotContext) => {
    ctx.session.step = 'agency';
    await ctx.reply(T.askAgency, { reply_markup: { remove_keyboard: true } });
  };

  const provinceKeyboard = async (s: BotSession, page: number, filter?: string) => {
    let items: Named[] = (await provinces()).map((p) => ({ id: p.id, name: p.nameFa }));
    if (filter) items = items.filter((p) => searchForm(p.name).includes(searchForm(filter)));
    return { items, keyboard: pagedKeyboard(s.form, items, 'p', 'pp', page) };
  };
  const countyKeyboard = async (s: BotSession, page: number, filter?: string) => {
    const province = (await provinces()).find((p) => p.id === s.draft.province?.id);
    let items: Named[] = (province?.counties ?? []).map((c) => ({ id: c.id, name: c.nameFa }));
    if (filter) items = items.filter((c) => searchForm(c.name).includes(searchForm(filter)));
    return { items, keyboard: pagedKeyboard(s.form, items, 'c', 'cp', page) };
  };

  const askProvince = async (ctx: BotContext) => {
    ctx.session.step = 'province';
    await ctx.reply(T.askProvince, { reply_markup: (await provinceKeyboard(ctx.session, 0)).keyboard });
  };
  const askCounty = async (ctx: BotContext) => {
    ctx.session.step = 'county';
    await ctx.reply(T.askCounty(ctx.session.draft.province!.name), { reply_markup: (await countyKeyboard(ctx.session, 0)).keyboard });
  };
  const askCategory = async (ctx: BotContext) => {
    ctx.session.step = 'category';
    const categories = await listCategories(db.pool);
    const keyboard = new InlineKeyboard();
    for (const c of categories) keyboard.text(clip(`${c.urgent ? '🔴 ' : ''}${c.nameFa}`, 60), data(ctx.session.form, 'k', c.id)).row();
    keyboard.text(T.categoryUnknown, data(ctx.session.form, 'k', '-'));
    const urgent = categories.filter((c) => c.urgent).map((c) => `${c.nameFa} (پاسخ تا ${toPersianDigits(c.answerHours)} ساعت)`);
    await ctx.reply([T.askCategory, urgent.length ? T.urgentNote(urgent.join('، ')) : ''].filter(Boolean).join('\n'), { reply_markup: keyboard });
  };
  const askDescription = async (ctx: BotContext) => {
    ctx.session.step = 'description';
    await ctx.reply(T.askDescription);
  };
  const askEmployee = async (ctx: BotContext) => {
    ctx.session.step = 'employee';
    await ctx.reply(T.askEmployee, { reply_markup: new InlineKeyboard().text(`⏭ ${T.skipEmployee}`, data(ctx.session.form, 'e', '-')) });
  };
  const askLocation = async (ctx: BotContext) => {
    ctx.session.step = 'location';
    await ctx.reply(T.askLocation, { reply_markup: new Keyboard().requestLocation(T.sendLocation).text(T.noLocation).resized().oneTime() });
  };
  const askPhone = async (ctx: BotContext) => {
    ctx.session.step = 'phone';
    await ctx.reply(T.askPhone, { reply_markup: new Keyboard().requestContact(T.sendPhone).resized().oneTime() });
  };
  const askConfirm = async (ctx: BotContext) => {
    ctx.session.step = 'confirm';
    const form = ctx.session.form;
    await ctx.reply(summary(ctx.session.draft), { reply_markup: confirmKeyboard(form, ctx.session.draft.shareIdentity, T) });
  };

  /** Replaces the message with the chosen buttons by what was chosen (no buttons left to press twice). */
  const settle = async (ctx: BotContext, text: string) => {
    await ctx.editMessageText(text).catch((error) => {
      if (!(error instanceof GrammyError)) throw error; // "message is not modified", a message too old to edit: harmless
    });
  };

  const answerStatus = async (ctx: BotContext, input: string) => {
    const code = parseTrackingCode(input);
    if (!code) return void (await ctx.reply(T.badCode));
    try {
      await ctx.reply(statusSentence(await publicStatus(db, code)));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      await ctx.reply(error.code === 'complaint_not_found' ? T.noComplaint : T.badCode);
    }
  };

  // ——— filing ———
  const file = async (ctx: BotContext) => {
    const s = ctx.session;
    const d = s.draft;
    const input: IntakeInput = {
      channel,
      agencyId: d.agency!.id,
      provinceId: d.province!.id,
      countyId: d.county!.id,
      ...(d.category ? { categoryId: d.category.id } : {}),
      description: filedDescription(channel, d, options.attachments !== undefined),
      ...(d.namedEmployee ? { namedEmployee: d.namedEmployee } : {}),
      ...(d.location ? { location: { lat: d.location.lat, lng: d.location.lng } } : {}),
      contact: { phone: d.phone! },
      language: 'fa',
      shareIdentity: d.shareIdentity ?? false,
      reply: { channel, address: String(ctx.chat!.id) },
    };
    let result: Awaited<ReturnType<typeof submitComplaint>>;
    try {
      result = await submitComplaint(db, input, {
        // One form, one complaint: a redelivered or repeated confirmation gets the same complaint back.
        idempotencyKey: `${ctx.me.id}:${ctx.chat!.id}:${s.form}`,
        actor: { kind: 'citizen', id: null },
        publicUrl: options.settings.publicUrl,
        joinWindowHours: options.settings.caseJoinHours ?? 0,
        // The phone came from the citizen's own contact card (checked against the sender below).
        phoneVerified: true,
      });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      await ctx.reply(T.notFiled(ERRORS[error.code].fa));
      // Send the citizen back to the step that needs a new answer.
      if (error.code === 'unknown_agency') return askAgency(ctx);
      if (error.code === 'unknown_place') return askProvince(ctx);
      if (error.code === 'unknown_category') return askCategory(ctx);
      if (error.code === 'invalid_phone') return askPhone(ctx);
      if (error.code === 'invalid_named_employee') return askEmployee(ctx);
      return;
    }
    ctx.session = { ...freshSession(), filed: { form: s.form, trackingCode: result.trackingCode } };
    await settle(ctx, `${summary(d).split('\n\n')[0]}\n\n✅ تأیید شد.`);
    await ctx.reply(T.filed(result.trackingCode, result.referredTo?.name ?? null), { reply_markup: { remove_keyboard: true } });
    // The files go to the complaint after it is filed: a slow or
    // failed download never holds up or undoes the complaint itself.
    if (options.attachments && d.attachments.length) {
      const outcome = await storeBotFiles(db, options.attachments, { api: bot.api, token: options.token, apiRoot, channel }, result.id, d.attachments);
      for (const failure of outcome.failed) if (!(failure.error instanceof AppError)) onError(failure.error);
      if (outcome.stored) await ctx.reply(T.attachmentsStored(outcome.stored));
      if (outcome.failed.length) await ctx.reply(T.attachmentsFailed(outcome.failed.length));
    }
  };

  // ——— commands ———
  chat.command(['start', 'new'], async (ctx) => {
    ctx.session = freshSession(ctx.session);
    await ctx.reply(T.welcome);
    await askAgency(ctx);
  });
  chat.command('help', (ctx) => ctx.reply(T.welcome));
  chat.command('cancel', async (ctx) => {
    const busy = ctx.session.step !== 'idle';
    ctx.session = freshSession(ctx.session);
    await ctx.reply(busy ? T.cancelled : T.nothingToCancel, { reply_markup: { remove_keyboard: true } });
  });
  chat.command('status', async (ctx) => {
    if (!ctx.match.trim()) return void (await ctx.reply(T.statusUsage));
    await answerStatus(ctx, ctx.match);
  });

  // ——— buttons ———
  chat.on('callback_query:data', async (ctx) => {
    const [form, action, arg = ''] = ctx.callbackQuery.data.split('|');
    const s = ctx.session;
    if (form !== s.form) {
      // A repeated confirmation of a form already filed (a second press, a redelivered update).
      if (action === 'ok' && s.filed && s.filed.form === form) {
        await ctx.answerCallbackQuery();
        return void (await ctx.reply(T.alreadyFiled(s.filed.trackingCode)));
      }
      return void (await ctx.answerCallbackQuery({ text: T.stale }));
    }
    const id = Number(arg);
    switch (`${s.step}:${action}`) {
      case 'agency:a': {
        const unit = Number.isSafeInteger(id) ? await getUnit(db.pool, id) : null;
        if (!unit?.active || (unit.kind !== 'ministry' && unit.kind !== 'organisation')) break;
        await ctx.answerCallbackQuery();
        s.draft.agency = { id: unit.id, name: unit.nameFa };
        await settle(ctx, `دستگاه: ${unit.nameFa}`);
        return askProvince(ctx);
      }
      case 'province:pp':
      case 'county:cp': {
        await ctx.answerCallbackQuery();
        const { keyboard } = s.step === 'province' ? await provinceKeyboard(s, id) : await countyKeyboard(s, id);
        await ctx.editMessageReplyMarkup({ reply_markup: keyboard }).catch((error) => {
          if (!(error instanceof GrammyError)) throw error;
        });
        return;
      }
      case 'province:p': {
        const province = (await provinces()).find((p) => p.id === id);
        if (!province) break;
        await ctx.answerCallbackQuery();
        s.draft.province = { id: province.id, name: province.nameFa };
        await settle(ctx, `استان: ${province.nameFa}`);
        return askCounty(ctx);
      }
      case 'county:c': {
        const county = (await provinces()).find((p) => p.id === s.draft.province?.id)?.counties.find((c) => c.id === id);
        if (!county) break;
        await ctx.answerCallbackQuery();
        s.draft.county = { id: county.id, name: county.nameFa };
        await settle(ctx, `شهرستان: ${county.nameFa}`);
        return askCategory(ctx);
      }
      case 'category:k': {
        let category: Draft['category'] = null;
        if (arg !== '-') {
          const found = (await listCategories(db.pool)).find((c) => c.id === id);
          if (!found) break;
          category = { id: found.id, name: found.nameFa, urgent: found.urgent };
        }
        await ctx.answerCallbackQuery();
        s.draft.category = category;
        await settle(ctx, `نوع شکایت: ${category ? `${category.name}${category.urgent ? ' (فوری)' : ''}` : 'نامشخص'}`);
        return askDescription(ctx);
      }
      case 'employee:e':
        await ctx.answerCallbackQuery();
        s.draft.namedEmployee = null;
        await settle(ctx, 'کارمند نام‌برده: ندارد');
        return askLocation(ctx);
      case `confirm:${CONSENT_ACTION}`:
        await ctx.answerCallbackQuery();
        s.draft.shareIdentity = consentChoice(arg);
        await ctx.editMessageText(summary(s.draft), { reply_markup: confirmKeyboard(s.form, s.draft.shareIdentity, T) }).catch((error) => {
          if (!(error instanceof GrammyError)) throw error;
        });
        return;
      case 'confirm:ok':
        await ctx.answerCallbackQuery();
        return file(ctx);
      case 'confirm:no':
        await ctx.answerCallbackQuery();
        ctx.session = freshSession(s);
        await settle(ctx, `${summary(s.draft).split('\n\n')[0]}\n\n✖️ لغو شد.`);
        return void (await ctx.reply(T.cancelled));
    }
    if (action === 'noop') return void (await ctx.answerCallbackQuery());
    await ctx.answerCallbackQuery({ text: T.stale });
  });

  // ——— the citizen's phone: only their own contact ———
  chat.on('message:contact', async (ctx) => {
    const s = ctx.session;
    if (s.step !== 'phone') return void (await ctx.reply(T.phoneNotNow));
    const contact = ctx.message.contact;
    if (contact.user_id === undefined || contact.user_id !== ctx.from.id) return void (await ctx.reply(T.phoneNotOwn));
    const raw = toAsciiDigits(contact.phone_number).trim();
    const phone = parseContactPhone(/^[+0]/.test(raw) ? raw : `+${raw}`); // messengers send the number without its "+"
    if (!phone) return void (await ctx.reply(T.phoneBad));
    s.draft.phone = phone.e164;
    await ctx.reply(T.phoneOk, { reply_markup: { remove_keyboard: true } });
    await askConfirm(ctx);
  });

  chat.on('message:location', async (ctx) => {
    const s = ctx.session;
    if (s.step !== 'location' && s.step !== 'description' && s.step !== 'employee') return void (await ctx.reply(T.locationNotNow));
    const { latitude: lat, longitude: lng } = ctx.message.location;
    if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) return void (await ctx.reply(T.locationBad));
    s.draft.location = { lat, lng };
    if (s.step === 'location') await askPhone(ctx);
    else await ctx.reply('موقعیت دریافت شد.');
  });

  // ——— attachments: noted by file id only (storing the files is the attachments work) ———
  chat.on(['message:photo', 'message:video', 'message:voice', 'message:video_note', 'message:audio', 'message:document'], async (ctx) => {
    const s = ctx.session;
    if (s.step !== 'description' && s.step !== 'employee' && s.step !== 'location') return void (await ctx.reply(T.attachmentNotNow));
    if (s.draft.attachments.length >= MAX_ATTACHMENTS) return void (await ctx.reply(T.attachmentTooMany));
    s.draft.attachments.push(attachmentOf(ctx.message));
    await ctx.reply((options.attachments ? T.attachmentNoted : T.attachmentNotedIdOnly)(s.draft.attachments.length));
    const caption = normalizePersianText(ctx.message.caption ?? '');
    if (s.step === 'description' && caption.length >= DESCRIPTION_MIN && caption.length <= DESCRIPTION_MAX) {
      s.draft.description = caption;
      await askEmployee(ctx);
    }
  });

  // ——— typed text ———
  chat.on('message:text', async (ctx) => {
    const s = ctx.session;
    const text = normalizePersianText(ctx.message.text);
    const code = bareCode(text);
    if (code && (s.step !== 'phone' || parseTrackingCode(code))) return answerStatus(ctx, code);
    switch (s.step) {
      case 'idle':
        return void (await ctx.reply(T.help));
      case 'agency': {
        if (searchForm(text).length < 2) return void (await ctx.reply(T.agencyTooShort));
        const units = await listUnits(db.pool, { q: text.slice(0, 100), rootsOnly: true, limit: AGENCY_MATCHES + 1 });
        if (!units.length) return void (await ctx.reply(T.agencyNone));
        const keyboard = new InlineKeyboard();
        for (const u of units.slice(0, AGENCY_MATCHES)) keyboard.text(clip(u.nameFa, 60), data(s.form, 'a', u.id)).row();
        return void (await ctx.reply(T.agencyPick + (units.length > AGENCY_MATCHES ? T.agencyMore : ''), { reply_markup: keyboard }));
      }
      case 'province':
      case 'county': {
        const { items, keyboard } = s.step === 'province' ? await provinceKeyboard(s, 0, text) : await countyKeyboard(s, 0, text);
        if (!items.length) return void (await ctx.reply(T.placeNone));
        return void (await ctx.reply(s.step === 'province' ? T.askProvince : T.askCounty(s.draft.province!.name), { reply_markup: keyboard }));
      }
      case 'category':
      case 'confirm':
        return void (await ctx.reply(T.useButtons));
      case 'description':
        if (text.length < DESCRIPTION_MIN) return void (await ctx.reply(T.descriptionShort));
        if (text.length > DESCRIPTION_MAX) return void (await ctx.reply(T.descriptionLong));
        s.draft.description = text;
        return askEmployee(ctx);
      case 'employee':
        if (text === T.skipEmployee) {
          s.draft.namedEmployee = null;
          return askLocation(ctx);
        }
        // Checked here with intake's own rule, so the citizen can fix it before the summary.
        if (!parseNamedEmployee(text).ok) return void (await ctx.reply(T.employeeBad));
        s.draft.namedEmployee = text;
        return askLocation(ctx);
      case 'location':
        if (text === T.noLocation) {
          s.draft.location = null;
          return askPhone(ctx);
        }
        return void (await ctx.reply(T.locationHint));
      case 'phone':
        return void (await ctx.reply(T.phoneHint));
    }
  });

  chat.on('message', (ctx) => ctx.reply(T.help));

  let polling: Promise<void> | null = null;
  return {
    channel,
    bot,
    async startPolling(polling_ = {}) {
      if (polling) return;
      await new Promise<void>((resolve, reject) => {
        polling = bot
          .start({
            timeout: polling_.timeoutSeconds ?? 30,
            drop_pending_updates: polling_.dropPendingUpdates ?? false,
            allowed_updates: ['message', 'callback_query'],
            onStart: () => resolve(),
          })
          .catch((error) => {
            onError(error);
            reject(error);
          })
          .finally(() => {
            polling = null;
          });
      });
    },
    async stop() {
      if (!bot.isRunning()) return;
      await bot.stop();
      await polling;
    },
    async setWebhook(url, secretToken) {
      await bot.api.setWebhook(url, { secret_token: secretToken, allowed_updates: ['message', 'callback_query'] });
    },
    async handleUpdate(update) {
      if (!bot.isInited()) await bot.init();
      await bot.handleUpdate(update);
    },
  };
}

function attachmentOf(message: Message): string {
  if (message.photo?.length) return `photo:${message.photo.at(-1)!.file_id}`;
  if (message.video) return `video:${message.video.file_id}`;
  if (message.voice) return `voice:${message.voice.file_id}`;
  if (message.video_note) return `video_note:${message.video_note.file_id}`;
  if (message.audio) return `audio:${message.audio.file_id}`;
  return `document:${message.document!.file_id}`;
}
