import type { Queryable } from '../db/database.ts';
import { type Clock, IRAN_ADMIN_WEEK, type WorkCalendar } from '../domain/business-clock.ts';
import type { SlaEffect, SlaPolicy } from './plan.ts';

const POLICY_COLUMNS = `p.id, p.clock, p.first_action_minutes AS "firstActionMinutes", p.answer_minutes AS "answerMinutes",
  p.warn_fractions::float8[] AS "warnFractions", p.satisfaction_hours AS "satisfactionHours"`;

/**
 * The active policy for a complaint about a unit (its path) in a category. The most specific
 * wins: agency + category, then category alone, then agency alone, then the national default;
 * among agency policies the one set on the nearest ancestor.
 */
export async function resolvePolicy(db: Queryable, unitPath: string | null, categoryId: number | null): Promise<SlaPolicy | null> {
  const { rows } = await db.query<SlaPolicy>({
    name: 'sla-resolve-policy',
    text: `SELECT ${POLICY_COLUMNS} FROM sla_policies p LEFT JOIN units a ON a.id = p.agency_id
           WHERE p.superseded_at IS NULL
             AND (p.category_id IS NULL OR p.category_id = $2)
             AND (p.agency_id IS NULL OR ($1::text IS NOT NULL AND $1 LIKE a.path || '%'))
           ORDER BY (p.agency_id IS NOT NULL AND p.category_id IS NOT NULL) DESC, (p.category_id IS NOT NULL) DESC,
                    a.depth DESC NULLS LAST, p.id DESC
           LIMIT 1`,
    values: [unitPath, categoryId],
  });
  return rows[0] ?? null;
}

export async function getPolicy(db: Queryable, id: number): Promise<SlaPolicy | null> {
  const { rows } = await db.query<SlaPolicy>(`SELECT ${POLICY_COLUMNS} FROM sla_policies p WHERE p.id = $1`, [id]);
  return rows[0] ?? null;
}

/** The calendar a unit works by: its own, else its nearest ancestor's, else the default. */
export async function calendarIdOfUnit(db: Queryable, unitId: number): Promise<number | null> {
  const { rows } = await db.query<{ id: number | null }>({
    name: 'sla-unit-calendar',
    text: `SELECT a.calendar_id AS id FROM units u JOIN units a ON u.path LIKE a.path || '%'
           WHERE u.id = $1 AND a.calendar_id IS NOT NULL ORDER BY a.depth DESC LIMIT 1`,
    values: [unitId],
  });
  return rows[0]?.id ?? null;
}

interface CachedCalendar {
  at: number;
  calendar: WorkCalendar;
}
const calendarCache = new Map<string, CachedCalendar>();
/** Calendars change a few times a year; each process keeps them a minute. */
const CALENDAR_TTL_MS = 60_000;

/** Forgets cached calendars (after an admin change in this process). */
export function clearCalendarCache(): void {
  calendarCache.clear();
}

/** A calendar with its holidays (national ones plus its own); null id = the default calendar. */
export async function loadCalendar(db: Queryable, id: number | null): Promise<WorkCalendar> {
  const key = String(id ?? 'default');
  const cached = calendarCache.get(key);
  if (cached && Date.now() - cached.at < CALENDAR_TTL_MS) return cached.calendar;
  const { rows } = await db.query<{ id: number; timezone: string; week: WorkCalendar['week'] }>(
    id === null ? `SELECT id, timezone, week FROM calendars WHERE code = 'iran'` : 'SELECT id, timezone, week FROM calendars WHERE id = $1',
    id === null ? [] : [id],
  );
  const row = rows[0];
  const holidays = await db.query<{ day: string }>(`SELECT to_char(day, 'YYYY-MM-DD') AS day FROM holidays WHERE calendar_id IS NULL OR calendar_id = $1`, [
    row?.id ?? null,
  ]);
  const calendar: WorkCalendar = {
    timezone: row?.timezone ?? 'Asia/Tehran',
    week: row?.week ?? IRAN_ADMIN_WEEK,
    holidays: new Set(holidays.rows.map((h) => h.day)),
  };
  calendarCache.set(key, { at: Date.now(), calendar });
  return calendar;
}

/** Applies an SLA effect: drops unfired timers, schedules the new ones, updates the row's SLA columns. */
export async function applySlaEffect(db: Queryable, complaintId: string, effect: SlaEffect): Promise<void> {
  if (effect.cancel === 'all') {
    await db.query({ name: 'sla-cancel-all', text: 'DELETE FROM sla_timers WHERE complaint_id = $1 AND fired_at IS NULL', values: [complaintId] });
  } else if (effect.cancel.length > 0) {
    await db.query({
      name: 'sla-cancel-kinds',
      text: 'DELETE FROM sla_timers WHERE complaint_id = $1 AND fired_at IS NULL AND kind = ANY($2::text[])',
      values: [complaintId, effect.cancel],
    });
  }
  if (effect.timers.length > 0) {
    await db.query({
      name: 'sla-insert-timers',
      text: `INSERT INTO sla_timers (complaint_id, kind, stage, fraction, fire_at, due_at, unit_id)
             SELECT $1, t.kind, t.stage, t.fraction, t."fireAt", t."dueAt", t."unitId"
             FROM jsonb_to_recordset($2::jsonb) AS t(kind text, stage text, fraction numeric, "fireAt" timestamptz, "dueAt" timestamptz, "unitId" int)`,
      values: [complaintId, JSON.stringify(effect.timers)],
    });
  }
  if (effect.firstActionDueAt !== undefined || effect.firstActionAt !== undefined) {
    await db.query({
      name: 'sla-update-complaint',
      text: `UPDATE complaints SET first_action_due_at = CASE WHEN $2 THEN $3::timestamptz ELSE first_action_due_at END,
               first_action_at = COALESCE(first_action_at, $4::timestamptz) WHERE id = $1`,
      values: [complaintId, effect.firstActionDueAt !== undefined, effect.firstActionDueAt ?? null, effect.firstActionAt ?? null],
    });
  }
}

interface Cached<T> {
  at: number;
  value: T;
}
const policyCache = new Map<string, Cached<SlaPolicy | null>>();
const unitCalendarCache = new Map<number, Cached<number | null>>();

/** Forgets cached policies and calendars (after an admin change in this process; other instances follow within a minute). */
export function clearSlaCaches(): void {
  policyCache.clear();
  unitCalendarCache.clear();
  clearCalendarCache();
}

/** `resolvePolicy`, remembered for a minute per (unit path, category): intake is the hot path. */
export async function cachedPolicy(db: Queryable, unitPath: string | null, categoryId: number | null): Promise<SlaPolicy | null> {
  const key = `${unitPath}|${categoryId}`;
  const hit = policyCache.get(key);
  if (hit && Date.now() - hit.at < CALENDAR_TTL_MS) return hit.value;
  const value = await resolvePolicy(db, unitPath, categoryId);
  policyCache.set(key, { at: Date.now(), value });
  return value;
}

/** The clock of a policy in a unit, with the unit's calendar remembered for a minute. */
export async function cachedClock(db: Queryable, policy: SlaPolicy, unitId: number | null): Promise<Clock> {
  if (policy.clock === '24x7') return { kind: '24x7' };
  let calendarId: number | null = null;
  if (unitId !== null) {
    const hit = unitCalendarCache.get(unitId);
    if (hit && Date.now() - hit.at < CALENDAR_TTL_MS) calendarId = hit.value;
    else {
      calendarId = await calendarIdOfUnit(db, unitId);
      unitCalendarCache.set(unitId, { at: Date.now(), value: calendarId });
    }
  }
  return { kind: 'business', calendar: await loadCalendar(db, calendarId) };
}

/** The fallback when no policy row exists at all: 3 working days to answer, 1 to act. */
export const FALLBACK_POLICY: SlaPolicy = {
  id: 0,
  clock: 'business',
  firstActionMinutes: 420,
  answerMinutes: 1260,
  warnFractions: [0.5, 0.8],
  satisfactionHours: 72,
};
