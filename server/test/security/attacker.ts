import { createHash, createHmac } from 'node:crypto';
import type pg from 'pg';
import type { Database } from '../../src/db/database.ts';
import { canonicalJson } from '../../src/domain/canonical-json.ts';

/**
 * What someone with write access to the database (but not the server's keys) can do: switch
 * off triggers and foreign keys for their session and write any row. Tests use it to tamper.
 */
export async function asAttacker<T>(db: Database, work: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.query(`SET LOCAL session_replication_role = replica`);
    return work(tx);
  });
}

interface EventRow {
  id: number;
  seq: number;
  type: string;
  actorKind: string;
  actorId: number | null;
  data: Record<string, unknown>;
  createdAt: Date;
  keyId: string | null;
}

/**
 * Rewrites a complaint's whole chain the way the code in the repository links it: each event's
 * data (and time) as `edit` says, every link recomputed from the first, the row's head moved.
 * With `secret` the links are HMACs under it (an insider who has a key); without, plain SHA-256
 * (an outsider, who can only copy the published algorithm).
 */
export async function rehashChain(
  db: Database,
  complaintId: string,
  edit: (e: EventRow) => { data?: Record<string, unknown>; createdAt?: Date; keyId?: string | null },
  secret: { id: string; secret: Buffer } | null,
): Promise<void> {
  await asAttacker(db, async (tx) => {
    const { rows } = await tx.query<EventRow>(
      `SELECT id, seq, type, actor_kind AS "actorKind", actor_id AS "actorId", data, created_at AS "createdAt", to_jsonb(e)->>'key_id' AS "keyId"
       FROM complaint_events e WHERE complaint_id = $1 ORDER BY seq`,
      [complaintId],
    );
    let prev = '0'.repeat(64);
    for (const row of rows) {
      const changed = edit(row);
      const data = changed.data ?? row.data;
      const createdAt = (changed.createdAt ?? row.createdAt).toISOString();
      const keyId = changed.keyId === undefined ? row.keyId : changed.keyId;
      const body = canonicalJson({ complaintId, seq: row.seq, type: row.type, actorKind: row.actorKind, actorId: row.actorId, data, createdAt });
      const hash = secret
        ? createHmac('sha256', secret.secret).update(`foad-chain-v2\n${secret.id}\n${prev}\n`).update(body).digest('hex')
        : createHash('sha256').update(prev).update('\n').update(body).digest('hex');
      await tx.query('UPDATE complaint_events SET data = $2, created_at = $3, prev_hash = $4, hash = $5 WHERE id = $1', [
        row.id,
        JSON.stringify(data),
        createdAt,
        prev,
        hash,
      ]);
      if (keyId !== row.keyId) await tx.query('UPDATE complaint_events SET key_id = $2 WHERE id = $1', [row.id, keyId]);
      prev = hash;
    }
    await tx.query('UPDATE complaints SET head_hash = $2 WHERE id = $1', [complaintId, prev]);
  });
}
