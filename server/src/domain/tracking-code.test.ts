import { describe, expect, it } from 'vitest';
import { codeInStatusQuery, formatTrackingCode, generateTrackingCode, parseTrackingCode, trackingCodeText, verhoeffDigit } from './tracking-code.ts';

describe('tracking codes', () => {
  it('matches the published Verhoeff example (236 → 3)', () => {
    expect(verhoeffDigit('236')).toBe(3);
    expect(verhoeffDigit('12345')).toBe(1);
  });

  it('makes 12-digit codes that parse, never starting with 0', () => {
    for (let i = 0; i < 2000; i++) {
      const code = generateTrackingCode();
      expect(code).toMatch(/^[1-9][0-9]{11}$/);
      expect(parseTrackingCode(code)).toBe(code);
    }
  });

  it('is not sequential: 10,000 codes are all different and spread over the space', () => {
    const codes = Array.from({ length: 10_000 }, () => generateTrackingCode());
    expect(new Set(codes).size).toBe(codes.length);
    const firstDigits = new Set(codes.map((c) => c[0]));
    expect(firstDigits.size).toBe(9);
  });

  it('catches every single-digit error', () => {
    const code = generateTrackingCode();
    for (let i = 0; i < code.length; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === code[i]) continue;
        const wrong = code.slice(0, i) + d + code.slice(i + 1);
        expect(parseTrackingCode(wrong)).toBeNull();
      }
    }
  });

  it('catches every swap of two different adjacent digits', () => {
    for (let n = 0; n < 200; n++) {
      const code = generateTrackingCode();
      for (let i = 0; i < code.length - 1; i++) {
        if (code[i] === code[i + 1]) continue;
        const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
        if (swapped[0] === '0') continue;
        expect(parseTrackingCode(swapped)).toBeNull();
      }
    }
  });

  it('reads Persian and Arabic digits, spaces and dashes as a person types them', () => {
    const code = generateTrackingCode();
    const persian = code.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!);
    const arabic = code.replace(/\d/g, (d) => '٠١٢٣٤٥٦٧٨٩'[Number(d)]!);
    expect(parseTrackingCode(persian)).toBe(code);
    expect(parseTrackingCode(arabic)).toBe(code);
    expect(parseTrackingCode(formatTrackingCode(code))).toBe(code);
    expect(parseTrackingCode(` ${code.slice(0, 4)} ${code.slice(4)} `)).toBe(code);
  });

  it('rejects wrong lengths and non-digits', () => {
    expect(parseTrackingCode('')).toBeNull();
    expect(parseTrackingCode('12345')).toBeNull();
    expect(parseTrackingCode('1234567890123')).toBeNull();
    expect(parseTrackingCode('12345678901a')).toBeNull();
  });

  it('reads every spelling people paste: Unicode dashes, kashida, NBSP, direction marks, the message form itself', () => {
    const code = generateTrackingCode();
    const [a, b, c] = [code.slice(0, 4), code.slice(4, 8), code.slice(8)];
    for (const typed of [
      `${a}–${b}—${c}`,
      `${a}\u00a0${b}\u202f${c}`,
      `\u200f${a}\u200c${b}ـ${c}\u200e`,
      `${a}.${b}/${c}`,
      trackingCodeText(code, 'fa'),
      trackingCodeText(code, 'en'),
    ]) {
      expect(parseTrackingCode(typed), JSON.stringify(typed)).toBe(code);
    }
  });

  it('formats in groups of four; the Persian form in Persian digits, kept left to right by a mark', () => {
    expect(formatTrackingCode('482109375512')).toBe('4821 0937 5512');
    expect(trackingCodeText('482109375512', 'en')).toBe('4821 0937 5512');
    expect(trackingCodeText('482109375512', 'fa')).toBe('\u200e۴۸۲۱ ۰۹۳۷ ۵۵۱۲');
  });

  it('finds the code in a status question, with or without a command word', () => {
    const code = generateTrackingCode();
    const persian = trackingCodeText(code, 'fa');
    expect(codeInStatusQuery(code)).toBe(code);
    expect(codeInStatusQuery(`پیگیری ${persian}`)).toBe(code);
    expect(codeInStatusQuery(`وضعیت: ${code.slice(0, 6)}-${code.slice(6)}`)).toBe(code);
    expect(codeInStatusQuery(`کد رهگیری ${persian}`)).toBe(code);
    expect(codeInStatusQuery(`status ${code}`)).toBe(code);
    expect(codeInStatusQuery('12345678901')).toBe('12345678901');
    expect(codeInStatusQuery('پیگیری شکایتم از شهرداری که ۱۲ روز است جواب نداده')).toBeNull();
    expect(codeInStatusQuery('123')).toBeNull();
  });
});
