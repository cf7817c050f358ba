import { Alert, Anchor, Card, Container, Grid, Group, Select, SimpleGrid, Stack, Tabs, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import type { Unit } from '../api.ts';
import { api, query, type Reply } from '../api.ts';
import { CardTable } from '../card-table.tsx';
import { EChart, provinceMapOption } from '../chart.tsx';
import { AgencyPicker, ErrorAlert, useDivisions } from '../components.tsx';
import { FollowUpTable } from '../follow-up-table.tsx';
import { FunnelPlot } from '../funnel-plot.tsx';
import { useI18n } from '../i18n.tsx';
import { IncidentCounts } from '../incident-counts.tsx';
import { type CardGroup, type Measures, measureText, type ReportCard, useMeasureDefinitions } from '../measures.ts';
import { periodLabel } from '../periods.ts';

type Published = Reply<'/api/v1/public/report-cards', 'get'>['items'][number];

/**
 * The transparency portal (no sign-in): published report cards only — national and provincial
 * rankings, the map, each agency's history, and how every number is defined and scored.
 */
export function PortalPage() {
  const { t, lang } = useI18n();
  const published = useQuery({ queryKey: ['published'], queryFn: () => api<{ items: Published[] }>('/public/report-cards').then((r) => r.items) });
  const periods = useMemo(() => {
    const current = (published.data ?? []).filter((p) => p.audience === 'public' && !p.supersededAt);
    return [...new Map(current.map((p) => [p.periodKey, p])).values()].sort((a, b) => b.periodKey.localeCompare(a.periodKey));
  }, [published.data]);
  const [chosen, setChosen] = useState<string | null>(null);
  const period = chosen ?? periods[0]?.periodKey ?? null;
  return (
    <Container size="xl" py="md">
      <Stack gap="md">
        <Title order={1}>{t('کارنامهٔ دستگاه‌ها — شفافیت ۱۲۸', 'Agency report cards — 128 transparency')}</Title>
        <Text>
          {t(
            'کارنامهٔ ماهانه، فصلی و سالانهٔ دستگاه‌های اجرایی در پاسخ به شکایت‌های مردم: بدون اطلاعات شخصی؛ گروه‌های کوچک‌تر از حد نصاب «دادهٔ کافی نیست» نشان داده می‌شوند.',
            'Monthly, seasonal and yearly report cards of government agencies answering citizens’ complaints: no personal data; groups below the minimum size show “not enough data”.',
          )}
        </Text>
        <ErrorAlert error={published.error} />
        {published.data && periods.length === 0 && <Alert color="blue">{t('هنوز کارنامه‌ای منتشر نشده است.', 'No report card has been published yet.')}</Alert>}
        {period && (
          <>
            <Select
              label={t('دوره', 'Period')}
              data={periods.map((p) => ({
                value: p.periodKey,
                label: `${periodLabel(p.periodKey, lang)}${p.version > 1 ? t(` (اصلاحیهٔ ${p.version})`, ` (correction ${p.version})`) : ''}`,
              }))}
              value={period}
              onChange={setChosen}
              allowDeselect={false}
              maw={320}
            />
            <PeriodView period={period} />
          </>
        )}
        <Definitions />
      </Stack>
    </Container>
  );
}

/** The open-data formats in words a citizen reads; the file's own name says the format to a program. */
const OPEN_DATA_FA: Record<string, string> = { json: 'دادهٔ برنامه‌ها', csv: 'جدول متنی', xlsx: 'پروندهٔ اکسل' };

/** The period's national figures at the top of the page. */
function Headlines({ card }: { card: ReportCard | undefined }) {
  const { t, lang } = useI18n();
  const n = card?.national.measures;
  const headline = (label: string, field: keyof Measures) => (
    <Card withBorder>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fz={24} fw={700}>
        {n ? measureText(n, field, lang) : '…'}
      </Text>
    </Card>
  );
  return (
    <SimpleGrid cols={{ base: 2, md: 4 }}>
      {headline(t('شکایت‌های دریافتی', 'Complaints received'), 'received')}
      {headline(t('پاسخ در مهلت', 'Answered in time'), 'answeredInSlaRate')}
      {headline(t('رضایت', 'Satisfied'), 'satisfactionRate')}
      {headline(t('امتیاز کشور', 'National score'), 'score')}
    </SimpleGrid>
  );
}

/** The chart: the provinces coloured by a chosen measure of the period. */
function PortalMap({ period }: { period: string }) {
  const { t, lang } = useI18n();
  const [mapMeasure, setMapMeasure] = useState<string>('score');
  const map = useQuery({
    queryKey: ['public-map', period, mapMeasure],
    queryFn: () => api<{ provinces: { nameFa: string; value: number | null }[] }>(`/public/map/${period}?measure=${mapMeasure}`),
  });
  const mapOption = useMemo(
    () =>
      provinceMapOption(
        (map.data?.provinces ?? []).map((p) => ({ name: p.nameFa, value: p.value })),
        mapMeasure,
        lang,
      ),
    [map.data, mapMeasure, lang],
  );
  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          {t('نقشه', 'Map')}
        </Title>
        <Select
          aria-label={t('سنجه', 'Measure')}
          size="xs"
          data={[
            { value: 'score', label: t('امتیاز', 'Score') },
            { value: 'receivedPer100k', label: t('شکایت به ازای ۱۰۰ هزار نفر', 'Per 100k people') },
            { value: 'answeredInSlaRate', label: t('پاسخ در مهلت', 'Answered in time') },
            { value: 'dissatisfactionRate', label: t('نارضایتی', 'Dissatisfaction') },
          ]}
          value={mapMeasure}
          onChange={(v) => setMapMeasure(v ?? 'score')}
          allowDeselect={false}
        />
      </Group>
      <EChart option={mapOption} height={380} label={t('نقشهٔ استان‌ها', 'Map of provinces')} />
    </Card>
  );
}

/** The tables: the agencies ranked (nationally or in one province) and the provinces, with their funnel plots. */
function RankingTabs(props: { card: ReportCard | undefined; agencies: CardGroup[]; provinceId: string | null; onProvince: (id: string | null) => void }) {
  const { t, lang } = useI18n();
  const { data: provinces = [] } = useDivisions();
  const { card, provinceId } = props;
  return (
    <Tabs defaultValue="national" keepMounted={false}>
      <Tabs.List>
        <Tabs.Tab value="national">{t('رتبه‌بندی دستگاه‌ها', 'Agency ranking')}</Tabs.Tab>
        <Tabs.Tab value="provinces">{t('استان‌ها', 'Provinces')}</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="national" pt="sm">
        <Select
          label={t('استان', 'Province')}
          placeholder={t('همهٔ کشور', 'Whole country')}
          data={provinces.map((p) => ({ value: String(p.id), label: lang === 'fa' ? p.nameFa : p.nameEn }))}
          value={provinceId}
          onChange={props.onProvince}
          clearable
          searchable
          maw={320}
          mb="sm"
        />
        {provinceId === null && (
          <Stack gap="sm" mb="sm">
            <FunnelPlot funnels={card?.funnels ?? []} level="agency" title={t('نمودار قیفی دستگاه‌ها', 'Funnel plot of agencies')} />
          </Stack>
        )}
        <CardTable groups={props.agencies} label={t('رتبه‌بندی دستگاه‌ها', 'Agency ranking')} nameHeader={t('دستگاه', 'Agency')} />
        {provinceId === null && <IncidentCounts counts={card?.incidents} />}
      </Tabs.Panel>
      <Tabs.Panel value="provinces" pt="sm">
        <Stack gap="sm">
          <FunnelPlot funnels={card?.funnels ?? []} level="province" title={t('نمودار قیفی استان‌ها', 'Funnel plot of provinces')} />
          <CardTable groups={card?.provinces ?? []} label={t('استان‌ها', 'Provinces')} nameHeader={t('استان', 'Province')} />
          <FollowUpTable rows={card?.followUp ?? []} />
        </Stack>
      </Tabs.Panel>
    </Tabs>
  );
}

/** The downloads: the period's open data in each format, and the printable page. */
function Downloads({ period }: { period: string }) {
  const { t, lang } = useI18n();
  return (
    <Group gap="md">
      <Text size="sm">{t('دادهٔ باز این دوره:', 'Open data for this period:')}</Text>
      {['json', 'csv', 'xlsx'].map((f) => (
        <Anchor key={f} href={`/api/v1/public/report-cards/${period}?format=${f}`} size="sm">
          {lang === 'fa' ? OPEN_DATA_FA[f] : f.toUpperCase()}
        </Anchor>
      ))}
      <Anchor href={`/api/v1/public/report-cards/${period}?format=html`} size="sm" target="_blank">
        {t('نسخهٔ چاپی', 'Printable')}
      </Anchor>
    </Group>
  );
}

/** One published period: its headline figures, the map, the rankings and the open data. */
function PeriodView({ period }: { period: string }) {
  const [provinceId, setProvinceId] = useState<string | null>(null);
  const card = useQuery({ queryKey: ['public-card', period], queryFn: () => api<ReportCard>(`/public/report-cards/${period}`) });
  const ranking = useQuery({
    queryKey: ['public-ranking', period, provinceId],
    queryFn: () => api<{ agencies: CardGroup[] }>(`/public/rankings/${period}${query({ provinceId })}`),
  });
  return (
    <Stack gap="md">
      <ErrorAlert error={card.error ?? ranking.error} />
      <Headlines card={card.data} />
      <Grid>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <PortalMap period={period} />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <AgencyHistory />
        </Grid.Col>
      </Grid>
      <RankingTabs card={card.data} agencies={ranking.data?.agencies ?? []} provinceId={provinceId} onProvince={setProvinceId} />
      <Downloads period={period} />
    </Stack>
  );
}

/** One agency's published cards over time: score and dissatisfaction as lines. */
function AgencyHistory() {
  const { t, lang } = useI18n();
  const [agency, setAgency] = useState<Unit | null>(null);
  const history = useQuery({
    queryKey: ['agency-history', agency?.id],
    queryFn: () => api<{ items: { period: string; measures: Measures }[] }>(`/public/agencies/${agency!.id}/report-cards?kind=month`).then((r) => r.items),
    enabled: agency !== null,
  });
  const items = [...(history.data ?? [])].sort((a, b) => a.period.localeCompare(b.period));
  const option = {
    tooltip: { trigger: 'axis' },
    legend: { data: [t('امتیاز', 'Score'), t('نارضایتی ٪', 'Dissatisfied %')] },
    xAxis: { type: 'category', data: items.map((i) => periodLabel(i.period, lang)), inverse: lang === 'fa' },
    yAxis: { type: 'value', position: lang === 'fa' ? 'right' : 'left' },
    series: [
      { name: t('امتیاز', 'Score'), type: 'line', data: items.map((i) => i.measures.score) },
      {
        name: t('نارضایتی ٪', 'Dissatisfied %'),
        type: 'line',
        data: items.map((i) => (i.measures.dissatisfactionRate === null ? null : i.measures.dissatisfactionRate * 100)),
      },
    ],
  };
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        {t('سابقهٔ کارنامهٔ یک دستگاه', 'An agency’s record over time')}
      </Title>
      <AgencyPicker value={agency} onChange={setAgency} />
      {agency && history.data && items.length === 0 && <Text c="dimmed">{t('کارنامهٔ منتشرشده‌ای ندارد.', 'No published cards.')}</Text>}
      {items.length > 0 && <EChart option={option} height={300} label={t('نمودار سابقهٔ دستگاه', 'Agency history chart')} />}
    </Card>
  );
}

/**
 * The score formula in Persian words: the API's `scoreFormula` (server/src/reports/measures.ts)
 * is the English reference; keep the two in step when the weights change.
 */
const SCORE_FORMULA_FA =
  'امتیاز = ۱۰۰ × (۰٫۳۵ × نرخ پاسخ در مهلت + ۰٫۳۵ × نرخ رضایت + ۰٫۱۵ × (۱ − نرخ بازگشایی) + ۰٫۱۵ × (۱ − نرخ ارجاع به سطح بالاتر))؛ ' +
  'جزئی که داده ندارد (مثلاً هنوز نظری ثبت نشده) کنار می‌رود و وزن بقیه به همان نسبت بالا می‌رود تا جمعشان ۱ شود؛ ' +
  'برای کمتر از حد نصاب شکایت امتیازی داده نمی‌شود.';

function Definitions() {
  const { t, lang } = useI18n();
  const { data } = useMeasureDefinitions();
  if (!data) return null;
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        {t('تعریف سنجه‌ها و فرمول امتیاز', 'How the numbers are defined and scored')}
      </Title>
      {lang === 'fa' ? (
        <Text size="sm">{SCORE_FORMULA_FA}</Text>
      ) : (
        <Text size="sm" className="pre-wrap" lang="en" dir="ltr" ta="left">
          {data.scoreFormula}
        </Text>
      )}
      <Anchor href="/api/v1/public/measures" size="sm">
        {t('همهٔ تعریف‌ها (پروندهٔ داده برای برنامه‌ها)', 'All definitions (JSON)')}
      </Anchor>
    </Card>
  );
}
