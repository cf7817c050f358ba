import { type ChainedEvent, type ChainKeyring, chainKeyring, DEVELOPMENT_CHAIN_SECRET, eventHash } from './hash-chain.ts';

/*
 * Making a complaint's events: who acts, what a new event is, and hashing new events onto the
 * chain head with the process's active key. Pure (no I/O), so the SLA decisions and intake can
 * chain events before a store writes them (events/store.ts).
 */

// The process's chain keys: set once at start from config (setChainKeys); the development key until then.
let keyring: ChainKeyring = chainKeyring(DEVELOPMENT_CHAIN_SECRET);

/** Sets the chain keys every event of this process is made and verified with (from CHAIN_KEY / CHAIN_PREVIOUS_KEYS). */
export function setChainKeys(ring: ChainKeyring): void {
  keyring = ring;
}

/** The chain keys in use: the active key new events are made with, and every key still accepted. */
export function currentChainKeys(): ChainKeyring {
  return keyring;
}

export interface Actor {
  kind: 'citizen' | 'staff' | 'system';
  /** The staff user, when kind is 'staff'. */
  id: number | null;
}

export interface NewEvent {
  type: string;
  data: unknown;
}

export interface StoredEvent extends ChainedEvent {
  id: number;
  prevHash: string;
  hash: string;
}

/**
 * Hashes new events onto a chain head without writing them: each event's hash covers the one
 * before it. Returns the rows to store and the new head.
 */
export function chainEvents(
  complaintId: string,
  head: { seq: number; hash: string },
  actor: Actor,
  events: NewEvent[],
  at: Date,
): { seq: number; hash: string; events: StoredEvent[] } {
  let { seq, hash } = head;
  const stored: StoredEvent[] = [];
  const createdAt = at.toISOString();
  const key = keyring.active;
  for (const event of events) {
    // Hash exactly what JSON will give back when the chain is verified.
    const data = JSON.parse(JSON.stringify(event.data ?? {}));
    const chained: ChainedEvent = { complaintId, seq: seq + 1, type: event.type, actorKind: actor.kind, actorId: actor.id, data, createdAt, keyId: key.id };
    const next = eventHash(key, hash, chained);
    stored.push({ ...chained, id: 0, prevHash: hash, hash: next });
    seq = chained.seq;
    hash = next;
  }
  return { seq, hash, events: stored };
}
