import { describe, expect, it } from 'vitest';
import { type PolicyCandidate, pickCalendar, pickPolicy } from './pick-policy.ts';

const base = { clock: 'business' as const, firstActionMinutes: 60, answerMinutes: 600, warnFractions: [], satisfactionHours: 72, appealMinutes: 4800 };
const national: PolicyCandidate = { ...base, id: 1, categoryId: null, agencyPath: null, agencyDepth: null };
const ministry: PolicyCandidate = { ...base, id: 2, categoryId: null, agencyPath: '/1/', agencyDepth: 1 };
const directorate: PolicyCandidate = { ...base, id: 3, categoryId: null, agencyPath: '/1/2/3/', agencyDepth: 3 };
const category: PolicyCandidate = { ...base, id: 4, categoryId: 9, agencyPath: null, agencyDepth: null };
const both: PolicyCandidate = { ...base, id: 5, categoryId: 9, agencyPath: '/1/', agencyDepth: 1 };

describe('pickPolicy', () => {
  it('ranks agency + category, category, nearest agency, national', () => {
    const all = [national, ministry, directorate, category, both];
    expect(pickPolicy(all, '/1/2/3/4/')?.id).toBe(5);
    expect(pickPolicy(all, '/7/')?.id).toBe(4);
    expect(pickPolicy([national, ministry, directorate], '/1/2/3/4/')?.id).toBe(3);
    expect(pickPolicy([national, ministry, directorate], '/1/2/')?.id).toBe(2);
    expect(pickPolicy([national, ministry, directorate], '/10/')?.id).toBe(1);
    expect(pickPolicy([national, ministry], null)?.id).toBe(1);
    expect(pickPolicy([ministry], '/8/')).toBeNull();
  });

  it('returns the policy alone, without the resolution fields', () => {
    expect(pickPolicy([national], '/1/')).toEqual({ ...base, id: 1 });
  });
});

describe('pickCalendar', () => {
  it('takes the nearest ancestor that sets one', () => {
    const owners = [
      { path: '/1/', depth: 1, calendarId: 10 },
      { path: '/1/2/', depth: 2, calendarId: 20 },
    ];
    expect(pickCalendar(owners, '/1/2/3/')).toBe(20);
    expect(pickCalendar(owners, '/1/5/')).toBe(10);
    expect(pickCalendar(owners, '/11/')).toBeNull();
  });
});
