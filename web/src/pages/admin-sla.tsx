import { Button, Card, FileInput, Grid, Group, NumberInput, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Reply } from '../api.ts';
import { ErrorAlert, useCategories } from '../components.tsx';
import { digits, num } from '../format.ts';
import { useI18n } from '../i18n.tsx';

type Policy = Reply<'/api/v1/admin/sla-policies', 'get'>['items'][number];

function minutesText(minutes: number, lang: 'fa' | 'en'): string {
  if (minutes % 60 === 0) return lang === 'fa' ? `${num(minutes / 60, lang)} ساعت` : `${minutes / 60} h`;
  return lang === 'fa' ? `${num(minutes, lang)} دقیقه` : `${minutes} min`;
}

/** Every SLA policy version, per category. */
function PolicyTable({ policies, categoryName }: { policies: Policy[]; categoryName(id: number | null): React.ReactNode }) {
  const { t, lang } = useI18n();
  return (
    <Table striped aria-label={t('مهلت‌ها', 'SLA policies')}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('نوع شکایت', 'Category')}</Table.Th>
          <Table.Th>{t('نسخه', 'Version')}</Table.Th>
          <Table.Th>{t('ساعت', 'Clock')}</Table.Th>
          <Table.Th>{t('نخستین اقدام', 'First action')}</Table.Th>
          <Table.Th>{t('پاسخ', 'Answer')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {policies.map((p) => (
          <Table.Tr key={p.id}>
            <Table.Td>{categoryName(p.categoryId)}</Table.Td>
            <Table.Td>{num(p.version, lang)}</Table.Td>
            <Table.Td>{p.clock === '24x7' ? t('شبانه‌روزی', '24/7') : t('ساعت اداری', 'Working hours')}</Table.Td>
            <Table.Td>{minutesText(p.firstActionMinutes, lang)}</Table.Td>
            <Table.Td>{minutesText(p.answerMinutes, lang)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** SLA policies: the active version per category (and agency); a change is a new version. */
export function SlaAdmin() {
  const { t } = useI18n();
  const client = useQueryClient();
  const { data: catalogue } = useCategories();
  const policies = useQuery({ queryKey: ['sla-policies'], queryFn: () => api<{ items: Policy[] }>('/admin/sla-policies').then((r) => r.items) });
  const [categoryId, setCategoryId] = useState<string | null>(null);
  const [clock, setClock] = useState<'24x7' | 'business'>('business');
  const [firstAction, setFirstAction] = useState<number>(60);
  const [answer, setAnswer] = useState<number>(180);
  const save = useMutation({
    mutationFn: () =>
      api('/admin/sla-policies', {
        body: { categoryId: categoryId ? Number(categoryId) : null, clock, firstActionMinutes: firstAction, answerMinutes: answer },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['sla-policies'] }),
  });
  const categoryName = (id: number | null) => (id === null ? t('پیش‌فرض همه', 'Default for all') : (catalogue?.items.find((c) => c.id === id)?.nameFa ?? id));
  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 8 }}>
        <ErrorAlert error={policies.error} />
        <PolicyTable policies={policies.data ?? []} categoryName={categoryName} />
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Card withBorder>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              save.mutate();
            }}
          >
            <Stack gap="xs">
              <Title order={2} size="h4">
                {t('نسخهٔ تازهٔ مهلت', 'New policy version')}
              </Title>
              <Select
                label={t('نوع شکایت', 'Category')}
                data={(catalogue?.items ?? []).map((c) => ({ value: String(c.id), label: c.nameFa }))}
                value={categoryId}
                onChange={setCategoryId}
                clearable
                placeholder={t('پیش‌فرض همه', 'Default for all')}
              />
              <Select
                label={t('ساعت', 'Clock')}
                data={[
                  { value: 'business', label: t('ساعت اداری', 'Working hours') },
                  { value: '24x7', label: t('شبانه‌روزی', '24/7') },
                ]}
                value={clock}
                onChange={(v) => setClock((v as typeof clock) ?? 'business')}
                allowDeselect={false}
              />
              <NumberInput
                label={t('نخستین اقدام (دقیقه)', 'First action (minutes)')}
                value={firstAction}
                onChange={(v) => setFirstAction(Number(v) || 1)}
                min={1}
              />
              <NumberInput label={t('پاسخ (دقیقه)', 'Answer (minutes)')} value={answer} onChange={(v) => setAnswer(Number(v) || 1)} min={1} />
              <ErrorAlert error={save.error} />
              <Button type="submit" loading={save.isPending}>
                {t('ثبت نسخهٔ تازه', 'Save as a new version')}
              </Button>
              <Text size="xs" c="dimmed">
                {t('شکایت‌های ثبت‌شده با همان نسخه‌ای که داشتند سنجیده می‌شوند.', 'Complaints already filed keep the version they were filed under.')}
              </Text>
            </Stack>
          </form>
        </Card>
      </Grid.Col>
    </Grid>
  );
}

const HOLIDAY_KIND: Record<string, { fa: string; en: string }> = {
  solar: { fa: 'خورشیدی', en: 'solar' },
  lunar: { fa: 'قمری', en: 'lunar' },
  other: { fa: 'دیگر', en: 'other' },
};

/** Holidays, entered as Jalali dates; lunar holidays move each year, so a year is imported from CSV. */
export function CalendarAdmin() {
  const { t, lang } = useI18n();
  const client = useQueryClient();
  const thisYear = Number(new Intl.DateTimeFormat('en-u-ca-persian', { year: 'numeric', timeZone: 'Asia/Tehran' }).format(new Date()).replace(/\D/g, ''));
  const [year, setYear] = useState(thisYear);
  const [file, setFile] = useState<File | null>(null);
  const holidays = useQuery({
    queryKey: ['holidays', year],
    queryFn: () =>
      api<{ items: { id: number; day: string; jalali: string; nameFa: string; kind: string }[] }>(`/admin/holidays?year=${year}`).then((r) => r.items),
  });
  const upload = useMutation({
    mutationFn: async () => api<{ imported: number }>('/admin/holidays/import', { body: await file!.text(), headers: { 'content-type': 'text/csv' } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['holidays'] }),
  });
  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 8 }}>
        <Group mb="sm">
          <NumberInput
            label={t('سال (هجری خورشیدی)', 'Year (Jalali)')}
            value={year}
            onChange={(v) => setYear(Number(v) || thisYear)}
            min={1390}
            max={1500}
            w={160}
          />
        </Group>
        <ErrorAlert error={holidays.error} />
        <Table striped aria-label={t('تعطیلات', 'Holidays')}>
          <Table.Tbody>
            {(holidays.data ?? []).map((h) => (
              <Table.Tr key={h.id}>
                <Table.Td className="ltr">{digits(h.jalali, lang)}</Table.Td>
                <Table.Td>{h.nameFa}</Table.Td>
                <Table.Td>{HOLIDAY_KIND[h.kind]?.[lang] ?? h.kind}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Card withBorder>
          <Stack gap="xs">
            <Title order={2} size="h4">
              {t('ورود تعطیلات از پرونده', 'Import holidays (CSV)')}
            </Title>
            <Text size="xs" c="dimmed" className="ltr">
              jalali_date,name_fa,kind
            </Text>
            <FileInput label={t('پروندهٔ جدول (با جداکنندهٔ ویرگول)', 'CSV file')} accept=".csv,text/csv" value={file} onChange={setFile} clearable />
            <ErrorAlert error={upload.error} />
            {upload.data && <Text c="teal.9">{t(`${num(upload.data.imported, 'fa')} روز وارد شد.`, `${upload.data.imported} days imported.`)}</Text>}
            <Button onClick={() => upload.mutate()} disabled={!file} loading={upload.isPending}>
              {t('ورود', 'Import')}
            </Button>
          </Stack>
        </Card>
      </Grid.Col>
    </Grid>
  );
}
