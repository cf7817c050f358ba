import { foldForTriage } from '../triage/features.ts';

/**
 * Near-duplicate detection for incidents (pure, no I/O): when an e-service goes down, hundreds of
 * complaints about one agency say the same thing in different words. Each text becomes a set of
 * character 4-gram shingles (after the triage folding, so letter forms, ZWNJ and digits don't
 * matter); MinHash signatures estimate the Jaccard similarity of two sets, and locality-sensitive
 * hashing (bands of the signature) finds the candidate pairs without comparing every pair.
 * Written here because no npm package does MinHash+LSH over Persian text with a fixed seed (the
 * clusters must come out the same on every instance).
 */

const SHINGLE = 4;
/** Signature length = BANDS × ROWS. 32 bands of 3 rows: pairs near 0.4 Jaccard become candidates. */
const BANDS = 32;
const ROWS = 3;

/** 32-bit FNV-1a of a string. */
function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The text's shingles as hashes: character 4-grams of the folded text with word edges marked. */
export function shingles(text: string): Set<number> {
  const folded = ` ${foldForTriage(text)} `;
  const out = new Set<number>();
  if (folded.trim().length === 0) return out;
  for (let i = 0; i + SHINGLE <= folded.length; i++) out.add(fnv1a(folded.slice(i, i + SHINGLE)));
  return out;
}

/** Exact Jaccard similarity of two shingle sets. */
export function jaccard(a: Set<number>, b: Set<number>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / (a.size + b.size - shared);
}

/** Fixed (seeded) hash functions h_i(x) = (a_i·x + b_i) mod p, p = 2^31 − 1. */
const PRIME = 2_147_483_647;
const COEFFICIENTS = Array.from({ length: BANDS * ROWS }, (_, i) => [1 + (fnv1a(`a${i}`) % (PRIME - 1)), fnv1a(`b${i}`) % PRIME] as const);

function mulMod(a: number, b: number): number {
  // (a·b) mod p without losing precision: split b into 16-bit halves.
  const high = Math.floor(b / 65_536);
  const low = b % 65_536;
  return (((a * high) % PRIME) * 65_536 + a * low) % PRIME;
}

/** The MinHash signature of a shingle set. */
export function signature(set: Set<number>): number[] {
  const sig = new Array<number>(COEFFICIENTS.length).fill(PRIME);
  for (const x of set) {
    const v = x % PRIME;
    for (let i = 0; i < COEFFICIENTS.length; i++) {
      const [a, b] = COEFFICIENTS[i]!;
      const h = (mulMod(a, v) + b) % PRIME;
      if (h < sig[i]!) sig[i] = h;
    }
  }
  return sig;
}

export interface ClusterInput {
  id: string;
  text: string;
}

/**
 * Groups texts that say the same thing: LSH candidate pairs confirmed by exact Jaccard ≥
 * `threshold`, joined transitively (union-find). Clusters of at least `minSize`, largest first;
 * members in input order.
 */
export function clusterTexts(items: ClusterInput[], options: { threshold?: number; minSize?: number } = {}): string[][] {
  const threshold = options.threshold ?? 0.45;
  const minSize = options.minSize ?? 3;
  const sets = items.map((item) => shingles(item.text));
  const parent = items.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const buckets = new Map<string, number[]>();
  sets.forEach((set, i) => {
    if (set.size === 0) return;
    const sig = signature(set);
    for (let band = 0; band < BANDS; band++) {
      const key = `${band}:${sig.slice(band * ROWS, band * ROWS + ROWS).join(',')}`;
      const bucket = buckets.get(key);
      if (bucket) bucket.push(i);
      else buckets.set(key, [i]);
    }
  });
  const checked = new Set<string>();
  for (const bucket of buckets.values()) {
    for (let x = 0; x < bucket.length; x++) {
      for (let y = x + 1; y < bucket.length; y++) {
        const i = bucket[x]!;
        const j = bucket[y]!;
        const pair = `${i}:${j}`;
        if (checked.has(pair)) continue;
        checked.add(pair);
        if (find(i) !== find(j) && jaccard(sets[i]!, sets[j]!) >= threshold) parent[find(i)] = find(j);
      }
    }
  }
  const groups = new Map<number, string[]>();
  items.forEach((item, i) => {
    const root = find(i);
    groups.set(root, [...(groups.get(root) ?? []), item.id]);
  });
  return [...groups.values()].filter((g) => g.length >= minSize).sort((a, b) => b.length - a.length);
}
