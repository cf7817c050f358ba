import type { Queryable } from '../db/database.ts';
import { type Clock, IRAN_ADMIN_WEEK, type WorkCalendar } from '../domain/business-clock.ts';
import { type CalendarOwner, type PolicyCandidate, pickCalendar, pickPolicy } from './pick-policy.ts';
import type { SlaPolicy, TimerPlan } from './plan.ts';

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

/** This transaction commits without waiting for the WAL flush (the sweeper's: a lost commit only fires again). */
export async function relaxCommit(tx: Queryable): Promise<void> {
  await tx.query('SET LOCAL synchronous_commit = off');
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

// The time is the injected clock's ($2), not the server's now(): tests and replays move it.
const DUE = `t.fired_at IS NULL AND t.fire_at <= $2 AND (t.claimed_until IS NULL OR t.claimed_until < $2)`;
const CLAIM = `SELECT c.id FROM sla_timers t JOIN complaints c ON c.id = t.complaint_id
               WHERE ${DUE} ORDER BY t.fire_at LIMIT $1 FOR UPDATE OF c SKIP LOCKED`;

/**
 * Claims complaints with due deadlines for this transaction: their rows are locked with
 * `SKIP LOCKED`, so concurrent sweepers take disjoint sets and a complaint held by a staff
 * action is left for the next round. Only complaint rows are locked — every state change locks
 * the complaint before touching its timers, so all writers take locks in one order (no deadlock).
 * Timers held back after a failure (`claimed_until`) wait. `limit` counts due timers.
 */
export async function claimDueComplaints(db: Queryable, limit: number, now: Date, onlyComplaintId?: string): Promise<{ ids: string[]; timers: number }> {
  const { rows } = await db.query<{ id: string }>(
    onlyComplaintId === undefined
      ? { name: 'sla-claim', text: CLAIM, values: [limit, now] }
      : {
          name: 'sla-claim-one',
          text: `SELECT c.id FROM sla_timers t JOIN complaints c ON c.id = t.complaint_id
                 WHERE t.complaint_id = $3 AND ${DUE} LIMIT $1 FOR UPDATE OF c SKIP LOCKED`,
          values: [limit, now, onlyComplaintId],
        },
  );
  return { ids: [...new Set(rows.map((r) => r.id))], timers: rows.length };
}

/** The plan of the sweeper's claim (EXPLAIN, not run: no lock taken), for the benchmark and operators. */
export async function explainClaim(db: Queryable, limit: number, now: Date): Promise<string[]> {
  const { rows } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${CLAIM}`, [limit, now]);
  return rows.map((r) => r['QUERY PLAN']);
}

/**
 * When the next pending deadline after `now` falls due (null: none pending): the sweeper sleeps
 * until then. One step down the partial index on `fire_at`, starting at `now`.
 */
export async function nextDueAt(db: Queryable, now: Date): Promise<Date | null> {
  const { rows } = await db.query<{ at: Date | null }>({
    name: 'sla-next-due',
    text: 'SELECT min(fire_at) AS at FROM sla_timers WHERE fired_at IS NULL AND fire_at > $1',
    values: [now],
  });
  return rows[0]?.at ?? null;
}

/**
 * The due timers of complaints this transaction has locked, read afresh after the lock: a timer
 * that a state change cancelled, or that another sweeper fired, is not among them. In deadline
 * order (a warning before its breach).
 */
export async function dueTimersOf(db: Queryable, complaintIds: string[], now: Date): Promise<DueTimer[]> {
  const { rows } = await db.query<DueTimer>({
    name: 'sla-due-timers',
    text: `SELECT t.id, t.complaint_id AS "complaintId", t.kind, t.stage, t.fraction::float8 AS fraction, t.fire_at AS "fireAt",
             t.due_at AS "dueAt", t.unit_id AS "unitId", t.later
           FROM sla_timers t
           WHERE t.complaint_id = ANY($1::uuid[]) AND t.fired_at IS NULL AND t.fire_at <= $2
             AND (t.claimed_until IS NULL OR t.claimed_until < $2)
           ORDER BY t.fire_at, t.id`,
    values: [complaintIds, now],
  });
  return rows;
}

/**
 * Holds a complaint's due timers back for `seconds` (after firing them failed), so others go
 * first. Call in a transaction: the complaint is locked first, the order every writer keeps.
 */
export async function holdBackTimers(db: Queryable, complaintId: string, seconds: number, now: Date): Promise<void> {
  await db.query('SELECT 1 FROM complaints WHERE id = $1 FOR UPDATE', [complaintId]);
  await db.query(
    `UPDATE sla_timers SET claimed_until = $3::timestamptz + make_interval(secs => $2)
     WHERE complaint_id = $1 AND fired_at IS NULL AND fire_at <= $3`,
    [complaintId, seconds, now],
  );
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

/**
 * When the satisfaction window of an answered complaint closes: its unfired expiry timer's time
 * (null: none pending). Compared with the injected clock's now by the rating, so a rating after
 * the window is refused even before the sweeper has closed the complaint.
 */
export async function satisfactionExpiry(db: Queryable, complaintId: string): Promise<Date | null> {
  const { rows } = await db.query<{ fireAt: Date }>(
    `SELECT fire_at AS "fireAt" FROM sla_timers
     WHERE complaint_id = $1 AND kind = 'satisfaction' AND stage = 'expiry' AND fired_at IS NULL ORDER BY fire_at LIMIT 1`,
    [complaintId],
  );
  return rows[0]?.fireAt ?? null;
}
