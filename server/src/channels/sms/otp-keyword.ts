import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { parseTrackingCode } from '../../domain/tracking-code.ts';
import { issueSmsOtp, type SmsOtpResult } from '../../tracking/sms-otp.ts';

/**
 * «کد» alone, or «رمز» / "code" / "otp" alone or before a tracking code: the citizen asks, from
 * the complaint's own phone, for a one-time code for the tracking page (docs/security-auth.md).
 * «کد» followed by a tracking code stays a status question (domain/tracking-code.ts).
 */
const ALONE = /^(?:کد|رمز|رمز یک ?بار مصرف|code|otp)\s*[.!؟?]?$/iu;
const WITH_CODE = /^(?:رمز|code|otp)\s*[:：]?\s*(.+)$/iu;

/** The code keyword in a text: `trackingCode` null when none was given; null when the text is something else. */
export function otpKeywordQuery(text: string): { trackingCode: string | null } | null {
  const t = text.trim().replace(/\u200c/g, ' ');
  if (ALONE.test(t)) return { trackingCode: null };
  const rest = WITH_CODE.exec(t)?.[1];
  const code = rest === undefined ? null : parseTrackingCode(rest);
  return code ? { trackingCode: code } : null;
}

/** Answers the keyword by text with a fresh code (tracking/sms-otp.ts); idempotent per inbound message. */
export async function answerOtpKeyword(
  db: Database,
  config: Pick<Config, 'secret' | 'otpTtlMinutes' | 'clock'>,
  phone: string,
  query: { trackingCode: string | null },
  sms: { via: string; messageId: string },
): Promise<SmsOtpResult> {
  return issueSmsOtp(db, config, phone, query.trackingCode, `${sms.via}:${sms.messageId}:otp`);
}
