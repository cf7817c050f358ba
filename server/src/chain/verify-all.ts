import { type ChainReport, verifyComplaintChains } from '../complaints/verify-complaint-chain.ts';
import type { Queryable } from '../db/database.ts';
import type { SignedCheckpoint } from '../domain/checkpoint.ts';
import type { ChainKeyring } from '../domain/hash-chain.ts';
import { complaintIdsAfter } from './checkpoint-store.ts';
import { type CheckpointReport, verifyCheckpoints } from './checkpoints.ts';

export interface VerifyAllReport {
  complaints: number;
  /** The complaints whose chain, projection or head failed (in id order). */
  broken: ChainReport[];
  checkpoints: CheckpointReport;
  ok: boolean;
}

/** How `verifyAll` walks: complaints per page (two reads each) and pages in flight at once. */
export interface VerifyPace {
  batch: number;
  workers: number;
}

/** 500 complaints (~4,000 events) a read; four pages in flight keep the database busy while Node hashes. */
export const DEFAULT_PACE: VerifyPace = { batch: 500, workers: 4 };

/**
 * Verifies complaints page by page: `workers` loops each take the next page of ids from
 * `nextIds` (an empty page ends them) and check it with two reads (verifyComplaintChains).
 * Returns how many were checked and the broken ones, in id order.
 */
export async function verifyInPages(
  db: Queryable,
  keyring: ChainKeyring,
  nextIds: () => Promise<string[]>,
  workers: number,
  onEach?: (report: ChainReport) => void,
): Promise<{ complaints: number; broken: ChainReport[] }> {
  let complaints = 0;
  const broken: ChainReport[] = [];
  const worker = async () => {
    for (let ids = await nextIds(); ids.length > 0; ids = await nextIds()) {
      for (const report of await verifyComplaintChains(db, ids, keyring)) {
        complaints++;
        onEach?.(report);
        if (!(report.valid && report.projectionMatches && report.headMatches)) broken.push(report);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, workers) }, worker));
  broken.sort((a, b) => (a.complaintId < b.complaintId ? -1 : a.complaintId > b.complaintId ? 1 : 0));
  return { complaints, broken };
}

/** Every complaint's id, `batch` at a time in id order; the pages are read one after another. */
export function allComplaintPages(db: Queryable, batch: number): () => Promise<string[]> {
  let after: string | null = null;
  let done = false;
  let queue: Promise<unknown> = Promise.resolve();
  return () => {
    const page = queue.then(async () => {
      if (done) return [];
      const ids = await complaintIdsAfter(db, after, batch);
      if (ids.length < batch) done = true;
      after = ids[ids.length - 1] ?? after;
      return ids;
    });
    queue = page.catch(() => undefined);
    return page;
  };
}

/**
 * What `npm run verify-chain -- --all` checks: every complaint's keyed chain and projection, and
 * the signed checkpoints over the set of complaints (which catch a complaint deleted whole or
 * back-dated, that no per-complaint check can see). Complaints are read a page at a time, several
 * pages at once (one round trip per complaint took ~20 hours for six million).
 */
export async function verifyAll(
  db: Queryable,
  keys: { chain: ChainKeyring; publicKeys: string[] },
  published: SignedCheckpoint[] = [],
  onEach?: (report: ChainReport) => void,
  pace: VerifyPace = DEFAULT_PACE,
): Promise<VerifyAllReport> {
  const { complaints, broken } = await verifyInPages(db, keys.chain, allComplaintPages(db, pace.batch), pace.workers, onEach);
  const checkpoints = await verifyCheckpoints(db, keys.publicKeys, published);
  return { complaints, broken, checkpoints, ok: broken.length === 0 && checkpoints.valid };
}
