import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';

/**
 * A Merkle tree over complaint heads, as RFC 6962 (Certificate Transparency) builds it: leaves
 * and inner nodes hashed with different prefixes (so a node cannot pass for a leaf), and an
 * unbalanced tree split at the largest power of two. An inclusion proof is the list of sibling
 * hashes from the leaf up: it shows one leaf is in the tree and says nothing about the others
 * (each sibling is a hash of heads nobody can guess).
 */

/** One leaf: a complaint (by tracking code) and the head of its chain at the checkpoint. */
export interface Leaf {
  trackingCode: string;
  seq: number;
  head: string;
}

const sha256 = (...parts: (Buffer | string)[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

export function leafHash(leaf: Leaf): Buffer {
  return sha256(Buffer.from([0]), canonicalJson({ trackingCode: leaf.trackingCode, seq: leaf.seq, head: leaf.head }));
}

function nodeHash(left: Buffer, right: Buffer): Buffer {
  return sha256(Buffer.from([1]), left, right);
}

/** The largest power of two below n (n ≥ 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function subtreeRoot(hashes: Buffer[]): Buffer {
  if (hashes.length === 1) return hashes[0]!;
  const k = split(hashes.length);
  return nodeHash(subtreeRoot(hashes.slice(0, k)), subtreeRoot(hashes.slice(k)));
}

/** Leaves in the one order every party uses: by tracking code. */
export function sortLeaves(leaves: Leaf[]): Leaf[] {
  return [...leaves].sort((a, b) => (a.trackingCode < b.trackingCode ? -1 : a.trackingCode > b.trackingCode ? 1 : 0));
}

/** The root of sorted leaves (the hash of nothing for an empty day). */
export function merkleRoot(leaves: Leaf[]): string {
  if (leaves.length === 0) return sha256('').toString('hex');
  return subtreeRoot(leaves.map(leafHash)).toString('hex');
}

/** The sibling hashes from leaf `index` up to the root (RFC 6962 audit path). */
export function inclusionPath(leaves: Leaf[], index: number): string[] {
  const path: Buffer[] = [];
  const walk = (hashes: Buffer[], i: number): void => {
    if (hashes.length <= 1) return;
    const k = split(hashes.length);
    if (i < k) {
      walk(hashes.slice(0, k), i);
      path.push(subtreeRoot(hashes.slice(k)));
    } else {
      walk(hashes.slice(k), i - k);
      path.push(subtreeRoot(hashes.slice(0, k)));
    }
  };
  walk(leaves.map(leafHash), index);
  return path.map((h) => h.toString('hex'));
}

/** The root a leaf at `index` of `size` leaves and its path lead to (RFC 9162 §2.1.3.2); null when the path has the wrong length. */
export function rootFromPath(leaf: Leaf, index: number, size: number, path: string[]): string | null {
  if (!Number.isInteger(index) || index < 0 || index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leafHash(leaf);
  for (const hex of path) {
    if (sn === 0 || !/^[0-9a-f]{64}$/.test(hex)) return null;
    const p = Buffer.from(hex, 'hex');
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 ? r.toString('hex') : null;
}
