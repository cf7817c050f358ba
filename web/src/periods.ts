/** Jalali report periods as the API names them: `1404-03` (month), `1404-Q2` (season), `1404` (year). */
export type PeriodKind = 'month' | 'quarter' | 'year';

const MONTHS_FA = ['فروردین', 'اردیبهشت', 'خرداد', 'تیر', 'مرداد', 'شهریور', 'مهر', 'آبان', 'آذر', 'دی', 'بهمن', 'اسفند'];
const MONTHS_EN = ['Farvardin', 'Ordibehesht', 'Khordad', 'Tir', 'Mordad', 'Shahrivar', 'Mehr', 'Aban', 'Azar', 'Dey', 'Bahman', 'Esfand'];
const SEASONS_FA = ['بهار', 'تابستان', 'پاییز', 'زمستان'];
const SEASONS_EN = ['Spring', 'Summer', 'Autumn', 'Winter'];

/** Today's Jalali year and month in Tehran. */
export function jalaliToday(): { year: number; month: number } {
  const parts = new Intl.DateTimeFormat('en-u-ca-persian-nu-latn', { timeZone: 'Asia/Tehran', year: 'numeric', month: 'numeric' }).formatToParts(new Date());
  return { year: Number(parts.find((p) => p.type === 'year')!.value), month: Number(parts.find((p) => p.type === 'month')!.value) };
}

/** The month before today's (the last finished one): what a report card opens on. */
export function lastFinishedMonth(): { year: number; month: number } {
  const { year, month } = jalaliToday();
  return month === 1 ? { year: year - 1, month: 12 } : { year, month: month - 1 };
}

/** Whether a period has ended (only then can its card be published). */
export function periodFinished(kind: PeriodKind, year: number, part: number): boolean {
  const today = jalaliToday();
  if (year !== today.year) return year < today.year;
  if (kind === 'year') return false;
  return kind === 'quarter' ? part < Math.ceil(today.month / 3) : part < today.month;
}

export function periodKey(kind: PeriodKind, year: number, part: number): string {
  if (kind === 'year') return String(year);
  if (kind === 'quarter') return `${year}-Q${part}`;
  return `${year}-${String(part).padStart(2, '0')}`;
}

export function periodLabel(key: string, lang: 'fa' | 'en'): string {
  const [year, part] = key.split('-');
  const y = lang === 'fa' ? Number(year).toLocaleString('fa-IR', { useGrouping: false }) : year;
  if (!part) return lang === 'fa' ? `سال ${y}` : `Year ${y}`;
  if (part.startsWith('Q')) return `${(lang === 'fa' ? SEASONS_FA : SEASONS_EN)[Number(part.slice(1)) - 1]} ${y}`;
  return `${(lang === 'fa' ? MONTHS_FA : MONTHS_EN)[Number(part) - 1]} ${y}`;
}

export function partOptions(kind: PeriodKind, lang: 'fa' | 'en'): { value: string; label: string }[] {
  if (kind === 'year') return [];
  const names = kind === 'quarter' ? (lang === 'fa' ? SEASONS_FA : SEASONS_EN) : lang === 'fa' ? MONTHS_FA : MONTHS_EN;
  return names.map((label, i) => ({ value: String(i + 1), label }));
}
