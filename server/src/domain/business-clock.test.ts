import fc from 'fast-check';
import { toGregorian } from 'jalaali-js';
import { describe, expect, it } from 'vitest';
import { addClockMinutes, type Clock, clockMinutesBetween, IRAN_ADMIN_WEEK, isWorkingTime, localParts } from './business-clock.ts';
import { fixedHolidays, jalaliToIsoDay, parseJalali } from './jalali.ts';

const TEHRAN = 'Asia/Tehran';
const holidays = new Set([...fixedHolidays(1404), ...fixedHolidays(1405)].map((h) => h.day));
const business: Clock = { kind: 'business', calendar: { timezone: TEHRAN, week: IRAN_ADMIN_WEEK, holidays } };
/** A Tehran wall-clock time as an instant (Iran has been UTC+03:30 all year since 2022). */
const tehran = (iso: string) => new Date(`${iso}+03:30`);

describe('business clock (Iran administrative week, Asia/Tehran)', () => {
  it('07:00 in Tehran is 03:30 UTC', () => {
    expect(localParts(new Date('2026-11-28T03:30:00Z'), TEHRAN)).toMatchObject({ hour: 7, minute: 0 });
  });

  it('13:30 on a Wednesday with 3 working hours left is due the next working day (Saturday 09:30)', () => {
    const wednesday = tehran('2026-11-25T13:30:00'); // Wednesday 4 Azar 1405
    expect(wednesday.getUTCDay()).toBe(3);
    expect(addClockMinutes(wednesday, 180, business)).toEqual(tehran('2026-11-28T09:30:00'));
  });

  it('a complaint filed on Thursday evening starts counting on Saturday morning', () => {
    expect(addClockMinutes(tehran('2026-11-26T19:00:00'), 60, business)).toEqual(tehran('2026-11-28T08:00:00'));
  });

  it('a deadline ending exactly at closing time is the close, not the next morning', () => {
    expect(addClockMinutes(tehran('2026-11-28T11:00:00'), 180, business)).toEqual(tehran('2026-11-28T14:00:00'));
  });

  it('skips Nowruz: filed on the last working day of 1404, due after 13 Farvardin 1405', () => {
    // 1 Farvardin 1405 = 21 March 2026. Working days left: 1405/01/05–01/11 (Wed 25 … Tue 31 March, minus Thu/Fri).
    expect(jalaliToIsoDay(1405, 1, 1)).toBe('2026-03-21');
    const lastDay = tehran('2026-03-18T13:00:00'); // Wednesday 27 Esfand 1404
    const due = addClockMinutes(lastDay, 120, business); // 1 h that day, then 1 h after Nowruz
    expect(due).toEqual(tehran('2026-03-25T08:00:00')); // Wednesday 5 Farvardin 1405
    const longer = addClockMinutes(lastDay, 60 + 7 * 60 * 4 + 30, business); // + four full working days
    // Wed 25, Sat 28, Sun 29, Mon 30 March are working; Tue 31 = 11 Farvardin → 07:30
    expect(longer).toEqual(tehran('2026-03-31T07:30:00'));
    expect(addClockMinutes(tehran('2026-03-31T13:00:00'), 120, business)).toEqual(tehran('2026-04-04T08:00:00')); // 12, 13 Farvardin off, then Fri
  });

  it('the 24/7 clock is plain addition', () => {
    expect(addClockMinutes(tehran('2026-11-26T23:00:00'), 180, { kind: '24x7' })).toEqual(tehran('2026-11-27T02:00:00'));
  });

  it('measures working minutes between two instants', () => {
    expect(clockMinutesBetween(tehran('2026-11-25T13:30:00'), tehran('2026-11-28T09:30:00'), business)).toBe(180);
    expect(clockMinutesBetween(tehran('2026-11-26T08:00:00'), tehran('2026-11-27T23:00:00'), business)).toBe(0);
  });

  it('refuses a calendar with no working time', () => {
    expect(() => addClockMinutes(new Date(), 10, { kind: 'business', calendar: { timezone: TEHRAN, week: {}, holidays: new Set() } })).toThrow(
      /no working time/,
    );
  });

  const instant = fc.date({ min: new Date('2025-03-01T00:00:00Z'), max: new Date('2027-03-01T00:00:00Z'), noInvalidDate: true });
  const minutes = fc.integer({ min: 1, max: 60 * 7 * 15 });

  it('property: deadlines are monotonic in the minutes added', () => {
    fc.assert(
      fc.property(instant, minutes, minutes, (s, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        return addClockMinutes(s, lo, business) <= addClockMinutes(s, hi, business);
      }),
      { numRuns: 300 },
    );
  });

  it('property: a deadline is never inside non-working time (it is in working time or exactly at a close)', () => {
    fc.assert(
      fc.property(instant, minutes, (s, m) => {
        const due = addClockMinutes(s, m, business);
        return isWorkingTime(due, business) || isWorkingTime(new Date(due.getTime() - 1), business);
      }),
      { numRuns: 300 },
    );
  });

  it('property: additive — adding a then b equals adding a + b', () => {
    fc.assert(
      fc.property(instant, minutes, minutes, (s, a, b) => {
        return addClockMinutes(addClockMinutes(s, a, business), b, business).getTime() === addClockMinutes(s, a + b, business).getTime();
      }),
      { numRuns: 300 },
    );
  });

  it('property: the working minutes from start to deadline are exactly the minutes added', () => {
    fc.assert(
      fc.property(instant, minutes, (s, m) => Math.abs(clockMinutesBetween(s, addClockMinutes(s, m, business), business) - m) < 1e-6),
      { numRuns: 200 },
    );
  });
});

describe('Jalali dates', () => {
  it('reads Persian digits and refuses days that do not exist', () => {
    expect(parseJalali('۱۴۰۴/۰۱/۰۱')?.text).toBe('1404-01-01');
    expect(parseJalali('1404-7-31')).toBeNull(); // Mehr has 30 days
    expect(parseJalali('1404/12/30')).toBeNull(); // 1404 is not a leap year
    expect(parseJalali('1403/12/30')?.text).toBe('1403-12-30'); // 1403 is
    expect(parseJalali('not a date')).toBeNull();
  });

  it('agrees with jalaali-js for fixed holidays', () => {
    for (const h of fixedHolidays(1405)) {
      const [jy, jm, jd] = h.jalali.split('-').map(Number) as [number, number, number];
      const g = toGregorian(jy, jm, jd);
      expect(h.day).toBe(`${g.gy}-${String(g.gm).padStart(2, '0')}-${String(g.gd).padStart(2, '0')}`);
    }
  });
});
