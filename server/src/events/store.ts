import type { Queryable } from '../db/database.ts';
import type { StoredEvent } from '../domain/event-chain.ts';

/** The chained events as one JSON parameter for `jsonb_to_recordset` (one statement, fixed text); `complaint_id` is read only where a statement spans complaints. */
export function eventsParameter(events: StoredEvent[]): string {
  return JSON.stringify(
    events.map((e) => ({
      complaint_id: e.complaintId,
      seq: e.seq,
      type: e.type,
      actor_kind: e.actorKind,
      actor_id: e.actorId,
      data: e.data,
      created_at: e.createdAt,
      prev_hash: e.prevHash,
      hash: e.hash,
      key_id: e.keyId,
    })),
  );
}

/** The column list that `eventsParameter` fills, for `jsonb_to_recordset(...) AS e(<this>)`. */
export const EVENT_RECORD = 'seq int, type text, actor_kind text, actor_id int, data jsonb, created_at timestamptz, prev_hash text, hash text, key_id text';

/**
 * Writes chained events of one or many complaints in one statement. Called only by the unit of
 * work (events/unit-of-work.ts; the architecture test holds every other writer of
 * complaint_events to that): each complaint locked by the caller, its events chained onto its
 * current head.
 */
export async function insertChainedEvents(db: Queryable, events: StoredEvent[]): Promise<void> {
  if (events.length === 0) return;
  const { rows } = await db.query<{ id: number; complaintId: string; seq: number }>({
    name: 'insert-chained-events',
    text: `INSERT INTO complaint_events (complaint_id, seq, type, actor_kind, actor_id, data, created_at, prev_hash, hash, key_id)
           SELECT e.complaint_id, e.seq, e.type, e.actor_kind, e.actor_id, e.data, e.created_at, e.prev_hash, e.hash, e.key_id
           FROM jsonb_to_recordset($1::jsonb) AS e(complaint_id uuid, ${EVENT_RECORD}) ORDER BY e.complaint_id, e.seq
           RETURNING id, complaint_id AS "complaintId", seq`,
    values: [eventsParameter(events)],
  });
  // The ids, for the live notification the unit of work sends on commit.
  const ids = new Map(rows.map((r) => [`${r.complaintId}:${r.seq}`, Number(r.id)]));
  for (const e of events) e.id = ids.get(`${e.complaintId}:${e.seq}`) ?? e.id;
}

/** A complaint's events in order. */
export async function listEvents(db: Queryable, complaintId: string): Promise<StoredEvent[]> {
  const { rows } = await db.query<Omit<StoredEvent, 'createdAt'> & { createdAt: Date }>(
    `SELECT id, complaint_id AS "complaintId", seq, type, actor_kind AS "actorKind", actor_id AS "actorId", data,
            created_at AS "createdAt", prev_hash AS "prevHash", hash, key_id AS "keyId"
     FROM complaint_events WHERE complaint_id = $1 ORDER BY seq`,
    [complaintId],
  );
  return rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }));
}

/** The events of many complaints in one read, each complaint's in order (those without events absent). */
export async function listEventsOfMany(db: Queryable, complaintIds: string[]): Promise<Map<string, StoredEvent[]>> {
  const { rows } = await db.query<Omit<StoredEvent, 'createdAt'> & { createdAt: Date }>(
    `SELECT id, complaint_id AS "complaintId", seq, type, actor_kind AS "actorKind", actor_id AS "actorId", data,
            created_at AS "createdAt", prev_hash AS "prevHash", hash, key_id AS "keyId"
     FROM complaint_events WHERE complaint_id = ANY($1::uuid[]) ORDER BY complaint_id, seq`,
    [complaintIds],
  );
  const out = new Map<string, StoredEvent[]>();
  for (const row of rows) {
    const list = out.get(row.complaintId) ?? [];
    if (list.length === 0) out.set(row.complaintId, list);
    list.push({ ...row, createdAt: row.createdAt.toISOString() });
  }
  return out;
}

/** The last merge or split event of a complaint ('merged_into', 'split_off', or null). */
export async function lastMergeEventOf(db: Queryable, complaintId: string): Promise<string | null> {
  const { rows } = await db.query<{ type: string }>(
    `SELECT type FROM complaint_events WHERE complaint_id = $1 AND type IN ('merged_into', 'split_off') ORDER BY seq DESC LIMIT 1`,
    [complaintId],
  );
  return rows[0]?.type ?? null;
}

/** The data of a `repeat_received` event of a case (null: no such event). */
export async function repeatEventData(db: Queryable, caseId: string, seq: number): Promise<{ channel?: string; description?: string } | null> {
  const { rows } = await db.query<{ data: { channel?: string; description?: string } }>(
    `SELECT data FROM complaint_events WHERE complaint_id = $1 AND seq = $2 AND type = 'repeat_received'`,
    [caseId, seq],
  );
  return rows[0]?.data ?? null;
}

/** Whether the repeat at `seq` of a case was already split off (a retry). */
export async function repeatWasSplit(db: Queryable, caseId: string, seq: number): Promise<boolean> {
  const { rowCount } = await db.query(`SELECT 1 FROM complaint_events WHERE complaint_id = $1 AND type = 'repeat_split' AND (data->>'seq')::int = $2`, [
    caseId,
    seq,
  ]);
  return (rowCount ?? 0) > 0;
}

/** The most a NOTIFY payload carries (PostgreSQL's limit is 8000 bytes). */
const PAYLOAD_LIMIT = 7900;

/**
 * Announces committed events on the live channel: one statement at the end of the unit of
 * work, delivered when its transaction commits and dropped on rollback. The payload is 'e'
 * and the ids ('e12,13'), split only when a large batch outgrows one notification.
 */
export async function announceEvents(db: Queryable, channel: string, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  const payloads: string[] = [];
  let current = '';
  for (const id of ids) {
    const next = current ? `${current},${id}` : `e${id}`;
    if (next.length > PAYLOAD_LIMIT) {
      payloads.push(current);
      current = `e${id}`;
    } else current = next;
  }
  payloads.push(current);
  await db.query({ name: 'live-announce', text: 'SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p', values: [channel, payloads] });
}
