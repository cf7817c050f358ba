/**
 * The SLA clock. A clock either runs 24/7 or only in working time: a weekly pattern of working
 * intervals in a time zone (Iran's administrative week by default: Saturday–Wednesday
 * 07:00–14:00 Asia/Tehran) minus holidays. Pure code: instants in, instants out (UTC Dates);
 * the time zone matters only for finding where local days and hours fall.
 */

/** Working intervals of a local day, in minutes after local midnight: [[420, 840]] = 07:00–14:00. */
export type DayPattern = [number, number][];

export interface WorkCalendar {
  timezone: string;
  /** Weekday (0 = Sunday … 6 = Saturday) → working intervals. Missing days are days off. */
  week: Partial<Record<number, DayPattern>>;
  /** Local dates off, 'YYYY-MM-DD' (Gregorian). */
  holidays: ReadonlySet<string>;
}

export type Clock = { kind: '24x7' } | { kind: 'business'; calendar: WorkCalendar };

/** Iran's administrative week: Saturday to Wednesday, 07:00–14:00 (Thursday and Friday off). */
export const IRAN_ADMIN_WEEK: WorkCalendar['week'] = { 6: [[420, 840]], 0: [[420, 840]], 1: [[420, 840]], 2: [[420, 840]], 3: [[420, 840]] };

const MINUTE = 60_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, f);
  }
  return f;
}

type MinuteParts = { year: number; month: number; day: number; hour: number; minute: number };
const minuteCache = new Map<string, MinuteParts>();

/**
 * The local wall-clock fields of an instant in a time zone. Offsets are whole minutes (every
 * zone since the 1970s), so the fields are the same all through a UTC minute and the seconds are
 * UTC's: each minute is asked of Intl (the slow part) once — a sweeper batch or an intake burst
 * starts all its clocks in the same few minutes.
 */
export function localParts(at: Date, timezone: string): MinuteParts & { second: number } {
  const ms = at.getTime();
  const minuteStart = Math.floor(ms / MINUTE) * MINUTE;
  const key = `${timezone}|${minuteStart}`;
  let fields = minuteCache.get(key);
  if (!fields) {
    const parts: Record<string, number> = {};
    for (const p of formatter(timezone).formatToParts(new Date(minuteStart))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
    fields = { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute! };
    if (minuteCache.size > 10_000) minuteCache.clear();
    minuteCache.set(key, fields);
  }
  return { ...fields, second: Math.floor((ms - minuteStart) / 1000) };
}

/** The offset (local − UTC) in ms at an instant. */
function offsetAt(at: number, timezone: string): number {
  const p = localParts(new Date(at), timezone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(at / 1000) * 1000;
}

const zonedCache = new Map<string, number>();

/** The instant at which the local clock in `timezone` shows this date and minute of the day. */
export function zonedInstant(year: number, month: number, day: number, minuteOfDay: number, timezone: string): number {
  // Every deadline walks the same few days' working hours: remember them (Intl is the slow part).
  const key = `${timezone}|${year}-${month}-${day}|${minuteOfDay}`;
  const known = zonedCache.get(key);
  if (known !== undefined) return known;
  const value = computeZonedInstant(year, month, day, minuteOfDay, timezone);
  if (zonedCache.size > 50_000) zonedCache.clear();
  zonedCache.set(key, value);
  return value;
}

function computeZonedInstant(year: number, month: number, day: number, minuteOfDay: number, timezone: string): number {
  const naive = Date.UTC(year, month - 1, day) + minuteOfDay * MINUTE;
  let guess = naive - offsetAt(naive, timezone);
  // A second pass settles instants near an offset change (Iran kept DST until 2022).
  guess = naive - offsetAt(guess, timezone);
  return guess;
}

/** 'YYYY-MM-DD' of a local date. */
export function isoDay(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

interface LocalDay {
  year: number;
  month: number;
  day: number;
}

function nextDay(d: LocalDay): LocalDay {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + 1));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** The working intervals of one local day as UTC instants (empty on days off and holidays). */
function workingIntervals(d: LocalDay, cal: WorkCalendar): [number, number][] {
  if (cal.holidays.has(isoDay(d.year, d.month, d.day))) return [];
  const weekday = new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
  return (cal.week[weekday] ?? []).map(([s, e]) => [
    zonedInstant(d.year, d.month, d.day, s, cal.timezone),
    zonedInstant(d.year, d.month, d.day, e, cal.timezone),
  ]);
}

/** A calendar with no working time at all would loop forever; refuse it. */
function checkCalendar(cal: WorkCalendar): void {
  const any = Object.values(cal.week).some((intervals) => intervals?.some(([s, e]) => e > s));
  if (!any) throw new Error('the calendar has no working time');
}

const MAX_DAYS = 3 * 366;

/**
 * The instant `minutes` of clock time after `start`. On a business clock, time outside working
 * intervals does not count: a deadline never falls inside non-working time (a deadline that
 * ends exactly at the close of a working day is that close).
 */
export function addClockMinutes(start: Date, minutes: number, clock: Clock): Date {
  if (minutes < 0) throw new Error('minutes must not be negative');
  if (clock.kind === '24x7') return new Date(start.getTime() + minutes * MINUTE);
  const cal = clock.calendar;
  checkCalendar(cal);
  let remaining = minutes * MINUTE;
  const t0 = start.getTime();
  const first = localParts(start, cal.timezone);
  let day: LocalDay = { year: first.year, month: first.month, day: first.day };
  // Start on the day before as well: an interval of the previous local day never reaches past
  // midnight here, but this keeps the loop simple and safe for any pattern.
  for (let i = 0; i < MAX_DAYS; i++) {
    for (const [s, e] of workingIntervals(day, cal)) {
      const from = Math.max(s, t0);
      if (from >= e) continue;
      if (remaining === 0) return new Date(from);
      const available = e - from;
      if (remaining <= available) return new Date(from + remaining);
      remaining -= available;
    }
    day = nextDay(day);
  }
  throw new Error('deadline further than three years away');
}

/** Working (clock) minutes between two instants; 0 when `to` is not after `from`. */
export function clockMinutesBetween(from: Date, to: Date, clock: Clock): number {
  if (to <= from) return 0;
  if (clock.kind === '24x7') return (to.getTime() - from.getTime()) / MINUTE;
  const cal = clock.calendar;
  checkCalendar(cal);
  let total = 0;
  const first = localParts(from, cal.timezone);
  let day: LocalDay = { year: first.year, month: first.month, day: first.day };
  for (let i = 0; i < MAX_DAYS; i++) {
    const intervals = workingIntervals(day, cal);
    for (const [s, e] of intervals) {
      const a = Math.max(s, from.getTime());
      const b = Math.min(e, to.getTime());
      if (b > a) total += b - a;
    }
    if (zonedInstant(day.year, day.month, day.day, 0, cal.timezone) > to.getTime()) break;
    day = nextDay(day);
  }
  return total / MINUTE;
}

/** Whether an instant lies inside working time (always true on a 24/7 clock). */
export function isWorkingTime(at: Date, clock: Clock): boolean {
  if (clock.kind === '24x7') return true;
  const p = localParts(at, clock.calendar.timezone);
  const t = at.getTime();
  return workingIntervals({ year: p.year, month: p.month, day: p.day }, clock.calendar).some(([s, e]) => t >= s && t < e);
}
