import { Card, Group, Select, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { EChart } from './chart.tsx';
import { num } from './format.ts';
import { useI18n } from './i18n.tsx';
import type { ReportCard } from './measures.ts';

export type Funnel = NonNullable<ReportCard['funnels']>[number];
type Flag = Funnel['points'][number]['flag'];

/** The proportion measures a funnel can show, in reading order. */
const FIELDS: { field: Funnel['field']; fa: string; en: string }[] = [
  { field: 'dissatisfactionRate', fa: 'نارضایتی', en: 'Dissatisfaction' },
  { field: 'answeredInSlaRate', fa: 'پاسخ در مهلت', en: 'Answered in time' },
  { field: 'satisfactionRate', fa: 'رضایت', en: 'Satisfaction' },
  { field: 'reopenRate', fa: 'بازگشایی', en: 'Reopened' },
  { field: 'escalationRate', fa: 'ارجاع به سطح بالاتر', en: 'Escalated' },
];

const FLAG_TEXT: Record<Flag, { fa: string; en: string }> = {
  within: { fa: 'درون حدود کنترل', en: 'within the limits' },
  high95: { fa: 'بالاتر از حد ۹۵٪', en: 'above the 95% limit' },
  high998: { fa: 'بالاتر از حد ۹۹٫۸٪', en: 'above the 99.8% limit' },
  low95: { fa: 'پایین‌تر از حد ۹۵٪', en: 'below the 95% limit' },
  low998: { fa: 'پایین‌تر از حد ۹۹٫۸٪', en: 'below the 99.8% limit' },
};

function percent(x: number, lang: 'fa' | 'en'): string {
  return `${(x * 100).toLocaleString(lang === 'fa' ? 'fa-IR' : 'en-US', { maximumFractionDigits: 1 })}${lang === 'fa' ? '٪' : '%'}`;
}

/** Tooltips are HTML: office names are text. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function flagText(flag: Flag, lang: 'fa' | 'en'): string {
  return FLAG_TEXT[flag][lang];
}

/** Worse than the peers beyond the limits: red (99.8%) or orange (95%); better: green; within: blue. */
function colourOf(flag: Flag, higherIsBetter: boolean): string {
  if (flag === 'within') return '#1971c2';
  const bad = flag.startsWith('high') !== higherIsBetter;
  if (!bad) return '#2b8a3e';
  return flag.endsWith('998') ? '#c92a2a' : '#e8590c';
}

type Translate = (fa: string, en: string) => string;

/** The volume axis (logarithmic, right to left in Persian) and the rate axis. */
function funnelAxes(funnel: Funnel, lang: 'fa' | 'en', t: Translate) {
  const max = funnel.curve.at(-1)?.trials ?? 1;
  return {
    xAxis: {
      type: 'log',
      min: 1,
      max: Math.max(10, max),
      inverse: lang === 'fa',
      name: t('حجم (شمار)', 'Volume (count)'),
      nameLocation: 'middle',
      nameGap: 26,
      axisLabel: { formatter: (v: number) => num(v, lang), hideOverlap: true },
    },
    yAxis: {
      type: 'value',
      min: 0,
      max: (v: { max: number }) => Math.min(1, Math.ceil(v.max * 10) / 10),
      position: lang === 'fa' ? 'right' : 'left',
      axisLabel: { formatter: (v: number) => percent(v, lang) },
    },
  };
}

/** The peer mean and the 95% and 99.8% control limits either side of it: series 0 to 4. */
function funnelCurves(funnel: Funnel, t: Translate) {
  const line = (key: 'lower998' | 'lower95' | 'upper95' | 'upper998') => funnel.curve.map((p) => [p.trials, p[key]]);
  const limit = (name: string, data: number[][], dashed: boolean) => ({
    name,
    type: 'line',
    data,
    showSymbol: false,
    silent: true,
    lineStyle: { color: dashed ? '#868e96' : '#495057', width: 1.5, type: dashed ? 'dashed' : 'solid' },
    itemStyle: { color: dashed ? '#868e96' : '#495057' },
  });
  const max = funnel.curve.at(-1)?.trials ?? 1;
  const limit95 = t('حد ۹۵٪', '95% limit');
  const limit998 = t('حد ۹۹٫۸٪', '99.8% limit');
  return [
    {
      name: t('میانگین هم‌ترازها', 'Peer mean'),
      type: 'line',
      data: [
        [1, funnel.peerMean],
        [Math.max(10, max), funnel.peerMean],
      ],
      showSymbol: false,
      silent: true,
      lineStyle: { color: '#212529', width: 1 },
      itemStyle: { color: '#212529' },
    },
    limit(limit95, line('upper95'), false),
    { ...limit(limit95, line('lower95'), false) },
    limit(limit998, line('upper998'), true),
    { ...limit(limit998, line('lower998'), true) },
  ];
}

/** The groups as coloured dots (series 5), and the tooltip that names the one under the pointer. */
function funnelPoints(funnel: Funnel, lang: 'fa' | 'en', t: Translate) {
  return {
    tooltip: {
      trigger: 'item',
      formatter: (p: { seriesIndex: number; dataIndex: number }) => {
        if (p.seriesIndex !== 5) return '';
        const point = funnel.points[p.dataIndex]!;
        const name = escapeHtml(lang === 'fa' ? point.nameFa : point.nameEn || point.nameFa);
        return `${name}<br/>${t('حجم', 'volume')}: ${num(point.trials, lang)} · ${t('نرخ', 'rate')}: ${percent(point.rate, lang)}<br/>${t('نرخ تعدیل‌شده', 'shrunk')}: ${percent(point.shrunk, lang)}<br/>${flagText(point.flag, lang)}`;
      },
    },
    series: {
      name: t('گروه‌ها', 'Groups'),
      type: 'scatter',
      symbolSize: 9,
      data: funnel.points.map((p) => ({ value: [Math.max(1, p.trials), p.rate], itemStyle: { color: colourOf(p.flag, funnel.higherIsBetter) } })),
    },
  };
}

/** The chart's ECharts option: the axes, the curves and the points. */
function funnelOption(funnel: Funnel, lang: 'fa' | 'en', t: Translate) {
  const points = funnelPoints(funnel, lang, t);
  return {
    animation: false,
    grid: { top: 16, bottom: 84, left: 56, right: 64 },
    // Under the plot, where a phone has the width for it (at the top it covered the curves).
    legend: {
      bottom: 0,
      itemWidth: 18,
      itemGap: 12,
      textStyle: { fontSize: 11 },
      data: [t('میانگین هم‌ترازها', 'Peer mean'), t('حد ۹۵٪', '95% limit'), t('حد ۹۹٫۸٪', '99.8% limit')],
    },
    tooltip: points.tooltip,
    ...funnelAxes(funnel, lang, t),
    series: [...funnelCurves(funnel, t), points.series],
  };
}

/** The measure to plot and, where there are several, the peer group. */
function FunnelControls(props: {
  fields: typeof FIELDS;
  chosenField: Funnel['field'];
  onField: (field: Funnel['field']) => void;
  groups: Funnel[];
  funnel: Funnel;
  onGroup: (peerKey: string | null) => void;
}) {
  const { t, lang } = useI18n();
  const { fields, chosenField, groups, funnel } = props;
  return (
    <Group gap="xs">
      <Select
        aria-label={t('سنجه', 'Measure')}
        size="xs"
        w={170}
        data={fields.map((f) => ({ value: f.field, label: lang === 'fa' ? f.fa : f.en }))}
        value={chosenField}
        onChange={(v) => v && props.onField(v as Funnel['field'])}
        allowDeselect={false}
      />
      {groups.length > 1 && (
        <Select
          aria-label={t('گروه هم‌تراز', 'Peer group')}
          size="xs"
          w={170}
          data={groups.map((g, i) => ({
            value: g.peerKey,
            label: t(`گروه ${num(i + 1, lang)} (${num(g.points.length, lang)} واحد)`, `group ${i + 1} (${g.points.length} units)`),
          }))}
          value={funnel.peerKey}
          onChange={props.onGroup}
          allowDeselect={false}
        />
      )}
    </Group>
  );
}

/**
 * A funnel plot (Spiegelhalter 2005): each group's volume across, its rate up, and the 95% and
 * 99.8% control limits around the peer mean, which narrow as volume grows. Every number comes
 * from the API (the card's `funnels`): the page does no statistics.
 */
export function FunnelPlot({ funnels, level, title }: { funnels: Funnel[]; level: string; title: string }) {
  const { t, lang } = useI18n();
  const mine = funnels.filter((f) => f.level === level);
  const fields = FIELDS.filter((f) => mine.some((m) => m.field === f.field));
  const [field, setField] = useState<Funnel['field']>('dissatisfactionRate');
  const chosenField = fields.some((f) => f.field === field) ? field : (fields[0]?.field ?? field);
  // Offices have one peer group per organisation, kind and size band: the biggest group first.
  const groups = mine.filter((f) => f.field === chosenField).sort((a, b) => b.points.length - a.points.length || a.peerKey.localeCompare(b.peerKey));
  const [groupKey, setGroupKey] = useState<string | null>(null);
  const funnel = groups.find((g) => g.peerKey === groupKey) ?? groups[0];
  const pct = (x: number) => percent(x, lang);
  const option = useMemo(() => (funnel ? funnelOption(funnel, lang, t) : {}), [funnel, lang, t]);
  if (!funnel) return null;
  const outside = funnel.points.filter((p) => p.flag !== 'within').length;
  return (
    <Card withBorder data-testid="funnel-plot">
      <Group justify="space-between" mb="xs" gap="xs">
        <Title order={2} size="h5">
          {title}
        </Title>
        <FunnelControls fields={fields} chosenField={chosenField} onField={setField} groups={groups} funnel={funnel} onGroup={setGroupKey} />
      </Group>
      {/* SVG text inherits the page's right-to-left direction, which flips ECharts' anchors (labels ran over the icons and axis). */}
      <div dir="ltr">
        <EChart option={option} height={340} label={t('نمودار قیفی', 'Funnel plot')} />
      </div>
      <Text size="xs" c="dimmed" mt="xs">
        {t(
          `میانگین هم‌ترازها ${pct(funnel.peerMean)}؛ ${num(outside, lang)} از ${num(funnel.points.length, lang)} بیرون از حد ۹۵٪. هرچه حجم کمتر، نوسان تصادفی بیشتر و حدها بازتر.`,
          `Peer mean ${pct(funnel.peerMean)}; ${outside} of ${funnel.points.length} outside the 95% limit. The smaller the volume, the more chance variation and the wider the limits.`,
        )}
      </Text>
    </Card>
  );
}
