import { normalizePersianText, toAsciiDigits } from '../domain/persian-text.ts';

/**
 * Finglish (Persian typed in Latin letters) to Persian letters, so «edare bargh» shares n-grams
 * with «اداره برق». Persian script leaves short vowels unwritten, so inside a word a/e/o are
 * dropped except `a` (usually ا); a word-initial vowel is ا and a final e is ه. Rough, on purpose:
 * the n-gram model only needs the consonant skeleton to line up. No library does this for
 * free-form SMS Finglish (persian-tools has no transliteration), hence the table here.
 */
const UNITS: Record<string, string> = {
  kh: 'خ',
  gh: 'ق',
  sh: 'ش',
  ch: 'چ',
  zh: 'ژ',
  oo: 'و',
  ou: 'و',
  ee: 'ی',
  b: 'ب',
  p: 'پ',
  t: 'ت',
  j: 'ج',
  h: 'ه',
  d: 'د',
  r: 'ر',
  z: 'ز',
  s: 'س',
  f: 'ف',
  q: 'ق',
  k: 'ک',
  g: 'گ',
  l: 'ل',
  m: 'م',
  n: 'ن',
  v: 'و',
  w: 'و',
  c: 'ک',
  x: 'کس',
  y: 'ی',
  i: 'ی',
  u: 'و',
};
const VOWEL = /^[aeiou]|^(oo|ou|ee)$/;

export function finglishToPersian(word: string): string {
  const w = word.toLowerCase();
  if (!/^[a-z]+$/.test(w)) return word;
  // Letters first, two-letter sounds as one unit, so «gh» counts as one consonant below.
  const units = w.match(/kh|gh|sh|ch|zh|oo|ou|ee|[a-z]/g)!;
  const consonant = (u: string | undefined) => u !== undefined && !VOWEL.test(u);
  return units
    .map((u, i) => {
      if (i === 0 && VOWEL.test(u)) return u === 'u' || u === 'oo' || u === 'ou' ? 'او' : u === 'i' || u === 'ee' ? 'ای' : 'ا';
      if (u === 'e') return i === units.length - 1 ? 'ه' : '';
      if (u === 'o') return '';
      // «a» before two consonants is usually short (unwritten): bargh → برق; else ا: edare → اداره.
      if (u === 'a') return consonant(units[i + 1]) && consonant(units[i + 2]) ? '' : 'ا';
      return UNITS[u] ?? u;
    })
    .join('');
}

/** Letter forms and separators folded the way people type them differently (آ/أ/إ → ا, ة/هٔ → ه, ZWNJ → space). */
export function foldForTriage(text: string): string {
  return toAsciiDigits(normalizePersianText(text))
    .toLowerCase()
    .replace(/[\u064B-\u065F\u0670]/g, '')
    .replace(/[آأإ]/g, 'ا')
    .replace(/ؤ/g, 'و')
    .replace(/ئ/g, 'ی')
    .replace(/ة|هٔ|ۀ/g, 'ه')
    .replace(/[\u200c\u200d]/g, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The features of a text: word unigrams and character 2–4-grams of each word with its edges
 * marked, after folding and Finglish transliteration. Character n-grams make misspellings,
 * joined words («بسته‌بود», «زنگ‌زدم») and inflections («اداره‌اش», «نمیدن») share most features.
 */
export function triageFeatures(text: string): Map<string, number> {
  const features = new Map<string, number>();
  const add = (key: string) => features.set(key, (features.get(key) ?? 0) + 1);
  for (const raw of foldForTriage(text).split(' ')) {
    if (!raw) continue;
    const word = finglishToPersian(raw);
    add(`w:${word}`);
    const padded = ` ${word} `;
    for (let n = 2; n <= 4; n++) for (let i = 0; i + n <= padded.length; i++) add(padded.slice(i, i + n));
  }
  return features;
}
