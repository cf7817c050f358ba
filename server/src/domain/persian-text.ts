import { toPersianChars } from '@persian-tools/persian-tools';

const PERSIAN_DIGITS = '۰۱۲۳۴۵۶۷۸۹';
const ARABIC_DIGITS = '٠١٢٣٤٥٦٧٨٩';
const ZWNJ = '\u200c';

/** Persian (۰-۹) and Arabic-Indic (٠-٩) digits to ASCII. */
export function toAsciiDigits(input: string): string {
  return input.replace(/[۰-۹٠-٩]/g, (d) => {
    const fa = PERSIAN_DIGITS.indexOf(d);
    return String(fa >= 0 ? fa : ARABIC_DIGITS.indexOf(d));
  });
}

/** ASCII digits to Persian digits, for display. */
export function toPersianDigits(input: string | number): string {
  return String(input).replace(/[0-9]/g, (d) => PERSIAN_DIGITS[Number(d)]!);
}

/**
 * Normalises free Persian text typed by a citizen or an official: Arabic ي/ك/ة-style letters to
 * their Persian forms (persian-tools), Arabic-Indic digits to Persian ones, control characters
 * removed, runs of spaces folded and the ends trimmed. Line breaks are kept.
 */
export function normalizePersianText(input: string): string {
  // Lone surrogates cannot be stored as JSON in PostgreSQL: replace them like a browser would.
  const wellFormed = input.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  const persian = toPersianChars(wellFormed.normalize('NFC'))
    .replace(/[\u064A\u0649]/g, 'ی')
    .replace(/\u0643/g, 'ک')
    .replace(/[٠-٩]/g, (d) => PERSIAN_DIGITS[ARABIC_DIGITS.indexOf(d)]!);
  return persian
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0009\u000B-\u001F\u007F\u200B\u200E\u200F\uFEFF]/g, '')
    .replace(/[ \t\u00A0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(new RegExp(`${ZWNJ}{2,}`, 'g'), ZWNJ)
    .trim();
}

/**
 * The search form of a text: normalised, digits in ASCII, ZWNJ as a space (so «می‌خواهم» and
 * «می خواهم» match), Latin lower-cased. Used on both the stored side and the query.
 */
export function searchForm(input: string): string {
  return toAsciiDigits(normalizePersianText(input)).replace(new RegExp(ZWNJ, 'g'), ' ').replace(/\s+/g, ' ').toLowerCase().trim();
}
