import { describe, expect, it } from 'vitest';
import { BUCKETS, parseHistogram } from './histogram.ts';

describe('parseHistogram', () => {
  it('reads what PostgreSQL prints for an integer array', () => {
    expect(parseHistogram('{}')).toEqual([]);
    expect(parseHistogram('{7}')).toEqual([7]);
    expect(parseHistogram('{0,3,-1,120045,0}')).toEqual([0, 3, -1, 120045, 0]);
  });

  it('round-trips random histograms, negative deltas included', () => {
    let seed = 128;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed;
    };
    for (let n = 0; n < 200; n++) {
      const histogram = Array.from({ length: BUCKETS }, () => (next() % 5 === 0 ? (next() % 2_000_000) - 1_000_000 : 0));
      expect(parseHistogram(`{${histogram.join(',')}}`)).toEqual(histogram);
    }
  });

  it('passes an already-parsed array through', () => {
    const parsed = [1, 2, 3];
    expect(parseHistogram(parsed)).toBe(parsed);
  });
});
