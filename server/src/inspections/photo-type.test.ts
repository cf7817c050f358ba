import { describe, expect, it } from 'vitest';
import { photoTypeOf } from './photo-type.ts';
import { pickIndex } from './random-pick.ts';

const bytes = (...parts: (number[] | string)[]) => Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

describe('photo type by magic bytes', () => {
  it('recognises JPEG, PNG, WebP and HEIC', () => {
    expect(photoTypeOf(bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF'))).toBe('image/jpeg');
    expect(photoTypeOf(bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png');
    expect(photoTypeOf(bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '))).toBe('image/webp');
    expect(photoTypeOf(bytes([0, 0, 0, 24], 'ftypheic', [0, 0, 0, 0]))).toBe('image/heic');
  });

  it('refuses anything else, whatever it claims to be', () => {
    expect(photoTypeOf(bytes('%PDF-1.7'))).toBeNull();
    expect(photoTypeOf(bytes('<svg xmlns="http://www.w3.org/2000/svg">'))).toBeNull();
    expect(photoTypeOf(bytes([0, 0, 0, 24], 'ftypmp42', [0, 0, 0, 0]))).toBeNull();
    expect(photoTypeOf(bytes([0xff, 0xd8]))).toBeNull();
  });
});

describe('seeded pick', () => {
  it('is deterministic and in range', () => {
    expect(pickIndex('abc', 7)).toBe(pickIndex('abc', 7));
    for (const seed of ['a', 'b', 'c', 'd', 'e']) expect(pickIndex(seed, 3)).toBeLessThan(3);
    const seen = new Set(Array.from({ length: 200 }, (_, i) => pickIndex(String(i), 5)));
    expect(seen.size).toBe(5);
  });
});
