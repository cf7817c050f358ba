import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyComplaintChain } from '../../src/complaints/verify-complaint-chain.ts';
import { buildTree, complaintBody, mobile, type Place, places, type Tree } from '../factories.ts';
import { type Harness, startHarness } from '../harness.ts';
import { asAttacker, rehashChain } from './attacker.ts';

/**
 * Issue 11, "tamper evidence that holds": each tampering someone with write access to the
 * database (but not the server's keys) can do to ONE complaint, caught by what
 * `npm run verify-chain` runs for every complaint. (A complaint deleted whole, back-dated, or cut
 * short by its last event: see checkpoint-tampering.test.ts.)
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

async function file(extra: Record<string, unknown> = {}): Promise<string> {
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(tree.organisation.id, place.countyIds[0]!, extra) });
  expect(res.statusCode).toBe(201);
  const id = res.json().id as string;
  // Untouched, it verifies: the tests below fail only because of what they change.
  expect(await verify(id)).toMatchObject({ valid: true, projectionMatches: true, headMatches: true });
  return id;
}

async function verify(id: string) {
  return (await verifyComplaintChain(h.db.pool, id))!;
}

const holds = (r: { valid: boolean; projectionMatches: boolean; headMatches: boolean }) => r.valid && r.projectionMatches && r.headMatches;

describe('verify catches a tampered complaint', () => {
  it('an edited description', async () => {
    const id = await file();
    await asAttacker(h.db, (tx) => tx.query(`UPDATE complaints SET description = 'متن دیگری که شاکی هرگز ننوشت' WHERE id = $1`, [id]));
    const report = await verify(id);
    expect(holds(report)).toBe(false);
    expect(report.mismatchedFields).toContain('description');
  });

  it('a flipped confidentiality flag', async () => {
    const id = await file({ confidential: true });
    await asAttacker(h.db, (tx) => tx.query('UPDATE complaints SET confidential = false WHERE id = $1', [id]));
    const report = await verify(id);
    expect(holds(report)).toBe(false);
    expect(report.mismatchedFields).toContain('confidential');
  });

  it('a changed phone (the contact lives outside the chain, but its keyed digest does not)', async () => {
    const id = await file();
    await asAttacker(h.db, (tx) => tx.query('UPDATE complainant_contacts SET phone = $2 WHERE complaint_id = $1', [id, `+98${mobile().slice(1)}`]));
    const report = await verify(id);
    expect(holds(report)).toBe(false);
    expect(report.mismatchedFields).toContain('contact');
  });

  it('a moved deadline with the whole chain re-hashed as the repository’s code links it, without the key', async () => {
    const id = await file();
    const later = (iso: unknown) => new Date(Date.parse(String(iso)) + 30 * 86_400_000).toISOString();
    const moved = async (tx: { query: (q: string, v: unknown[]) => Promise<unknown> }) => {
      await tx.query("UPDATE complaints SET due_at = due_at + interval '30 days' WHERE id = $1", [id]);
      await tx.query(
        `UPDATE sla_timers SET due_at = due_at + interval '30 days', fire_at = fire_at + interval '30 days' WHERE complaint_id = $1 AND kind = 'answer'`,
        [id],
      );
    };
    await asAttacker(h.db, moved);
    const edit = (e: { type: string; data: Record<string, unknown> }) => (e.type === 'referred' ? { data: { ...e.data, dueAt: later(e.data.dueAt) } } : {});
    // Re-hashed with plain SHA-256, keeping the key ids…
    await rehashChain(h.db, id, edit, null);
    expect(await verify(id)).toMatchObject({ valid: false, brokenAtSeq: 1, reason: 'hash_mismatch' });
    // …or marked as version-1 (unkeyed) rows: refused, since this deployment has no unkeyed past.
    await rehashChain(h.db, id, () => ({ keyId: null }), null);
    expect(await verify(id)).toMatchObject({ valid: false, brokenAtSeq: 1, reason: 'unkeyed_event' });
  });

  it('a moved deadline in the timers alone', async () => {
    const id = await file();
    await asAttacker(h.db, (tx) =>
      tx.query(`UPDATE sla_timers SET due_at = due_at + interval '7 days', fire_at = fire_at + interval '7 days' WHERE complaint_id = $1 AND kind = 'answer'`, [
        id,
      ]),
    );
    const report = await verify(id);
    expect(holds(report)).toBe(false);
    expect(report.mismatchedFields).toContain('timers.answer.dueAt');
  });

  it('an edited event with its own link re-made without the key', async () => {
    const id = await file();
    await rehashChain(h.db, id, (e) => (e.type === 'received' ? { data: { ...e.data, description: 'روایتی دیگر از ماجرا برای پرونده' } } : {}), null);
    await asAttacker(h.db, (tx) => tx.query(`UPDATE complaints SET description = 'روایتی دیگر از ماجرا برای پرونده' WHERE id = $1`, [id]));
    expect(await verify(id)).toMatchObject({ valid: false, reason: 'hash_mismatch' });
  });
});
