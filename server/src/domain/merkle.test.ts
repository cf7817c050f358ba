import { describe, expect, it } from 'vitest';
import { inclusionPath, type Leaf, merkleRoot, rootFromPath, sortLeaves } from './merkle.ts';

const leaves = (n: number): Leaf[] =>
  sortLeaves(Array.from({ length: n }, (_, i) => ({ trackingCode: String(100_000_000_000 + i * 7919), seq: i + 1, head: i.toString(16).padStart(64, '0') })));

describe('Merkle tree (RFC 6962)', () => {
  it('every leaf of every size up to 33 proves into the root, and only at its own place', () => {
    for (let n = 1; n <= 33; n++) {
      const all = leaves(n);
      const root = merkleRoot(all);
      all.forEach((leaf, i) => {
        const path = inclusionPath(all, i);
        expect(rootFromPath(leaf, i, n, path)).toBe(root);
        if (n > 1) expect(rootFromPath(leaf, (i + 1) % n, n, path)).not.toBe(root);
      });
    }
  });

  it('a changed head, a longer or shorter path, or an index out of range proves nothing', () => {
    const all = leaves(10);
    const root = merkleRoot(all);
    const path = inclusionPath(all, 3);
    expect(rootFromPath({ ...all[3]!, head: 'f'.repeat(64) }, 3, 10, path)).not.toBe(root);
    expect(rootFromPath(all[3]!, 3, 10, path.slice(1))).not.toBe(root);
    expect(rootFromPath(all[3]!, 3, 10, [...path, path[0]!])).toBeNull();
    expect(rootFromPath(all[3]!, 10, 10, path)).toBeNull();
  });

  it('the root depends on every leaf', () => {
    const all = leaves(8);
    expect(merkleRoot(all.slice(0, 7))).not.toBe(merkleRoot(all));
    expect(merkleRoot([])).toMatch(/^[0-9a-f]{64}$/);
  });
});
