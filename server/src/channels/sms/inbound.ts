import { submitComplaint } from '../../complaints/submit-complaint.ts';
import type { Clock } from '../../core/clock.ts';
import { AppError } from '../../core/errors.ts';
import type { Database } from '../../db/database.ts';
import { parseContactPhone } from '../../domain/identity.ts';
import { normalizePersianText } from '../../domain/persian-text.ts';
import { codeInStatusQuery, parseTrackingCode } from '../../domain/tracking-code.ts';
import { enqueue, smsReply } from '../../notifications/outbox.ts';
import { publicStatus } from '../../tracking/citizen-tracking.ts';
import type { SmsOtpResult } from '../../tracking/sms-otp.ts';
import { complaintIdByCode } from '../../tracking/store.ts';
import { statusSentence } from '../status-text.ts';
import { answerOtpKeyword, otpKeywordQuery } from './otp-keyword.ts';

/** A text a citizen sent to 128, whichever way it came (SMPP deliver_sm, the HTTP webhook). */
export interface InboundSms {
  /** The sender as the operator gives it (09…, 989…, +…). */
  from: string;
  /** The whole text (concatenated parts already joined). */
  text: string;
  /** The operator's id for this message: a redelivery with the same id changes nothing. */
  messageId: string;
  /** Which way it came, for the idempotency key: 'smpp', 'http'. */
  via: string;
}

export type InboundResult =
  | { kind: 'filed'; complaintId: string; trackingCode: string; replayed: boolean }
  | { kind: 'status'; complaintId: string; trackingCode: string }
  | { kind: 'help' }
  | { kind: 'otp'; result: SmsOtpResult['kind'] }
  | { kind: 'ignored'; reason: string };

const MIN_COMPLAINT_LENGTH = 15;
/** The instructions, naming every keyword: the one-time code for the tracking page («کد», otp-keyword.ts) too. */
const HELP_FA =
  'سامانهٔ ۱۲۸: برای ثبت شکایت، متن کامل آن را (نام اداره، شهر و آنچه پیش آمده) بفرستید. برای پیگیری، کد رهگیری ۱۲ رقمی را بفرستید. ' +
  'برای گرفتن رمز یک‌بار مصرف صفحهٔ پیگیری، «کد» را بفرستید.';

/**
 * What a text to 128 does: a tracking code (in any digits, with spaces or dashes, alone or after
 * «پیگیری», «وضعیت», «کد رهگیری») answers with
 * that complaint's status; a short text gets the instructions; anything else is filed as a
 * complaint for the operators' triage (the agency and place are read from it by a person).
 * Every reply goes through the outbox, so it is sent even if the process dies now.
 */
export async function handleInboundSms(
  db: Database,
  settings: { publicUrl: string; caseJoinHours?: number; secret?: string; otpTtlMinutes?: number; clock: Clock },
  sms: InboundSms,
): Promise<InboundResult> {
  const phone = parseContactPhone(sms.from);
  if (!phone) return { kind: 'ignored', reason: 'sender is not a valid phone number' };
  const text = normalizePersianText(sms.text);
  // «کد»: a one-time code for the tracking page, sent back to this phone (otp-keyword.ts).
  const otp = otpKeywordQuery(text);
  if (otp && settings.secret && settings.otpTtlMinutes) {
    const sent = await answerOtpKeyword(db, { secret: settings.secret, otpTtlMinutes: settings.otpTtlMinutes, clock: settings.clock }, phone.e164, otp, sms);
    return { kind: 'otp', result: sent.kind };
  }
  const asked = codeInStatusQuery(text);
  if (asked) {
    const code = parseTrackingCode(asked);
    let reply: string;
    let complaintId: string | null = null;
    if (!code) reply = 'کد رهگیری درست نیست؛ رقم‌ها را دوباره بررسی کنید.';
    else {
      try {
        const status = await publicStatus(db, code);
        reply = statusSentence(status);
        complaintId = (await complaintIdByCode(db.pool, code))!;
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        reply = 'شکایتی با این کد رهگیری پیدا نشد.';
      }
    }
    await reply_(db, phone.e164, reply, `${sms.via}:${sms.messageId}:status`, complaintId, settings.clock.now());
    return complaintId && code ? { kind: 'status', complaintId, trackingCode: code } : { kind: 'help' };
  }
  if (text.length < MIN_COMPLAINT_LENGTH) {
    await reply_(db, phone.e164, HELP_FA, `${sms.via}:${sms.messageId}:help`, null, settings.clock.now());
    return { kind: 'help' };
  }
  const filed = await submitComplaint(
    db,
    {
      channel: 'sms',
      officeText: 'نامشخص (پیامک)',
      description: text.slice(0, 4000),
      contact: { phone: phone.e164 },
      language: 'fa',
    },
    {
      idempotencyKey: `${sms.via}:${sms.messageId}`,
      actor: { kind: 'citizen', id: null },
      publicUrl: settings.publicUrl,
      // The filing's time is the injected clock's, as on the web form (core/clock.ts).
      clock: settings.clock,
      joinWindowHours: settings.caseJoinHours ?? 0,
      // The sender's number is what the operator's gateway (or SMSC) delivered it from.
      phoneVerified: true,
    },
  );
  // The "received, here is your tracking code" SMS is the intake's own outbox message.
  return { kind: 'filed', complaintId: filed.id, trackingCode: filed.trackingCode, replayed: filed.replayed };
}

async function reply_(db: Database, to: string, text: string, deliveryKey: string, complaintId: string | null, now: Date): Promise<void> {
  await enqueue(db.pool, [smsReply(complaintId, to, text, deliveryKey)], now);
}
