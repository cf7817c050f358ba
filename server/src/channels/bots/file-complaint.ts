import { type IntakeInput, submitComplaint } from '../../complaints/submit-complaint.ts';
import { AppError, ERRORS } from '../../core/errors.ts';
import { parseTrackingCode } from '../../domain/tracking-code.ts';
import { dispatchNow } from '../../notifications/dispatcher.ts';
import { publicStatus } from '../../tracking/citizen-tracking.ts';
import { statusSentence } from '../status-text.ts';
import { askAgency, askCategory, askEmployee, askPhone, askProvince, settle } from './ask-steps.ts';
import { filedDescription, summary, T } from './bot-texts.ts';
import { type BotContext, type BotDeps, freshSession } from './conversation.ts';
import { BotNotificationProvider } from './provider.ts';
import { storeBotFiles } from './store-bot-files.ts';

/** Answers a tracking code (as the citizen typed it) with the complaint's status. */
export async function answerStatus(deps: BotDeps, ctx: BotContext, input: string): Promise<void> {
  const code = parseTrackingCode(input);
  if (!code) return void (await ctx.reply(T.badCode));
  try {
    await ctx.reply(statusSentence(await publicStatus(deps.db, code)));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    await ctx.reply(error.code === 'complaint_not_found' ? T.noComplaint : T.badCode);
  }
}

function intakeOf(deps: BotDeps, ctx: BotContext): IntakeInput {
  const d = ctx.session.draft;
  return {
    channel: deps.channel,
    agencyId: d.agency!.id,
    provinceId: d.province!.id,
    countyId: d.county!.id,
    ...(d.category ? { categoryId: d.category.id } : {}),
    description: filedDescription(deps.channel, d, deps.attachments !== undefined),
    ...(d.namedEmployee ? { namedEmployee: d.namedEmployee } : {}),
    ...(d.location ? { location: { lat: d.location.lat, lng: d.location.lng } } : {}),
    contact: { phone: d.phone! },
    language: 'fa',
    shareIdentity: d.shareIdentity ?? false,
    reply: { channel: deps.channel, address: String(ctx.chat!.id) },
  };
}

/** Sends the citizen back to the step whose answer intake refused. */
async function askAgain(deps: BotDeps, ctx: BotContext, error: AppError): Promise<void> {
  await ctx.reply(T.notFiled(ERRORS[error.code].fa));
  if (error.code === 'unknown_agency') return askAgency(ctx);
  if (error.code === 'unknown_place') return askProvince(deps, ctx);
  if (error.code === 'unknown_category') return askCategory(deps, ctx);
  if (error.code === 'invalid_phone') return askPhone(ctx);
  if (error.code === 'invalid_named_employee') return askEmployee(ctx);
}

/** The last step: files the confirmed draft, answers with the tracking code, then stores the files sent. */
export async function fileComplaint(deps: BotDeps, ctx: BotContext): Promise<void> {
  const s = ctx.session;
  const d = s.draft;
  let result: Awaited<ReturnType<typeof submitComplaint>>;
  try {
    result = await submitComplaint(deps.db, intakeOf(deps, ctx), {
      // One form, one complaint: a redelivered or repeated confirmation gets the same complaint back.
      idempotencyKey: `${ctx.me.id}:${ctx.chat!.id}:${s.form}`,
      actor: { kind: 'citizen', id: null },
      publicUrl: deps.settings.publicUrl,
      // The filing's time is the injected clock's, as on the web form (core/clock.ts).
      clock: deps.settings.clock,
      joinWindowHours: deps.settings.caseJoinHours ?? 0,
      // The phone came from the citizen's own contact card (checked against the sender below).
      phoneVerified: true,
    });
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return askAgain(deps, ctx, error);
  }
  ctx.session = { ...freshSession(s), filed: { form: s.form, trackingCode: result.trackingCode } };
  await settle(ctx, `${summary(d).split('\n\n')[0]}\n\n✅ تأیید شد.`);
  // The receipt is intake's own outbox message to this chat, sent now: once, however often the
  // confirmation arrives (a redelivery after a crash finds it sent), and retried if Telegram fails.
  await dispatchNow(
    deps.db,
    { complaintId: result.id, template: 'citizen_received' },
    { providers: { [deps.channel]: new BotNotificationProvider({ channel: deps.channel, bot: { api: deps.api } }) } },
  );
  // The files go to the complaint after it is filed: a slow or
  // failed download never holds up or undoes the complaint itself.
  if (deps.attachments && d.attachments.length) {
    const outcome = await storeBotFiles(deps.db, deps.attachments, deps, result.id, d.attachments);
    for (const failure of outcome.failed) if (!(failure.error instanceof AppError)) deps.onError(failure.error);
    if (outcome.stored) await ctx.reply(T.attachmentsStored(outcome.stored));
    if (outcome.failed.length) await ctx.reply(T.attachmentsFailed(outcome.failed.length));
  }
}
