import type { Queryable } from '../db/database.ts';
import { answerDeadline, type SlaPolicy } from './plan.ts';
import { cachedClock, cachedPolicy, FALLBACK_POLICY, getPolicy } from './store.ts';

const byId = new Map<number, SlaPolicy>();

/**
 * The policy a complaint is measured by: the version it was filed (or triaged) under — policy
 * rows never change, only get superseded, so each version is remembered for good.
 */
export async function policyOf(
  db: Queryable,
  complaint: { slaPolicyId: number | null; unitPath?: string | null; categoryId: number | null },
): Promise<SlaPolicy> {
  if (complaint.slaPolicyId) {
    const known = byId.get(complaint.slaPolicyId);
    if (known) return known;
    const policy = await getPolicy(db, complaint.slaPolicyId);
    if (policy) {
      byId.set(policy.id, policy);
      return policy;
    }
  }
  return (await cachedPolicy(db, complaint.unitPath ?? null, complaint.categoryId)) ?? FALLBACK_POLICY;
}

/** The answer deadline if the complaint is handed to `unitId` now. */
export async function deadlineAt(
  db: Queryable,
  complaint: { slaPolicyId: number | null; categoryId: number | null },
  unitId: number,
  now: Date,
): Promise<string> {
  const policy = await policyOf(db, complaint);
  return answerDeadline(policy, await cachedClock(db, policy, unitId), now);
}
