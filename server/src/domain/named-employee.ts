import { createHash, randomBytes } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import { normalizePersianText, toAsciiDigits } from './persian-text.ts';

/** Longest name kept, as written and as the grouping key (the columns' CHECK says the same). */
export const NAMED_EMPLOYEE_MAX = 120;

/** The employee a citizen names: what they wrote (tidied, for inspectors to read) and the key complaints are grouped by. */
export interface NamedEmployee {
  text: string;
  key: string;
  /**
   * Random, per name written: it goes into the chain's digest and is overwritten when the name is
   * corrected or cleared — so the digests left in the append-only chain cannot be matched against
   * guessed surnames afterwards (names are few; a plain hash of one would give it away).
   */
  salt: string;
}

export type NamedEmployeeProblem = 'too_short' | 'too_long' | 'only_a_title';

/**
 * Letters written several ways in names: hamza seats, tā marbūta, heh forms, alef with madda.
 * Only for the key — the text keeps the citizen's spelling.
 */
const LETTER_FOLDS: [RegExp, string][] = [
  [/[\u0623\u0625\u0622\u0671]/g, 'ا'], // أ إ آ ٱ
  [/\u0626(?=\u0648)/g, 'و'], // ئ before و: مسئول / مسؤول / مسوول
  [/\u0626/g, 'ی'], // ئ: رضائی / رضایی, طباطبائی / طباطبایی
  [/\u0624/g, 'و'], // ؤ
  [/[\u0629\u06C0\u06D5\u06BE]/g, 'ه'], // ة ۀ ە ھ
  [/[\u064B-\u065F\u0670\u0640]/g, ''], // harakat, superscript alef, tatweel (ـ)
];

function fold(input: string): string {
  let s = toAsciiDigits(normalizePersianText(input));
  for (const [pattern, replacement] of LETTER_FOLDS) s = s.replace(pattern, replacement);
  return s
    .toLowerCase()
    .replace(/\p{M}/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ') // punctuation, symbols, ZWNJ and spaces: one separator
    .trim();
}

/** Honorifics and titles, dropped from the front of the key (folded like the names they precede). */
const TITLES = new Set(['آقای', 'آقا', 'خانم', 'جناب', 'دکتر', 'مهندس', 'mr', 'mrs', 'ms', 'dr'].map(fold));
/** «سرکار» is a title only before «خانم» (سرکار خانم). */
const SARKAR = fold('سرکار');
const KHANOM = fold('خانم');

/** Characters as PostgreSQL counts them (code points), not UTF-16 units. */
const charCount = (s: string) => [...s].length;

/**
 * Reads the employee a citizen names ("آقای رضائی", "رضايي", "  رضایی ", "مسئول باجهٔ ۳") into
 * the text shown to inspectors and the key complaints are grouped by. The key is the text with
 * Arabic/Persian letter forms unified, diacritics and punctuation dropped, the titles in front
 * (آقای، خانم، سرکار خانم، جناب، دکتر، مهندس, Mr/Mrs/Ms/Dr — whole words only, so «آقا‌زاده» and
 * «آقابابایی» keep theirs) removed, and no separators at all — so «محمدرضا», «محمد رضا» and
 * «محمد‌رضا» are one person, as are «رضایی‌نژاد» and «رضایی نژاد».
 */
export function parseNamedEmployee(input: string): { ok: true; value: NamedEmployee } | { ok: false; problem: NamedEmployeeProblem } {
  const text = normalizePersianText(input).replace(/\s+/g, ' ');
  // Titles are words between spaces (a ZWNJ joins a word, it does not end one); only a leading run of them goes.
  const words = text
    .split(' ')
    .map((word) => fold(word).replace(/ /g, ''))
    .filter(Boolean);
  let first = 0;
  while (first < words.length && (TITLES.has(words[first]!) || (words[first] === SARKAR && words[first + 1] === KHANOM))) first++;
  const key = words.slice(first).join('');
  if (words.length > 0 && first === words.length) return { ok: false, problem: 'only_a_title' };
  if (charCount(key) < 2) return { ok: false, problem: 'too_short' };
  if (charCount(text) > NAMED_EMPLOYEE_MAX || charCount(key) > NAMED_EMPLOYEE_MAX) return { ok: false, problem: 'too_long' };
  return { ok: true, value: { text, key, salt: randomBytes(16).toString('hex') } };
}

/**
 * What the event chain keeps of a named employee: a digest, not the name. The chain is
 * append-only, and a name must stay erasable (a citizen may name the wrong person); the digest
 * still lets verify-chain check that the complaint row holds the name the events say.
 */
export function namedEmployeeDigest(complaintId: string, value: NamedEmployee | null): string | null {
  if (!value) return null;
  return createHash('sha256')
    .update(canonicalJson({ complaintId, key: value.key, text: value.text, salt: value.salt }))
    .digest('hex');
}
