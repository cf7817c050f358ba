import { describe, expect, it } from 'vitest';
import { type ChainedEvent, chainKeyring, eventHash, GENESIS_HASH, verifyChain } from './hash-chain.ts';

const ring = chainKeyring('a-test-chain-key-of-at-least-32-bytes!!');

function chain(n: number, keyId: string | null = ring.active.id) {
  const events: (ChainedEvent & { prevHash: string; hash: string })[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const e: ChainedEvent = {
      complaintId: 'c1',
      seq: i,
      type: 'note_added',
      actorKind: 'staff',
      actorId: 3,
      data: { text: `یادداشت ${i}`, n: i },
      createdAt: `2026-11-29T08:00:0${i}.000Z`,
      keyId,
    };
    const hash = eventHash(keyId === null ? null : ring.active, prev, e);
    events.push({ ...e, prevHash: prev, hash });
    prev = hash;
  }
  return events;
}

describe('hash chain', () => {
  it('verifies an untouched chain', () => {
    expect(verifyChain(chain(5), ring)).toMatchObject({ valid: true, events: 5, unkeyedEvents: 0 });
  });

  it('does not depend on key order in the data', () => {
    const e: ChainedEvent = {
      complaintId: 'c',
      seq: 1,
      type: 't',
      actorKind: 'system',
      actorId: null,
      data: { a: 1, b: 2 },
      createdAt: 'x',
      keyId: ring.active.id,
    };
    expect(eventHash(ring.active, GENESIS_HASH, e)).toBe(eventHash(ring.active, GENESIS_HASH, { ...e, data: { b: 2, a: 1 } }));
  });

  it('finds an edited event', () => {
    const events = chain(5);
    events[2] = { ...events[2]!, data: { text: 'دست‌کاری شده', n: 3 } };
    expect(verifyChain(events, ring)).toMatchObject({ valid: false, brokenAtSeq: 3, reason: 'hash_mismatch' });
  });

  it('finds a removed event', () => {
    const events = chain(5);
    events.splice(1, 1);
    expect(verifyChain(events, ring)).toMatchObject({ valid: false, brokenAtSeq: 2, reason: 'seq_gap' });
  });

  it('finds a rewritten tail (an event re-hashed on its own)', () => {
    const events = chain(4);
    const forged = { ...events[1]!, data: { text: 'جعلی' } };
    forged.hash = eventHash(ring.active, forged.prevHash, forged);
    events[1] = forged;
    expect(verifyChain(events, ring)).toMatchObject({ valid: false, brokenAtSeq: 3, reason: 'prev_hash_mismatch' });
  });

  it('refuses a whole chain re-hashed with another key', () => {
    const other = chainKeyring('someone-else-s-key-of-at-least-32-bytes');
    expect(verifyChain(chain(3), other)).toMatchObject({ valid: false, brokenAtSeq: 1, reason: 'unknown_key' });
    const relabelled = chain(3).map((e) => ({ ...e, keyId: other.active.id }));
    expect(verifyChain(relabelled, other)).toMatchObject({ valid: false, brokenAtSeq: 1, reason: 'hash_mismatch' });
  });

  it('accepts an old key after rotation', () => {
    const rotated = chainKeyring('the-new-key-after-rotation-32-bytes-long', ['a-test-chain-key-of-at-least-32-bytes!!']);
    expect(verifyChain(chain(3), rotated)).toMatchObject({ valid: true });
  });

  it('accepts unkeyed (version 1) events only from before the upgrade', () => {
    const legacy = chain(3, null);
    expect(verifyChain(legacy, ring)).toMatchObject({ valid: false, brokenAtSeq: 1, reason: 'unkeyed_event' });
    const upgraded = chainKeyring('a-test-chain-key-of-at-least-32-bytes!!', [], '2026-11-29T08:00:02.500Z');
    expect(verifyChain(legacy, upgraded)).toMatchObject({ valid: false, brokenAtSeq: 3, reason: 'unkeyed_event' });
    expect(verifyChain(legacy.slice(0, 2), upgraded)).toMatchObject({ valid: true, unkeyedEvents: 2 });
  });
});
