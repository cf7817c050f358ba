import { phoneNumberNormalizer, verifyIranianNationalId } from '@persian-tools/persian-tools';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { toAsciiDigits } from './persian-text.ts';

export interface ParsedPhone {
  /** E.164, e.g. +989121234567 */
  e164: string;
  /** ISO 3166 alpha-2 country of the number */
  country: string;
  /** An Iranian mobile number (SMS and OTP work on it) */
  iranianMobile: boolean;
}

/**
 * Reads a contact number. Inside Iran only mobile numbers are accepted (the OTP and answers
 * go by SMS): 0912…, 912…, +98912…, 0098912…, in any digits. Abroad, any valid E.164 number.
 * Returns null when the number is not valid.
 */
export function parseContactPhone(input: string): ParsedPhone | null {
  const ascii = toAsciiDigits(input).replace(/[\s\-().]/g, '');
  if (!/^\+?[0-9]{7,16}$/.test(ascii)) return null;
  const international = ascii.startsWith('+') ? ascii : ascii.startsWith('00') ? `+${ascii.slice(2)}` : null;
  const looksIranian = international === null || international.startsWith('+98');
  if (looksIranian) {
    const local = international ? `0${international.slice(3)}` : ascii;
    // persian-tools knows the operators' prefixes; it answers in the 0912… form.
    let normalised: string;
    try {
      normalised = phoneNumberNormalizer(local, '0');
    } catch {
      return null; // persian-tools throws on numbers it does not recognise
    }
    if (!/^09[0-9]{9}$/.test(normalised) || !isIranianMobilePrefix(normalised)) return null;
    return { e164: `+98${normalised.slice(1)}`, country: 'IR', iranianMobile: true };
  }
  const parsed = parsePhoneNumberFromString(international);
  if (!parsed?.isValid() || !parsed.country) return null;
  return { e164: parsed.number, country: parsed.country, iranianMobile: false };
}

function isIranianMobilePrefix(local: string): boolean {
  // 090x, 091x, 092x, 093x, 099x: every Iranian mobile operator's range (MCI, Irancell, RighTel, and MVNOs).
  return /^09(0[0-5]|1[0-9]|2[0-3]|3[0-9]|9[0-9])/.test(local);
}

/** A national ID (کد ملی) with a valid check digit, in ASCII digits; null when invalid. */
export function parseNationalId(input: string): string | null {
  const ascii = toAsciiDigits(input).replace(/[\s-]/g, '');
  if (!/^[0-9]{10}$/.test(ascii)) return null;
  return verifyIranianNationalId(ascii) ? ascii : null;
}

/** Shows the last four digits only: +98 912 *** 4567 → «۰۹۱۲***۴۵۶۷» style masking is done in the UI. */
export function maskPhone(e164: string): string {
  return `${e164.slice(0, 6)}${'*'.repeat(Math.max(0, e164.length - 10))}${e164.slice(-4)}`;
}
