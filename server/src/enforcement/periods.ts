import { toGregorian, toJalaali } from 'jalaali-js';
import { localParts, zonedInstant } from '../domain/business-clock.ts';

/** A Jalali calendar month in Asia/Tehran: `key` is 'YYYY-MM' (Jalali), [from, to) in UTC. */
export interface Period {
  key: string;
  from: Date;
  to: Date;
}

const TEHRAN = 'Asia/Tehran';

function monthStart(jy: number, jm: number): Date {
  const g = toGregorian(jy, jm, 1);
  return new Date(zonedInstant(g.gy, g.gm, g.gd, 0, TEHRAN));
}

function month(jy: number, jm: number): Period {
  const next = jm === 12 ? { jy: jy + 1, jm: 1 } : { jy, jm: jm + 1 };
  return { key: `${jy}-${String(jm).padStart(2, '0')}`, from: monthStart(jy, jm), to: monthStart(next.jy, next.jm) };
}

/** The Jalali month (Tehran time) an instant falls in. */
export function periodOf(at: Date): Period {
  const local = localParts(at, TEHRAN);
  const j = toJalaali(local.year, local.month, local.day);
  return month(j.jy, j.jm);
}

/** The `count` whole Jalali months that ended before the month of `asOf`, oldest first. */
export function completedPeriods(asOf: Date, count: number): Period[] {
  const out: Period[] = [];
  let current = periodOf(asOf);
  for (let i = 0; i < count; i++) {
    current = periodOf(new Date(current.from.getTime() - 1));
    out.unshift(current);
  }
  return out;
}
