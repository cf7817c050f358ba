import { parse } from 'csv-parse/sync';
import { AppError } from '../core/errors.ts';
import type { Database, Queryable } from '../db/database.ts';
import { jalaliToIsoDay, parseJalali } from '../domain/jalali.ts';
import { normalizePersianText } from '../domain/persian-text.ts';
import { clearSlaCaches } from './store.ts';

export interface PolicyInput {
  categoryId: number | null;
  agencyId: number | null;
  clock: '24x7' | 'business';
  firstActionMinutes: number;
  answerMinutes: number;
  warnFractions: number[];
  satisfactionHours: number;
  appealMinutes: number;
}

const POLICY_ROW = `id, category_id AS "categoryId", agency_id AS "agencyId", version, clock, first_action_minutes AS "firstActionMinutes",
  answer_minutes AS "answerMinutes", warn_fractions::float8[] AS "warnFractions", satisfaction_hours AS "satisfactionHours",
  appeal_minutes AS "appealMinutes", created_at AS "createdAt", superseded_at AS "supersededAt"`;

/**
 * Sets a policy: the active one for the same category/agency is superseded (kept, with the
 * complaints filed under it) and a new version becomes active, in one transaction.
 */
export async function setPolicy(db: Database, input: PolicyInput, userId: number) {
  if (input.firstActionMinutes > input.answerMinutes)
    throw new AppError('validation_failed', [{ field: 'body.firstActionMinutes', problem: 'must not exceed answerMinutes' }]);
  const result = await db.transaction(async (tx) => {
    if (input.categoryId !== null && (await tx.query('SELECT 1 FROM categories WHERE id = $1', [input.categoryId])).rowCount === 0)
      throw new AppError('unknown_category');
    if (input.agencyId !== null && (await tx.query('SELECT 1 FROM units WHERE id = $1', [input.agencyId])).rowCount === 0) throw new AppError('unknown_agency');
    const { rows: previous } = await tx.query<{ id: number; version: number }>(
      `SELECT id, version FROM sla_policies WHERE COALESCE(category_id, 0) = COALESCE($1::int, 0) AND COALESCE(agency_id, 0) = COALESCE($2::int, 0)
       ORDER BY version DESC LIMIT 1 FOR UPDATE`,
      [input.categoryId, input.agencyId],
    );
    await tx.query('UPDATE sla_policies SET superseded_at = now() WHERE id = $1 AND superseded_at IS NULL', [previous[0]?.id ?? 0]);
    const { rows } = await tx.query(
      `INSERT INTO sla_policies (category_id, agency_id, version, clock, first_action_minutes, answer_minutes, warn_fractions, satisfaction_hours, created_by, appeal_minutes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${POLICY_ROW}`,
      [
        input.categoryId,
        input.agencyId,
        (previous[0]?.version ?? 0) + 1,
        input.clock,
        input.firstActionMinutes,
        input.answerMinutes,
        input.warnFractions,
        input.satisfactionHours,
        userId,
        input.appealMinutes,
      ],
    );
    return rows[0];
  });
  clearSlaCaches();
  return result;
}

export async function listPolicies(db: Queryable, includeSuperseded: boolean) {
  const { rows } = await db.query(
    `SELECT ${POLICY_ROW} FROM sla_policies ${includeSuperseded ? '' : 'WHERE superseded_at IS NULL'} ORDER BY category_id NULLS FIRST, agency_id NULLS FIRST, version`,
  );
  return rows;
}

/**
 * Imports holidays from CSV (`jalali_date,name_fa[,kind]`, e.g. `1405/04/05,تاسوعای حسینی,lunar`):
 * all rows or none; a day already listed is updated. The lunar holidays move every year.
 */
export async function importHolidaysCsv(db: Database, csv: string): Promise<{ imported: number }> {
  let records: Record<string, string>[];
  try {
    records = parse(csv.replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    throw new AppError('invalid_csv', { reason: (error as Error).message });
  }
  if (records.length === 0 || !('jalali_date' in records[0]!) || !('name_fa' in records[0]!)) {
    throw new AppError('invalid_csv', { reason: 'columns jalali_date and name_fa are required' });
  }
  const problems: { line: number; reason: string }[] = [];
  const rows = records.map((r, i) => {
    const date = parseJalali(r.jalali_date ?? '');
    const kind = r.kind || 'lunar';
    if (!date) problems.push({ line: i + 2, reason: `not a Jalali date: "${r.jalali_date}"` });
    if (!['solar', 'lunar', 'other'].includes(kind)) problems.push({ line: i + 2, reason: `kind must be solar, lunar or other` });
    if (!r.name_fa?.trim()) problems.push({ line: i + 2, reason: 'name_fa is empty' });
    return { date, name: normalizePersianText(r.name_fa ?? ''), kind };
  });
  if (problems.length > 0) throw new AppError('invalid_csv', { problems });
  await db.transaction(async (tx) => {
    for (const r of rows) {
      const day = jalaliToIsoDay(r.date!.jy, r.date!.jm, r.date!.jd);
      await tx.query(
        `INSERT INTO holidays (calendar_id, day, jalali, name_fa, kind) VALUES (NULL, $1, $2, $3, $4)
         ON CONFLICT (COALESCE(calendar_id, 0), day) DO UPDATE SET name_fa = EXCLUDED.name_fa, kind = EXCLUDED.kind`,
        [day, r.date!.text, r.name, r.kind],
      );
    }
  });
  clearSlaCaches();
  return { imported: rows.length };
}

export async function listHolidays(db: Queryable, jalaliYear?: number) {
  const { rows } = await db.query(
    `SELECT id, to_char(day, 'YYYY-MM-DD') AS day, jalali, name_fa AS "nameFa", kind FROM holidays
     WHERE $1::int IS NULL OR jalali LIKE $1::text || '-%' ORDER BY day`,
    [jalaliYear ?? null],
  );
  return rows;
}

export interface CalendarInput {
  code: string;
  nameFa: string;
  timezone: string;
  week: Record<string, [number, number][]>;
}

/** Creates a working calendar after checking its time zone and that its intervals are sane. */
export async function createCalendar(db: Queryable, input: CalendarInput) {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: input.timezone });
  } catch {
    throw new AppError('validation_failed', [{ field: 'body.timezone', problem: 'unknown time zone' }]);
  }
  let any = false;
  for (const [day, intervals] of Object.entries(input.week)) {
    let previousEnd = -1;
    for (const [start, end] of [...intervals].sort((a, b) => a[0] - b[0])) {
      if (!(start >= 0 && end <= 1440 && start < end && start >= previousEnd)) {
        throw new AppError('validation_failed', [
          { field: `body.week.${day}`, problem: 'intervals must be within 0–1440 minutes, start before end, not overlapping' },
        ]);
      }
      previousEnd = end;
      any = true;
    }
  }
  if (!any) throw new AppError('validation_failed', [{ field: 'body.week', problem: 'the calendar has no working time' }]);
  try {
    const { rows } = await db.query(
      `INSERT INTO calendars (code, name_fa, timezone, week) VALUES ($1, $2, $3, $4) RETURNING id, code, name_fa AS "nameFa", timezone, week`,
      [input.code, normalizePersianText(input.nameFa), input.timezone, JSON.stringify(input.week)],
    );
    return rows[0];
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw new AppError('duplicate', { field: 'code' });
    throw error;
  }
}

export async function listCalendars(db: Queryable) {
  const { rows } = await db.query(`SELECT id, code, name_fa AS "nameFa", timezone, week FROM calendars ORDER BY id`);
  return rows;
}

/** Puts a unit (and the units under it that have none of their own) on a calendar; null = inherit. */
export async function setUnitCalendar(db: Queryable, unitId: number, calendarId: number | null): Promise<void> {
  if (calendarId !== null && (await db.query('SELECT 1 FROM calendars WHERE id = $1', [calendarId])).rowCount === 0) {
    throw new AppError('validation_failed', [{ field: 'body.calendarId', problem: 'no such calendar' }]);
  }
  const result = await db.query('UPDATE units SET calendar_id = $2, updated_at = now() WHERE id = $1', [unitId, calendarId]);
  if (result.rowCount === 0) throw new AppError('unit_not_found');
  clearSlaCaches();
}
