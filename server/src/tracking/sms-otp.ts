import { randomInt } from 'node:crypto';
import { hashSecret } from '../auth/tokens.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { toPersianDigits } from '../domain/persian-text.ts';
import { trackingCodeText } from '../domain/tracking-code.ts';
import { enqueue, smsReply } from '../notifications/outbox.ts';
import { insertOtp, lockComplaintOfPhone, outboxHasKey, SMS_LANE, smsOtpsLastHour } from './store.ts';

/**
 * Codes one phone may ask for by text in an hour. Its own budget: texting from the phone proves
 * the phone (the operator's SMSC says who sent it), so nobody else can spend it — unlike the
 * shared web cap, which anyone with the tracking code can exhaust.
 */
export const MAX_SMS_OTPS_PER_PHONE_PER_HOUR = 5;

export type SmsOtpResult = { kind: 'sent'; complaintId: string; trackingCode: string } | { kind: 'replayed' } | { kind: 'unknown' } | { kind: 'limited' };

/**
 * A citizen texted the code keyword from `phone` (e164, as the SMSC delivered it): a fresh
 * one-time code for their complaint (the one named, if filed with this phone; else the phone's
 * newest) is stored in the SMS lane and answered by text, in one transaction with the reply, so
 * a redelivered text (same `deliveryKey`) issues nothing twice. The code opens the tracking page's
 * one-time-code step from any browser; others' wrong guesses cannot use it up (citizen-tracking.ts
 * verifyOtp, docs/security-auth.md).
 */
export async function issueSmsOtp(
  db: Database,
  config: Pick<Config, 'secret' | 'otpTtlMinutes' | 'clock'>,
  phone: string,
  trackingCode: string | null,
  deliveryKey: string,
): Promise<SmsOtpResult> {
  const now = config.clock.now();
  return db.transaction(async (tx) => {
    if (await outboxHasKey(tx, deliveryKey)) return { kind: 'replayed' };
    const c = await lockComplaintOfPhone(tx, phone, trackingCode);
    if (!c) {
      // The same answer whether the code is unknown or someone else's: a text reveals no complaint.
      await enqueue(tx, [smsReply(null, phone, 'شکایتی با این شماره و این کد رهگیری پیدا نشد.', deliveryKey)], now);
      return { kind: 'unknown' };
    }
    if ((await smsOtpsLastHour(tx, phone, now)) >= MAX_SMS_OTPS_PER_PHONE_PER_HOUR) {
      await enqueue(tx, [smsReply(c.id, phone, 'در این ساعت رمزهای بسیاری فرستاده شده است؛ کمی بعد دوباره بفرستید.', deliveryKey)], now);
      return { kind: 'limited' };
    }
    const otp = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await insertOtp(tx, c.id, hashSecret(`${c.id}:${otp}`, config.secret), config.otpTtlMinutes, { device: SMS_LANE, address: SMS_LANE, owner: false }, now);
    const text = `رمز یک‌بار مصرف ۱۲۸ برای شکایت ${trackingCodeText(c.trackingCode, 'fa')}: ${toPersianDigits(otp)}\nاین رمز را در صفحهٔ پیگیری وارد کنید و به کسی ندهید.`;
    await enqueue(tx, [smsReply(c.id, phone, text, deliveryKey)], now);
    return { kind: 'sent', complaintId: c.id, trackingCode: c.trackingCode };
  });
}
