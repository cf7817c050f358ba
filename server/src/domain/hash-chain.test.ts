import { describe, expect, it } from 'vitest';
import { type ChainedEvent, eventHash, GENESIS_HASH, verifyChain } from './hash-chain.ts';

function chain(n: number) {
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
    };
    const hash = eventHash(prev, e);
    events.push({ ...e, prevHash: prev, hash });
    prev = hash;
  }
  return events;
}

describe('hash chain', () => {
  it('verifies an untouched chain', () => {
    expect(verifyChain(chain(5))).toMatchObject({ valid: true, events: 5 });
  });

  it('does not depend on key order in the data', () => {
    const e: ChainedEvent = { complaintId: 'c', seq: 1, type: 't', actorKind: 'system', actorId: null, data: { a: 1, b: 2 }, createdAt: 'x' };
    expect(eventHash(GENESIS_HASH, e)).toBe(eventHash(GENESIS_HASH, { ...e, data: { b: 2, a: 1 } }));
  });

  it('finds an edited event', () => {
    const events = chain(5);
    events[2] = { ...events[2]!, data: { text: 'دست‌کاری شده', n: 3 } };
    expect(verifyChain(events)).toMatchObject({ valid: false, brokenAtSeq: 3, reason: 'hash_mismatch' });
  });

  it('finds a removed event', () => {
    const events = chain(5);
    events.splice(1, 1);
    expect(verifyChain(events)).toMatchObject({ valid: false, brokenAtSeq: 2, reason: 'seq_gap' });
  });

  it('finds a rewritten tail (an event re-hashed on its own)', () => {
    const events = chain(4);
    const forged = { ...events[1]!, data: { text: 'جعلی' } };
    forged.hash = eventHash(forged.prevHash, forged);
    events[1] = forged;
    expect(verifyChain(events)).toMatchObject({ valid: false, brokenAtSeq: 3, reason: 'prev_hash_mismatch' });
  });
});
