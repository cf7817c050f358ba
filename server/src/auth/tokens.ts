import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random bearer secret (session token, citizen token): 256 bits, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What we store instead of a token or one-time code: a keyed hash, so a database leak gives nothing usable. */
export function hashSecret(secret: string, key: string): string {
  return createHmac('sha256', key).update(secret).digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Compares two secrets (signatures, webhook tokens) whatever their bytes, in constant time:
 * both are hashed first, so the buffers are always of equal length — a caller's non-ASCII or
 * overlong value is just a mismatch, never an exception (timingSafeEqual throws on unequal lengths).
 */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
