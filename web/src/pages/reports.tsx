import { Alert, Anchor, Button, Card, Container, Group, NumberInput, Select, Stack, Table, Tabs, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api.ts';
import { CardTable } from '../card-table.tsx';
import { ErrorAlert, When } from '../components.tsx';
import { FollowUpTable } from '../follow-up-table.tsx';
import { num } from '../format.ts';
import { FunnelPlot } from '../funnel-plot.tsx';
import { useI18n } from '../i18n.tsx';
import { IncidentCounts } from '../incident-counts.tsx';
import type { ReportCard } from '../measures.ts';
import { jalaliToday, lastFinishedMonth, type PeriodKind, partOptions, periodFinished, periodKey, periodLabel } from '../periods.ts';
import { useStaff } from '../session.tsx';

/** The card's scope as the server names it ('national', 'province:14', 'unit:7'), in words. */
function scopeName(scope: string, lang: 'fa' | 'en'): string {
  if (scope === 'national') return lang === 'fa' ? 'سراسر کشور' : 'national';
  if (scope.startsWith('province:')) return lang === 'fa' ? 'استان شما' : 'your province';
  if (scope.startsWith('unit:')) return lang === 'fa' ? 'دستگاه شما و زیرمجموعه‌ها' : 'your unit and below';
  return scope;
}

/** The period picker (month, season or year) and the card's downloads for that period. */
function PeriodPicker(props: {
  kind: PeriodKind;
  onKind: (kind: PeriodKind) => void;
  year: number;
  onYear: (year: number) => void;
  part: string;
  onPart: (part: string) => void;
  period: string;
}) {
  const { t, lang } = useI18n();
  const { kind, year, period } = props;
  return (
    <Group align="end">
      <Select
        label={t('دوره', 'Period')}
        data={[
          { value: 'month', label: t('ماه', 'Month') },
          { value: 'quarter', label: t('فصل', 'Season') },
          { value: 'year', label: t('سال', 'Year') },
        ]}
        value={kind}
        onChange={(v) => props.onKind((v as PeriodKind) ?? 'month')}
        allowDeselect={false}
        w={120}
      />
      <NumberInput label={t('سال', 'Year')} value={year} onChange={(v) => props.onYear(Number(v) || jalaliToday().year)} min={1390} max={1500} w={110} />
      {kind !== 'year' && (
        <Select
          label={kind === 'month' ? t('ماه', 'Month') : t('فصل', 'Season')}
          data={partOptions(kind, lang)}
          value={props.part}
          onChange={(v) => props.onPart(v ?? '1')}
          allowDeselect={false}
          w={150}
        />
      )}
      <Group gap="xs" pb={6}>
        {['csv', 'xlsx', 'json'].map((f) => (
          <Anchor key={f} href={`/api/v1/reports/cards/${period}?format=${f}`} size="sm">
            <span className="ltr" dir="ltr">
              {f.toUpperCase()}
            </span>
          </Anchor>
        ))}
        <Anchor href={`/api/v1/reports/cards/${period}?format=html`} target="_blank" size="sm">
          {t('نسخهٔ چاپی', 'Printable')}
        </Anchor>
      </Group>
    </Group>
  );
}

/** The accountability tab: the actions confirmed in the period and the field-inspection findings. */
function AccountabilityPanel({ c }: { c: ReportCard }) {
  const { t } = useI18n();
  return (
    <>
      <Title order={2} size="h4" mb="xs">
        {t('اقدام‌های تأییدشده در این دوره', 'Actions confirmed in this period')}
      </Title>
      <Table aria-label={t('اقدام‌ها', 'Actions')} mb="md">
        <Table.Tbody>
          {(c.enforcement ?? []).map((e) => (
            <Table.Tr key={`${e.unitId}-${e.managerId}-${e.kind}`}>
              <Table.Td>{e.unitNameFa}</Table.Td>
              <Table.Td>{e.managerName}</Table.Td>
              <Table.Td>
                {e.kind === 'warning' ? t('تذکر', 'warning') : e.kind === 'commendation' ? t('تشویق', 'commendation') : t('پیشنهاد برکناری', 'dismissal')}
              </Table.Td>
              <Table.Td>{e.count}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Title order={2} size="h4" mb="xs">
        {t('یافته‌های بازرسی میدانی (۰ تا ۱۰۰)', 'Field-inspection findings (0–100)')}
      </Title>
      <Table aria-label={t('یافته‌های بازرسی', 'Inspection findings')}>
        <Table.Tbody>
          {(c.inspections ?? []).map((f) => (
            <Table.Tr key={`${f.unitId}-${f.indicatorId}`}>
              <Table.Td>{f.unitNameFa}</Table.Td>
              <Table.Td>{f.indicatorCode}</Table.Td>
              <Table.Td>{f.averageScore}</Table.Td>
              <Table.Td>{f.inspections}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </>
  );
}

/** The card's tables, one tab per level: organisations, organisations by province, provinces, units, managers, accountability. */
function CardTabs({ c }: { c: ReportCard }) {
  const { t } = useI18n();
  return (
    <Tabs defaultValue="agencies" keepMounted={false}>
      <Tabs.List>
        <Tabs.Tab value="agencies">{t('سازمان‌ها', 'Organisations')}</Tabs.Tab>
        <Tabs.Tab value="agencyProvinces">{t('سازمان‌ها در استان', 'In each province')}</Tabs.Tab>
        <Tabs.Tab value="provinces">{t('استان‌ها', 'Provinces')}</Tabs.Tab>
        <Tabs.Tab value="units">{t('واحدها', 'Units')}</Tabs.Tab>
        <Tabs.Tab value="managers">{t('مدیران', 'Managers')}</Tabs.Tab>
        <Tabs.Tab value="accountability">{t('اقدام‌ها و بازرسی‌ها', 'Actions and inspections')}</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="agencies" pt="sm">
        <Stack gap="sm">
          <FunnelPlot funnels={c.funnels ?? []} level="agency" title={t('نمودار قیفی سازمان‌ها', 'Funnel plot of organisations')} />
          <CardTable groups={[c.national, ...c.agencies]} label={t('سازمان‌ها', 'Organisations')} nameHeader={t('سازمان', 'Organisation')} />
          <IncidentCounts counts={c.incidents} />
        </Stack>
      </Tabs.Panel>
      {/* Drill-down: each organisation in each province (its provincial directorate's level); the offices are under Units. */}
      <Tabs.Panel value="agencyProvinces" pt="sm">
        <CardTable
          groups={c.agencyProvinces}
          label={t('سازمان‌ها در استان', 'Organisations in each province')}
          nameHeader={t('سازمان — استان', 'Organisation — province')}
        />
      </Tabs.Panel>
      <Tabs.Panel value="provinces" pt="sm">
        <Stack gap="sm">
          <FunnelPlot funnels={c.funnels ?? []} level="province" title={t('نمودار قیفی استان‌ها', 'Funnel plot of provinces')} />
          <CardTable groups={c.provinces} label={t('استان‌ها', 'Provinces')} nameHeader={t('استان', 'Province')} />
        </Stack>
      </Tabs.Panel>
      <Tabs.Panel value="units" pt="sm">
        <Stack gap="sm">
          <FunnelPlot funnels={c.funnels ?? []} level="unit" title={t('نمودار قیفی واحدها در میان هم‌ترازها', 'Funnel plot of units among their peers')} />
          <CardTable groups={c.units ?? []} label={t('واحدها', 'Units')} nameHeader={t('واحد', 'Unit')} />
          <FollowUpTable rows={c.followUp ?? []} />
        </Stack>
      </Tabs.Panel>
      <Tabs.Panel value="managers" pt="sm">
        <CardTable groups={c.managers ?? []} label={t('مدیران', 'Managers')} nameHeader={t('مدیر', 'Manager')} />
      </Tabs.Panel>
      <Tabs.Panel value="accountability" pt="sm">
        <AccountabilityPanel c={c} />
      </Tabs.Panel>
    </Tabs>
  );
}

/** Report cards for officials: a Jalali month, season or year, inside the viewer's scope; export; publish (national centre). */
export function ReportsPage() {
  const { t, lang } = useI18n();
  const { staff } = useStaff();
  // The last finished month: the current one is still filling up and cannot be published yet.
  const opening = lastFinishedMonth();
  const [kind, setKind] = useState<PeriodKind>('month');
  const [year, setYear] = useState(opening.year);
  const [part, setPart] = useState(String(opening.month));
  const effectivePart = kind === 'quarter' ? String(Math.min(4, Number(part))) : part;
  const period = periodKey(kind, year, Number(effectivePart));
  const card = useQuery({ queryKey: ['card', period], queryFn: () => api<ReportCard>(`/reports/cards/${period}`), retry: false });
  const c = card.data;
  return (
    <Container size="xl">
      <Stack gap="md">
        <Title order={1}>{t('کارنامه‌ها', 'Report cards')}</Title>
        <PeriodPicker kind={kind} onKind={setKind} year={year} onYear={setYear} part={effectivePart} onPart={setPart} period={period} />
        <ErrorAlert error={card.error} />
        {c && (
          <Text size="sm" c="dimmed">
            {periodLabel(period, lang)} · {t('حوزه: ', 'scope: ')}
            {scopeName(c.scope, lang)} · {t('حد نصاب: ', 'minimum: ')}
            {num(c.minComplaints, lang)} · {t('ساخته‌شده: ', 'generated: ')}
            <When iso={c.generatedAt} gregorianOnHover />
          </Text>
        )}
        {c && <CardTabs c={c} />}
        {staff?.role === 'national_admin' && <Publishing period={period} finished={periodFinished(kind, year, Number(effectivePart))} />}
      </Stack>
    </Container>
  );
}

/** Publishing freezes a version; a correction is a new version with a note, the old one kept. */
function Publishing({ period, finished }: { period: string; finished: boolean }) {
  const { t, lang } = useI18n();
  const client = useQueryClient();
  const [note, setNote] = useState('');
  const versions = useQuery({
    queryKey: ['versions', period],
    queryFn: () =>
      api<{ items: { id: number; audience: string; version: number; note: string; publishedAt: string; supersededAt: string | null }[] }>(
        `/admin/report-cards/${period}/versions`,
      ).then((r) => r.items),
  });
  const publish = useMutation({
    mutationFn: () => api(`/admin/report-cards/${period}/publish`, { body: note.trim() ? { note: note.trim() } : {} }),
    onSuccess: () => {
      setNote('');
      void client.invalidateQueries({ queryKey: ['versions', period] });
    },
  });
  const hasVersions = (versions.data ?? []).length > 0;
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        {t('انتشار', 'Publishing')}
      </Title>
      {hasVersions ? (
        <Table aria-label={t('نسخه‌های منتشرشده', 'Published versions')} mb="sm">
          <Table.Tbody>
            {versions.data!.map((v) => (
              <Table.Tr key={v.id}>
                <Table.Td>{v.audience === 'public' ? t('عمومی', 'public') : t('رسمی', 'official')}</Table.Td>
                <Table.Td>{t(`نسخهٔ ${num(v.version, lang)}`, `v${v.version}`)}</Table.Td>
                <Table.Td>{v.note}</Table.Td>
                <Table.Td>
                  <When iso={v.publishedAt} gregorianOnHover />
                </Table.Td>
                <Table.Td>{v.supersededAt ? t('جایگزین شده', 'superseded') : t('جاری', 'current')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Alert color="blue" mb="sm">
          {t('این دوره هنوز منتشر نشده است.', 'This period is not published yet.')}
        </Alert>
      )}
      <Stack gap="xs">
        {hasVersions && (
          <Textarea label={t('یادداشت اصلاحیه (الزامی)', 'Correction note (required)')} value={note} onChange={(e) => setNote(e.currentTarget.value)} />
        )}
        <ErrorAlert error={publish.error} />
        {finished ? (
          <Button onClick={() => publish.mutate()} loading={publish.isPending} disabled={hasVersions && note.trim().length < 3} w="fit-content">
            {hasVersions ? t('انتشار اصلاحیه', 'Publish a correction') : t('انتشار و ثبت نسخه', 'Publish and freeze')}
          </Button>
        ) : (
          <Text size="sm" c="dimmed">
            {t('این دوره هنوز تمام نشده است؛ کارنامه پس از پایان دوره منتشر می‌شود.', 'This period is not over yet; its card is published after it ends.')}
          </Text>
        )}
      </Stack>
    </Card>
  );
}
