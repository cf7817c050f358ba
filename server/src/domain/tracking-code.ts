import { randomInt } from 'node:crypto';
import { toAsciiDigits, toPersianDigits } from './persian-text.ts';

/**
 * Tracking codes: 12 digits = 11 random digits (first one non-zero) + a Verhoeff check digit.
 *
 * - Random, not sequential: 9×10^10 codes, so even ten million complaints fill one code in
 *   9,000; a guess also fails the check digit 9 times in 10 before it reaches the database.
 * - Verhoeff rather than Luhn because it catches every single-digit error *and* every swap of
 *   two adjacent digits, the two usual mistakes when a code is read over the phone.
 *   It is a 20-line table algorithm; the npm packages for it are unmaintained one-offs.
 */
export const TRACKING_CODE_LENGTH = 12;

const multiplication = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const permutation = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const inverse = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

function verhoeffChecksum(digits: string, withCheckDigit: boolean): number {
  let c = 0;
  const reversed = [...digits].reverse();
  for (let i = 0; i < reversed.length; i++) {
    const position = withCheckDigit ? i : i + 1;
    const digit = Number(reversed[i]);
    c = multiplication[c]![permutation[position % 8]![digit]!]!;
  }
  return c;
}

/** The Verhoeff check digit for a string of digits. */
export function verhoeffDigit(digits: string): number {
  return inverse[verhoeffChecksum(digits, false)]!;
}

/** A new random tracking code. */
export function generateTrackingCode(random: (min: number, max: number) => number = randomInt): string {
  let body = String(random(1, 10));
  for (let i = 1; i < TRACKING_CODE_LENGTH - 1; i++) body += String(random(0, 10));
  return body + String(verhoeffDigit(body));
}

/**
 * What people put between and around the digits of a code they type, paste or dictate: white
 * space of every kind, dashes and hyphens (ASCII, Unicode, the Persian kashida), dots, slashes,
 * underscores, and the invisible direction and joiner marks a copy from an RTL text carries
 * (the LRM that trackingCodeText puts in front of a Persian code among them).
 */
const SEPARATORS = /[\s\-_./\u00ad\u0640\u2010-\u2015\u2212\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff]/g;

/** The digits of what was typed, in ASCII, with every separator dropped (not checked; see parseTrackingCode). */
export function compactTrackingCode(input: string): string {
  return toAsciiDigits(input).replace(SEPARATORS, '');
}

/**
 * Reads a tracking code as a person typed or said it: Persian/Arabic digits, spaces, dashes and
 * direction marks are accepted. Returns the 12 ASCII digits, or null when it is not a valid code.
 * Every entry that takes a code (tracking API, one-time code, SMS, bots, IVR, inspections)
 * goes through this one function.
 */
export function parseTrackingCode(input: string): string | null {
  const digits = compactTrackingCode(input);
  if (!/^[1-9][0-9]{11}$/.test(digits)) return null;
  return verhoeffChecksum(digits, true) === 0 ? digits : null;
}

/** Words a citizen may put before the code when asking for its status by SMS or in the bot. */
const STATUS_WORDS = /^(?:\/?status|track|وضعیت|پیگیری|پیگیری شکایت|کد رهگیری|کد پیگیری|کد|رهگیری)\s*[:：]?\s*/iu;

/**
 * The code in a status question — the code alone, or after «پیگیری», «وضعیت», «کد رهگیری»,
 * "status" — as its digits (10 to 14 of them, so a mistyped code still reads as a question
 * about a code and can be answered "not valid"). null: the text is something else.
 */
export function codeInStatusQuery(text: string): string | null {
  const rest = text
    .trim()
    .replace(/\u200c/g, ' ')
    .replace(STATUS_WORDS, '');
  if (/[^\s\d۰-۹٠-٩\-_./\u0640\u2010-\u2015\u2212\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff]/u.test(rest)) return null;
  const digits = compactTrackingCode(rest);
  return /^\d{10,14}$/.test(digits) ? digits : null;
}

/** Groups a code 4-4-4 for reading aloud and printing: 4821 0937 5512. */
export function formatTrackingCode(code: string): string {
  return code.replace(/(\d{4})(?=\d)/g, '$1 ');
}

const LRM = '\u200e';

/**
 * The code as it goes into a message (SMS, bot, IVR text): grouped 4-4-4, in Persian digits for a
 * Persian text. The Persian form starts with an invisible left-to-right mark: without it the
 * Unicode bidi rules lay the three groups of a number inside Persian text out right to left
 * («۵۵۱۲ ۰۹۳۷ ۴۸۲۱»); with it they read in order on every phone. parseTrackingCode drops the
 * mark again when the citizen copies the code back. A message must not begin with the code
 * (the mark would make the whole message left-to-right).
 */
export function trackingCodeText(code: string, language: 'fa' | 'en' = 'fa'): string {
  const grouped = formatTrackingCode(code);
  return language === 'en' ? grouped : LRM + toPersianDigits(grouped);
}
