import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../domain/event-chain.ts';
import { type NotificationContext, planNotifications, unitsOf } from './outbox.ts';

const COMPLAINT = '00000000-0000-4000-8000-000000000001';
let seq = 0;
function event(type: string, data: Record<string, unknown> = {}): StoredEvent {
  seq += 1;
  return {
    id: seq,
    complaintId: COMPLAINT,
    seq,
    type,
    actorKind: 'system',
    actorId: null,
    data,
    createdAt: '2026-01-01T00:00:00.000Z',
    prevHash: '',
    hash: '',
    keyId: null,
  };
}

function context(overrides: Partial<NotificationContext> = {}): NotificationContext {
  return {
    complaintId: COMPLAINT,
    trackingCode: '123456789012',
    language: 'fa',
    citizenPhone: '+989121234567',
    reply: null,
    followers: [],
    units: new Map([
      [10, { nameFa: 'ادارهٔ شهرستان', headId: 100 }],
      [20, { nameFa: 'اداره‌کل استان', headId: 200 }],
    ]),
    supervisorIds: [300, 301],
    publicUrl: 'https://128.example',
    ...overrides,
  };
}

describe('planNotifications', () => {
  it('tells the citizen once on intake (received, naming the unit) and the inspection head of the new referral', () => {
    const rows = planNotifications([event('received'), event('referred', { unitId: 10, dueAt: '2026-01-01T03:00:00.000Z' })], context());
    expect(rows.map((r) => [r.template, r.channel, r.recipientAddress ?? r.recipientUserId])).toEqual([
      ['citizen_received', 'sms', '+989121234567'],
      ['staff_new_referral', 'web', 100],
    ]);
    expect(rows[0]!.body).toContain('ادارهٔ شهرستان');
    expect(rows[0]!.smsParts).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.deliveryKey)).size).toBe(rows.length);
  });

  it('on a breach escalation tells the citizen, the new head, the old head and the province supervisors, each once', () => {
    const rows = planNotifications([event('escalated', { fromUnitId: 10, toUnitId: 20 })], context({ supervisorIds: [300, 100] }));
    expect(rows.map((r) => [r.template, r.recipientAddress ?? r.recipientUserId])).toEqual([
      ['citizen_referred', '+989121234567'],
      ['staff_escalated_in', 200],
      ['staff_breach', 100],
      ['staff_breach', 300],
    ]);
  });

  it('answers go back the way the citizen came (the messenger chat), with the tracking link', () => {
    const rows = planNotifications([event('answered')], context({ reply: { channel: 'telegram', address: '55501' } }));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: 'telegram', recipientAddress: '55501', smsParts: null });
    expect(rows[0]!.body).toContain('https://128.example/track/123456789012');
  });

  it('merged duplicates’ citizens follow the case in their own language and channel, never twice to one address', () => {
    const followers: NotificationContext['followers'] = [
      { complaintId: 'b', channel: 'sms', address: '+989350000000', language: 'en' },
      { complaintId: 'c', channel: 'sms', address: '+989121234567', language: 'fa' },
    ];
    const rows = planNotifications([event('rated_satisfied')], context({ followers }));
    expect(rows.map((r) => [r.recipientAddress, r.language])).toEqual([
      ['+989121234567', 'fa'],
      ['+989350000000', 'en'],
    ]);
  });

  it('sends nothing to a citizen with no phone and no chat, and nothing to a unit without an inspection head', () => {
    const units = new Map([[10, { nameFa: 'بی‌سرپرست', headId: null }]]);
    expect(planNotifications([event('received'), event('referred', { unitId: 10 })], context({ citizenPhone: null, units }))).toEqual([]);
  });

  it('warns the head of the unit with the share of the time gone, rounded to a whole percent', () => {
    const rows = planNotifications([event('sla_warning', { unitId: 20, fraction: 0.746, dueAt: '2026-01-02T00:00:00.000Z' })], context());
    expect(rows.map((r) => [r.template, r.channel, r.recipientUserId])).toEqual([['staff_warning', 'web', 200]]);
    expect(rows[0]!.body).toContain('۷۵٪');
    expect(rows[0]!.deliveryKey).toBe(`${COMPLAINT}:${rows[0]!.eventSeq}:staff_warning:staff:200`);
  });

  it('a citizen not satisfied hears where the case went; the head of the new unit gets it; a transfer tells the citizen too', () => {
    const reopened = planNotifications([event('rated_not_satisfied', { toUnitId: 20, dueAt: '2026-01-05T00:00:00.000Z' })], context());
    expect(reopened.map((r) => [r.template, r.recipientAddress ?? r.recipientUserId])).toEqual([
      ['citizen_reopened', '+989121234567'],
      ['staff_new_referral', 200],
    ]);
    expect(reopened[0]!.body).toContain('اداره‌کل استان');
    const transferred = planNotifications([event('transferred', { fromUnitId: 10, toUnitId: 20 })], context());
    expect(transferred.map((r) => [r.template, r.recipientAddress ?? r.recipientUserId])).toEqual([
      ['citizen_referred', '+989121234567'],
      ['staff_new_referral', 200],
    ]);
  });

  it('a merge tells the citizen the other tracking code; a split tells the citizen and the new head; a note tells nobody', () => {
    const merged = planNotifications([event('merged_into', { intoTrackingCode: '210987654321' })], context({ language: 'en' }));
    expect(merged.map((r) => r.template)).toEqual(['citizen_merged']);
    expect(merged[0]!.body).toContain('2109');
    const split = planNotifications([event('split_off', { unitId: 10 })], context());
    expect(split.map((r) => [r.template, r.recipientAddress ?? r.recipientUserId])).toEqual([
      ['citizen_split', '+989121234567'],
      ['staff_new_referral', 100],
    ]);
    expect(planNotifications([event('note_added', { text: 'x' })], context())).toEqual([]);
  });

  it('lists each unit a batch of events mentions once, with the current one', () => {
    const ids = unitsOf([event('escalated', { fromUnitId: 10, toUnitId: 20 }), event('transferred', { fromUnitId: 20, toUnitId: 30 })], 5);
    expect(ids.sort((a, b) => a - b)).toEqual([5, 10, 20, 30]);
  });
});
