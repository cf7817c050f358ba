import { Anchor, Badge, Button, Card, Container, Grid, Group, Select, Stack, Tabs, Text, Textarea, TextInput, Timeline, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { api, type ComplaintDetail, type Role, type Status, type Unit } from '../api.ts';
import { AgencyPicker, Countdown, ErrorAlert, PlacePicker, placeOfUnit, StatusBadge, useCategories, When } from '../components.tsx';
import { CHANNEL_NAMES, digits, EVENT_NAMES, nameOf, num } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { useStaff } from '../session.tsx';
import { TriageSuggestionCard } from '../triage.tsx';
import { AttachmentList } from './attachments.tsx';
import { CaseFacts } from './case-links.tsx';

type Action = 'assign' | 'start' | 'note' | 'answer' | 'transfer' | 'reject' | 'escalate' | 'refer';

const LEADERS: Role[] = ['inspection_head', 'leader_senior', 'leader_middle', 'leader_county'];
/** Who may set or correct the employee a complaint names (the server decides; the field itself comes only to those who may read it). */
const EMPLOYEE_EDITORS: Role[] = ['national_admin', 'provincial_supervisor', 'operator'];
const AGENCY: Role[] = [...LEADERS, 'responder'];
/** Which actions to offer (the server decides; this only hides buttons that would certainly fail). */
const OFFER: Record<Action, { roles: Role[]; from: Status[] }> = {
  refer: { roles: ['national_admin', 'provincial_supervisor', 'operator'], from: ['received'] },
  assign: { roles: LEADERS, from: ['referred', 'assigned', 'in_progress'] },
  start: { roles: [...LEADERS, 'responder'], from: ['assigned'] },
  note: { roles: ['national_admin', 'provincial_supervisor', 'operator', ...AGENCY], from: ['received', 'referred', 'assigned', 'in_progress', 'answered'] },
  answer: { roles: [...LEADERS, 'responder'], from: ['referred', 'assigned', 'in_progress'] },
  transfer: {
    roles: ['national_admin', 'provincial_supervisor', 'inspection_head', 'leader_senior', 'leader_middle'],
    from: ['referred', 'assigned', 'in_progress'],
  },
  reject: {
    roles: ['national_admin', 'provincial_supervisor', 'inspection_head', 'leader_senior', 'leader_middle', 'operator'],
    from: ['received', 'referred', 'assigned', 'in_progress'],
  },
  escalate: { roles: ['national_admin', 'provincial_supervisor'], from: ['referred', 'assigned', 'in_progress'] },
};

/** One complaint as staff work on it: the facts, the clock, the actions, the hash-chained timeline. */
export function ComplaintPage() {
  const { id } = useParams();
  const { t, lang } = useI18n();
  const { staff } = useStaff();
  const detail = useQuery({ queryKey: ['complaint', id], queryFn: () => api<ComplaintDetail>(`/complaints/${id}`), refetchInterval: 30_000 });
  if (detail.error) return <ErrorAlert error={detail.error} />;
  const c = detail.data;
  if (!c || !staff) return null;
  const open = ['received', 'referred', 'assigned', 'in_progress'].includes(c.status);
  const actions = (Object.keys(OFFER) as Action[]).filter((a) => OFFER[a].roles.includes(staff.role) && OFFER[a].from.includes(c.status));
  return (
    <Container size="xl">
      <Stack gap="md">
        <Group justify="space-between" align="start">
          <div>
            <Text size="sm" c="dimmed">
              {t('کد رهگیری', 'Tracking code')}
            </Text>
            <Title order={1} className="ltr" data-testid="detail-code">
              {digits(c.trackingCode, lang)}
            </Title>
          </div>
          <Group>
            <StatusBadge status={c.status} />
            <Countdown dueAt={c.dueAt} createdAt={c.createdAt} open={open} />
          </Group>
        </Group>
        <Grid>
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Stack gap="md">
              <Card withBorder>
                <Stack gap={6}>
                  <Group gap="xs">
                    {c.urgent && <Badge color="red.9">{t('فوری', 'urgent')}</Badge>}
                    {c.confidential && <Badge color="dark">{t('محرمانه', 'confidential')}</Badge>}
                    <Badge variant="outline" color="gray.7">
                      {nameOf(CHANNEL_NAMES, c.channel, lang)}
                    </Badge>
                    {c.escalationCount > 0 && (
                      <Badge color="orange.9">
                        {t('ارجاع به بالا: ', 'escalations: ')}
                        {c.escalationCount}
                      </Badge>
                    )}
                    {c.dissatisfiedCount > 0 && (
                      <Badge color="grape.9">
                        {t('نارضایتی: ', 'dissatisfied: ')}
                        {num(c.dissatisfiedCount, lang)}
                      </Badge>
                    )}
                  </Group>
                  <CaseFacts c={c} />
                  <Text>
                    <b>{t('دستگاه: ', 'Agency: ')}</b>
                    {c.agency?.nameFa ?? c.officeText ?? '—'}
                  </Text>
                  <Text>
                    <b>{t('واحد رسیدگی: ', 'Handled by: ')}</b>
                    {c.unit?.nameFa ?? t('صف بررسی ۱۲۸', '128 triage')}
                  </Text>
                  <Text>
                    <b>{t('مکان: ', 'Place: ')}</b>
                    {[c.provinceNameFa, c.countyNameFa].filter(Boolean).join('، ') || '—'}
                    {c.country !== 'IR' && ` (${c.country})`}
                  </Text>
                  <Text>
                    <b>{t('نوع: ', 'Category: ')}</b>
                    {c.categoryNameFa ?? '—'}
                  </Text>
                  <Text>
                    <b>{t('کارشناس: ', 'Assignee: ')}</b>
                    {c.assigneeName ?? '—'}
                  </Text>
                  {c.namedEmployee !== undefined && (
                    <Text data-testid="named-employee">
                      <b>{t('کارمند نام‌برده: ', 'Named employee: ')}</b>
                      {c.namedEmployee ?? '—'}
                    </Text>
                  )}
                  <Text size="sm">
                    <b>{t('ثبت: ', 'Filed: ')}</b>
                    <When iso={c.createdAt} gregorianOnHover />
                    {c.dueAt && open && (
                      <>
                        {' · '}
                        <b>{t('مهلت: ', 'Due: ')}</b>
                        <When iso={c.dueAt} gregorianOnHover />
                      </>
                    )}
                  </Text>
                  {c.location && (
                    <Text size="sm">
                      <b>{t('مکان روی نقشه: ', 'Location: ')}</b>
                      <span className="ltr">
                        {c.location.lat}, {c.location.lng}
                      </span>{' '}
                      {c.location.text}
                    </Text>
                  )}
                </Stack>
              </Card>
              <Card withBorder>
                <Title order={2} size="h4" mb="xs">
                  {t('شرح شکایت', 'Description')}
                </Title>
                <Text className="pre-wrap">{c.description}</Text>
              </Card>
              {c.answer && (
                <Card withBorder style={{ borderColor: 'var(--mantine-color-teal-6)' }}>
                  <Title order={2} size="h4" mb="xs">
                    {t('پاسخ', 'Answer')}
                  </Title>
                  <Text className="pre-wrap">{c.answer}</Text>
                </Card>
              )}
              <AttachmentList complaintId={c.id} canUpload={staff.role !== 'auditor'} />
              <ContactCard complaintId={c.id} confidential={c.confidential} role={staff.role} />
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Stack gap="md">
              {actions.length > 0 && <ActionsCard complaint={c} actions={actions} />}
              {EMPLOYEE_EDITORS.includes(staff.role) && c.namedEmployee !== undefined && <NamedEmployeeCard complaint={c} />}
              <Card withBorder>
                <Title order={2} size="h4" mb="sm">
                  {t('روند رسیدگی', 'Timeline')}
                </Title>
                <Timeline bulletSize={14} lineWidth={2} active={c.timeline.length}>
                  {c.timeline.map((e) => (
                    <Timeline.Item key={e.seq} title={nameOf(EVENT_NAMES, e.type, lang)} data-event={e.type}>
                      <EventText data={e.data} />
                      <Text size="xs" c="dimmed">
                        {e.actorName ?? (e.actorKind === 'citizen' ? t('شهروند', 'citizen') : e.actorKind === 'system' ? t('سامانه', 'system') : '')}
                        {' · '}
                        <When iso={e.createdAt} gregorianOnHover />
                      </Text>
                    </Timeline.Item>
                  ))}
                </Timeline>
              </Card>
            </Stack>
          </Grid.Col>
        </Grid>
      </Stack>
    </Container>
  );
}

function EventText({ data }: { data: unknown }) {
  const d = (data ?? {}) as Record<string, unknown>;
  const text = [d.text, d.reason, d.comment].find((v) => typeof v === 'string' && v) as string | undefined;
  return text ? (
    <Text size="sm" className="pre-wrap">
      {text}
    </Text>
  ) : null;
}

/**
 * Sets or corrects the employee a complaint names (the 128 centre and supervisors). A correction
 * or clearing needs a reason; the change is an event in the complaint's chain.
 */
function NamedEmployeeCard({ complaint }: { complaint: ComplaintDetail }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const current = complaint.namedEmployee ?? null;
  const [name, setName] = useState(current ?? '');
  const [reason, setReason] = useState('');
  const save = useMutation({
    mutationFn: (namedEmployee: string | null) =>
      api<ComplaintDetail>(`/complaints/${complaint.id}/named-employee`, {
        method: 'PUT',
        body: { namedEmployee, ...(reason.trim() ? { reason: reason.trim() } : {}) },
      }),
    onSuccess: (updated) => {
      setReason('');
      setName(updated.namedEmployee ?? '');
      client.setQueryData(['complaint', complaint.id], updated);
    },
  });
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        {t('کارمند نام‌برده', 'Named employee')}
      </Title>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate(name.trim() || null);
        }}
      >
        <Stack gap="sm">
          <TextInput
            label={t('نام یا سمت کارمند', 'Name or position of the employee')}
            description={t(
              'فقط بازرسان و ناظران می‌بینند؛ برای شناسایی تکرار شکایت از یک نفر.',
              'Seen only by inspectors and supervisors; used to spot repeated complaints about one person.',
            )}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            maxLength={120}
          />
          {current !== null && (
            <TextInput
              label={t('دلیل اصلاح (در سابقه ثبت می‌شود)', 'Reason for the correction (recorded in the history)')}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
              required
              minLength={3}
            />
          )}
          <Button type="submit" variant="light" loading={save.isPending} disabled={(name.trim() || null) === current}>
            {name.trim() ? t('ثبت', 'Save') : t('پاک کردن', 'Clear')}
          </Button>
          <ErrorAlert error={save.error} />
        </Stack>
      </form>
    </Card>
  );
}

/** The complainant's contact data: every read is audited, so it is fetched only on request, with a purpose. */
function ContactCard({ complaintId, confidential, role }: { complaintId: string; confidential: boolean; role: Role }) {
  const { t } = useI18n();
  const [purpose, setPurpose] = useState('');
  const read = useMutation({
    mutationFn: () =>
      api<{ phone: string; name: string | null; nationalId: string | null }>(
        `/complaints/${complaintId}/contact?purpose=${encodeURIComponent(purpose.trim())}`,
      ),
  });
  if (role === 'auditor') return null;
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        {t('اطلاعات تماس شاکی', 'Complainant’s contact')}
      </Title>
      {read.data ? (
        <Stack gap={4}>
          <Text className="ltr">{read.data.phone}</Text>
          {read.data.name && <Text>{read.data.name}</Text>}
        </Stack>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            read.mutate();
          }}
        >
          <Group align="end">
            <TextInput
              label={t('به چه منظور؟ (در سابقه ثبت می‌شود)', 'Purpose (recorded in the history)')}
              value={purpose}
              onChange={(e) => setPurpose(e.currentTarget.value)}
              style={{ flex: 1 }}
              required
              minLength={3}
            />
            <Button type="submit" variant="light" loading={read.isPending}>
              {t('نمایش', 'Show')}
            </Button>
          </Group>
          {confidential && (
            <Text size="xs" c="dimmed" mt={4}>
              {t('شاکی خواسته هویتش از دستگاه پنهان بماند.', 'The complainant asked to stay anonymous to the agency.')}
            </Text>
          )}
        </form>
      )}
      <ErrorAlert error={read.error} />
    </Card>
  );
}

function ActionsCard({ complaint, actions }: { complaint: ComplaintDetail; actions: Action[] }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const [tab, setTab] = useState<string | null>(actions[0] ?? null);
  const [text, setText] = useState('');
  const [assigneeId, setAssigneeId] = useState<string | null>(null);
  const [unit, setUnit] = useState<Unit | null>(null);
  const [categoryId, setCategoryId] = useState<string | null>(null);
  const [place, setPlace] = useState<{ provinceId: number | null; countyId: number | null }>({
    provinceId: complaint.provinceId,
    countyId: complaint.countyId,
  });
  const { data: catalogue } = useCategories();
  const assignees = useQuery({
    queryKey: ['assignees', complaint.id],
    queryFn: () => api<{ items: { id: number; displayName: string; role: Role; unitNameFa: string }[] }>(`/complaints/${complaint.id}/assignees`),
    enabled: actions.includes('assign'),
  });
  const act = useMutation({
    mutationFn: (action: Action) => {
      const body: Record<string, unknown> = { action };
      if (action === 'assign') body.assigneeId = Number(assigneeId);
      if (action === 'note' || action === 'answer') body.text = text.trim();
      if (action === 'transfer') Object.assign(body, { toUnitId: unit?.id, reason: text.trim() });
      if (action === 'reject' || action === 'escalate') body.reason = text.trim();
      if (action === 'refer')
        Object.assign(body, {
          agencyId: unit?.id,
          ...(categoryId ? { categoryId: Number(categoryId) } : {}),
          ...(place.countyId ? { countyId: place.countyId } : place.provinceId ? { provinceId: place.provinceId } : {}),
        });
      return api<ComplaintDetail>(`/complaints/${complaint.id}/actions`, { body });
    },
    onSuccess: (updated) => {
      setText('');
      client.setQueryData(['complaint', complaint.id], updated);
      void client.invalidateQueries({ queryKey: ['complaints'] });
    },
  });
  const names: Record<Action, string> = {
    assign: t('واگذاری', 'Assign'),
    start: t('شروع رسیدگی', 'Start'),
    note: t('یادداشت', 'Note'),
    answer: t('پاسخ', 'Answer'),
    transfer: t('انتقال', 'Transfer'),
    reject: t('رد', 'Reject'),
    escalate: t('ارجاع به بالا', 'Escalate'),
    refer: t('ارجاع', 'Refer'),
  };
  const submit = (action: Action) => (e: React.FormEvent) => {
    e.preventDefault();
    act.mutate(action);
  };
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        {t('اقدام', 'Act')}
      </Title>
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          {actions.map((a) => (
            <Tabs.Tab key={a} value={a}>
              {names[a]}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Stack gap="sm" mt="sm">
          <Tabs.Panel value="assign">
            <form onSubmit={submit('assign')}>
              <Stack gap="sm">
                <Select
                  label={t('کارشناس', 'Assignee')}
                  data={(assignees.data?.items ?? []).map((s) => ({ value: String(s.id), label: `${s.displayName} — ${s.unitNameFa}` }))}
                  value={assigneeId}
                  onChange={setAssigneeId}
                  searchable
                  required
                />
                <Button type="submit" loading={act.isPending} disabled={!assigneeId}>
                  {names.assign}
                </Button>
              </Stack>
            </form>
          </Tabs.Panel>
          <Tabs.Panel value="start">
            <form onSubmit={submit('start')}>
              <Button type="submit" loading={act.isPending}>
                {names.start}
              </Button>
            </form>
          </Tabs.Panel>
          {(['note', 'answer', 'reject', 'escalate'] as const).map((a) => (
            <Tabs.Panel value={a} key={a}>
              <form onSubmit={submit(a)}>
                <Stack gap="sm">
                  <Textarea
                    label={
                      a === 'answer'
                        ? t('متن پاسخ به شهروند', 'Answer to the citizen')
                        : a === 'note'
                          ? t('یادداشت (برای کارکنان)', 'Note (staff only)')
                          : t('دلیل', 'Reason')
                    }
                    value={text}
                    onChange={(e) => setText(e.currentTarget.value)}
                    required
                    minLength={a === 'answer' ? 10 : a === 'note' ? 1 : 3}
                    autosize
                    minRows={3}
                  />
                  <Button type="submit" loading={act.isPending} color={a === 'reject' ? 'red.9' : undefined}>
                    {names[a]}
                  </Button>
                </Stack>
              </form>
            </Tabs.Panel>
          ))}
          <Tabs.Panel value="transfer">
            <form onSubmit={submit('transfer')}>
              <Stack gap="sm">
                <AgencyPicker label={t('واحد مقصد', 'To unit')} value={unit} onChange={setUnit} required />
                <Textarea label={t('دلیل', 'Reason')} value={text} onChange={(e) => setText(e.currentTarget.value)} required minLength={3} />
                <Button type="submit" loading={act.isPending} disabled={!unit}>
                  {names.transfer}
                </Button>
              </Stack>
            </form>
          </Tabs.Panel>
          <Tabs.Panel value="refer">
            <form onSubmit={submit('refer')}>
              <Stack gap="sm">
                <TriageSuggestionCard
                  complaintId={complaint.id}
                  onAccept={(choice) => {
                    setUnit(choice.unit);
                    const implied = placeOfUnit(choice.unit, place);
                    if (implied) setPlace(implied);
                    if (choice.categoryId !== null) setCategoryId(String(choice.categoryId));
                  }}
                />
                <AgencyPicker
                  value={unit}
                  onChange={(picked) => {
                    setUnit(picked);
                    const implied = placeOfUnit(picked, place);
                    if (implied) setPlace(implied);
                  }}
                  provinceId={place.provinceId}
                  countyId={place.countyId}
                  required
                />
                <Select
                  label={t('نوع شکایت', 'Category')}
                  data={(catalogue?.items ?? []).map((c) => ({ value: String(c.id), label: c.nameFa }))}
                  value={categoryId}
                  onChange={setCategoryId}
                />
                <PlacePicker provinceId={place.provinceId} countyId={place.countyId} onChange={setPlace} />
                <Button type="submit" loading={act.isPending} disabled={!unit}>
                  {names.refer}
                </Button>
              </Stack>
            </form>
          </Tabs.Panel>
          <ErrorAlert error={act.error} />
          {act.isSuccess && (
            <Text c="teal.9" role="status">
              {t('انجام شد.', 'Done.')}
            </Text>
          )}
        </Stack>
      </Tabs>
      <Anchor href={`/api/v1/complaints/${complaint.id}/verify`} size="xs" target="_blank" mt="sm" display="block">
        {t('بررسی زنجیرهٔ رویدادها', 'Verify the event chain')}
      </Anchor>
    </Card>
  );
}
