import { complaintScope, type StaffPrincipal } from '../core/scope.ts';
import { param } from '../core/sql-param.ts';
import type { Queryable } from '../db/database.ts';
import type { Status } from '../domain/lifecycle.ts';

/** Whether a complaint was appealed before (read in the transaction that locked it). */
export async function appealedBefore(db: Queryable, complaintId: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM complaint_appeals WHERE complaint_id = $1', [complaintId]);
  return rows.length > 0;
}

/** Whether a unit is the top of its agency's tree (no parent): where an appeal may be made. */
export async function isTopUnit(db: Queryable, unitId: number | null): Promise<boolean> {
  if (unitId === null) return false;
  const { rows } = await db.query('SELECT 1 FROM units WHERE id = $1 AND parent_id IS NULL', [unitId]);
  return rows.length === 1;
}

/** Records an appeal, in the transaction of its `appealed` event. The primary key refuses a second. */
export async function insertAppeal(
  db: Queryable,
  appeal: { complaintId: string; provinceId: number | null; unitId: number; reason: string; appealedAt: Date; dueAt: string },
): Promise<void> {
  await db.query(`INSERT INTO complaint_appeals (complaint_id, province_id, unit_id, reason, appealed_at, due_at) VALUES ($1, $2, $3, $4, $5, $6)`, [
    appeal.complaintId,
    appeal.provinceId,
    appeal.unitId,
    appeal.reason,
    appeal.appealedAt,
    appeal.dueAt,
  ]);
}

/** Records the supervision group's decision on an open appeal, in the transaction of its event. */
export async function recordDecision(
  db: Queryable,
  decision: { complaintId: string; decision: 'upheld' | 'rejected'; text: string; userId: number; at: Date },
): Promise<boolean> {
  const result = await db.query(
    `UPDATE complaint_appeals SET decision = $2, decision_text = $3, decided_by = $4, decided_at = $5
     WHERE complaint_id = $1 AND decision IS NULL`,
    [decision.complaintId, decision.decision, decision.text, decision.userId, decision.at],
  );
  return result.rowCount === 1;
}

export interface AppealRow {
  complaintId: string;
  trackingCode: string;
  status: Status;
  unitNameFa: string | null;
  provinceNameFa: string | null;
  reason: string;
  answer: string | null;
  appealedAt: Date;
  dueAt: Date;
  decision: 'upheld' | 'rejected' | null;
  decisionText: string | null;
  decidedAt: Date | null;
  /** Open and past its deadline: the clock's breach fired (or is due and the sweeper has not come yet). */
  overdue: boolean;
}

/**
 * The appeals queue of a user: open ones (oldest deadline first) or decided ones (newest first),
 * in the user's scope (a provincial supervisor: their province), in SQL.
 */
export async function listAppeals(db: Queryable, user: StaffPrincipal, filter: { decided: boolean; limit: number; now: Date }): Promise<AppealRow[]> {
  const params: unknown[] = [];
  const scope = complaintScope(user, params, 'c');
  const { rows } = await db.query<AppealRow>(
    `SELECT c.id AS "complaintId", c.tracking_code AS "trackingCode", c.status, u.name_fa AS "unitNameFa", p.name_fa AS "provinceNameFa",
            a.reason, c.answer, a.appealed_at AS "appealedAt", a.due_at AS "dueAt", a.decision, a.decision_text AS "decisionText",
            a.decided_at AS "decidedAt",
            (a.decision IS NULL AND (a.due_at < ${param(params, filter.now.toISOString())}::timestamptz OR EXISTS (SELECT 1 FROM sla_timers t
               WHERE t.complaint_id = c.id AND t.kind = 'appeal' AND t.stage = 'breach' AND t.fired_at IS NOT NULL))) AS overdue
     FROM complaint_appeals a JOIN complaints c ON c.id = a.complaint_id
     LEFT JOIN units u ON u.id = a.unit_id LEFT JOIN provinces p ON p.id = c.province_id
     WHERE ${scope} AND (a.decision IS NULL) = ${param(params, !filter.decided)}
     ORDER BY CASE WHEN a.decision IS NULL THEN a.due_at END ASC, a.decided_at DESC, c.id
     LIMIT ${param(params, filter.limit)}`,
    params,
  );
  return rows;
}
