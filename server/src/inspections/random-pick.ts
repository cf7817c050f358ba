import { createHash, randomBytes } from 'node:crypto';

/** A new seed for a random draw (recorded with the inspection so anyone can re-do the draw). */
export function newSeed(): string {
  return randomBytes(8).toString('hex');
}

/**
 * Picks one of `count` candidates (ordered by id) from a seed: the first 48 bits of
 * SHA-256(seed) modulo the count. Deterministic, so the draw can be checked afterwards; the
 * modulo bias (< count / 2^48) is negligible.
 */
export function pickIndex(seed: string, count: number): number {
  if (count < 1) throw new Error('nothing to pick from');
  const digest = createHash('sha256').update(seed, 'utf8').digest();
  return digest.readUIntBE(0, 6) % count;
}
