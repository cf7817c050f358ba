import { describe, expect, it } from 'vitest';
import type { OutboxRow } from './outbox.ts';
import { type AlertSettings, externalAlerts, sendAfter } from './staff-alerts.ts';

// Tehran is UTC+03:30 (no daylight saving since 2022): 22:00 Tehran is 18:30 UTC.
const tehran = (hhmm: string, day = '2026-12-05') => new Date(`${day}T${hhmm}:00+03:30`);
const night = { quietStartMinute: 22 * 60, quietEndMinute: 7 * 60 };

describe('quiet hours (Tehran time)', () => {
  it('outside them an alert goes at once', () => {
    expect(sendAfter(night, tehran('12:00'))).toEqual(tehran('12:00'));
    expect(sendAfter(night, tehran('07:00'))).toEqual(tehran('07:00'));
    expect(sendAfter({ quietStartMinute: null, quietEndMinute: null }, tehran('23:00'))).toEqual(tehran('23:00'));
  });

  it('inside a window across midnight it waits to its end, the next morning', () => {
    expect(sendAfter(night, tehran('22:00'))).toEqual(tehran('07:00', '2026-12-06'));
    expect(sendAfter(night, tehran('23:59'))).toEqual(tehran('07:00', '2026-12-06'));
    expect(sendAfter(night, tehran('03:15'))).toEqual(tehran('07:00'));
  });

  it('inside a daytime window it waits to the same day’s end', () => {
    expect(sendAfter({ quietStartMinute: 13 * 60, quietEndMinute: 16 * 60 }, tehran('14:30'))).toEqual(tehran('16:00'));
  });
});

describe('alerts by the person’s own channel', () => {
  const row = (template: string): OutboxRow => ({
    complaintId: 'c',
    eventSeq: 3,
    template: template as OutboxRow['template'],
    channel: 'web',
    recipientUserId: 7,
    recipientAddress: null,
    language: 'fa',
    body: 'شکایت تازه',
    smsParts: null,
    deliveryKey: `c:3:${template}:staff:7`,
  });
  const settings = (over: Partial<AlertSettings> = {}) =>
    new Map([[7, { userId: 7, channel: 'sms', address: '+989121234567', ...night, urgentOverrides: true, ...over } as AlertSettings]]);

  it('a new referral in quiet hours is held to their end; a breach comes at once when the person allows it', () => {
    const at = tehran('23:00');
    const [referral, breach] = externalAlerts([row('staff_new_referral'), row('staff_breach')], settings(), at);
    expect(referral).toMatchObject({ channel: 'sms', recipientAddress: '+989121234567', sendAfter: tehran('07:00', '2026-12-06').toISOString() });
    expect(breach!.sendAfter).toBeUndefined();
    const [held] = externalAlerts([row('staff_breach')], settings({ urgentOverrides: false }), at);
    expect(held!.sendAfter).toBe(tehran('07:00', '2026-12-06').toISOString());
  });

  it('nothing extra for the web app alone, for people without settings, or for messages that are not alerts', () => {
    expect(externalAlerts([row('staff_new_referral')], settings({ channel: 'web', address: null }), tehran('12:00'))).toEqual([]);
    expect(externalAlerts([row('staff_new_referral')], new Map(), tehran('12:00'))).toEqual([]);
    expect(externalAlerts([{ ...row('citizen_answered'), channel: 'sms' }], settings(), tehran('12:00'))).toEqual([]);
  });
});
