import { complaintScope, reportScope, type StaffPrincipal } from '../core/scope.ts';
import { param } from '../core/sql-param.ts';
import type { Queryable } from '../db/database.ts';
import type { FollowUpOutcome } from '../domain/lifecycle.ts';

/** Claims a week for drawing: false when another run (here or in another instance) already has it. */
export async function claimWeek(tx: Queryable, weekStart: string): Promise<boolean> {
  const { rowCount } = await tx.query('INSERT INTO follow_up_draws (week_start, calls) VALUES ($1, 0) ON CONFLICT (week_start) DO NOTHING', [weekStart]);
  return rowCount === 1;
}

/** Complaints closed in [from, to) that a citizen can be asked about: answered and closed (rated or not), never merged. */
export async function closedCandidates(tx: Queryable, from: Date, to: Date): Promise<{ complaintId: string; unitId: number }[]> {
  const { rows } = await tx.query<{ complaintId: string; unitId: number }>(
    `SELECT c.id AS "complaintId", c.unit_id AS "unitId" FROM complaints c
     WHERE c.status = 'closed' AND c.outcome IN ('satisfied', 'no_rating') AND c.unit_id IS NOT NULL
       AND c.closed_at >= $1 AND c.closed_at < $2
     ORDER BY c.id`,
    [from, to],
  );
  return rows;
}

/** Writes a week's calls and their count on the claimed draw row. */
export async function insertCalls(tx: Queryable, weekStart: string, calls: { complaintId: string; unitId: number }[]): Promise<void> {
  await tx.query(
    `INSERT INTO follow_up_calls (week_start, complaint_id, unit_id)
     SELECT $1, x.complaint_id, x.unit_id FROM unnest($2::uuid[], $3::int[]) AS x(complaint_id, unit_id)`,
    [weekStart, calls.map((c) => c.complaintId), calls.map((c) => c.unitId)],
  );
  await tx.query('UPDATE follow_up_draws SET calls = $2 WHERE week_start = $1', [weekStart, calls.length]);
}

export interface FollowUpCall {
  id: number;
  weekStart: string;
  complaintId: string;
  trackingCode: string;
  unitId: number;
  unitNameFa: string;
  closedAt: string | null;
  outcome: FollowUpOutcome | null;
  attempts: number | null;
  calledAt: string | null;
}

const CALL_COLUMNS = `f.id::int AS id, to_char(f.week_start, 'YYYY-MM-DD') AS "weekStart", f.complaint_id AS "complaintId", c.tracking_code AS "trackingCode",
  f.unit_id AS "unitId", u.name_fa AS "unitNameFa", c.closed_at AS "closedAt", f.outcome, f.attempts, f.called_at AS "calledAt"`;

function iso<T extends { closedAt: unknown; calledAt: unknown }>(row: T): T {
  const at = (v: unknown) => (v instanceof Date ? v.toISOString() : (v as string | null));
  return { ...row, closedAt: at(row.closedAt), calledAt: at(row.calledAt) };
}

/** The calls in the viewer's scope (the complaint's unit subtree and province, as every staff read): due first, newest week first. */
export async function listCalls(db: Queryable, user: StaffPrincipal, state: 'due' | 'done', limit: number): Promise<FollowUpCall[]> {
  const params: unknown[] = [];
  const { rows } = await db.query<FollowUpCall>(
    `SELECT ${CALL_COLUMNS} FROM follow_up_calls f JOIN complaints c ON c.id = f.complaint_id JOIN units u ON u.id = f.unit_id
     WHERE f.outcome IS ${state === 'due' ? '' : 'NOT '}NULL AND ${complaintScope(user, params)}
     ORDER BY f.week_start DESC, f.id LIMIT ${param(params, limit)}`,
    params,
  );
  return rows.map(iso);
}

/** Locks one call in the viewer's scope; null when there is none (or it is out of scope). */
export async function lockCall(tx: Queryable, user: StaffPrincipal, id: number): Promise<FollowUpCall | null> {
  const params: unknown[] = [id];
  const { rows } = await tx.query<FollowUpCall>(
    `SELECT ${CALL_COLUMNS} FROM follow_up_calls f JOIN complaints c ON c.id = f.complaint_id JOIN units u ON u.id = f.unit_id
     WHERE f.id = $1 AND ${complaintScope(user, params)} FOR UPDATE OF f`,
    params,
  );
  return rows[0] ? iso(rows[0]) : null;
}

/** Records a call's outcome (only once: the row must still be due). */
export async function setCallOutcome(
  tx: Queryable,
  id: number,
  outcome: FollowUpOutcome,
  attempts: number | null,
  calledBy: number,
  at: Date,
): Promise<boolean> {
  const { rowCount } = await tx.query(
    'UPDATE follow_up_calls SET outcome = $2, attempts = $3, called_by = $4, called_at = $5 WHERE id = $1 AND outcome IS NULL',
    [id, outcome, attempts, calledBy, at],
  );
  return rowCount === 1;
}

export interface FollowUpTally {
  unitId: number;
  unitNameFa: string;
  provinceId: number | null;
  sampled: number;
  reachedSatisfied: number;
  reachedNotSatisfied: number;
  notReachable: number;
}

/**
 * Per unit, the calls of the weeks drawn in [from, to) and what they found: for the report card.
 * `user` null: every unit (a published or public card); else the viewer's report scope.
 */
export async function followUpTallies(db: Queryable, from: Date, to: Date, user: StaffPrincipal | null): Promise<FollowUpTally[]> {
  const params: unknown[] = [from, to];
  const scope = user ? reportScope(user, params, 'u', 'u.province_id') : 'TRUE';
  const { rows } = await db.query<FollowUpTally>(
    `SELECT f.unit_id AS "unitId", u.name_fa AS "unitNameFa", u.province_id AS "provinceId", count(*)::int AS sampled,
            count(*) FILTER (WHERE f.outcome = 'reached_satisfied')::int AS "reachedSatisfied",
            count(*) FILTER (WHERE f.outcome = 'reached_not_satisfied')::int AS "reachedNotSatisfied",
            count(*) FILTER (WHERE f.outcome = 'not_reachable')::int AS "notReachable"
     FROM follow_up_calls f JOIN units u ON u.id = f.unit_id
     WHERE f.week_start >= ($1::timestamptz AT TIME ZONE 'Asia/Tehran')::date AND f.week_start < ($2::timestamptz AT TIME ZONE 'Asia/Tehran')::date AND ${scope}
     GROUP BY f.unit_id, u.name_fa, u.province_id ORDER BY f.unit_id`,
    params,
  );
  return rows;
}
