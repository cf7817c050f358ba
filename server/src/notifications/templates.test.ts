import { describe, expect, it } from 'vitest';
import { displayDeadline, render, smsParts } from './templates.ts';

describe('message templates', () => {
  it('counts Persian SMS in UCS-2 parts: 70 alone, 67 when concatenated', () => {
    expect(smsParts('س'.repeat(70))).toEqual({ encoding: 'ucs2', units: 70, parts: 1 });
    expect(smsParts('س'.repeat(71))).toEqual({ encoding: 'ucs2', units: 71, parts: 2 });
    expect(smsParts('س'.repeat(134))).toMatchObject({ parts: 2 });
    expect(smsParts('س'.repeat(135))).toMatchObject({ parts: 3 });
  });

  it('counts plain Latin SMS in GSM-7: 160, then 153', () => {
    expect(smsParts('a'.repeat(160))).toMatchObject({ encoding: 'gsm7', parts: 1 });
    expect(smsParts('a'.repeat(161))).toMatchObject({ parts: 2 });
    expect(smsParts('€'.repeat(80))).toMatchObject({ encoding: 'gsm7', units: 160, parts: 1 });
  });

  it('writes Persian with Persian digits and a grouped tracking code; English on request', () => {
    const fa = render('citizen_received', 'fa', { trackingCode: '482109375512', unitName: 'ادارهٔ امور مالیاتی همدان' });
    expect(fa).toContain('\u200e۴۸۲۱ ۰۹۳۷ ۵۵۱۲');
    expect(fa).toContain('ادارهٔ امور مالیاتی همدان');
    expect(render('citizen_received', 'en', { trackingCode: '482109375512' })).toContain('4821 0937 5512');
  });

  it('shows deadlines in the Jalali calendar, Tehran time', () => {
    // 2026-11-28 09:30 Tehran = 7 Azar 1405
    const text = displayDeadline('2026-11-28T06:00:00.000Z', 'fa');
    expect(text).toContain('آذر');
    expect(text).toContain('۷');
    expect(text).toContain('۰۹:۳۰');
  });
});
