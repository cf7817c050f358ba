import { useQuery } from '@tanstack/react-query';
import { api, type MeasureDefinitions, type Measures } from './api.ts';

export type { CardGroup, MeasureDefinitions, Measures, ReportCard } from './api.ts';

export function useMeasureDefinitions() {
  return useQuery({ queryKey: ['measure-definitions'], queryFn: () => api<MeasureDefinitions>('/public/measures'), staleTime: Infinity });
}

/** The columns shown in report-card tables, in reading order. */
export const CARD_COLUMNS: (keyof Measures)[] = [
  'received',
  'verifiedPhone',
  'receivedPer100k',
  'answeredInSlaRate',
  'answerMedianMinutes',
  'answerP90Minutes',
  'breaches',
  'escalations',
  'satisfactionRate',
  'dissatisfactionRate',
  'reopenRate',
  'noRatingRate',
  'score',
  'rank',
];

/** Short column names; the full written definition (GET /public/measures) is shown on hover. */
export const MEASURE_LABELS: Partial<Record<keyof Measures, { fa: string; en: string }>> = {
  received: { fa: 'دریافتی', en: 'Received' },
  verifiedPhone: { fa: 'با تلفن تأییدشده', en: 'Verified phone' },
  receivedPer100k: { fa: 'به ازای ۱۰۰ هزار نفر', en: 'Per 100k people' },
  answeredInSlaRate: { fa: 'پاسخ در مهلت', en: 'Answered in time' },
  answerMedianMinutes: { fa: 'میانهٔ زمان پاسخ', en: 'Median time to answer' },
  answerP90Minutes: { fa: 'صدک ۹۰ زمان پاسخ', en: '90th pct. time to answer' },
  breaches: { fa: 'مهلت‌های گذشته', en: 'Breaches' },
  escalations: { fa: 'ارجاع به بالا', en: 'Escalations' },
  satisfactionRate: { fa: 'رضایت', en: 'Satisfied' },
  dissatisfactionRate: { fa: 'نارضایتی', en: 'Dissatisfied' },
  reopenRate: { fa: 'بازگشایی', en: 'Reopened' },
  noRatingRate: { fa: 'بی‌نظر', en: 'No rating' },
  score: { fa: 'امتیاز', en: 'Score' },
  rank: { fa: 'رتبه', en: 'Rank' },
};

/** A measure as text: rates as percentages, minutes as hours when long, "not enough data" as a dash. */
export function measureText(m: Measures, field: keyof Measures, lang: 'fa' | 'en'): string {
  const value = m[field];
  if (value === null || value === undefined) return '—';
  const locale = lang === 'fa' ? 'fa-IR' : 'en-US';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value;
  if (field.endsWith('Rate')) return `${(value * 100).toLocaleString(locale, { maximumFractionDigits: 1 })}${lang === 'fa' ? '٪' : '%'}`;
  if (field.endsWith('Minutes'))
    return value >= 120
      ? `${(value / 60).toLocaleString(locale, { maximumFractionDigits: 1 })} ${lang === 'fa' ? 'ساعت' : 'h'}`
      : `${Math.round(value).toLocaleString(locale)} ${lang === 'fa' ? 'دقیقه' : 'min'}`;
  if (field === 'rank' && m.peers) return `${value.toLocaleString(locale)} / ${m.peers.toLocaleString(locale)}`;
  return value.toLocaleString(locale, { maximumFractionDigits: 1 });
}
