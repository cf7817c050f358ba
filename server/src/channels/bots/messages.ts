import { InlineKeyboard } from 'grammy';
import type { Message } from 'grammy/types';
import { listUnits } from '../../agencies/store.ts';
import { parseContactPhone } from '../../domain/identity.ts';
import { parseNamedEmployee } from '../../domain/named-employee.ts';
import { normalizePersianText, searchForm, toAsciiDigits } from '../../domain/persian-text.ts';
import { codeInStatusQuery, parseTrackingCode } from '../../domain/tracking-code.ts';
import { askConfirm, askEmployee, askLocation, askPhone, countyKeyboard, data, provinceKeyboard } from './ask-steps.ts';
import { clip, DESCRIPTION_MAX, DESCRIPTION_MIN, MAX_ATTACHMENTS, T } from './bot-texts.ts';
import type { BotContext, BotDeps } from './conversation.ts';
import { answerStatus } from './file-complaint.ts';
import { linkChat, looksLikeLinkCode } from './link-chat.ts';

/** The citizen's messages other than button presses: their phone, location, files and typed text. */

const AGENCY_MATCHES = 8;

/** The citizen's phone: only their own contact card is taken. */
export async function onContact(ctx: BotContext): Promise<void> {
  const s = ctx.session;
  if (s.step !== 'phone') return void (await ctx.reply(T.phoneNotNow));
  const contact = ctx.message!.contact!;
  if (contact.user_id === undefined || contact.user_id !== ctx.from!.id) return void (await ctx.reply(T.phoneNotOwn));
  const raw = toAsciiDigits(contact.phone_number).trim();
  const phone = parseContactPhone(/^[+0]/.test(raw) ? raw : `+${raw}`); // messengers send the number without its "+"
  if (!phone) return void (await ctx.reply(T.phoneBad));
  s.draft.phone = phone.e164;
  await ctx.reply(T.phoneOk, { reply_markup: { remove_keyboard: true } });
  await askConfirm(ctx);
}

/** A shared location: taken at its own step, or early (while describing). */
export async function onLocation(ctx: BotContext): Promise<void> {
  const s = ctx.session;
  if (s.step !== 'location' && s.step !== 'description' && s.step !== 'employee') return void (await ctx.reply(T.locationNotNow));
  const { latitude: lat, longitude: lng } = ctx.message!.location!;
  if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180) return void (await ctx.reply(T.locationBad));
  s.draft.location = { lat, lng };
  if (s.step === 'location') await askPhone(ctx);
  else await ctx.reply('موقعیت دریافت شد.');
}

function attachmentOf(message: Message): string {
  if (message.photo?.length) return `photo:${message.photo.at(-1)!.file_id}`;
  if (message.video) return `video:${message.video.file_id}`;
  if (message.voice) return `voice:${message.voice.file_id}`;
  if (message.video_note) return `video_note:${message.video_note.file_id}`;
  if (message.audio) return `audio:${message.audio.file_id}`;
  return `document:${message.document!.file_id}`;
}

/** A photo, video, voice note or document: noted by file id, fetched once the complaint is filed; a long caption is the description. */
export async function onAttachment(deps: BotDeps, ctx: BotContext): Promise<void> {
  const s = ctx.session;
  const message = ctx.message!;
  if (s.step !== 'description' && s.step !== 'employee' && s.step !== 'location') return void (await ctx.reply(T.attachmentNotNow));
  if (s.draft.attachments.length >= MAX_ATTACHMENTS) return void (await ctx.reply(T.attachmentTooMany));
  s.draft.attachments.push(attachmentOf(message));
  await ctx.reply((deps.attachments ? T.attachmentNoted : T.attachmentNotedIdOnly)(s.draft.attachments.length));
  const caption = normalizePersianText(message.caption ?? '');
  if (s.step === 'description' && caption.length >= DESCRIPTION_MIN && caption.length <= DESCRIPTION_MAX) {
    s.draft.description = caption;
    await askEmployee(ctx);
  }
}

/** Part of an agency's name: the matching top-level agencies as buttons. */
async function searchAgency(deps: BotDeps, ctx: BotContext, text: string): Promise<void> {
  if (searchForm(text).length < 2) return void (await ctx.reply(T.agencyTooShort));
  const units = await listUnits(deps.db.pool, { q: text.slice(0, 100), rootsOnly: true, limit: AGENCY_MATCHES + 1 });
  if (!units.length) return void (await ctx.reply(T.agencyNone));
  const keyboard = new InlineKeyboard();
  for (const u of units.slice(0, AGENCY_MATCHES)) keyboard.text(clip(u.nameFa, 60), data(ctx.session.form, 'a', u.id)).row();
  await ctx.reply(T.agencyPick + (units.length > AGENCY_MATCHES ? T.agencyMore : ''), { reply_markup: keyboard });
}

/** Part of a province's or county's name: the matching ones as buttons. */
async function searchPlace(deps: BotDeps, ctx: BotContext, text: string): Promise<void> {
  const s = ctx.session;
  const { items, keyboard } = s.step === 'province' ? await provinceKeyboard(deps, s, 0, text) : await countyKeyboard(deps, s, 0, text);
  if (!items.length) return void (await ctx.reply(T.placeNone));
  await ctx.reply(s.step === 'province' ? T.askProvince : T.askCounty(s.draft.province!.name), { reply_markup: keyboard });
}

/** The answers typed at the description, employee and location steps. */
async function typedAnswer(ctx: BotContext, text: string): Promise<void> {
  const s = ctx.session;
  if (s.step === 'description') {
    if (text.length < DESCRIPTION_MIN) return void (await ctx.reply(T.descriptionShort));
    if (text.length > DESCRIPTION_MAX) return void (await ctx.reply(T.descriptionLong));
    s.draft.description = text;
    return askEmployee(ctx);
  }
  if (s.step === 'employee') {
    if (text === T.skipEmployee) {
      s.draft.namedEmployee = null;
      return askLocation(ctx);
    }
    // Checked here with intake's own rule, so the citizen can fix it before the summary.
    if (!parseNamedEmployee(text).ok) return void (await ctx.reply(T.employeeBad));
    s.draft.namedEmployee = text;
    return askLocation(ctx);
  }
  if (text === T.noLocation) {
    s.draft.location = null;
    return askPhone(ctx);
  }
  await ctx.reply(T.locationHint);
}

/** Typed text: a tracking code answers with its status at any step; otherwise it answers the current step. */
export async function onText(deps: BotDeps, ctx: BotContext): Promise<void> {
  const s = ctx.session;
  const text = normalizePersianText(ctx.message!.text!);
  // A code (any digits and spacing, maybe after «پیگیری»); at the phone step only a valid one, since a phone number is 11 digits.
  const code = codeInStatusQuery(text);
  if (code?.length === 12 && (s.step !== 'phone' || parseTrackingCode(code))) return answerStatus(deps, ctx, code);
  switch (s.step) {
    case 'idle':
      // A staff member sending the link code from the alerts page by hand.
      if (looksLikeLinkCode(text)) return linkChat(deps, ctx, text);
      return void (await ctx.reply(T.help));
    case 'agency':
      return searchAgency(deps, ctx, text);
    case 'province':
    case 'county':
      return searchPlace(deps, ctx, text);
    case 'category':
    case 'confirm':
      return void (await ctx.reply(T.useButtons));
    case 'description':
    case 'employee':
    case 'location':
      return typedAnswer(ctx, text);
    case 'phone':
      return void (await ctx.reply(T.phoneHint));
  }
}
