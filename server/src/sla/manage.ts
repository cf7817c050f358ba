import { parse } from 'csv-parse/sync';
import { AppError } from '../core/errors.ts';
import type { Database, Queryable } from '../db/database.ts';
import { jalaliToIsoDay, parseJalali } from '../domain/jalali.ts';
import { normalizePersianText } from '../domain/persian-text.ts';
import {
  calendarExists,
  calendarRows,
  categoryExists,
  holidayRows,
  insertCalendar,
  insertPolicy,
  lockLatestPolicy,
  policyRows,
  supersedePolicy,
  unitExists,
  updateUnitCalendar,
  upsertHoliday,
} from './settings-store.ts';
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

/**
 * Sets a policy: the active one for the same category/agency is superseded (kept, with the
 * complaints filed under it) and a new version becomes active, in one transaction.
 */
export async function setPolicy(db: Database, input: PolicyInput, userId: number, now: Date) {
  if (input.firstActionMinutes > input.answerMinutes)
    throw new AppError('validation_failed', [{ field: 'body.firstActionMinutes', problem: 'must not exceed answerMinutes' }]);
  const result = await db.transaction(async (tx) => {
    if (input.categoryId !== null && !(await categoryExists(tx, input.categoryId))) throw new AppError('unknown_category');
    if (input.agencyId !== null && !(await unitExists(tx, input.agencyId))) throw new AppError('unknown_agency');
    const previous = await lockLatestPolicy(tx, input.categoryId, input.agencyId);
    await supersedePolicy(tx, previous?.id ?? 0, now);
    return insertPolicy(tx, input, (previous?.version ?? 0) + 1, userId, now);
  });
  clearSlaCaches();
  return result;
}

/** The SLA policies in force (and the superseded versions when asked). */
export async function listPolicies(db: Queryable, includeSuperseded: boolean) {
  return policyRows(db, includeSuperseded);
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
      await upsertHoliday(tx, { day, jalali: r.date!.text, nameFa: r.name, kind: r.kind });
    }
  });
  clearSlaCaches();
  return { imported: rows.length };
}

/** The national holidays, of one Jalali year when given. */
export async function listHolidays(db: Queryable, jalaliYear?: number) {
  return holidayRows(db, jalaliYear ?? null);
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
    return await insertCalendar(db, { ...input, nameFa: normalizePersianText(input.nameFa) });
  } catch (error) {
    if ((error as { code?: string }).code === '23505') throw new AppError('duplicate', { field: 'code' });
    throw error;
  }
}

/** The working calendars. */
export async function listCalendars(db: Queryable) {
  return calendarRows(db);
}

/** Puts a unit (and the units under it that have none of their own) on a calendar; null = inherit. */
export async function setUnitCalendar(db: Queryable, unitId: number, calendarId: number | null, now: Date): Promise<void> {
  if (calendarId !== null && !(await calendarExists(db, calendarId))) {
    throw new AppError('validation_failed', [{ field: 'body.calendarId', problem: 'no such calendar' }]);
  }
  if (!(await updateUnitCalendar(db, unitId, calendarId, now))) throw new AppError('unit_not_found');
  clearSlaCaches();
}
