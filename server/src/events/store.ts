import type { Queryable } from '../db/database.ts';
import { type ChainedEvent, eventHash } from '../domain/hash-chain.ts';

export interface Actor {
  kind: 'citizen' | 'staff' | 'system';
  /** The staff user, when kind is 'staff'. */
  id: number | null;
}

export interface NewEvent {
  type: string;
  data: unknown;
}

export interface StoredEvent extends ChainedEvent {
  id: number;
  prevHash: string;
  hash: string;
}

/**
 * Appends events to a complaint's chain, each hashed over the one before it. Call inside the
 * transaction that changes the complaint, after locking its row, so the chain has no forks.
 * Returns the new head (last seq and hash) for the complaint row.
 */
export async function appendEvents(
  db: Queryable,
  complaintId: string,
  head: { seq: number; hash: string },
  actor: Actor,
  events: NewEvent[],
  at: Date = new Date(),
): Promise<{ seq: number; hash: string; events: StoredEvent[] }> {
  let { seq, hash } = head;
  const stored: StoredEvent[] = [];
  const createdAt = at.toISOString();
  const values: unknown[] = [];
  const tuples: string[] = [];
  for (const event of events) {
    // Hash exactly what JSON will give back when the chain is verified.
    const data = JSON.parse(JSON.stringify(event.data ?? {}));
    const chained: ChainedEvent = { complaintId, seq: seq + 1, type: event.type, actorKind: actor.kind, actorId: actor.id, data, createdAt };
    const next = eventHash(hash, chained);
    const base = values.length;
    values.push(complaintId, chained.seq, event.type, actor.kind, actor.id, JSON.stringify(data), at, hash, next);
    tuples.push(`(${Array.from({ length: 9 }, (_, i) => `$${base + i + 1}`).join(', ')})`);
    stored.push({ ...chained, id: 0, prevHash: hash, hash: next });
    seq = chained.seq;
    hash = next;
  }
  if (tuples.length > 0) {
    const { rows } = await db.query<{ id: number }>(
      `INSERT INTO complaint_events (complaint_id, seq, type, actor_kind, actor_id, data, created_at, prev_hash, hash)
       VALUES ${tuples.join(', ')} RETURNING id`,
      values,
    );
    rows.forEach((row, i) => {
      stored[i]!.id = row.id;
    });
  }
  return { seq, hash, events: stored };
}

/** A complaint's events in order. */
export async function listEvents(db: Queryable, complaintId: string): Promise<StoredEvent[]> {
  const { rows } = await db.query<Omit<StoredEvent, 'createdAt'> & { createdAt: Date }>(
    `SELECT id, complaint_id AS "complaintId", seq, type, actor_kind AS "actorKind", actor_id AS "actorId", data,
            created_at AS "createdAt", prev_hash AS "prevHash", hash
     FROM complaint_events WHERE complaint_id = $1 ORDER BY seq`,
    [complaintId],
  );
  return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }));
}
