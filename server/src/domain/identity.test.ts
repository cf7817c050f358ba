import { describe, expect, it } from 'vitest';
import { maskPhone, parseContactPhone, parseNationalId } from './identity.ts';

describe('contact phone numbers', () => {
  it.each([
    ['09121234567', '+989121234567'],
    ['9121234567', '+989121234567'],
    ['+989121234567', '+989121234567'],
    ['00989121234567', '+989121234567'],
    ['۰۹۱۲۱۲۳۴۵۶۷', '+989121234567'],
    ['0912 123 4567', '+989121234567'],
    ['09351234567', '+989351234567'],
    ['09901234567', '+989901234567'],
  ])('reads the Iranian mobile %s', (input, e164) => {
    expect(parseContactPhone(input)).toEqual({ e164, country: 'IR', iranianMobile: true });
  });

  it.each(['02112345678', '0912123456', '091212345678', '08121234567', 'abc', '+98 21 1234 5678'])('rejects %s (not an Iranian mobile)', (input) => {
    expect(parseContactPhone(input)).toBeNull();
  });

  it('reads numbers from abroad in E.164 with their country', () => {
    expect(parseContactPhone('+4915112345678')).toEqual({ e164: '+4915112345678', country: 'DE', iranianMobile: false });
    expect(parseContactPhone('0014155552671')).toEqual({ e164: '+14155552671', country: 'US', iranianMobile: false });
    expect(parseContactPhone('+971501234567')?.country).toBe('AE');
  });

  it('rejects invalid international numbers', () => {
    expect(parseContactPhone('+1555')).toBeNull();
    expect(parseContactPhone('+99912345678')).toBeNull();
  });

  it('masks all but the prefix and the last four digits', () => {
    expect(maskPhone('+989121234567')).toBe('+98912***4567');
  });
});

describe('national ID (کد ملی)', () => {
  it('accepts valid IDs in any digits', () => {
    expect(parseNationalId('0499370899')).toBe('0499370899');
    expect(parseNationalId('۰۴۹۹۳۷۰۸۹۹')).toBe('0499370899');
    expect(parseNationalId('0790419904')).toBe('0790419904');
  });

  it('rejects a wrong check digit, wrong length and repeated digits', () => {
    expect(parseNationalId('0499370898')).toBeNull();
    expect(parseNationalId('049937089')).toBeNull();
    expect(parseNationalId('1111111111')).toBeNull();
    expect(parseNationalId('abcdefghij')).toBeNull();
  });
});
