import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointKeysFromConfig } from '../../src/chain/keys.ts';
import { verifyAll } from '../../src/chain/verify-all.ts';
import { verifyComplaintChain, verifyComplaintChains } from '../../src/complaints/verify-complaint-chain.ts';
import { currentChainKeys } from '../../src/domain/event-chain.ts';
import { buildTree, complaintBody, type Place, places, type Tree } from '../factories.ts';
import { type Harness, startHarness } from '../harness.ts';
import { asAttacker } from './attacker.ts';

/**
 * Issue 14: `verify-chain --all` reads complaints a page at a time, several pages at once, instead
 * of two round trips per complaint. The verdicts must be the same: a tampered complaint in the
 * middle of a page is still reported, with the same report as the one-complaint check gives,
 * and its page-mates are not.
 */
let h: Harness;
let place: Place;
let tree: Tree;

beforeAll(async () => {
  h = await startHarness();
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place);
});
afterAll(() => h.close());

async function file(): Promise<string> {
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(tree.organisation.id, place.countyIds[0]!) });
  expect(res.statusCode).toBe(201);
  return res.json().id;
}

describe('verify-chain --all in pages', () => {
  it('reports exactly the tampered complaints, as the one-complaint check does, whatever the page size', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(await file());
    const sorted = [...ids].sort();
    // Two victims in the middle of the id order: one event's text edited, one row's deadline moved.
    const [editedEvent, movedDeadline] = [sorted[2]!, sorted[4]!];
    await asAttacker(h.db, async (tx) => {
      await tx.query(`UPDATE complaint_events SET data = data || '{"description":"متن جعلی"}' WHERE complaint_id = $1 AND seq = 1`, [editedEvent]);
      await tx.query(`UPDATE complaints SET due_at = due_at + interval '100 days' WHERE id = $1`, [movedDeadline]);
    });
    const keys = { chain: currentChainKeys(), publicKeys: checkpointKeysFromConfig(h.config).publicKeys };
    const oneByOne = await Promise.all(sorted.map((id) => verifyComplaintChain(h.db.pool, id, keys.chain)));
    expect(oneByOne.filter((r) => !(r!.valid && r!.projectionMatches && r!.headMatches)).map((r) => r!.complaintId)).toEqual([editedEvent, movedDeadline]);
    expect(await verifyComplaintChains(h.db.pool, sorted, keys.chain)).toEqual(oneByOne);
    for (const pace of [
      { batch: 1, workers: 1 },
      { batch: 2, workers: 3 },
      { batch: 3, workers: 2 },
      { batch: 500, workers: 4 },
    ]) {
      const seen: string[] = [];
      const report = await verifyAll(h.db.pool, keys, [], (r) => seen.push(r.complaintId), pace);
      expect(report.complaints, JSON.stringify(pace)).toBe(7);
      expect(seen.sort()).toEqual(sorted);
      expect(report.ok).toBe(false);
      expect(report.broken).toEqual([oneByOne[2], oneByOne[4]]);
      expect(report.broken[0]).toMatchObject({ complaintId: editedEvent, valid: false, brokenAtSeq: 1 });
      expect(report.broken[1]).toMatchObject({ complaintId: movedDeadline, valid: true, projectionMatches: false, mismatchedFields: ['dueAt'] });
    }
  });
});
