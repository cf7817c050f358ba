import { type StaffPrincipal, unitScope } from '../core/scope.ts';
import { param } from '../core/sql-param.ts';
import type { Queryable } from '../db/database.ts';
import type { ActionAudience } from './notices.ts';
import type { ActionKind, EnforcementRule, Suggestion } from './rules.ts';
import type { MonthToRun, ScheduledAttempt } from './schedule.ts';

const RULE_COLUMNS = `id, code, action, condition, threshold::float8 AS threshold, periods, min_complaints AS "minComplaints",
  prior_warnings AS "priorWarnings", active, description_fa AS "descriptionFa"`;

export async function listRules(db: Queryable): Promise<EnforcementRule[]> {
  return (await db.query<EnforcementRule>(`SELECT ${RULE_COLUMNS} FROM enforcement_rules ORDER BY id`)).rows;
}

export type RuleChange = Partial<Pick<EnforcementRule, 'threshold' | 'periods' | 'minComplaints' | 'priorWarnings' | 'active' | 'descriptionFa'>>;

/** Changes a rule's numbers, stamped `now`; null when there is no such rule. */
export async function updateRule(db: Queryable, code: string, change: RuleChange, now: Date): Promise<EnforcementRule | null> {
  const { rows } = await db.query<EnforcementRule>(
    `UPDATE enforcement_rules SET threshold = CASE WHEN $2::boolean THEN $3::numeric ELSE threshold END,
       periods = COALESCE($4, periods), min_complaints = COALESCE($5, min_complaints), prior_warnings = COALESCE($6, prior_warnings),
       active = COALESCE($7, active), description_fa = COALESCE($8, description_fa), updated_at = $9
     WHERE code = $1 RETURNING ${RULE_COLUMNS}`,
    [
      code,
      change.threshold !== undefined,
      change.threshold ?? null,
      change.periods ?? null,
      change.minComplaints ?? null,
      change.priorWarnings ?? null,
      change.active ?? null,
      change.descriptionFa ?? null,
      now,
    ],
  );
  return rows[0] ?? null;
}

/** Confirmed warnings (not overturned on appeal) per manager decided in the 12 months before `asOf`. */
export async function priorWarnings(db: Queryable, asOf: Date): Promise<Map<number, number>> {
  const { rows } = await db.query<{ managerId: number; n: number }>(
    `SELECT manager_id AS "managerId", count(*)::int AS n FROM enforcement_actions
     WHERE kind = 'warning' AND status = 'confirmed' AND appeal_status IS DISTINCT FROM 'overturned'
       AND decided_at > $1::timestamptz - interval '12 months' AND decided_at <= $1
     GROUP BY manager_id`,
    [asOf],
  );
  return new Map(rows.map((r) => [r.managerId, r.n]));
}

export interface EnforcementAction {
  id: number;
  kind: ActionKind;
  managerId: number;
  managerName: string;
  unitId: number;
  unitName: string;
  provinceId: number | null;
  ruleCode: string | null;
  period: string;
  evidence: unknown;
  proposedBy: number | null;
  proposedAt: Date;
  replyDueAt: Date;
  reply: string | null;
  repliedAt: Date | null;
  status: 'proposed' | 'confirmed' | 'dropped';
  decidedBy: number | null;
  decidedAt: Date | null;
  decisionReason: string | null;
  evidenceUrl: string | null;
  appeal: string | null;
  appealedAt: Date | null;
  appealStatus: 'pending' | 'upheld' | 'overturned' | null;
  appealDecidedBy: number | null;
  appealDecidedAt: Date | null;
  appealReason: string | null;
}

const ACTION_SELECT = `SELECT a.id, a.kind, a.manager_id AS "managerId", m.display_name AS "managerName", a.unit_id AS "unitId", u.name_fa AS "unitName",
  a.province_id AS "provinceId", r.code AS "ruleCode", a.period, a.evidence, a.proposed_by AS "proposedBy", a.proposed_at AS "proposedAt",
  a.reply_due_at AS "replyDueAt", a.reply, a.replied_at AS "repliedAt", a.status, a.decided_by AS "decidedBy", a.decided_at AS "decidedAt",
  a.decision_reason AS "decisionReason", a.evidence_url AS "evidenceUrl", a.appeal, a.appealed_at AS "appealedAt", a.appeal_status AS "appealStatus",
  a.appeal_decided_by AS "appealDecidedBy", a.appeal_decided_at AS "appealDecidedAt", a.appeal_reason AS "appealReason"
  FROM enforcement_actions a JOIN staff_users m ON m.id = a.manager_id JOIN units u ON u.id = a.unit_id LEFT JOIN enforcement_rules r ON r.id = a.rule_id`;

/**
 * Writes suggested actions; one per rule, manager, unit and month however often the rules run
 * (the unique index). Returns only the ones new this time.
 */
export async function insertSuggestions(
  db: Queryable,
  suggestions: Suggestion[],
  now: Date,
  replyDueAt: Date,
): Promise<{ id: number; managerId: number; kind: ActionKind; unitId: number; period: string }[]> {
  if (suggestions.length === 0) return [];
  const { rows } = await db.query<{ id: number; managerId: number; kind: ActionKind; unitId: number; period: string }>(
    `INSERT INTO enforcement_actions (kind, manager_id, unit_id, unit_path, province_id, rule_id, period, evidence, proposed_at, reply_due_at)
     SELECT s.kind, s."managerId", s."unitId", s."unitPath", s."provinceId", s."ruleId", s.period, s.evidence, $2, $3
     FROM jsonb_to_recordset($1::jsonb) AS s(kind text, "managerId" int, "unitId" int, "unitPath" text, "provinceId" int, "ruleId" int, period text, evidence jsonb)
     ON CONFLICT (rule_id, manager_id, unit_id, period) WHERE rule_id IS NOT NULL DO NOTHING
     RETURNING id, manager_id AS "managerId", kind, unit_id AS "unitId", period`,
    [JSON.stringify(suggestions), now, replyDueAt],
  );
  return rows;
}

/** A supervisor's own proposal (no rule). */
export async function insertProposal(
  db: Queryable,
  p: {
    kind: ActionKind;
    managerId: number;
    unit: { id: number; path: string; provinceId: number | null };
    period: string;
    evidence: unknown;
    proposedBy: number;
    now: Date;
    replyDueAt: Date;
  },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO enforcement_actions (kind, manager_id, unit_id, unit_path, province_id, period, evidence, proposed_by, proposed_at, reply_due_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [p.kind, p.managerId, p.unit.id, p.unit.path, p.unit.provinceId, p.period, JSON.stringify(p.evidence), p.proposedBy, p.now, p.replyDueAt],
  );
  return rows[0]!.id;
}

/**
 * One action, if the user may see it: the manager it is about, or a reader in scope.
 * `forUpdate` locks the row for a decision, reply or appeal.
 */
export async function findAction(
  db: Queryable,
  id: number,
  user: StaffPrincipal,
  options: { forUpdate?: boolean; readScope: boolean },
): Promise<EnforcementAction | null> {
  const params: unknown[] = [id, user.id];
  const scope = options.readScope ? unitScope(user, params) : 'FALSE';
  const { rows } = await db.query<EnforcementAction>(
    `${ACTION_SELECT} WHERE a.id = $1 AND (a.manager_id = $2 OR ${scope})${options.forUpdate ? ' FOR UPDATE OF a' : ''}`,
    params,
  );
  return rows[0] ?? null;
}

export interface ActionFilter {
  status?: EnforcementAction['status'] | undefined;
  kind?: ActionKind | undefined;
  unitId?: number | undefined;
  managerId?: number | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** Actions in the user's scope, newest first. */
export async function listActions(db: Queryable, user: StaffPrincipal, f: ActionFilter, limit: number): Promise<EnforcementAction[]> {
  const params: unknown[] = [];
  const where = [unitScope(user, params)];
  const add = (sql: string, value: unknown) => where.push(sql.replace('?', param(params, value)));
  if (f.status) add('a.status = ?', f.status);
  if (f.kind) add('a.kind = ?', f.kind);
  if (f.unitId) add('a.unit_id = ?', f.unitId);
  if (f.managerId) add('a.manager_id = ?', f.managerId);
  if (f.from) add('a.proposed_at >= ?', f.from);
  if (f.to) add('a.proposed_at < ?', f.to);
  const { rows } = await db.query<EnforcementAction>(
    `${ACTION_SELECT} WHERE ${where.join(' AND ')} ORDER BY a.proposed_at DESC, a.id DESC LIMIT ${param(params, limit)}`,
    params,
  );
  return rows;
}

/** Every action on a manager's record (for the record view; the caller has checked access). */
export async function actionsOfManager(db: Queryable, managerId: number): Promise<EnforcementAction[]> {
  return (await db.query<EnforcementAction>(`${ACTION_SELECT} WHERE a.manager_id = $1 ORDER BY a.proposed_at DESC, a.id DESC`, [managerId])).rows;
}

export async function recordReply(db: Queryable, id: number, text: string, now: Date): Promise<boolean> {
  const r = await db.query('UPDATE enforcement_actions SET reply = $2, replied_at = $3 WHERE id = $1 AND reply IS NULL AND status = $4', [
    id,
    text,
    now,
    'proposed',
  ]);
  return r.rowCount === 1;
}

export async function recordDecision(
  db: Queryable,
  id: number,
  d: { status: 'confirmed' | 'dropped'; by: number; reason: string; evidenceUrl: string; now: Date },
): Promise<boolean> {
  const r = await db.query(
    `UPDATE enforcement_actions SET status = $2, decided_by = $3, decision_reason = $4, evidence_url = $5, decided_at = $6
     WHERE id = $1 AND status = 'proposed'`,
    [id, d.status, d.by, d.reason, d.evidenceUrl, d.now],
  );
  return r.rowCount === 1;
}

/** The one appeal: refused by the WHERE clause when one was made before. */
export async function recordAppeal(db: Queryable, id: number, text: string, now: Date): Promise<boolean> {
  const r = await db.query(
    `UPDATE enforcement_actions SET appeal = $2, appealed_at = $3, appeal_status = 'pending' WHERE id = $1 AND status = 'confirmed' AND appeal IS NULL`,
    [id, text, now],
  );
  return r.rowCount === 1;
}

export async function recordAppealDecision(db: Queryable, id: number, d: { upheld: boolean; by: number; reason: string; now: Date }): Promise<boolean> {
  const r = await db.query(
    `UPDATE enforcement_actions SET appeal_status = $2, appeal_decided_by = $3, appeal_reason = $4, appeal_decided_at = $5
     WHERE id = $1 AND appeal_status = 'pending'`,
    [id, d.upheld ? 'upheld' : 'overturned', d.by, d.reason, d.now],
  );
  return r.rowCount === 1;
}

export interface ManagerSummary {
  id: number;
  displayName: string;
  role: string;
  unitId: number | null;
  unitName: string | null;
  unitPath: string | null;
  provinceId: number | null;
  /** Units this person heads now. */
  headOf: { id: number; nameFa: string; path: string; provinceId: number | null }[];
  breaches: { total: number; last12Months: number };
}

/** A staff member seen as a manager: their unit, the units they head and the breaches recorded against them. */
export async function managerSummary(db: Queryable, managerId: number, now: Date): Promise<ManagerSummary | null> {
  const { rows } = await db.query<ManagerSummary>(
    `SELECT s.id, s.display_name AS "displayName", s.role, s.unit_id AS "unitId", u.name_fa AS "unitName", u.path AS "unitPath",
            COALESCE(u.province_id, s.province_id) AS "provinceId",
            COALESCE((SELECT json_agg(json_build_object('id', h.id, 'nameFa', h.name_fa, 'path', h.path, 'provinceId', h.province_id) ORDER BY h.id)
                      FROM units h WHERE h.inspection_head_id = s.id), '[]') AS "headOf",
            json_build_object(
              'total', (SELECT count(*)::int FROM sla_breaches b WHERE b.manager_id = s.id),
              'last12Months', (SELECT count(*)::int FROM sla_breaches b WHERE b.manager_id = s.id AND b.breached_at > $2::timestamptz - interval '12 months')) AS breaches
     FROM staff_users s LEFT JOIN units u ON u.id = s.unit_id WHERE s.id = $1`,
    [managerId, now],
  );
  return rows[0] ?? null;
}

/**
 * Enforcement actions in force for report cards: confirmed and not overturned on appeal,
 * decided in [from, to), counted per unit, manager and kind.
 */
export async function actionsInForce(db: Queryable, from: Date, to: Date): Promise<{ unitId: number; managerId: number; kind: ActionKind; count: number }[]> {
  const { rows } = await db.query<{ unitId: number; managerId: number; kind: ActionKind; count: number }>(
    `SELECT unit_id AS "unitId", manager_id AS "managerId", kind, count(*)::int AS count FROM enforcement_actions
     WHERE status = 'confirmed' AND appeal_status IS DISTINCT FROM 'overturned' AND decided_at >= $1 AND decided_at < $2
     GROUP BY unit_id, manager_id, kind ORDER BY unit_id, manager_id, kind`,
    [from, to],
  );
  return rows;
}

/** One run of the rules (enforcement_runs): scheduled for a month, or by hand. */
export interface EnforcementRun {
  id: number;
  period: string;
  trigger: 'schedule' | 'manual';
  requestedBy: number | null;
  requestedByName: string | null;
  asOf: Date;
  attempt: number;
  status: 'running' | 'done' | 'failed';
  startedAt: Date;
  finishedAt: Date | null;
  created: number | null;
  error: string | null;
}

/** The newest runs first. */
export async function listRuns(db: Queryable, limit: number): Promise<EnforcementRun[]> {
  const { rows } = await db.query<EnforcementRun>(
    `SELECT r.id, r.period, r.trigger, r.requested_by AS "requestedBy", s.display_name AS "requestedByName", r.as_of AS "asOf", r.attempt,
            r.status, r.started_at AS "startedAt", r.finished_at AS "finishedAt", r.created, r.error
     FROM enforcement_runs r LEFT JOIN staff_users s ON s.id = r.requested_by
     ORDER BY r.started_at DESC, r.id DESC LIMIT $1`,
    [limit],
  );
  return rows;
}

/** The schedule's attempts for these months, and the earliest month it ever attempted (null: it never ran). */
export async function scheduledAttempts(db: Queryable, periods: string[]): Promise<{ attempts: ScheduledAttempt[]; firstMonth: string | null }> {
  const { rows } = await db.query<ScheduledAttempt & { firstMonth: string | null }>(
    `SELECT a.period, a.attempt, a.status, a.finished_at AS "finishedAt", f.first AS "firstMonth"
     FROM (SELECT min(period) AS first FROM enforcement_runs WHERE trigger = 'schedule') f
     LEFT JOIN enforcement_runs a ON a.trigger = 'schedule' AND a.period = ANY($1::text[])
     ORDER BY a.period, a.attempt`,
    [periods],
  );
  return {
    attempts: rows.filter((r) => r.period !== null).map(({ firstMonth: _, ...a }) => a),
    firstMonth: rows[0]?.firstMonth ?? null,
  };
}

/**
 * Marks runs still 'running' that started before `startedBefore` as failed: the instance running
 * them stopped mid-run (a graceful stop waits for its run). Scheduled ones are retried; a manual
 * one is not, but no longer shows as running for ever.
 */
export async function abandonStaleRuns(db: Queryable, startedBefore: Date, now: Date): Promise<number> {
  const r = await db.query(
    `UPDATE enforcement_runs SET status = 'failed', finished_at = $2, error = 'abandoned: the instance running it stopped before it finished'
     WHERE status = 'running' AND started_at < $1`,
    [startedBefore, now],
  );
  return r.rowCount ?? 0;
}

/**
 * Claims a month for this instance: inserts its 'running' row, unless another instance has the
 * month (running or done) or has already taken this attempt — the unique indexes decide, so two
 * instances never both run it. Returns the run's id, or null when someone else has it.
 */
export async function claimScheduledRun(db: Queryable, month: MonthToRun, now: Date): Promise<number | null> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO enforcement_runs (period, trigger, as_of, attempt, status, started_at) VALUES ($1, 'schedule', $2, $3, 'running', $4)
     ON CONFLICT DO NOTHING RETURNING id`,
    [month.period, month.asOf, month.attempt, now],
  );
  return rows[0]?.id ?? null;
}

/** Records the start of a run by hand. */
export async function startManualRun(db: Queryable, run: { period: string; asOf: Date; requestedBy: number; now: Date }): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO enforcement_runs (period, trigger, requested_by, as_of, status, started_at) VALUES ($1, 'manual', $2, $3, 'running', $4) RETURNING id`,
    [run.period, run.requestedBy, run.asOf, run.now],
  );
  return rows[0]!.id;
}

/**
 * Records a run's end and what it created; meant to be written in the transaction of its
 * suggestions, so the count is exact and a crash leaves neither. A run marked abandoned
 * meanwhile is still completed by it (if a retry already runs, the unique index refuses this and
 * the retry does the work).
 */
export async function finishRun(db: Queryable, id: number, created: number, now: Date): Promise<void> {
  await db.query(`UPDATE enforcement_runs SET status = 'done', finished_at = $2, created = $3, error = NULL WHERE id = $1 AND status <> 'done'`, [
    id,
    now,
    created,
  ]);
}

/** Records a run's failure (the message, cut to what the column keeps). */
export async function failRun(db: Queryable, id: number, error: string, now: Date): Promise<void> {
  await db.query(`UPDATE enforcement_runs SET status = 'failed', finished_at = $2, error = $3 WHERE id = $1 AND status = 'running'`, [
    id,
    now,
    error.slice(0, 2000) || 'failed',
  ]);
}

/** Units' Persian names by id (for the notices of new suggestions). */
/** For each action: its manager's and unit's names and who heads the unit's inspection now (for the notices). */
export async function actionAudiences(db: Queryable, actionIds: number[]): Promise<Map<number, ActionAudience>> {
  const { rows } = await db.query<ActionAudience & { id: number }>(
    `SELECT a.id, m.display_name AS "managerName", u.name_fa AS "unitName", u.inspection_head_id AS "headId"
     FROM enforcement_actions a JOIN staff_users m ON m.id = a.manager_id JOIN units u ON u.id = a.unit_id WHERE a.id = ANY($1::int[])`,
    [actionIds],
  );
  return new Map(rows.map(({ id, ...audience }) => [id, audience]));
}
