import { describe, expect, it } from 'vitest';
import { normalizePersianText, searchForm, toAsciiDigits, toPersianDigits } from './persian-text.ts';

describe('Persian text', () => {
  it('turns Arabic ي and ك into Persian ی and ک', () => {
    expect(normalizePersianText('علي كريمي')).toBe('علی کریمی');
    expect(normalizePersianText('يك')).toBe('یک');
  });

  it('converts digits both ways', () => {
    expect(toAsciiDigits('۰۹۱۲-٣٤٥')).toBe('0912-345');
    expect(toPersianDigits('128')).toBe('۱۲۸');
    expect(toPersianDigits(2025)).toBe('۲۰۲۵');
  });

  it('keeps line breaks but folds spaces and strips control and bidi marks', () => {
    expect(normalizePersianText('  سلام\u200f   دنیا \r\n\r\n\r\n\r\nخط  دوم\u0000 ')).toBe('سلام دنیا\n\nخط دوم');
  });

  it('keeps a single ZWNJ (نیم‌فاصله) but folds repeats', () => {
    expect(normalizePersianText('می\u200c\u200cخواهم')).toBe('می\u200cخواهم');
  });

  it('search form matches with or without ZWNJ and in any digits', () => {
    expect(searchForm('می‌خواهم')).toBe(searchForm('می خواهم'));
    expect(searchForm('باجه ۳')).toBe('باجه 3');
    expect(searchForm('ABC')).toBe('abc');
  });
});
