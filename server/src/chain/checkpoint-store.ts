import type { Queryable } from '../db/database.ts';
import type { SignedCheckpoint } from '../domain/checkpoint.ts';
import type { Leaf } from '../domain/merkle.ts';

const COLUMNS = `to_char(day, 'YYYY-MM-DD') AS day, period_start AS "periodStart", period_end AS "periodEnd", leaf_count AS "leafCount",
  root, prev, key_id AS "keyId", signature`;

type Row = Omit<SignedCheckpoint, 'periodStart' | 'periodEnd'> & { periodStart: Date | null; periodEnd: Date };

// Any constant: the advisory lock that makes one instance at a time write checkpoints.
const CHECKPOINT_LOCK = 1_280_024;

const toCheckpoint = (r: Row): SignedCheckpoint => ({ ...r, periodStart: r.periodStart?.toISOString() ?? null, periodEnd: r.periodEnd.toISOString() });

/**
 * The leaves of a period, rebuilt from the events alone: every complaint with an event in
 * [start, end) (all history before `end` when start is null), with the last link it had before
 * `end`. The tracking code comes from the chain's own first event, not the (editable) row.
 */
export async function periodLeaves(db: Queryable, start: string | null, end: string): Promise<Leaf[]> {
  const { rows } = await db.query<Leaf>(
    `SELECT DISTINCT ON (e.complaint_id) COALESCE(r.data->>'trackingCode', e.complaint_id::text) AS "trackingCode", e.seq, e.hash AS head
     FROM complaint_events e JOIN complaint_events r ON r.complaint_id = e.complaint_id AND r.seq = 1
     WHERE e.created_at < $2
       AND e.complaint_id IN (SELECT complaint_id FROM complaint_events WHERE created_at < $2 AND ($1::timestamptz IS NULL OR created_at >= $1))
     ORDER BY e.complaint_id, e.seq DESC`,
    [start, end],
  );
  return rows;
}

/** Checkpoints oldest first (all of them), or the newest `limit` before a day, newest first. */
export async function listCheckpoints(db: Queryable, page?: { limit: number; before: string | null }): Promise<SignedCheckpoint[]> {
  if (!page) return (await db.query<Row>(`SELECT ${COLUMNS} FROM chain_checkpoints ORDER BY day`)).rows.map(toCheckpoint);
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM chain_checkpoints WHERE $2::date IS NULL OR day < $2::date ORDER BY day DESC LIMIT $1`, [
    page.limit,
    page.before,
  ]);
  return rows.map(toCheckpoint);
}

export async function lastCheckpoint(db: Queryable): Promise<SignedCheckpoint | null> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM chain_checkpoints ORDER BY day DESC LIMIT 1`);
  return rows[0] ? toCheckpoint(rows[0]) : null;
}

export async function insertCheckpoint(db: Queryable, c: SignedCheckpoint): Promise<void> {
  await db.query(
    `INSERT INTO chain_checkpoints (day, period_start, period_end, leaf_count, root, prev, key_id, signature)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [c.day, c.periodStart, c.periodEnd, c.leafCount, c.root, c.prev, c.keyId, c.signature],
  );
}

/** The newest checkpoint holding a complaint: the one whose period has its last event before the newest checkpoint's end. */
export async function checkpointOfComplaint(db: Queryable, complaintId: string): Promise<SignedCheckpoint | null> {
  const { rows } = await db.query<Row>(
    `WITH last AS (
       SELECT max(created_at) AS at FROM complaint_events
       WHERE complaint_id = $1 AND created_at < (SELECT max(period_end) FROM chain_checkpoints)
     )
     SELECT ${COLUMNS} FROM chain_checkpoints, last
     WHERE period_end > last.at AND (period_start IS NULL OR period_start <= last.at)`,
    [complaintId],
  );
  return rows[0] ? toCheckpoint(rows[0]) : null;
}

/** Holds, until the transaction ends, the lock that lets one instance at a time write checkpoints. */
export async function lockCheckpointWriter(tx: Queryable): Promise<void> {
  await tx.query('SELECT pg_advisory_xact_lock($1)', [CHECKPOINT_LOCK]);
}

/** A complaint's tracking code as its chain's first event recorded it (null: no such complaint). */
export async function chainTrackingCode(db: Queryable, complaintId: string): Promise<string | null> {
  const { rows } = await db.query<{ code: string }>(`SELECT data->>'trackingCode' AS code FROM complaint_events WHERE complaint_id = $1 AND seq = 1`, [
    complaintId,
  ]);
  return rows[0]?.code ?? null;
}

/**
 * The next `limit` complaint ids after `after` (null: from the start), in id order: what a full
 * chain check walks a page at a time (keyset on the primary key, so a page costs the same at
 * the end of six million as at the start, and no list of every id is held).
 */
export async function complaintIdsAfter(db: Queryable, after: string | null, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM complaints WHERE $1::uuid IS NULL OR id > $1::uuid ORDER BY id LIMIT $2', [after, limit]);
  return rows.map((r) => r.id);
}
