import { describe, expect, it } from 'vitest';
import { monthKeyOf, monthKeysOf, monthLength, parsePeriod, periodBounds, periodLabel, reportMonths, tehranMidnight } from './jalali-periods.ts';

/** The Jalali date and Tehran clock of an instant, read with Intl's Persian calendar — an implementation independent of jalaali-js. */
function intlPersian(at: Date): { jy: number; jm: number; jd: number; clock: string } {
  const parts = new Intl.DateTimeFormat('en-u-ca-persian-nu-latn', {
    timeZone: 'Asia/Tehran',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { jy: Number.parseInt(get('year'), 10), jm: Number(get('month')), jd: Number(get('day')), clock: `${get('hour')}:${get('minute')}` };
}

describe('Jalali report periods', () => {
  it('reads month, season and year keys and refuses the rest', () => {
    expect(parsePeriod('1404-03')).toEqual({ kind: 'month', jy: 1404, index: 3, key: '1404-03' });
    expect(parsePeriod('1404-q2')).toEqual({ kind: 'quarter', jy: 1404, index: 2, key: '1404-Q2' });
    expect(parsePeriod('1404')).toEqual({ kind: 'year', jy: 1404, index: 1, key: '1404' });
    for (const bad of ['1404-13', '1404-00', '1404-Q5', '14040', '1404-3', '1300', 'x']) expect(parsePeriod(bad)).toBeNull();
    expect(monthKeysOf(parsePeriod('1404-Q4')!)).toEqual([140410, 140411, 140412]);
    expect(monthKeysOf(parsePeriod('1403')!)).toHaveLength(12);
    expect(periodLabel(parsePeriod('1404-03')!, 'fa')).toBe('خرداد ۱۴۰۴');
    expect(periodLabel(parsePeriod('1404-Q1')!, 'en')).toBe('Spring 1404');
  });

  it('knows 31-, 30- and 29/30-day months, and that 1403 is a leap year and 1404 is not', () => {
    expect([1, 2, 3, 4, 5, 6].map((m) => monthLength(1404, m))).toEqual([31, 31, 31, 31, 31, 31]);
    expect([7, 8, 9, 10, 11].map((m) => monthLength(1404, m))).toEqual([30, 30, 30, 30, 30]);
    expect(monthLength(1403, 12)).toBe(30);
    expect(monthLength(1404, 12)).toBe(29);
    const y1403 = periodBounds(parsePeriod('1403')!);
    expect((y1403.endsAt.getTime() - y1403.startsAt.getTime()) / 86_400_000).toBe(366);
  });

  it('starts Nowruz at Tehran midnight, with and without daylight saving time', () => {
    expect(periodBounds(parsePeriod('1404-01')!).startsAt.toISOString()).toBe('2025-03-20T20:30:00.000Z');
    expect(periodBounds(parsePeriod('1403-01')!).startsAt.toISOString()).toBe('2024-03-19T20:30:00.000Z');
    // 1 Mehr 1400 under the old summer time: the month began at +03:30 after clocks went back.
    expect(periodBounds(parsePeriod('1400-07')!).startsAt.toISOString()).toBe('2021-09-22T20:30:00.000Z');
    // 1 Ordibehesht 1400 was in summer time (+04:30).
    expect(periodBounds(parsePeriod('1400-02')!).startsAt.toISOString()).toBe('2021-04-20T19:30:00.000Z');
    expect(tehranMidnight('2025-06-01').toISOString()).toBe('2025-05-31T20:30:00.000Z');
  });

  it('agrees with Intl’s Persian calendar on every month boundary 1380–1450', () => {
    for (const m of reportMonths()) {
      const jy = Math.floor(m.monthKey / 100);
      const jm = m.monthKey % 100;
      expect(intlPersian(m.startsAt)).toEqual({ jy, jm, jd: 1, clock: '00:00' });
      const lastMinute = intlPersian(new Date(m.endsAt.getTime() - 60_000));
      expect(lastMinute).toEqual({ jy, jm, jd: m.days, clock: '23:59' });
      expect(monthKeyOf(m.startsAt)).toBe(m.monthKey);
      expect(monthKeyOf(new Date(m.startsAt.getTime() - 1))).not.toBe(m.monthKey);
    }
  });
});
