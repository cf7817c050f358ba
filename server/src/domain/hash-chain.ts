import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';

/** The hash before a complaint's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** A secret the chain is keyed with. `id` is stored beside every event it made; the secret never is. */
export interface ChainKey {
  id: string;
  secret: Buffer;
}

/** The key new events are made with, and every key an older event may have been made with. */
export interface ChainKeyring {
  active: ChainKey;
  keys: ReadonlyMap<string, ChainKey>;
  /** Version-1 (unkeyed) events are accepted only when made before this moment (CHAIN_UNKEYED_BEFORE); null: never. */
  unkeyedBefore: string | null;
}

/** The key used when CHAIN_KEY is not set (development and tests only; production refuses to start without one). */
export const DEVELOPMENT_CHAIN_SECRET = 'foad-development-chain-key-not-for-production-use';

/** A key's id: derived from the secret, so it names the key without revealing anything about it. */
export function chainKeyId(secret: Buffer): string {
  return `h${createHash('sha256').update('foad-chain-key-id\n').update(secret).digest('hex').slice(0, 12)}`;
}

export function chainKey(secret: string): ChainKey {
  const bytes = Buffer.from(secret, 'utf8');
  return { id: chainKeyId(bytes), secret: bytes };
}

/** The active key first, then the keys of earlier rotations (still accepted for the events they made). */
export function chainKeyring(active: string, previous: string[] = [], unkeyedBefore: string | null = null): ChainKeyring {
  const all = [chainKey(active), ...previous.map(chainKey)];
  return { active: all[0]!, keys: new Map(all.map((k) => [k.id, k])), unkeyedBefore };
}

export interface ChainedEvent {
  complaintId: string;
  seq: number;
  type: string;
  actorKind: 'citizen' | 'staff' | 'system';
  actorId: number | null;
  data: unknown;
  /** ISO-8601 with milliseconds (what timestamptz gives back for a JS Date). */
  createdAt: string;
  /** The chain key the event was hashed with; null for a version-1 (unkeyed SHA-256) event made before keys existed. */
  keyId: string | null;
}

function eventBody(event: ChainedEvent): string {
  return canonicalJson({
    complaintId: event.complaintId,
    seq: event.seq,
    type: event.type,
    actorKind: event.actorKind,
    actorId: event.actorId,
    data: event.data,
    createdAt: event.createdAt,
  });
}

/**
 * The link of one event: HMAC-SHA256 with the chain key over the key id, the previous link and
 * the RFC 8785 canonical JSON of the event, so a changed, removed or reordered event breaks
 * every link after it — and nobody without the key can make a link that verifies. With no key
 * it is the version-1 link (plain SHA-256), kept only to verify rows written before keys existed.
 * Every field of the event is covered, whatever its type, so new event types need nothing here.
 */
export function eventHash(key: ChainKey | null, prevHash: string, event: ChainedEvent): string {
  if (key === null) return createHash('sha256').update(prevHash).update('\n').update(eventBody(event)).digest('hex');
  return createHmac('sha256', key.secret).update(`foad-chain-v2\n${key.id}\n${prevHash}\n`).update(eventBody(event)).digest('hex');
}

/** A keyed digest of the citizen's contact details, kept in the chain instead of the details themselves. */
export function contactDigest(
  key: ChainKey,
  complaintId: string,
  contact: { phone: string; name: string | null; nationalId: string | null; reply: { channel: string; address: string } | null },
): string {
  return createHmac('sha256', key.secret)
    .update(`foad-contact-v1\n${complaintId}\n`)
    .update(canonicalJson({ phone: contact.phone, name: contact.name, nationalId: contact.nationalId, reply: contact.reply }))
    .digest('hex');
}

/** Compares two hex digests in constant time (a mismatch in length is simply unequal). */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export type ChainBreak = 'seq_gap' | 'prev_hash_mismatch' | 'hash_mismatch' | 'unknown_key' | 'unkeyed_event';

export type ChainVerdict =
  | { valid: true; events: number; headHash: string; unkeyedEvents: number }
  | { valid: false; events: number; brokenAtSeq: number; reason: ChainBreak };

/**
 * Checks a complaint's events, in seq order, link by link. A version-1 (unkeyed) event is
 * accepted only when it was made before `keyring.unkeyedBefore` (the moment the deployment switched
 * to keyed chains, from config, outside the database) and no keyed event comes before it:
 * otherwise anyone could rewrite a chain as version 1 and re-hash it without a key.
 */
export function verifyChain(events: (ChainedEvent & { prevHash: string; hash: string })[], keyring: ChainKeyring): ChainVerdict {
  const { unkeyedBefore } = keyring;
  let prev = GENESIS_HASH;
  let keyed = false;
  let unkeyed = 0;
  const broken = (seq: number, reason: ChainBreak): ChainVerdict => ({ valid: false, events: events.length, brokenAtSeq: seq, reason });
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    if (event.seq !== i + 1) return broken(i + 1, 'seq_gap');
    if (event.prevHash !== prev) return broken(event.seq, 'prev_hash_mismatch');
    let key: ChainKey | null = null;
    if (event.keyId === null) {
      if (keyed || unkeyedBefore === null || Date.parse(event.createdAt) >= Date.parse(unkeyedBefore)) return broken(event.seq, 'unkeyed_event');
      unkeyed++;
    } else {
      key = keyring.keys.get(event.keyId) ?? null;
      if (!key) return broken(event.seq, 'unknown_key');
      keyed = true;
    }
    if (!sameDigest(eventHash(key, prev, event), event.hash)) return broken(event.seq, 'hash_mismatch');
    prev = event.hash;
  }
  return { valid: true, events: events.length, headHash: prev, unkeyedEvents: unkeyed };
}
