import { toGregorian, toJalaali } from 'jalaali-js';
import { toAsciiDigits } from './persian-text.ts';

/** Reads a Jalali date typed as 1404/01/01, ۱۴۰۴-۱-۱ …; returns 'YYYY-MM-DD' (Jalali) or null. */
export function parseJalali(input: string): { jy: number; jm: number; jd: number; text: string } | null {
  const m = toAsciiDigits(input.trim()).match(/^(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})$/);
  if (!m) return null;
  const [jy, jm, jd] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (jm < 1 || jm > 12 || jd < 1 || jd > 31) return null;
  const g = toGregorian(jy, jm, jd);
  // Round-trip to refuse days that do not exist (31 Mehr, 30 Esfand in a common year).
  const back = toJalaali(g.gy, g.gm, g.gd);
  if (back.jy !== jy || back.jm !== jm || back.jd !== jd) return null;
  return { jy, jm, jd, text: `${jy}-${String(jm).padStart(2, '0')}-${String(jd).padStart(2, '0')}` };
}

/** The Gregorian 'YYYY-MM-DD' of a Jalali date. */
export function jalaliToIsoDay(jy: number, jm: number, jd: number): string {
  const g = toGregorian(jy, jm, jd);
  return `${g.gy}-${String(g.gm).padStart(2, '0')}-${String(g.gd).padStart(2, '0')}`;
}

/** Iran's fixed solar-calendar public holidays (month, day). The lunar ones move every year: import them. */
export const FIXED_SOLAR_HOLIDAYS: [number, number, string][] = [
  [1, 1, 'نوروز'],
  [1, 2, 'نوروز'],
  [1, 3, 'نوروز'],
  [1, 4, 'نوروز'],
  [1, 12, 'روز جمهوری اسلامی'],
  [1, 13, 'روز طبیعت'],
  [3, 14, 'رحلت امام خمینی'],
  [3, 15, 'قیام ۱۵ خرداد'],
  [11, 22, 'پیروزی انقلاب اسلامی'],
];

/** The fixed solar holidays of a Jalali year, with their Gregorian days; 29/30 Esfand (oil nationalisation) included. */
export function fixedHolidays(jy: number): { day: string; jalali: string; nameFa: string }[] {
  const list = FIXED_SOLAR_HOLIDAYS.map(([jm, jd, nameFa]) => ({
    day: jalaliToIsoDay(jy, jm, jd),
    jalali: `${jy}-${String(jm).padStart(2, '0')}-${String(jd).padStart(2, '0')}`,
    nameFa,
  }));
  list.push({ day: jalaliToIsoDay(jy, 12, 29), jalali: `${jy}-12-29`, nameFa: 'ملی شدن صنعت نفت' });
  return list;
}
