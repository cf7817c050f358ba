import { describe, expect, it } from 'vitest';
import { CATCH_UP_MONTHS, planSchedule, retryDelayMs, type ScheduledAttempt } from './schedule.ts';

const settings = { settleHours: 24 };
const H = 3_600_000;
// 1 Farvardin 1404 00:00 Tehran: the end of Esfand 1403, a leap year's 30-day Esfand.
const nowruz1404 = new Date('2025-03-20T20:30:00Z');
const at = (base: Date, hours: number) => new Date(base.getTime() + hours * H);
const done = (period: string): ScheduledAttempt => ({ period, attempt: 1, status: 'done', finishedAt: new Date(0) });

describe('enforcement schedule plan', () => {
  it('owes a month only once it has ended in Tehran and settled', () => {
    const before = planSchedule(at(nowruz1404, 23.9), settings, [done('1403-11')], '1403-11');
    expect(before.run).toEqual([]);
    expect(before.next).toEqual({ period: '1403-12', dueAt: at(nowruz1404, 24), retry: false });
    const after = planSchedule(at(nowruz1404, 24), settings, [done('1403-11')], '1403-11');
    expect(after.run).toEqual([{ period: '1403-12', asOf: nowruz1404, attempt: 1, dueAt: at(nowruz1404, 24) }]);
  });

  it('knows Esfand 1403 has 30 days: on 30 Esfand the month has not ended', () => {
    // 30 Esfand 1403, noon Tehran, settle 0: Bahman is owed, Esfand is not.
    const plan = planSchedule(new Date('2025-03-20T08:30:00Z'), { settleHours: 0 }, [done('1403-11')], '1403-11');
    expect(plan.run).toEqual([]);
    expect(plan.next.period).toBe('1403-12');
    expect(plan.next.dueAt).toEqual(nowruz1404);
  });

  it('a first start runs only the newest owed month; a later one catches up every missed month in order, at most three', () => {
    expect(planSchedule(at(nowruz1404, 30), settings, [], null).run.map((m) => m.period)).toEqual(['1403-12']);
    // Last done: Bahman 1403; now 10 Tir 1404 (1 July 2025): Esfand, Farvardin, Ordibehesht, Khordad are owed, the last three run.
    const late = planSchedule(new Date('2025-07-01T08:00:00Z'), settings, [done('1403-11')], '1403-11');
    expect(late.run.map((m) => m.period)).toEqual(['1404-01', '1404-02', '1404-03']);
    expect(late.run).toHaveLength(CATCH_UP_MONTHS);
    // Each as of its own month's end.
    expect(late.run.map((m) => m.asOf.toISOString())).toEqual(['2025-04-20T20:30:00.000Z', '2025-05-21T20:30:00.000Z', '2025-06-21T20:30:00.000Z']);
  });

  it('retries a failed month after a growing backoff; later months do not wait for it', () => {
    const failedAt = at(nowruz1404, 25);
    const failed: ScheduledAttempt = { period: '1403-12', attempt: 1, status: 'failed', finishedAt: failedAt };
    const waiting = planSchedule(at(failedAt, 0.05), settings, [done('1403-11'), failed], '1403-11');
    expect(waiting.run).toEqual([]);
    expect(waiting.next).toEqual({ period: '1403-12', dueAt: new Date(failedAt.getTime() + retryDelayMs(1)), retry: true });
    const retry = planSchedule(new Date(failedAt.getTime() + retryDelayMs(1)), settings, [done('1403-11'), failed], '1403-11');
    expect(retry.run.map((m) => [m.period, m.attempt])).toEqual([['1403-12', 2]]);
    expect(retryDelayMs(2)).toBe(2 * retryDelayMs(1));
    expect(retryDelayMs(50)).toBe(6 * H);
    // A month later, Farvardin is owed and runs while Esfand still waits for its retry.
    const secondFailure: ScheduledAttempt = { period: '1403-12', attempt: 2, status: 'failed', finishedAt: new Date('2025-04-21T22:05:00Z') };
    const later = planSchedule(new Date('2025-04-21T22:10:00Z'), settings, [done('1403-11'), failed, secondFailure], '1403-11');
    expect(later.run.map((m) => m.period)).toEqual(['1404-01']);
  });

  it('a month running in another instance holds the later months back', () => {
    const running: ScheduledAttempt = { period: '1404-01', attempt: 1, status: 'running', finishedAt: null };
    const plan = planSchedule(new Date('2025-07-01T08:00:00Z'), settings, [done('1403-12'), running], '1403-11');
    expect(plan.run).toEqual([]);
  });
});
