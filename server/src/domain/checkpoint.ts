import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import { GENESIS_HASH } from './hash-chain.ts';
import { type Leaf, rootFromPath } from './merkle.ts';

/**
 * A daily checkpoint: the Merkle root over the heads of every complaint that changed in a period
 * (the first checkpoint: all history up to its end), chained to the checkpoint before it, and
 * signed with Ed25519. Once published, nobody — not even someone holding the chain key — can
 * delete, add or back-date a complaint of a checkpointed period without the root changing.
 */
export interface CheckpointBody {
  /** The UTC day the checkpoint closes (YYYY-MM-DD). */
  day: string;
  /** Start of the period (the previous checkpoint's end); null for the first checkpoint. */
  periodStart: string | null;
  periodEnd: string;
  leafCount: number;
  root: string;
  /** `checkpointDigest` of the previous checkpoint (zeros for the first). */
  prev: string;
  keyId: string;
}

export interface SignedCheckpoint extends CheckpointBody {
  /** Base64 Ed25519 signature over `checkpointMessage(body)`. */
  signature: string;
}

/** The exact bytes that are signed: version-tagged RFC 8785 JSON. */
export function checkpointMessage(body: CheckpointBody): string {
  return canonicalJson({
    v: 1,
    day: body.day,
    periodStart: body.periodStart,
    periodEnd: body.periodEnd,
    leafCount: body.leafCount,
    root: body.root,
    prev: body.prev,
    keyId: body.keyId,
  });
}

/** What the next checkpoint chains to. */
export function checkpointDigest(body: CheckpointBody | null): string {
  return body ? createHash('sha256').update(checkpointMessage(body)).digest('hex') : GENESIS_HASH;
}

/** An Ed25519 signing key from its 32-byte seed, with its public half (raw 32 bytes, base64) and id. */
export interface SigningKey {
  id: string;
  privateKey: KeyObject;
  publicKey: string;
}

// DER prefixes that wrap a raw Ed25519 seed / public key (RFC 8410), so node:crypto takes them.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The seed used when CHECKPOINT_SIGNING_KEY is not set (development and tests only). */
export const DEVELOPMENT_SIGNING_SEED = Buffer.alloc(32, 7).toString('base64');

/** A public key's id: derived from the key, so a published key names itself. */
export function publicKeyId(publicKey: string): string {
  return `ed25519:${createHash('sha256').update(Buffer.from(publicKey, 'base64')).digest('hex').slice(0, 16)}`;
}

export function signingKey(seedBase64: string): SigningKey {
  const seed = Buffer.from(seedBase64, 'base64');
  if (seed.length !== 32) throw new Error('an Ed25519 seed is 32 bytes (base64)');
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  const publicKey = spki.subarray(SPKI_PREFIX.length).toString('base64');
  return { id: publicKeyId(publicKey), privateKey, publicKey };
}

export function signCheckpoint(key: SigningKey, body: Omit<CheckpointBody, 'keyId'>): SignedCheckpoint {
  const full: CheckpointBody = { ...body, keyId: key.id };
  return { ...full, signature: sign(null, Buffer.from(checkpointMessage(full)), key.privateKey).toString('base64') };
}

/** Whether the checkpoint is signed by one of the given public keys (raw base64), chosen by its key id. */
export function checkpointSignatureValid(checkpoint: SignedCheckpoint, publicKeys: string[]): boolean {
  const publicKey = publicKeys.find((k) => publicKeyId(k) === checkpoint.keyId);
  if (!publicKey) return false;
  const raw = Buffer.from(publicKey, 'base64');
  if (raw.length !== 32) return false;
  const key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
  try {
    return verify(null, Buffer.from(checkpointMessage(checkpoint)), key, Buffer.from(checkpoint.signature, 'base64'));
  } catch {
    return false;
  }
}

/** What a citizen is given for their tracking code: their leaf, where it sits, and the signed checkpoint. */
export interface InclusionProof {
  leaf: Leaf;
  index: number;
  path: string[];
  checkpoint: SignedCheckpoint;
}

/** Checks a proof with nothing but the published public key(s): the leaf leads to the root, and the root is signed. */
export function verifyInclusionProof(
  proof: InclusionProof,
  publicKeys: string[],
): { valid: true } | { valid: false; reason: 'root_mismatch' | 'bad_signature' } {
  if (rootFromPath(proof.leaf, proof.index, proof.checkpoint.leafCount, proof.path) !== proof.checkpoint.root) return { valid: false, reason: 'root_mismatch' };
  if (!checkpointSignatureValid(proof.checkpoint, publicKeys)) return { valid: false, reason: 'bad_signature' };
  return { valid: true };
}

/** The UTC day after `day` (YYYY-MM-DD). */
export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** The end of a UTC day: the next midnight, ISO. */
export function dayEnd(day: string): string {
  return `${nextDay(day)}T00:00:00.000Z`;
}

/** The last day whose checkpoint is due at `now`: its end is at least `settleMinutes` past (late commits land first). */
export function lastDueDay(now: Date, settleMinutes: number): string {
  const settled = new Date(now.getTime() - settleMinutes * 60_000);
  return new Date(Date.parse(`${settled.toISOString().slice(0, 10)}T00:00:00.000Z`) - 86_400_000).toISOString().slice(0, 10);
}
