import { type ChainReport, verifyComplaintChain } from '../complaints/verify-complaint-chain.ts';
import type { Queryable } from '../db/database.ts';
import type { SignedCheckpoint } from '../domain/checkpoint.ts';
import type { ChainKeyring } from '../domain/hash-chain.ts';
import { allComplaintIds } from './checkpoint-store.ts';
import { type CheckpointReport, verifyCheckpoints } from './checkpoints.ts';

export interface VerifyAllReport {
  complaints: number;
  /** The complaints whose chain, projection or head failed. */
  broken: ChainReport[];
  checkpoints: CheckpointReport;
  ok: boolean;
}

/**
 * What `npm run verify-chain -- --all` checks: every complaint's keyed chain and projection, and
 * the signed checkpoints over the set of complaints (which catch a complaint deleted whole or
 * back-dated, that no per-complaint check can see).
 */
export async function verifyAll(
  db: Queryable,
  keys: { chain: ChainKeyring; publicKeys: string[] },
  published: SignedCheckpoint[] = [],
  onEach?: (report: ChainReport) => void,
): Promise<VerifyAllReport> {
  const ids = await allComplaintIds(db);
  const broken: ChainReport[] = [];
  for (const id of ids) {
    const report = (await verifyComplaintChain(db, id, keys.chain))!;
    onEach?.(report);
    if (!(report.valid && report.projectionMatches && report.headMatches)) broken.push(report);
  }
  const checkpoints = await verifyCheckpoints(db, keys.publicKeys, published);
  return { complaints: ids.length, broken, checkpoints, ok: broken.length === 0 && checkpoints.valid };
}
