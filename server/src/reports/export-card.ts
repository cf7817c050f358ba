import ExcelJS from 'exceljs';
import type { Entry, ReportCard } from './build-report-card.ts';
import type { Measures } from './measures.ts';

/** The measure columns of an export, in order. */
const MEASURE_FIELDS: (keyof Measures)[] = [
  'enoughData',
  'received',
  'verifiedPhone',
  'receivedPer100k',
  'receivedPer1000Services',
  'servicesDelivered',
  'sizeBand',
  'open',
  'answered',
  'answeredInSlaRate',
  'firstActionMedianMinutes',
  'firstActionP90Minutes',
  'answerMedianMinutes',
  'answerP90Minutes',
  'breaches',
  'escalations',
  'escalationRate',
  'satisfactionRate',
  'dissatisfactionRate',
  'reopenRate',
  'noRatingRate',
  'score',
  'rank',
  'peers',
];
/** A unit's satisfaction follow-up calls, as the card shows them (issue 15): blank on other levels and on units with none. */
const FOLLOW_UP_HEADER = ['follow_up_sampled', 'follow_up_reached_satisfied', 'follow_up_reached_not_satisfied', 'follow_up_not_reachable'];
const HEADER = [
  'period',
  'level',
  'id',
  'name_fa',
  'name_en',
  'province_id',
  'agency_id',
  'unit_kind',
  ...MEASURE_FIELDS,
  'province_rank',
  ...FOLLOW_UP_HEADER,
];

type Cell = string | number | boolean | null;

/** Every entry of a card as one flat row (national, provinces, agencies, agencies × provinces, units, managers). */
export function cardRows(card: ReportCard): Cell[][] {
  const entries: Entry[] = [card.national, ...card.provinces, ...card.agencies, ...card.agencyProvinces, ...card.units, ...card.managers];
  // Cards published before the calls existed have no followUp.
  const calls = new Map((card.followUp ?? []).map((t) => [t.unitId, t]));
  const followUp = (e: Entry): Cell[] => {
    const t = e.level === 'unit' ? calls.get(e.id) : undefined;
    return t ? [t.sampled, t.reachedSatisfied, t.reachedNotSatisfied, t.notReachable] : FOLLOW_UP_HEADER.map(() => null);
  };
  return entries.map((e) => [
    card.period.key,
    e.level,
    e.id,
    e.nameFa,
    e.nameEn,
    e.provinceId,
    e.agencyId,
    e.unitKind,
    ...MEASURE_FIELDS.map((f) => e.measures[f]),
    e.provinceRank?.rank ?? null,
    ...followUp(e),
  ]);
}

function csvCell(value: Cell): string {
  if (value === null) return '';
  const text = String(value);
  // Quote anything with a separator, and neutralise spreadsheet formulas (CSV injection).
  const safe = /^[=+\-@]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** CSV (UTF-8 with a BOM so spreadsheet programs read Persian right). */
export function cardCsv(card: ReportCard): string {
  return `\uFEFF${[HEADER, ...cardRows(card)].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** An XLSX workbook: the card on one right-to-left sheet, the indicators on another. */
export async function cardXlsx(card: ReportCard): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Foad 128';
  const sheet = workbook.addWorksheet(card.period.key, { views: [{ rightToLeft: true, state: 'frozen', ySplit: 1 }] });
  sheet.addRow(HEADER).font = { bold: true };
  for (const row of cardRows(card)) sheet.addRow(row);
  const indicators = workbook.addWorksheet('indicators', { views: [{ rightToLeft: true }] });
  indicators.addRow(['code', 'pillar', 'name_fa', 'name_en', 'weight', 'received', 'rated', 'satisfaction_rate', 'answered_in_sla_rate', 'score']).font = {
    bold: true,
  };
  for (const i of card.indicators)
    indicators.addRow([i.code, i.pillar, i.nameFa, i.nameEn, i.weight, i.received, i.rated, i.satisfactionRate, i.answeredInSlaRate, i.score]);
  for (const p of card.pillars) indicators.addRow([`pillar:${p.pillar}`, p.pillar, '', '', '', '', p.rated, '', '', p.score]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The printed card is in Persian: pillar codes become the pillars' names. */
const PILLAR_FA: Record<string, string> = { ease: 'سهولت', continuity: 'استمرار', dignity: 'تکریم' };

const faDigits = (text: string) => text.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!);

function show(value: number | null, kind: 'rate' | 'number' | 'minutes'): string {
  if (value === null) return '—';
  if (kind === 'rate') return faDigits(`${(value * 100).toFixed(1)}٪`);
  if (kind === 'minutes') return faDigits(value >= 120 ? `${(value / 60).toFixed(1)} ساعت` : `${Math.round(value)} دقیقه`);
  return faDigits(String(value));
}

/** The rank's 95% interval beside it («به احتمال زیاد ۲ تا ۷»): the league tables of league-card.ts. */
function rankInterval(e: Entry): string {
  const l = e.league;
  if (!l || e.measures.rank === null || l.rankLow === l.rankHigh) return '';
  return `<br><small>به احتمال زیاد ${faDigits(String(l.rankLow))} تا ${faDigits(String(l.rankHigh))}</small>`;
}

function table(title: string, entries: Entry[]): string {
  if (!entries.length) return '';
  const rows = entries
    .map(
      (e) => `<tr><td>${escapeHtml(e.nameFa)}</td><td>${e.measures.enoughData ? '' : 'دادهٔ کافی نیست'}${show(e.measures.received, 'number')}</td>
<td>${show(e.measures.verifiedPhone ?? null, 'number')}</td><td>${show(e.measures.answeredInSlaRate, 'rate')}</td><td>${show(e.measures.answerMedianMinutes, 'minutes')}</td><td>${show(e.measures.answerP90Minutes, 'minutes')}</td>
<td>${show(e.measures.satisfactionRate, 'rate')}</td><td>${show(e.measures.reopenRate, 'rate')}</td><td>${show(e.measures.escalationRate, 'rate')}</td>
<td>${show(e.measures.score, 'number')}</td><td>${show(e.measures.rank, 'number')}${rankInterval(e)}</td></tr>`,
    )
    .join('\n');
  return `<h2>${escapeHtml(title)}</h2><table><thead><tr><th>نام</th><th>شکایت</th><th>با تلفن تأییدشده</th><th>پاسخ در مهلت</th><th>میانهٔ زمان پاسخ</th><th>صدک ۹۰</th>
<th>رضایت</th><th>بازگشایی</th><th>ارجاع به بالا</th><th>امتیاز</th><th>رتبه</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** A printable right-to-left HTML page (A4, Vazirmatn if installed, tables that break across pages cleanly). */
export function cardHtml(card: ReportCard, version: number | null = null): string {
  const title = `کارنامهٔ ${card.period.labelFa}${card.audience === 'official' ? ' (برای مسئولان)' : ''}`;
  return `<!doctype html>
<html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
@page { size: A4; margin: 14mm; }
body { font-family: Vazirmatn, Tahoma, sans-serif; font-size: 11pt; color: #111; }
h1 { font-size: 16pt; } h2 { font-size: 13pt; margin-top: 18pt; break-after: avoid; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #999; padding: 3pt 5pt; text-align: right; }
thead { display: table-header-group; } tr { break-inside: avoid; } .meta { color: #555; font-size: 9pt; }
</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p class="meta">سامانهٔ فوریت‌های اداری ۱۲۸ · ${card.audience === 'public' ? 'نسخهٔ عمومی' : 'نسخهٔ رسمی'}${version ? ` · ویرایش ${faDigits(String(version))}` : ''} ·
گروه‌های کمتر از ${faDigits(String(card.minComplaints))} شکایت: «دادهٔ کافی نیست» ·
رتبه بر پایهٔ نرخ‌های تعدیل‌شده (بیز تجربی) در میان هم‌ترازها؛ «به احتمال زیاد» بازهٔ ۹۵٪ رتبه است</p>
${table('کل', [card.national])}
${table('استان‌ها', card.provinces)}
${table('دستگاه‌ها', card.agencies)}
${table('دستگاه‌ها در استان‌ها', card.agencyProvinces)}
${table('واحدها', card.units)}
${table('مسئولان', card.managers)}
<h2>شاخص‌های کیفیت</h2><table><thead><tr><th>شاخص</th><th>رکن</th><th>شکایت</th><th>رضایت</th><th>امتیاز</th></tr></thead><tbody>
${card.indicators.map((i) => `<tr><td>${escapeHtml(i.nameFa)}</td><td>${escapeHtml(PILLAR_FA[i.pillar] ?? i.pillar)}</td><td>${show(i.received, 'number')}</td><td>${show(i.satisfactionRate, 'rate')}</td><td>${show(i.score, 'number')}</td></tr>`).join('\n')}
</tbody></table>
</body></html>`;
}
