import { Badge, Button, Card, Container, FileInput, Grid, Group, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Inspection } from '../api.ts';
import { ErrorAlert, useCategories, When } from '../components.tsx';
import { asciiDigits, num } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { useStaff } from '../session.tsx';

/** Field inspections: the provincial group dispatches; the inspector files scores per indicator with photos from the phone. */
export function InspectionsPage() {
  const { t } = useI18n();
  const { staff } = useStaff();
  const client = useQueryClient();
  const list = useQuery({ queryKey: ['inspections'], queryFn: () => api<{ items: Inspection[] }>('/inspections').then((r) => r.items) });
  const [selected, setSelected] = useState<number | null>(null);
  const inspection = list.data?.find((i) => i.id === selected) ?? null;
  const refresh = () => client.invalidateQueries({ queryKey: ['inspections'] });
  const dispatcher = staff?.role === 'national_admin' || staff?.role === 'provincial_supervisor';
  return (
    <Container size="xl">
      <Stack gap="md">
        <Title order={1}>{t('بازرسی‌های میدانی', 'Field inspections')}</Title>
        <ErrorAlert error={list.error} />
        <Grid>
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Table.ScrollContainer minWidth={560}>
              <Table striped highlightOnHover aria-label={t('بازرسی‌ها', 'Inspections')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('اداره', 'Office')}</Table.Th>
                    <Table.Th>{t('بازرس', 'Inspector')}</Table.Th>
                    <Table.Th>{t('علت', 'Reason')}</Table.Th>
                    <Table.Th>{t('وضعیت', 'Status')}</Table.Th>
                    <Table.Th>{t('اعزام', 'Dispatched')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {(list.data ?? []).map((i) => (
                    <Table.Tr key={i.id} data-testid="inspection-row" onClick={() => setSelected(i.id)} style={{ cursor: 'pointer' }}>
                      <Table.Td>
                        <Button variant="subtle" size="compact-sm" onClick={() => setSelected(i.id)}>
                          {i.unitName}
                        </Button>
                      </Table.Td>
                      <Table.Td>{i.inspectorName}</Table.Td>
                      <Table.Td>{i.reason === 'cluster' ? t('خوشهٔ شکایت', 'complaint cluster') : t('تصادفی', 'random')}</Table.Td>
                      <Table.Td>
                        <Badge color={i.status === 'filed' ? 'teal.9' : 'blue.9'}>
                          {i.status === 'filed' ? t('گزارش شد', 'filed') : t('اعزام شد', 'dispatched')}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <When iso={i.dispatchedAt} gregorianOnHover />
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            {list.data?.length === 0 && <Text c="dimmed">{t('بازرسی‌ای نیست.', 'No inspections.')}</Text>}
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Stack>
              {inspection && <InspectionCard inspection={inspection} onChanged={refresh} />}
              {dispatcher && <Dispatch onDone={refresh} />}
            </Stack>
          </Grid.Col>
        </Grid>
      </Stack>
    </Container>
  );
}

/** The findings filed so far: each indicator's score and notes. */
function FindingsTable({ inspection }: { inspection: Inspection }) {
  const { t, lang } = useI18n();
  const { data: catalogue } = useCategories();
  return (
    <Table mt="xs" aria-label={t('یافته‌ها', 'Findings')}>
      <Table.Tbody>
        {inspection.findings.map((f) => (
          <Table.Tr key={f.indicatorId}>
            <Table.Td>
              {catalogue?.indicators.find((i) => i.id === f.indicatorId)?.[lang === 'fa' ? 'nameFa' : 'nameEn'] ?? (
                <span className="ltr" dir="ltr">
                  {f.indicatorCode}
                </span>
              )}
            </Table.Td>
            <Table.Td>{num(f.score, lang)}</Table.Td>
            <Table.Td>{f.notes}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** A photo from the site, taken with the phone's camera and uploaded on its own. */
function PhotoUpload({ inspection, onChanged }: { inspection: Inspection; onChanged(): void }) {
  const { t } = useI18n();
  const [photo, setPhoto] = useState<File | null>(null);
  const upload = useMutation({
    // Multipart like every upload (uploads.ts): the server takes the type from the bytes and
    // re-encodes the photo. A raw Blob body was sent by api() as JSON "{}" and refused (415).
    mutationFn: async () => {
      const form = new FormData();
      form.append('file', photo!, photo!.name || 'photo.jpg');
      return api(`/inspections/${inspection.id}/photos`, { body: form });
    },
    onSuccess: () => {
      setPhoto(null);
      onChanged();
    },
  });
  return (
    <>
      <Group align="end" wrap="wrap">
        <FileInput
          label={t('عکس از محل', 'Photo from the site')}
          accept="image/*"
          capture="environment"
          value={photo}
          onChange={setPhoto}
          style={{ flex: 1, minWidth: 0 }}
        />
        <Button onClick={() => upload.mutate()} disabled={!photo} loading={upload.isPending} variant="light">
          {t('بارگذاری', 'Upload')}
        </Button>
      </Group>
      <ErrorAlert error={upload.error} />
    </>
  );
}

/** The inspector's form: photos, a score and notes per active indicator, and a summary. */
function FindingsForm({ inspection, onChanged }: { inspection: Inspection; onChanged(): void }) {
  const { t, lang } = useI18n();
  const { data: catalogue } = useCategories();
  const [scores, setScores] = useState<Record<number, number>>({});
  const [notes, setNotes] = useState<Record<number, string>>({});
  const [summary, setSummary] = useState('');
  const file = useMutation({
    mutationFn: () =>
      api(`/inspections/${inspection.id}/findings`, {
        body: {
          visitedAt: new Date().toISOString(),
          ...(summary.trim() ? { summary: summary.trim() } : {}),
          findings: (catalogue?.indicators ?? [])
            .filter((i) => i.active)
            .map((i) => ({ indicatorId: i.id, score: scores[i.id] ?? 50, ...(notes[i.id] ? { notes: notes[i.id] } : {}) })),
        },
      }),
    onSuccess: onChanged,
  });
  return (
    <Stack gap="xs" mt="sm">
      <PhotoUpload inspection={inspection} onChanged={onChanged} />
      {(catalogue?.indicators ?? [])
        .filter((i) => i.active)
        .map((i) => (
          <Group key={i.id} align="end" wrap="wrap">
            <ScoreInput label={lang === 'fa' ? i.nameFa : i.nameEn} value={scores[i.id] ?? 50} onChange={(v) => setScores({ ...scores, [i.id]: v })} />
            <TextInput
              aria-label={t('یادداشت', 'Notes')}
              placeholder={t('یادداشت', 'Notes')}
              value={notes[i.id] ?? ''}
              onChange={(e) => setNotes({ ...notes, [i.id]: e.currentTarget.value })}
              style={{ flex: 1, minWidth: 160 }}
            />
          </Group>
        ))}
      <Textarea label={t('خلاصه', 'Summary')} value={summary} onChange={(e) => setSummary(e.currentTarget.value)} />
      <ErrorAlert error={file.error} />
      <Button onClick={() => file.mutate()} loading={file.isPending}>
        {t('ثبت یافته‌ها', 'File the findings')}
      </Button>
    </Stack>
  );
}

function InspectionCard({ inspection, onChanged }: { inspection: Inspection; onChanged(): void }) {
  const { t, lang } = useI18n();
  const { staff } = useStaff();
  const mine = staff?.id === inspection.inspectorId && inspection.status === 'dispatched';
  return (
    <Card withBorder>
      <Title order={2} size="h4">
        {inspection.unitName}
      </Title>
      <Text size="sm" c="dimmed">
        {inspection.inspectorName} ·{' '}
        {inspection.reason === 'random' ? (
          <>
            {t('بذر قرعه: ', 'seed: ')}
            <span className="ltr" dir="ltr">
              {inspection.randomSeed}
            </span>
          </>
        ) : (
          `${num(inspection.complaintIds.length, lang)} ${t('شکایت', 'complaints')}`
        )}
      </Text>
      {inspection.findings.length > 0 && <FindingsTable inspection={inspection} />}
      <Text size="sm" mt="xs">
        {t('عکس‌ها: ', 'Photos: ')}
        {num(inspection.photos.length, lang)}
      </Text>
      {mine && <FindingsForm inspection={inspection} onChanged={onChanged} />}
    </Card>
  );
}

/**
 * A 0–100 score typed on a phone. A Persian keyboard types Persian digits, which a numeric input
 * drops (a score of «۲۰» was saved as 0): a text input with the numeric keypad, read with
 * asciiDigits and kept within 0–100, shown in the reader's digits.
 */
function ScoreInput({ label, value, onChange }: { label: string; value: number; onChange(value: number): void }) {
  const { lang } = useI18n();
  const [text, setText] = useState(num(value, lang));
  return (
    <TextInput
      label={label}
      inputMode="numeric"
      value={text}
      onChange={(e) => {
        const typed = e.currentTarget.value;
        const digitsOnly = asciiDigits(typed)
          .replace(/[^0-9]/g, '')
          .slice(0, 3);
        setText(typed === '' ? '' : num(Number(digitsOnly || '0'), lang));
        onChange(Math.min(100, Number(digitsOnly || '0')));
      }}
      onBlur={() => setText(num(value, lang))}
      w={{ base: '100%', xs: 220 }}
    />
  );
}

function Dispatch({ onDone }: { onDone(): void }) {
  const { t } = useI18n();
  const { staff } = useStaff();
  const [codes, setCodes] = useState('');
  const [seed, setSeed] = useState('');
  const [inspectorId, setInspectorId] = useState<string | null>(staff ? String(staff.id) : null);
  // The people this dispatcher may send, picked by name (the server checks the same rule again).
  const inspectors = useQuery({
    queryKey: ['inspectors'],
    queryFn: () => api<{ items: { id: number; displayName: string }[] }>('/inspections/inspectors').then((r) => r.items),
  });
  // One code a line (or separated by commas): a code may itself contain spaces, in any digits; the server reads every spelling.
  const typedCodes = codes
    .split(/[\n,،]+/)
    .map((line) => line.trim())
    .filter(Boolean);
  const dispatch = useMutation({
    mutationFn: (reason: 'cluster' | 'random') =>
      api('/inspections', {
        body:
          reason === 'cluster'
            ? { reason, trackingCodes: typedCodes, inspectorId: Number(inspectorId) }
            : { reason, inspectorId: Number(inspectorId), ...(seed.trim() ? { seed: seed.trim() } : {}) },
      }),
    onSuccess: onDone,
  });
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('اعزام بازرس', 'Dispatch an inspector')}
        </Title>
        <Select
          label={t('بازرس', 'Inspector')}
          placeholder={t('نام بازرس را بنویسید', 'Type the inspector’s name')}
          searchable
          nothingFoundMessage={t('کسی با این نام پیدا نشد', 'Nobody by that name')}
          data={(inspectors.data ?? []).map((i) => ({ value: String(i.id), label: i.displayName }))}
          // Until the names arrive, typing would be overwritten by the chosen name once they do.
          disabled={inspectors.isPending}
          value={inspectorId}
          onChange={setInspectorId}
        />
        <Textarea
          label={t('کد رهگیری شکایت‌های خوشه (هر خط یکی)', 'Tracking codes of the cluster (one per line)')}
          value={codes}
          onChange={(e) => setCodes(e.currentTarget.value)}
          autosize
          minRows={3}
          dir="ltr"
        />
        <Button onClick={() => dispatch.mutate('cluster')} disabled={!typedCodes.length || !inspectorId} loading={dispatch.isPending}>
          {t('اعزام برای این خوشه', 'Dispatch for this cluster')}
        </Button>
        <TextInput label={t('بذر قرعه (اختیاری)', 'Draw seed (optional)')} value={seed} onChange={(e) => setSeed(e.currentTarget.value)} dir="ltr" />
        <Button variant="light" onClick={() => dispatch.mutate('random')} loading={dispatch.isPending}>
          {t('اعزام به اداره‌ای به قرعه', 'Dispatch to an office drawn at random')}
        </Button>
        <ErrorAlert error={dispatch.error} />
      </Stack>
    </Card>
  );
}
