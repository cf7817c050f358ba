import type { Queryable } from '../db/database.ts';
import type { CalendarInput, PolicyInput } from './manage.ts';

const POLICY_ROW = `id, category_id AS "categoryId", agency_id AS "agencyId", version, clock, first_action_minutes AS "firstActionMinutes",
  answer_minutes AS "answerMinutes", warn_fractions::float8[] AS "warnFractions", satisfaction_hours AS "satisfactionHours",
  appeal_minutes AS "appealMinutes",
  created_at AS "createdAt", superseded_at AS "supersededAt"`;

export async function categoryExists(db: Queryable, id: number): Promise<boolean> {
  return ((await db.query('SELECT 1 FROM categories WHERE id = $1', [id])).rowCount ?? 0) > 0;
}

export async function unitExists(db: Queryable, id: number): Promise<boolean> {
  return ((await db.query('SELECT 1 FROM units WHERE id = $1', [id])).rowCount ?? 0) > 0;
}

export async function calendarExists(db: Queryable, id: number): Promise<boolean> {
  return ((await db.query('SELECT 1 FROM calendars WHERE id = $1', [id])).rowCount ?? 0) > 0;
}

/** Locks the newest policy version for a category/agency pair (null: none yet), until the transaction ends. */
export async function lockLatestPolicy(db: Queryable, categoryId: number | null, agencyId: number | null): Promise<{ id: number; version: number } | null> {
  const { rows } = await db.query<{ id: number; version: number }>(
    `SELECT id, version FROM sla_policies WHERE COALESCE(category_id, 0) = COALESCE($1::int, 0) AND COALESCE(agency_id, 0) = COALESCE($2::int, 0)
     ORDER BY version DESC LIMIT 1 FOR UPDATE`,
    [categoryId, agencyId],
  );
  return rows[0] ?? null;
}

/** Marks a policy version superseded (kept, with the complaints filed under it). */
export async function supersedePolicy(db: Queryable, id: number, now: Date): Promise<void> {
  await db.query('UPDATE sla_policies SET superseded_at = $2 WHERE id = $1 AND superseded_at IS NULL', [id, now]);
}

/** Writes a new active policy version. */
export async function insertPolicy(db: Queryable, input: PolicyInput, version: number, userId: number, now: Date) {
  const { rows } = await db.query(
    `INSERT INTO sla_policies (category_id, agency_id, version, clock, first_action_minutes, answer_minutes, warn_fractions, satisfaction_hours, created_by, appeal_minutes, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${POLICY_ROW}`,
    [
      input.categoryId,
      input.agencyId,
      version,
      input.clock,
      input.firstActionMinutes,
      input.answerMinutes,
      input.warnFractions,
      input.satisfactionHours,
      userId,
      input.appealMinutes,
      now,
    ],
  );
  return rows[0];
}

export async function policyRows(db: Queryable, includeSuperseded: boolean) {
  const { rows } = await db.query(
    `SELECT ${POLICY_ROW} FROM sla_policies ${includeSuperseded ? '' : 'WHERE superseded_at IS NULL'} ORDER BY category_id NULLS FIRST, agency_id NULLS FIRST, version`,
  );
  return rows;
}

/** Adds a national holiday, or renames the one already on that day. */
export async function upsertHoliday(db: Queryable, h: { day: string; jalali: string; nameFa: string; kind: string }): Promise<void> {
  await db.query(
    `INSERT INTO holidays (calendar_id, day, jalali, name_fa, kind) VALUES (NULL, $1, $2, $3, $4)
     ON CONFLICT (COALESCE(calendar_id, 0), day) DO UPDATE SET name_fa = EXCLUDED.name_fa, kind = EXCLUDED.kind`,
    [h.day, h.jalali, h.nameFa, h.kind],
  );
}

export async function holidayRows(db: Queryable, jalaliYear: number | null) {
  const { rows } = await db.query(
    `SELECT id, to_char(day, 'YYYY-MM-DD') AS day, jalali, name_fa AS "nameFa", kind FROM holidays
     WHERE $1::int IS NULL OR jalali LIKE $1::text || '-%' ORDER BY day`,
    [jalaliYear],
  );
  return rows;
}

/** Writes a calendar; a duplicate code fails with the database's unique violation (23505). */
export async function insertCalendar(db: Queryable, input: CalendarInput) {
  const { rows } = await db.query(
    `INSERT INTO calendars (code, name_fa, timezone, week) VALUES ($1, $2, $3, $4) RETURNING id, code, name_fa AS "nameFa", timezone, week`,
    [input.code, input.nameFa, input.timezone, JSON.stringify(input.week)],
  );
  return rows[0];
}

export async function calendarRows(db: Queryable) {
  const { rows } = await db.query(`SELECT id, code, name_fa AS "nameFa", timezone, week FROM calendars ORDER BY id`);
  return rows;
}

/** Puts a unit on a calendar (null: inherit); false when there is no such unit. */
export async function updateUnitCalendar(db: Queryable, unitId: number, calendarId: number | null, now: Date): Promise<boolean> {
  const result = await db.query('UPDATE units SET calendar_id = $2, updated_at = $3 WHERE id = $1', [unitId, calendarId, now]);
  return (result.rowCount ?? 0) > 0;
}
