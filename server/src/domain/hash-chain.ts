import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';

/** The hash before a complaint's first event. */
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedEvent {
  complaintId: string;
  seq: number;
  type: string;
  actorKind: 'citizen' | 'staff' | 'system';
  actorId: number | null;
  data: unknown;
  /** ISO-8601 with milliseconds (what timestamptz gives back for a JS Date). */
  createdAt: string;
}

/**
 * SHA-256 over the previous hash and the RFC 8785 canonical JSON of the event, so that a
 * changed, removed or reordered event breaks every hash after it.
 */
export function eventHash(prevHash: string, event: ChainedEvent): string {
  const body = canonicalJson({
    complaintId: event.complaintId,
    seq: event.seq,
    type: event.type,
    actorKind: event.actorKind,
    actorId: event.actorId,
    data: event.data,
    createdAt: event.createdAt,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

export type ChainVerdict =
  | { valid: true; events: number; headHash: string }
  | { valid: false; events: number; brokenAtSeq: number; reason: 'seq_gap' | 'prev_hash_mismatch' | 'hash_mismatch' };

/** Checks a complaint's events, in seq order, link by link. */
export function verifyChain(events: (ChainedEvent & { prevHash: string; hash: string })[]): ChainVerdict {
  let prev = GENESIS_HASH;
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    if (event.seq !== i + 1) return { valid: false, events: events.length, brokenAtSeq: i + 1, reason: 'seq_gap' };
    if (event.prevHash !== prev) return { valid: false, events: events.length, brokenAtSeq: event.seq, reason: 'prev_hash_mismatch' };
    if (eventHash(prev, event) !== event.hash) return { valid: false, events: events.length, brokenAtSeq: event.seq, reason: 'hash_mismatch' };
    prev = event.hash;
  }
  return { valid: true, events: events.length, headHash: prev };
}
