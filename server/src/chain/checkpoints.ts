import type { Clock } from '../core/clock.ts';
import type { Database, Queryable } from '../db/database.ts';
import { startWorkLoop } from '../db/work-loop.ts';
import {
  checkpointDigest,
  checkpointSignatureValid,
  dayEnd,
  type InclusionProof,
  lastDueDay,
  nextDay,
  type SignedCheckpoint,
  type SigningKey,
  signCheckpoint,
} from '../domain/checkpoint.ts';
import { inclusionPath, merkleRoot, sortLeaves } from '../domain/merkle.ts';
import {
  chainTrackingCode,
  checkpointOfComplaint,
  insertCheckpoint,
  lastCheckpoint,
  listCheckpoints,
  lockCheckpointWriter,
  periodLeaves,
} from './checkpoint-store.ts';

/**
 * Makes every checkpoint that is due — yesterday's, and any day missed while no instance ran —
 * in day order, each chained to the one before. Safe in every instance: one transaction at a
 * time holds the lock, and re-reads the last checkpoint under it. Returns the days made.
 */
export async function makeDueCheckpoints(db: Database, key: SigningKey, settleMinutes: number, now: Date): Promise<string[]> {
  const due = lastDueDay(now, settleMinutes);
  return db.transaction(async (tx) => {
    await lockCheckpointWriter(tx);
    let last = await lastCheckpoint(tx);
    const made: string[] = [];
    for (let day = last ? nextDay(last.day) : due; day <= due; day = nextDay(day)) {
      const periodStart = last?.periodEnd ?? null;
      const periodEnd = dayEnd(day);
      const leaves = sortLeaves(await periodLeaves(tx, periodStart, periodEnd));
      const checkpoint = signCheckpoint(key, { day, periodStart, periodEnd, leafCount: leaves.length, root: merkleRoot(leaves), prev: checkpointDigest(last) });
      await insertCheckpoint(tx, checkpoint);
      made.push(day);
      last = checkpoint;
    }
    return made;
  });
}

/** How often an instance looks whether a checkpoint is due (one small query when none is). */
export const CHECKPOINT_INTERVAL_MS = 5 * 60_000;

export function startCheckpointer(
  db: Database,
  options: { key: SigningKey; settleMinutes: number; clock: Clock; intervalMs?: number; onMade?: (days: string[]) => void; onError?: (error: unknown) => void },
): { stop: () => Promise<void> } {
  return startWorkLoop(
    async () => {
      const made = await makeDueCheckpoints(db, options.key, options.settleMinutes, options.clock.now());
      if (made.length) options.onMade?.(made);
      return { full: false };
    },
    options.intervalMs ?? CHECKPOINT_INTERVAL_MS,
    options.onError,
  );
}

export interface CheckpointProblem {
  day: string;
  problem: 'bad_signature' | 'broken_link' | 'root_mismatch' | 'not_published_as_stored' | 'published_missing';
  detail?: string;
}

export interface CheckpointReport {
  checkpoints: number;
  valid: boolean;
  problems: CheckpointProblem[];
  /** The end of the newest checkpoint: history before it is sealed. */
  sealedUntil: string | null;
}

/**
 * Verifies the stored checkpoints against the database and the public keys: each is signed,
 * chained to the one before (no day left out), and its root is rebuilt from today's events — so
 * an event, a complaint deleted, added or back-dated in a sealed period shows as a root mismatch.
 * `published`: checkpoints as the portal published them (kept by anyone), each of which must be
 * stored unchanged — the check that holds even if every stored checkpoint was deleted.
 */
export async function verifyCheckpoints(db: Queryable, publicKeys: string[], published: SignedCheckpoint[] = []): Promise<CheckpointReport> {
  const stored = await listCheckpoints(db);
  const problems: CheckpointProblem[] = [];
  let previous: SignedCheckpoint | null = null;
  for (const c of stored) {
    if (!checkpointSignatureValid(c, publicKeys)) problems.push({ day: c.day, problem: 'bad_signature' });
    const linked = previous
      ? c.prev === checkpointDigest(previous) && c.periodStart === previous.periodEnd && c.day === nextDay(previous.day)
      : c.prev === checkpointDigest(null) && c.periodStart === null;
    if (!linked || c.periodEnd !== dayEnd(c.day)) problems.push({ day: c.day, problem: 'broken_link' });
    const leaves = sortLeaves(await periodLeaves(db, c.periodStart, c.periodEnd));
    if (merkleRoot(leaves) !== c.root || leaves.length !== c.leafCount) {
      problems.push({ day: c.day, problem: 'root_mismatch', detail: `${leaves.length} complaint head(s) now, ${c.leafCount} signed` });
    }
    previous = c;
  }
  const byDay = new Map(stored.map((c) => [c.day, c]));
  for (const p of published) {
    const s = byDay.get(p.day);
    if (!s) problems.push({ day: p.day, problem: 'published_missing' });
    else if (s.root !== p.root || s.signature !== p.signature || s.prev !== p.prev) problems.push({ day: p.day, problem: 'not_published_as_stored' });
  }
  return { checkpoints: stored.length, valid: problems.length === 0, problems, sealedUntil: previous?.periodEnd ?? null };
}

/** A complaint's inclusion proof in the newest checkpoint that holds it; null until one does. */
export async function inclusionProof(db: Queryable, complaintId: string): Promise<InclusionProof | null> {
  const checkpoint = await checkpointOfComplaint(db, complaintId);
  if (!checkpoint) return null;
  const leaves = sortLeaves(await periodLeaves(db, checkpoint.periodStart, checkpoint.periodEnd));
  const code = await chainTrackingCode(db, complaintId);
  const index = leaves.findIndex((l) => l.trackingCode === code);
  if (index < 0) return null;
  return { leaf: leaves[index]!, index, path: inclusionPath(leaves, index), checkpoint };
}
