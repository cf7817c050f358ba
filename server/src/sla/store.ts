import type { Queryable } from '../db/database.ts';
import { type Clock, IRAN_ADMIN_WEEK, type WorkCalendar } from '../domain/business-clock.ts';
import { type CalendarOwner, type PolicyCandidate, pickCalendar, pickPolicy } from './pick-policy.ts';
import { type SlaEffect, type SlaPolicy, type TimerPlan, type TimerRow, timerRows } from './plan.ts';

const POLICY_COLUMNS = `p.id, p.clock, p.first_action_minutes AS "firstActionMinutes", p.answer_minutes AS "answerMinutes",
  p.warn_fractions::float8[] AS "warnFractions", p.satisfaction_hours AS "satisfactionHours",
  p.appeal_minutes AS "appealMinutes"`;

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
  await insertTimerRows(
    db,
    timerRows(effect.timers).map((row) => ({ ...row, complaintId, firedAt: null })),
  );
  if (effect.firstActionDueAt !== undefined || effect.firstActionAt !== undefined) {
    await db.query({
      name: 'sla-update-complaint',
      text: `UPDATE complaints SET first_action_due_at = CASE WHEN $2 THEN $3::timestamptz ELSE first_action_due_at END,
               first_action_at = COALESCE(first_action_at, $4::timestamptz) WHERE id = $1`,
      values: [complaintId, effect.firstActionDueAt !== undefined, effect.firstActionDueAt ?? null, effect.firstActionAt ?? null],
    });
  }
}

/** A pending deadline of a complaint, as the sweeper reads it. */
export interface DueTimer {
  id: number;
  complaintId: string;
  kind: 'first_action' | 'answer' | 'satisfaction' | 'appeal';
  stage: 'warning' | 'breach' | 'expiry';
  fraction: number;
  fireAt: Date;
  dueAt: Date;
  unitId: number | null;
  /** The stages of its clock after this one. */
  later: TimerPlan[];
}

/**
 * Claims complaints with due deadlines for this transaction: their rows are locked with
 * `SKIP LOCKED`, so concurrent sweepers take disjoint sets and a complaint held by a staff
 * action is left for the next round. Only complaint rows are locked — every state change locks
 * the complaint before touching its timers, so all writers take locks in one order (no deadlock).
 * Timers held back after a failure (`claimed_until`) wait. `limit` counts due timers.
 */
export async function claimDueComplaints(db: Queryable, limit: number, onlyComplaintId?: string): Promise<{ ids: string[]; timers: number }> {
  const due = `t.fired_at IS NULL AND t.fire_at <= now() AND (t.claimed_until IS NULL OR t.claimed_until < now())`;
  const { rows } = await db.query<{ id: string }>(
    onlyComplaintId === undefined
      ? {
          name: 'sla-claim',
          text: `SELECT c.id FROM sla_timers t JOIN complaints c ON c.id = t.complaint_id
                 WHERE ${due} ORDER BY t.fire_at LIMIT $1 FOR UPDATE OF c SKIP LOCKED`,
          values: [limit],
        }
      : {
          name: 'sla-claim-one',
          text: `SELECT c.id FROM sla_timers t JOIN complaints c ON c.id = t.complaint_id
                 WHERE t.complaint_id = $2 AND ${due} LIMIT $1 FOR UPDATE OF c SKIP LOCKED`,
          values: [limit, onlyComplaintId],
        },
  );
  return { ids: [...new Set(rows.map((r) => r.id))], timers: rows.length };
}

/**
 * The due timers of complaints this transaction has locked, read afresh after the lock: a timer
 * that a state change cancelled, or that another sweeper fired, is not among them. In deadline
 * order (a warning before its breach).
 */
export async function dueTimersOf(db: Queryable, complaintIds: string[]): Promise<DueTimer[]> {
  const { rows } = await db.query<DueTimer>({
    name: 'sla-due-timers',
    text: `SELECT t.id, t.complaint_id AS "complaintId", t.kind, t.stage, t.fraction::float8 AS fraction, t.fire_at AS "fireAt",
             t.due_at AS "dueAt", t.unit_id AS "unitId", t.later
           FROM sla_timers t
           WHERE t.complaint_id = ANY($1::uuid[]) AND t.fired_at IS NULL AND t.fire_at <= now()
             AND (t.claimed_until IS NULL OR t.claimed_until < now())
           ORDER BY t.fire_at, t.id`,
    values: [complaintIds],
  });
  return rows;
}

/**
 * Holds a complaint's due timers back for `seconds` (after firing them failed), so others go
 * first. Call in a transaction: the complaint is locked first, the order every writer keeps.
 */
export async function holdBackTimers(db: Queryable, complaintId: string, seconds: number): Promise<void> {
  await db.query('SELECT 1 FROM complaints WHERE id = $1 FOR UPDATE', [complaintId]);
  await db.query(
    `UPDATE sla_timers SET claimed_until = now() + make_interval(secs => $2)
     WHERE complaint_id = $1 AND fired_at IS NULL AND fire_at <= now()`,
    [complaintId, seconds],
  );
}

/** Marks timers fired, at the moment they were decided. */
export async function markTimersFired(db: Queryable, ids: number[], at: string): Promise<void> {
  if (ids.length === 0) return;
  await db.query({ name: 'sla-mark-fired-batch', text: 'UPDATE sla_timers SET fired_at = $2 WHERE id = ANY($1::bigint[])', values: [ids, at] });
}

/**
 * The cancelling half of `applySlaEffect` for many complaints in a few statements: drops their
 * unfired timers (all, or of some kinds). The new rows go through `insertTimerRows`, and the
 * complaint-row columns of an effect (first action) are written with the projection.
 */
export async function cancelTimers(db: Queryable, effects: { complaintId: string; effect: SlaEffect }[]): Promise<void> {
  const all = effects.filter((e) => e.effect.cancel === 'all').map((e) => e.complaintId);
  if (all.length > 0) {
    await db.query({ name: 'sla-cancel-all-batch', text: 'DELETE FROM sla_timers WHERE complaint_id = ANY($1::uuid[]) AND fired_at IS NULL', values: [all] });
  }
  const kinds = effects.flatMap((e) => (e.effect.cancel === 'all' ? [] : e.effect.cancel.map((kind) => ({ complaintId: e.complaintId, kind }))));
  if (kinds.length > 0) {
    await db.query({
      name: 'sla-cancel-kinds-batch',
      text: `DELETE FROM sla_timers t USING unnest($1::uuid[], $2::text[]) AS k(complaint_id, kind)
             WHERE t.complaint_id = k.complaint_id AND t.kind = k.kind AND t.fired_at IS NULL`,
      values: [kinds.map((k) => k.complaintId), kinds.map((k) => k.kind)],
    });
  }
}

/**
 * Writes timer rows of many complaints in one statement: pending ones (a clock's next stage) and,
 * with `firedAt`, stages that fired in the same round as the one before them (after a downtime).
 */
export async function insertTimerRows(db: Queryable, rows: (TimerRow & { complaintId: string; firedAt: string | null })[]): Promise<void> {
  if (rows.length === 0) return;
  await db.query({
    name: 'sla-insert-timer-rows',
    text: `INSERT INTO sla_timers (complaint_id, kind, stage, fraction, fire_at, due_at, unit_id, later, fired_at)
           SELECT t."complaintId", t.kind, t.stage, t.fraction, t."fireAt", t."dueAt", t."unitId", t.later, t."firedAt"
           FROM jsonb_to_recordset($1::jsonb) AS t("complaintId" uuid, kind text, stage text, fraction numeric, "fireAt" timestamptz,
             "dueAt" timestamptz, "unitId" int, later jsonb, "firedAt" timestamptz)`,
    values: [JSON.stringify(rows)],
  });
}

/** A missed deadline, recorded against the unit and its manager (the inspection head). */
export interface BreachRecord {
  complaintId: string;
  unitId: number;
  managerId: number | null;
  kind: 'first_action' | 'answer';
  dueAt: string;
  breachedAt: string;
  escalatedTo: number | null;
}

export async function recordBreaches(db: Queryable, breaches: BreachRecord[]): Promise<void> {
  if (breaches.length === 0) return;
  await db.query({
    name: 'sla-record-breaches',
    text: `INSERT INTO sla_breaches (complaint_id, unit_id, manager_id, kind, due_at, breached_at, escalated_to)
           SELECT b."complaintId", b."unitId", b."managerId", b.kind, b."dueAt", b."breachedAt", b."escalatedTo"
           FROM jsonb_to_recordset($1::jsonb) AS b("complaintId" uuid, "unitId" int, "managerId" int, kind text, "dueAt" timestamptz,
             "breachedAt" timestamptz, "escalatedTo" int)`,
    values: [JSON.stringify(breaches)],
  });
}

interface Cached<T> {
  at: number;
  value: T;
}
/**
 * Active policies per category (all units share the list) and the units that set a calendar:
 * keyed by what resolution depends on, not by unit, so thousands of units hit the same entry.
 */
const candidateCache = new Map<number | null, Cached<PolicyCandidate[]>>();
let calendarOwnersCache: Cached<CalendarOwner[]> | null = null;
const unitCalendarCache = new Map<number, Cached<number | null>>();

/** Forgets cached policies and calendars (after an admin change in this process; other instances follow within a minute). */
export function clearSlaCaches(): void {
  candidateCache.clear();
  calendarOwnersCache = null;
  unitCalendarCache.clear();
  clearCalendarCache();
}

/** Active policies that may apply to a complaint in this category (its own and the category-less ones). */
export async function policyCandidates(db: Queryable, categoryId: number | null): Promise<PolicyCandidate[]> {
  const { rows } = await db.query<PolicyCandidate>({
    name: 'sla-policy-candidates',
    text: `SELECT ${POLICY_COLUMNS}, p.category_id AS "categoryId", a.path AS "agencyPath", a.depth AS "agencyDepth"
           FROM sla_policies p LEFT JOIN units a ON a.id = p.agency_id
           WHERE p.superseded_at IS NULL AND (p.category_id IS NULL OR p.category_id = $1)`,
    values: [categoryId],
  });
  return rows;
}

/** Units that set their own calendar (few: a province or an agency with its own days off). */
export async function calendarOwners(db: Queryable): Promise<CalendarOwner[]> {
  const { rows } = await db.query<CalendarOwner>({
    name: 'sla-calendar-owners',
    text: 'SELECT path, depth, calendar_id AS "calendarId" FROM units WHERE calendar_id IS NOT NULL',
  });
  return rows;
}

/**
 * `resolvePolicy`, answered from the category's active policies remembered for a minute:
 * intake is the hot path, and a second complaint in a sibling unit must not query again.
 */
export async function cachedPolicy(db: Queryable, unitPath: string | null, categoryId: number | null): Promise<SlaPolicy | null> {
  const hit = candidateCache.get(categoryId);
  if (hit && Date.now() - hit.at < CALENDAR_TTL_MS) return pickPolicy(hit.value, unitPath);
  const value = await policyCandidates(db, categoryId);
  candidateCache.set(categoryId, { at: Date.now(), value });
  return pickPolicy(value, unitPath);
}

/**
 * The clock of a policy in a unit, its calendar remembered for a minute: by the unit's path when
 * the caller has it (one list for every unit), else per unit.
 */
export async function cachedClock(db: Queryable, policy: SlaPolicy, unitId: number | null, unitPath?: string | null): Promise<Clock> {
  if (policy.clock === '24x7') return { kind: '24x7' };
  let calendarId: number | null = null;
  if (unitPath) {
    if (!calendarOwnersCache || Date.now() - calendarOwnersCache.at >= CALENDAR_TTL_MS) {
      calendarOwnersCache = { at: Date.now(), value: await calendarOwners(db) };
    }
    calendarId = pickCalendar(calendarOwnersCache.value, unitPath);
  } else if (unitId !== null) {
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
  appealMinutes: 4800,
};
