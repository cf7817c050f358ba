import { randomInt } from 'node:crypto';
import { toAsciiDigits } from './persian-text.ts';

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
 * Reads a tracking code as a person typed or said it: Persian/Arabic digits, spaces and
 * dashes are accepted. Returns the 12 ASCII digits, or null when it is not a valid code.
 */
export function parseTrackingCode(input: string): string | null {
  const digits = toAsciiDigits(input).replace(/[\s\-_.]/g, '');
  if (!/^[1-9][0-9]{11}$/.test(digits)) return null;
  return verhoeffChecksum(digits, true) === 0 ? digits : null;
}

/** Groups a code in fours for reading aloud and printing: 4821-0937-5512. */
export function formatTrackingCode(code: string): string {
  return code.replace(/(\d{4})(?=\d)/g, '$1-');
}
