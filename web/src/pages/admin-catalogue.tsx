import { Badge, Button, Card, Checkbox, Grid, NumberInput, Select, Stack, Switch, Table, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Indicator } from '../api.ts';
import { ErrorAlert, useCategories } from '../components.tsx';
import { num } from '../format.ts';
import { useI18n } from '../i18n.tsx';

const PILLARS: Record<Indicator['pillar'], { fa: string; en: string }> = {
  ease: { fa: 'سهولت', en: 'Ease' },
  continuity: { fa: 'استمرار', en: 'Continuity' },
  dignity: { fa: 'تکریم', en: 'Dignity' },
};

/** Complaint categories and the quality indicators they score, under the three pillars. */
export function CatalogueAdmin() {
  const { t, lang } = useI18n();
  const client = useQueryClient();
  const { data, error } = useCategories();
  const refresh = () => client.invalidateQueries({ queryKey: ['categories'] });
  const indicators = data?.indicators ?? [];
  // Closure with evidence: answers of a marked category need a photo from the office.
  const evidence = useMutation({
    mutationFn: (change: { id: number; on: boolean }) => api(`/admin/categories/${change.id}`, { method: 'PATCH', body: { answerNeedsEvidence: change.on } }),
    onSuccess: refresh,
  });
  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 8 }}>
        <ErrorAlert error={error ?? evidence.error} />
        <Title order={2} size="h4" mb="xs">
          {t('شاخص‌های کیفیت', 'Quality indicators')}
        </Title>
        <Table striped mb="lg" aria-label={t('شاخص‌های کیفیت', 'Quality indicators')}>
          <Table.Tbody>
            {indicators.map((i) => (
              <Table.Tr key={i.id}>
                <Table.Td>
                  <Badge variant="light">{PILLARS[i.pillar][lang]}</Badge>
                </Table.Td>
                <Table.Td>{lang === 'fa' ? i.nameFa : i.nameEn}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        <Title order={2} size="h4" mb="xs">
          {t('انواع شکایت', 'Complaint categories')}
        </Title>
        {/* Five columns do not fit a phone: the table scrolls sideways there, so each switch stays whole and tappable. */}
        <Table.ScrollContainer minWidth={640}>
          <Table striped aria-label={t('انواع شکایت', 'Complaint categories')}>
            <Table.Tbody>
              {(data?.items ?? []).map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>{lang === 'fa' ? c.nameFa : c.nameEn}</Table.Td>
                  <Table.Td>{c.urgent && <Badge color="red.9">{t('فوری', 'urgent')}</Badge>}</Table.Td>
                  <Table.Td>{t(`${num(c.answerHours, 'fa')} ساعت`, `${c.answerHours} h`)}</Table.Td>
                  <Table.Td>{indicators.find((i) => i.id === c.indicatorId)?.[lang === 'fa' ? 'nameFa' : 'nameEn']}</Table.Td>
                  <Table.Td>
                    <Switch
                      label={t('پاسخ با مستند', 'Answer needs evidence')}
                      checked={c.answerNeedsEvidence}
                      onChange={(e) => evidence.mutate({ id: c.id, on: e.currentTarget.checked })}
                      disabled={evidence.isPending}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Stack>
          <AddCategory indicators={indicators} onAdded={refresh} />
          <AddIndicator onAdded={refresh} />
        </Stack>
      </Grid.Col>
    </Grid>
  );
}

function AddCategory({ indicators, onAdded }: { indicators: Indicator[]; onAdded(): void }) {
  const { t, lang } = useI18n();
  const [form, setForm] = useState({ code: '', nameFa: '', nameEn: '', descriptionFa: '', indicatorId: null as string | null, urgent: false, answerHours: 72 });
  const add = useMutation({
    mutationFn: () =>
      api('/admin/categories', {
        body: {
          code: form.code.trim(),
          nameFa: form.nameFa.trim(),
          nameEn: form.nameEn.trim(),
          descriptionFa: form.descriptionFa.trim(),
          indicatorId: Number(form.indicatorId),
          urgent: form.urgent,
          answerHours: form.answerHours,
        },
      }),
    onSuccess: onAdded,
  });
  return (
    <Card withBorder>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        <Stack gap="xs">
          <Title order={2} size="h4">
            {t('نوع شکایت تازه', 'New category')}
          </Title>
          <TextInput label={t('کد', 'Code')} value={form.code} onChange={(e) => setForm({ ...form, code: e.currentTarget.value })} required dir="ltr" />
          <TextInput
            label={t('نام فارسی', 'Persian name')}
            value={form.nameFa}
            onChange={(e) => setForm({ ...form, nameFa: e.currentTarget.value })}
            required
          />
          <TextInput
            label={t('نام انگلیسی', 'English name')}
            value={form.nameEn}
            onChange={(e) => setForm({ ...form, nameEn: e.currentTarget.value })}
            required
            dir="ltr"
          />
          <TextInput
            label={t('توضیح برای شهروند', 'Explanation for citizens')}
            value={form.descriptionFa}
            onChange={(e) => setForm({ ...form, descriptionFa: e.currentTarget.value })}
          />
          <Select
            label={t('شاخص کیفیت', 'Quality indicator')}
            data={indicators.map((i) => ({ value: String(i.id), label: lang === 'fa' ? i.nameFa : i.nameEn }))}
            value={form.indicatorId}
            onChange={(v) => setForm({ ...form, indicatorId: v })}
            required
          />
          <Checkbox label={t('فوری', 'Urgent')} checked={form.urgent} onChange={(e) => setForm({ ...form, urgent: e.currentTarget.checked })} />
          <NumberInput
            label={t('مهلت پاسخ (ساعت)', 'Answer within (hours)')}
            value={form.answerHours}
            onChange={(v) => setForm({ ...form, answerHours: Number(v) || 1 })}
            min={1}
          />
          <ErrorAlert error={add.error} />
          <Button type="submit" loading={add.isPending} disabled={!form.indicatorId}>
            {t('افزودن', 'Add')}
          </Button>
        </Stack>
      </form>
    </Card>
  );
}

function AddIndicator({ onAdded }: { onAdded(): void }) {
  const { t, lang } = useI18n();
  const [form, setForm] = useState({ code: '', pillar: 'ease' as Indicator['pillar'], nameFa: '', nameEn: '' });
  const add = useMutation({ mutationFn: () => api('/admin/indicators', { body: form }), onSuccess: onAdded });
  return (
    <Card withBorder>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        <Stack gap="xs">
          <Title order={2} size="h4">
            {t('شاخص تازه', 'New indicator')}
          </Title>
          <TextInput label={t('کد', 'Code')} value={form.code} onChange={(e) => setForm({ ...form, code: e.currentTarget.value })} required dir="ltr" />
          <Select
            label={t('محور', 'Pillar')}
            data={(Object.keys(PILLARS) as Indicator['pillar'][]).map((p) => ({ value: p, label: PILLARS[p][lang] }))}
            value={form.pillar}
            onChange={(v) => setForm({ ...form, pillar: (v as Indicator['pillar']) ?? 'ease' })}
            allowDeselect={false}
          />
          <TextInput
            label={t('نام فارسی', 'Persian name')}
            value={form.nameFa}
            onChange={(e) => setForm({ ...form, nameFa: e.currentTarget.value })}
            required
          />
          <TextInput
            label={t('نام انگلیسی', 'English name')}
            value={form.nameEn}
            onChange={(e) => setForm({ ...form, nameEn: e.currentTarget.value })}
            required
            dir="ltr"
          />
          <ErrorAlert error={add.error} />
          <Button type="submit" loading={add.isPending}>
            {t('افزودن', 'Add')}
          </Button>
        </Stack>
      </form>
    </Card>
  );
}
