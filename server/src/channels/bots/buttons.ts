import { GrammyError } from 'grammy';
import { listCategories } from '../../agencies/catalogue-store.ts';
import { getUnit } from '../../agencies/store.ts';
import { askCategory, askCounty, askDescription, askLocation, askProvince, countyKeyboard, provinceKeyboard, settle } from './ask-steps.ts';
import { summary, T } from './bot-texts.ts';
import { CONSENT_ACTION, confirmKeyboard, consentChoice } from './consent-step.ts';
import { type BotContext, type BotDeps, type Draft, freshSession } from './conversation.ts';
import { fileComplaint } from './file-complaint.ts';

/** One button's handler; false: the button does not fit the conversation (answered "stale"). */
type ButtonHandler = (deps: BotDeps, ctx: BotContext, arg: string) => Promise<boolean>;

/** Edits a message's keyboard, ignoring the messenger's harmless refusals ("not modified", too old). */
async function editKeyboard(edit: () => Promise<unknown>): Promise<void> {
  await edit().catch((error) => {
    if (!(error instanceof GrammyError)) throw error;
  });
}

const pickAgency: ButtonHandler = async (deps, ctx, arg) => {
  const id = Number(arg);
  const unit = Number.isSafeInteger(id) ? await getUnit(deps.db.pool, id) : null;
  if (!unit?.active || (unit.kind !== 'ministry' && unit.kind !== 'organisation')) return false;
  await ctx.answerCallbackQuery();
  ctx.session.draft.agency = { id: unit.id, name: unit.nameFa };
  await settle(ctx, `دستگاه: ${unit.nameFa}`);
  await askProvince(deps, ctx);
  return true;
};

const turnPage: ButtonHandler = async (deps, ctx, arg) => {
  const s = ctx.session;
  await ctx.answerCallbackQuery();
  const { keyboard } = s.step === 'province' ? await provinceKeyboard(deps, s, Number(arg)) : await countyKeyboard(deps, s, Number(arg));
  await editKeyboard(() => ctx.editMessageReplyMarkup({ reply_markup: keyboard }));
  return true;
};

const pickProvince: ButtonHandler = async (deps, ctx, arg) => {
  const province = (await deps.provinces()).find((p) => p.id === Number(arg));
  if (!province) return false;
  await ctx.answerCallbackQuery();
  ctx.session.draft.province = { id: province.id, name: province.nameFa };
  await settle(ctx, `استان: ${province.nameFa}`);
  await askCounty(deps, ctx);
  return true;
};

const pickCounty: ButtonHandler = async (deps, ctx, arg) => {
  const province = (await deps.provinces()).find((p) => p.id === ctx.session.draft.province?.id);
  const county = province?.counties.find((c) => c.id === Number(arg));
  if (!county) return false;
  await ctx.answerCallbackQuery();
  ctx.session.draft.county = { id: county.id, name: county.nameFa };
  await settle(ctx, `شهرستان: ${county.nameFa}`);
  await askCategory(deps, ctx);
  return true;
};

const pickCategory: ButtonHandler = async (deps, ctx, arg) => {
  let category: Draft['category'] = null;
  if (arg !== '-') {
    const found = (await listCategories(deps.db.pool)).find((c) => c.id === Number(arg));
    if (!found) return false;
    category = { id: found.id, name: found.nameFa, urgent: found.urgent };
  }
  await ctx.answerCallbackQuery();
  ctx.session.draft.category = category;
  await settle(ctx, `نوع شکایت: ${category ? `${category.name}${category.urgent ? ' (فوری)' : ''}` : 'نامشخص'}`);
  await askDescription(ctx);
  return true;
};

const skipEmployee: ButtonHandler = async (_deps, ctx) => {
  await ctx.answerCallbackQuery();
  ctx.session.draft.namedEmployee = null;
  await settle(ctx, 'کارمند نام‌برده: ندارد');
  await askLocation(ctx);
  return true;
};

const toggleConsent: ButtonHandler = async (_deps, ctx, arg) => {
  const s = ctx.session;
  await ctx.answerCallbackQuery();
  s.draft.shareIdentity = consentChoice(arg);
  await editKeyboard(() => ctx.editMessageText(summary(s.draft), { reply_markup: confirmKeyboard(s.form, s.draft.shareIdentity, T) }));
  return true;
};

const confirm: ButtonHandler = async (deps, ctx) => {
  await ctx.answerCallbackQuery();
  await fileComplaint(deps, ctx);
  return true;
};

const cancel: ButtonHandler = async (_deps, ctx) => {
  const s = ctx.session;
  await ctx.answerCallbackQuery();
  ctx.session = freshSession(s);
  await settle(ctx, `${summary(s.draft).split('\n\n')[0]}\n\n✖️ لغو شد.`);
  await ctx.reply(T.cancelled);
  return true;
};

/** `<step>:<action>` → what the button does at that step. */
const BUTTONS: Record<string, ButtonHandler> = {
  'agency:a': pickAgency,
  'province:pp': turnPage,
  'county:cp': turnPage,
  'province:p': pickProvince,
  'county:c': pickCounty,
  'category:k': pickCategory,
  'employee:e': skipEmployee,
  [`confirm:${CONSENT_ACTION}`]: toggleConsent,
  'confirm:ok': confirm,
  'confirm:no': cancel,
};

/** An inline button press: only the current form's buttons, and only at their step, do anything. */
export async function onButton(deps: BotDeps, ctx: BotContext): Promise<void> {
  const [form, action = '', arg = ''] = ctx.callbackQuery!.data!.split('|');
  const s = ctx.session;
  if (form !== s.form) {
    // A repeated confirmation of a form already filed (a second press, a redelivered update).
    // A second press says so in a passing notice, not another receipt in the chat.
    if (action === 'ok' && s.filed && s.filed.form === form) return void (await ctx.answerCallbackQuery({ text: T.alreadyFiled(s.filed.trackingCode) }));
    return void (await ctx.answerCallbackQuery({ text: T.stale }));
  }
  const handler = BUTTONS[`${s.step}:${action}`];
  if (handler && (await handler(deps, ctx, arg))) return;
  if (action === 'noop') return void (await ctx.answerCallbackQuery());
  await ctx.answerCallbackQuery({ text: T.stale });
}
