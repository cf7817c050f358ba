import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { periodLeaves } from '../../src/chain/checkpoint-store.ts';
import { makeDueCheckpoints } from '../../src/chain/checkpoints.ts';
import { checkpointKeysFromConfig } from '../../src/chain/keys.ts';
import { verifyAll } from '../../src/chain/verify-all.ts';
import { type InclusionProof, type SignedCheckpoint, signCheckpoint, signingKey, verifyInclusionProof } from '../../src/domain/checkpoint.ts';
import { currentChainKeys } from '../../src/domain/event-chain.ts';
import { merkleRoot, sortLeaves } from '../../src/domain/merkle.ts';
import { lockComplaint } from '../../src/events/projection-store.ts';
import { commit } from '../../src/events/unit-of-work.ts';
import { buildTree, complaintBody, type Place, places, type Tree } from '../factories.ts';
import { type Harness, startHarness } from '../harness.ts';
import { asAttacker, rehashChain } from './attacker.ts';

/**
 * Issue 11: what no check of one complaint can see — a complaint deleted whole, one back-dated
 * into a day already sealed, the last event cut off with the head put back — caught by the
 * signed daily checkpoints `npm run verify-chain -- --all` checks; and the citizen's inclusion
 * proof, checked with nothing but the published public key.
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
// A checkpoint seals the day for every complaint in the database: each test starts with none.
beforeEach(() => h.db.pool.query('TRUNCATE complaints, chain_checkpoints CASCADE'));

const keys = () => checkpointKeysFromConfig(h.config);
const DAY = 86_400_000;

async function file(): Promise<{ id: string; trackingCode: string; phone: string }> {
  const body = complaintBody(tree.organisation.id, place.countyIds[0]!);
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: body });
  expect(res.statusCode).toBe(201);
  return { ...res.json(), phone: `+98${(body.contact as { phone: string }).phone.slice(1)}` };
}

/** Runs the checkpoint worker as if it were `at` (default: tomorrow, so today is sealed). */
function seal(at = new Date(Date.now() + DAY + 3_600_000)) {
  return makeDueCheckpoints(h.db, keys().signing, 10, at);
}

async function verifyEverything(published: SignedCheckpoint[] = []) {
  return verifyAll(h.db.pool, { chain: currentChainKeys(), publicKeys: keys().publicKeys }, published);
}

async function deleteComplaint(id: string) {
  await asAttacker(h.db, async (tx) => {
    for (const table of ['complaint_events', 'complainant_contacts', 'sla_timers', 'outbox']) {
      await tx.query(`DELETE FROM ${table} WHERE complaint_id = $1`, [id]);
    }
    await tx.query('DELETE FROM complaints WHERE id = $1', [id]);
  });
}

describe('the signed checkpoints catch what one complaint’s check cannot', () => {
  it('a complaint deleted whole', async () => {
    const kept = await file();
    const victim = await file();
    expect(await seal()).toHaveLength(1);
    expect(await verifyEverything()).toMatchObject({ ok: true, complaints: 2, checkpoints: { checkpoints: 1 } });
    await deleteComplaint(victim.id);
    const report = await verifyEverything();
    expect(report.broken).toEqual([]); // every complaint left is fine on its own…
    expect(report.ok).toBe(false); // …but the sealed day lost a complaint
    expect(report.checkpoints.problems).toEqual([expect.objectContaining({ problem: 'root_mismatch' })]);
    expect(kept.id).not.toBe(victim.id);
  });

  it('a complaint back-dated into a sealed day, even re-hashed with the chain key', async () => {
    await file();
    // Yesterday is sealed (the worker ran at its normal time today); this complaint is today's.
    expect(await seal(new Date())).toHaveLength(1);
    const late = await file();
    expect((await verifyEverything()).ok).toBe(true);
    const yesterday = new Date(Date.now() - DAY);
    // An insider who has the chain key (not the checkpoint history) makes it look filed yesterday.
    await rehashChain(h.db, late.id, () => ({ createdAt: yesterday }), currentChainKeys().active);
    await asAttacker(h.db, (tx) => tx.query('UPDATE complaints SET created_at = $2 WHERE id = $1', [late.id, yesterday]));
    const report = await verifyEverything();
    expect(report.broken).toEqual([]);
    expect(report.checkpoints.problems).toEqual([expect.objectContaining({ problem: 'root_mismatch' })]);
  });

  it('the last event deleted and the head put back', async () => {
    const c = await file();
    await h.db.transaction(async (tx) => {
      const locked = (await lockComplaint(tx, c.id, null))!;
      const note = { type: 'note_added', data: { text: 'پیگیری تلفنی انجام شد' } };
      expect(await commit(tx, [{ from: locked, actor: { kind: 'system', id: null }, events: [note] }], new Date())).toHaveLength(1);
    });
    await seal();
    await asAttacker(h.db, async (tx) => {
      const { rows } = await tx.query(
        'DELETE FROM complaint_events WHERE complaint_id = $1 AND seq = (SELECT max(seq) FROM complaint_events WHERE complaint_id = $1) RETURNING prev_hash',
        [c.id],
      );
      await tx.query('UPDATE complaints SET last_seq = last_seq - 1, head_hash = $2 WHERE id = $1', [c.id, rows[0].prev_hash]);
    });
    const report = await verifyEverything();
    expect(report.broken).toEqual([]);
    expect(report.checkpoints.problems).toEqual([expect.objectContaining({ problem: 'root_mismatch' })]);
  });

  it('a forged checkpoint: edited to fit, or re-signed with another key', async () => {
    await file();
    const victim = await file();
    await seal();
    await deleteComplaint(victim.id);
    const [stored] = (await verifyEverything()).checkpoints.problems;
    expect(stored?.problem).toBe('root_mismatch');
    // Make the stored root fit what is left: the signature no longer does.
    const row = (await h.db.pool.query<{ day: string; end: Date }>(`SELECT to_char(day, 'YYYY-MM-DD') AS day, period_end AS end FROM chain_checkpoints`))
      .rows[0]!;
    const leaves = sortLeaves(await periodLeaves(h.db.pool, null, row.end.toISOString()));
    await asAttacker(h.db, (tx) => tx.query('UPDATE chain_checkpoints SET root = $1, leaf_count = $2', [merkleRoot(leaves), leaves.length]));
    expect((await verifyEverything()).checkpoints.problems.map((p) => p.problem)).toEqual(['bad_signature']);
    // Re-sign it with a key of one's own: not a published key.
    const own = signingKey(Buffer.alloc(32, 9).toString('base64'));
    const forged = signCheckpoint(own, {
      day: row.day,
      periodStart: null,
      periodEnd: row.end.toISOString(),
      leafCount: leaves.length,
      root: merkleRoot(leaves),
      prev: '0'.repeat(64),
    });
    await asAttacker(h.db, (tx) => tx.query('UPDATE chain_checkpoints SET key_id = $1, signature = $2', [forged.keyId, forged.signature]));
    expect((await verifyEverything()).checkpoints.problems.map((p) => p.problem)).toEqual(['bad_signature']);
  });

  it('every checkpoint deleted: caught against a copy of what the portal published', async () => {
    await file();
    await seal();
    const published = (await h.app.inject({ url: '/api/v1/public/checkpoints' })).json() as { checkpoints: SignedCheckpoint[] };
    expect(published.checkpoints).toHaveLength(1);
    await asAttacker(h.db, (tx) => tx.query('DELETE FROM chain_checkpoints'));
    const report = await verifyEverything(published.checkpoints);
    expect(report.ok).toBe(false);
    expect(report.checkpoints.problems).toEqual([expect.objectContaining({ problem: 'published_missing' })]);
  });

  it('is made once across instances, catches up missed days, and chains them', async () => {
    await file();
    const made = await Promise.all([seal(new Date()), seal(new Date())]);
    expect(made.flat()).toHaveLength(1);
    // Three days later the days in between are made too, in order, each chained to the one before.
    expect(await seal(new Date(Date.now() + 3 * DAY))).toHaveLength(3);
    const report = await verifyEverything();
    expect(report).toMatchObject({ ok: true, checkpoints: { checkpoints: 4 } });
  });
});

describe('a citizen’s inclusion proof', () => {
  const otpFrom = (text: string) => (text.match(/[۰-۹]{6}/)?.[0] ?? '').replace(/[۰-۹]/g, (d) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(d)));

  async function token(c: { trackingCode: string; phone: string }): Promise<string> {
    await h.app.inject({ method: 'POST', url: `/api/v1/track/${c.trackingCode}/otp` });
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/v1/track/${c.trackingCode}/otp/verify`,
      payload: { otp: otpFrom(h.sms.lastTo(c.phone)!.text) },
    });
    return res.json().token;
  }

  it('round trip: fetched with the citizen token, checked with only the published key, showing nobody else', async () => {
    const mine = await file();
    const other = await file();
    const bearer = { authorization: `Bearer ${await token(mine)}` };
    expect((await h.app.inject({ url: `/api/v1/track/${mine.trackingCode}/proof` })).statusCode).toBe(401);
    const early = await h.app.inject({ url: `/api/v1/track/${mine.trackingCode}/proof`, headers: bearer });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('proof_not_ready');
    await seal();
    const res = await h.app.inject({ url: `/api/v1/track/${mine.trackingCode}/proof`, headers: bearer });
    expect(res.statusCode).toBe(200);
    const proof = res.json() as InclusionProof;
    expect(proof.leaf.trackingCode).toBe(mine.trackingCode);
    expect(JSON.stringify(proof)).not.toContain(other.trackingCode);
    // Another complaint's token does not open this proof.
    const foreign = { authorization: `Bearer ${await token(other)}` };
    expect((await h.app.inject({ url: `/api/v1/track/${mine.trackingCode}/proof`, headers: foreign })).statusCode).toBe(401);
    const published = (await h.app.inject({ url: '/api/v1/public/checkpoints' })).json() as {
      publicKeys: { publicKey: string }[];
      checkpoints: SignedCheckpoint[];
    };
    expect(published.checkpoints[0]).toEqual(proof.checkpoint);
    const publicKeys = published.publicKeys.map((k) => k.publicKey);
    expect(verifyInclusionProof(proof, publicKeys)).toEqual({ valid: true });
    // The command-line check a citizen (or a journalist) runs, with only the public key.
    const dir = mkdtempSync(join(tmpdir(), 'foad-proof-'));
    writeFileSync(join(dir, 'proof.json'), JSON.stringify(proof));
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'server/src/cli/verify-proof.ts', join(dir, 'proof.json'), publicKeys[0]!], {
      encoding: 'utf8',
    });
    expect(cli.status).toBe(0);
    expect(cli.stdout).toContain(`valid: tracking code ${mine.trackingCode}`);
    // A forged proof — another head for the code, or a changed root — is refused.
    expect(verifyInclusionProof({ ...proof, leaf: { ...proof.leaf, head: 'f'.repeat(64) } }, publicKeys)).toEqual({ valid: false, reason: 'root_mismatch' });
    const tampered = { ...proof, checkpoint: { ...proof.checkpoint, leafCount: proof.checkpoint.leafCount } };
    tampered.checkpoint.prev = 'a'.repeat(64);
    expect(verifyInclusionProof(tampered, publicKeys)).toEqual({ valid: false, reason: 'bad_signature' });
    const forgedKey = signingKey(Buffer.alloc(32, 3).toString('base64'));
    const { keyId: _k, signature: _s, ...body } = proof.checkpoint;
    expect(verifyInclusionProof({ ...proof, checkpoint: signCheckpoint(forgedKey, body) }, publicKeys)).toEqual({ valid: false, reason: 'bad_signature' });
  });
});
