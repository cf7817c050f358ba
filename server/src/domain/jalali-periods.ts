import { jalaaliMonthLength, toJalaali } from 'jalaali-js';
import { jalaliToIsoDay } from './jalali.ts';

/**
 * Report-card periods on the Jalali calendar: a month, a quarter (season: months 1–3 are
 * spring …) or a year. Their bounds are Tehran midnights, so a complaint filed at 23:50 on the
 * last day of Esfand in Tehran belongs to that year even though it is already the next day in
 * UTC. Iran kept daylight saving time until 1401, so a bound is +03:30 or +04:30 — Node's time
 * zone data decides, never a fixed offset.
 */
export type PeriodKind = 'month' | 'quarter' | 'year';

export interface Period {
  kind: PeriodKind;
  jy: number;
  /** Month 1–12, quarter 1–4, or 1 for a year. */
  index: number;
  /** '1404-03', '1404-Q2' or '1404'. */
  key: string;
}

export const MONTH_NAMES_FA = ['فروردین', 'اردیبهشت', 'خرداد', 'تیر', 'مرداد', 'شهریور', 'مهر', 'آبان', 'آذر', 'دی', 'بهمن', 'اسفند'];
export const MONTH_NAMES_EN = ['Farvardin', 'Ordibehesht', 'Khordad', 'Tir', 'Mordad', 'Shahrivar', 'Mehr', 'Aban', 'Azar', 'Dey', 'Bahman', 'Esfand'];
export const SEASON_NAMES_FA = ['بهار', 'تابستان', 'پاییز', 'زمستان'];
export const SEASON_NAMES_EN = ['Spring', 'Summer', 'Autumn', 'Winter'];

/** Years the rollup month table covers (migration 012); outside it nothing is rolled up. */
export const FIRST_REPORT_YEAR = 1380;
export const LAST_REPORT_YEAR = 1450;

/** Reads '1404-03' (month), '1404-Q2' (quarter) or '1404' (year); null when malformed or out of range. */
export function parsePeriod(text: string): Period | null {
  const m = text.trim().match(/^(\d{4})(?:-(?:(\d{2})|[Qq]([1-4])))?$/);
  if (!m) return null;
  const jy = Number(m[1]);
  if (jy < FIRST_REPORT_YEAR || jy > LAST_REPORT_YEAR) return null;
  if (m[2] !== undefined) {
    const jm = Number(m[2]);
    return jm >= 1 && jm <= 12 ? { kind: 'month', jy, index: jm, key: `${jy}-${m[2]}` } : null;
  }
  if (m[3] !== undefined) return { kind: 'quarter', jy, index: Number(m[3]), key: `${jy}-Q${m[3]}` };
  return { kind: 'year', jy, index: 1, key: String(jy) };
}

/** The rollup keys (jy × 100 + jm) of the months a period spans. */
export function monthKeysOf(period: Period): number[] {
  const first = period.kind === 'month' ? period.index : period.kind === 'quarter' ? (period.index - 1) * 3 + 1 : 1;
  const count = period.kind === 'month' ? 1 : period.kind === 'quarter' ? 3 : 12;
  return Array.from({ length: count }, (_, i) => period.jy * 100 + first + i);
}

/** The UTC instant of 00:00 in Tehran on a Gregorian day ('YYYY-MM-DD'). */
export function tehranMidnight(isoDay: string): Date {
  const [y, mo, d] = isoDay.split('-').map(Number) as [number, number, number];
  // Try Iran's two offsets (+03:30 standard, +04:30 summer time until 1401); the earliest
  // instant that reads 00:00 of that day in Tehran is its midnight.
  for (const offsetMinutes of [270, 210]) {
    const candidate = new Date(Date.UTC(y, mo - 1, d) - offsetMinutes * 60_000);
    if (tehranDay(candidate) === isoDay && tehranClock(candidate) === '00:00') return candidate;
  }
  throw new Error(`no Tehran midnight on ${isoDay}`);
}

const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tehran', year: 'numeric', month: '2-digit', day: '2-digit' });
const clockFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tehran', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** The Gregorian day ('YYYY-MM-DD') an instant falls on in Tehran. */
export function tehranDay(at: Date): string {
  return dayFormat.format(at);
}
function tehranClock(at: Date): string {
  return clockFormat.format(at);
}

/** The Jalali date of an instant, in Tehran. */
export function jalaliDateOf(at: Date): { jy: number; jm: number; jd: number } {
  const [y, m, d] = tehranDay(at).split('-').map(Number) as [number, number, number];
  return toJalaali(y, m, d);
}

/** The rollup month key (jy × 100 + jm) of an instant, in Tehran. */
export function monthKeyOf(at: Date): number {
  const { jy, jm } = jalaliDateOf(at);
  return jy * 100 + jm;
}

/** Days in a Jalali month (Esfand has 30 in a leap year, 29 otherwise). */
export function monthLength(jy: number, jm: number): number {
  return jalaaliMonthLength(jy, jm);
}

/** The month after (jy, jm). */
function nextMonth(jy: number, jm: number): [number, number] {
  return jm === 12 ? [jy + 1, 1] : [jy, jm + 1];
}

/** [startsAt, endsAt): Tehran midnight of the period's first day to that of the day after it. */
export function periodBounds(period: Period): { startsAt: Date; endsAt: Date } {
  const keys = monthKeysOf(period);
  const first = keys[0]!;
  const last = keys[keys.length - 1]!;
  const [ny, nm] = nextMonth(Math.floor(last / 100), last % 100);
  return {
    startsAt: tehranMidnight(jalaliToIsoDay(Math.floor(first / 100), first % 100, 1)),
    endsAt: tehranMidnight(jalaliToIsoDay(ny, nm, 1)),
  };
}

/** A person's name for the period: 'خرداد ۱۴۰۴' / 'Khordad 1404', 'بهار ۱۴۰۴', 'سال ۱۴۰۴'. */
export function periodLabel(period: Period, language: 'fa' | 'en'): string {
  const year = language === 'fa' ? toPersianDigits(period.jy) : String(period.jy);
  if (period.kind === 'month') return `${(language === 'fa' ? MONTH_NAMES_FA : MONTH_NAMES_EN)[period.index - 1]} ${year}`;
  if (period.kind === 'quarter') return `${(language === 'fa' ? SEASON_NAMES_FA : SEASON_NAMES_EN)[period.index - 1]} ${year}`;
  return language === 'fa' ? `سال ${year}` : `Year ${year}`;
}

function toPersianDigits(n: number): string {
  return String(n).replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!);
}

/** Every month of the rollup table with its Tehran bounds (what migration 012 holds). */
export function reportMonths(): { monthKey: number; startsAt: Date; endsAt: Date; days: number }[] {
  const months = [];
  for (let jy = FIRST_REPORT_YEAR; jy <= LAST_REPORT_YEAR; jy++) {
    for (let jm = 1; jm <= 12; jm++) {
      const { startsAt, endsAt } = periodBounds({ kind: 'month', jy, index: jm, key: '' });
      months.push({ monthKey: jy * 100 + jm, startsAt, endsAt, days: monthLength(jy, jm) });
    }
  }
  return months;
}
