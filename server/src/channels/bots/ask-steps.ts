import { GrammyError, InlineKeyboard, Keyboard } from 'grammy';
import { listCategories } from '../../agencies/catalogue-store.ts';
import { searchForm, toPersianDigits } from '../../domain/persian-text.ts';
import { clip, summary, T } from './bot-texts.ts';
import { confirmKeyboard } from './consent-step.ts';
import type { BotContext, BotDeps, BotSession, Named } from './conversation.ts';

/**
 * The bot's questions, one per step: each moves the conversation to its step and asks.
 * The answers are read in buttons.ts (inline buttons) and messages.ts (typed text, contact,
 * location, files).
 */

const PAGE_SIZE = 12;

/** Inline button data: `<form>|<action>|<argument>` (Telegram allows 64 bytes). */
export function data(form: string, action: string, arg: string | number = ''): string {
  return `${form}|${action}|${arg}`;
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

/** The provinces (filtered by part of a name) as a paged keyboard. */
export async function provinceKeyboard(deps: BotDeps, s: BotSession, page: number, filter?: string) {
  let items: Named[] = (await deps.provinces()).map((p) => ({ id: p.id, name: p.nameFa }));
  if (filter) items = items.filter((p) => searchForm(p.name).includes(searchForm(filter)));
  return { items, keyboard: pagedKeyboard(s.form, items, 'p', 'pp', page) };
}

/** The chosen province's counties (filtered by part of a name) as a paged keyboard. */
export async function countyKeyboard(deps: BotDeps, s: BotSession, page: number, filter?: string) {
  const province = (await deps.provinces()).find((p) => p.id === s.draft.province?.id);
  let items: Named[] = (province?.counties ?? []).map((c) => ({ id: c.id, name: c.nameFa }));
  if (filter) items = items.filter((c) => searchForm(c.name).includes(searchForm(filter)));
  return { items, keyboard: pagedKeyboard(s.form, items, 'c', 'cp', page) };
}

export async function askAgency(ctx: BotContext): Promise<void> {
  ctx.session.step = 'agency';
  await ctx.reply(T.askAgency, { reply_markup: { remove_keyboard: true } });
}

export async function askProvince(deps: BotDeps, ctx: BotContext): Promise<void> {
  ctx.session.step = 'province';
  await ctx.reply(T.askProvince, { reply_markup: (await provinceKeyboard(deps, ctx.session, 0)).keyboard });
}

export async function askCounty(deps: BotDeps, ctx: BotContext): Promise<void> {
  ctx.session.step = 'county';
  await ctx.reply(T.askCounty(ctx.session.draft.province!.name), { reply_markup: (await countyKeyboard(deps, ctx.session, 0)).keyboard });
}

export async function askCategory(deps: BotDeps, ctx: BotContext): Promise<void> {
  ctx.session.step = 'category';
  const categories = await listCategories(deps.db.pool);
  const keyboard = new InlineKeyboard();
  for (const c of categories) keyboard.text(clip(`${c.urgent ? '🔴 ' : ''}${c.nameFa}`, 60), data(ctx.session.form, 'k', c.id)).row();
  keyboard.text(T.categoryUnknown, data(ctx.session.form, 'k', '-'));
  const urgent = categories.filter((c) => c.urgent).map((c) => `${c.nameFa} (پاسخ تا ${toPersianDigits(c.answerHours)} ساعت)`);
  await ctx.reply([T.askCategory, urgent.length ? T.urgentNote(urgent.join('، ')) : ''].filter(Boolean).join('\n'), { reply_markup: keyboard });
}

export async function askDescription(ctx: BotContext): Promise<void> {
  ctx.session.step = 'description';
  await ctx.reply(T.askDescription);
}

export async function askEmployee(ctx: BotContext): Promise<void> {
  ctx.session.step = 'employee';
  await ctx.reply(T.askEmployee, { reply_markup: new InlineKeyboard().text(`⏭ ${T.skipEmployee}`, data(ctx.session.form, 'e', '-')) });
}

export async function askLocation(ctx: BotContext): Promise<void> {
  ctx.session.step = 'location';
  await ctx.reply(T.askLocation, { reply_markup: new Keyboard().requestLocation(T.sendLocation).text(T.noLocation).resized().oneTime() });
}

export async function askPhone(ctx: BotContext): Promise<void> {
  ctx.session.step = 'phone';
  await ctx.reply(T.askPhone, { reply_markup: new Keyboard().requestContact(T.sendPhone).resized().oneTime() });
}

export async function askConfirm(ctx: BotContext): Promise<void> {
  ctx.session.step = 'confirm';
  await ctx.reply(summary(ctx.session.draft), { reply_markup: confirmKeyboard(ctx.session.form, ctx.session.draft.shareIdentity, T) });
}

/** Replaces the message with the chosen buttons by what was chosen (no buttons left to press twice). */
export async function settle(ctx: BotContext, text: string): Promise<void> {
  await ctx.editMessageText(text).catch((error) => {
    if (!(error instanceof GrammyError)) throw error; // "message is not modified", a message too old to edit: harmless
  });
}
