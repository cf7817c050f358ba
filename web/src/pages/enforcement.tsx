import { Badge, Button, Card, Container, Grid, Group, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api, type EnforcementAction, type EnforcementRuns, type Staff, type Unit } from '../api.ts';
import { AgencyPicker, ErrorAlert, When } from '../components.tsx';
import { num } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { periodLabel } from '../periods.ts';
import { useStaff } from '../session.tsx';
import { APPEAL_STATUS, Evidence, RuleName } from './enforcement-evidence.tsx';

type Action = EnforcementAction;
type Kind = Action['kind'];

const KIND: Record<Kind, { fa: string; en: string; color: string }> = {
  // Darker than orange.9 (#d9480f, 4.3:1 under white 11 px text): 5.6:1.
  warning: { fa: 'تذکر', en: 'Warning', color: '#b8400c' },
  commendation: { fa: 'تشویق', en: 'Commendation', color: 'teal.9' },
  dismissal: { fa: 'پیشنهاد برکناری', en: 'Dismissal recommendation', color: 'red.9' },
};

/**
 * Enforcement with due process: rules and supervisors propose, the named manager is told and may
 * reply, a supervisor in scope decides with a reason and a link to the evidence, one appeal.
 */
export function EnforcementPage() {
  const { t } = useI18n();
  const { staff } = useStaff();
  const client = useQueryClient();
  const supervisor = staff?.role === 'national_admin' || staff?.role === 'provincial_supervisor' || staff?.role === 'auditor';
  const actions = useQuery({
    queryKey: ['enforcement'],
    queryFn: async () =>
      supervisor ? (await api<{ items: Action[] }>('/enforcement/actions')).items : (await api<{ actions: Action[] }>(`/managers/${staff!.id}/record`)).actions,
    enabled: staff !== null,
  });
  const [selected, setSelected] = useState<number | null>(null);
  const action = actions.data?.find((a) => a.id === selected) ?? null;
  const refresh = () => client.invalidateQueries({ queryKey: ['enforcement'] });
  const evaluate = useMutation({
    mutationFn: () => api('/enforcement/evaluate', { body: {} }),
    onSuccess: () => {
      refresh();
      void client.invalidateQueries({ queryKey: ['enforcement-runs'] });
    },
  });
  return (
    <Container size="xl">
      <Stack gap="md">
        <Group justify="space-between">
          <Title order={1}>{supervisor ? t('اقدام‌های انضباطی و تشویقی', 'Enforcement') : t('سابقهٔ من', 'My record')}</Title>
          {staff?.role === 'national_admin' && (
            <Button onClick={() => evaluate.mutate()} loading={evaluate.isPending}>
              {t('اجرای قاعده‌ها برای ماه گذشته', 'Run the rules for last month')}
            </Button>
          )}
        </Group>
        <ErrorAlert error={actions.error ?? evaluate.error} />
        {staff && nationalScope(staff) && <Runs />}
        <Grid>
          <Grid.Col span={{ base: 12, md: 7 }}>
            <ActionsTable actions={actions.data ?? []} onSelect={setSelected} />
            {actions.data?.length === 0 && <Text c="dimmed">{t('موردی نیست.', 'None.')}</Text>}
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Stack>
              {action && <ActionCard action={action} onChanged={refresh} />}
              {(staff?.role === 'national_admin' || staff?.role === 'provincial_supervisor') && <Propose onDone={refresh} />}
            </Stack>
          </Grid.Col>
        </Grid>
      </Stack>
    </Container>
  );
}

/** The actions, one row each; a row (or the manager's name) opens its card. */
function ActionsTable({ actions, onSelect }: { actions: Action[]; onSelect(id: number): void }) {
  const { t, lang } = useI18n();
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table striped highlightOnHover aria-label={t('اقدام‌ها', 'Actions')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('نوع', 'Kind')}</Table.Th>
            <Table.Th>{t('مدیر', 'Manager')}</Table.Th>
            <Table.Th>{t('واحد', 'Unit')}</Table.Th>
            <Table.Th>{t('دوره', 'Period')}</Table.Th>
            <Table.Th>{t('وضعیت', 'Status')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {actions.map((a) => (
            <Table.Tr key={a.id} onClick={() => onSelect(a.id)} style={{ cursor: 'pointer' }} data-testid="action-row">
              <Table.Td>
                <Badge color={KIND[a.kind].color}>{KIND[a.kind][lang]}</Badge>
              </Table.Td>
              <Table.Td>
                <Button variant="subtle" size="compact-sm" onClick={() => onSelect(a.id)}>
                  {a.managerName}
                </Button>
              </Table.Td>
              <Table.Td>{a.unitName}</Table.Td>
              <Table.Td>{periodLabel(a.period, lang)}</Table.Td>
              <Table.Td>
                {a.status === 'proposed'
                  ? t('پیشنهاد؛ در انتظار تصمیم', 'proposed')
                  : a.status === 'confirmed'
                    ? t('تأیید شد', 'confirmed')
                    : t('کنار گذاشته شد', 'dropped')}
                {a.appealStatus && ` · ${t('تجدیدنظر: ', 'appeal: ')}${APPEAL_STATUS[a.appealStatus]?.[lang] ?? a.appealStatus}`}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The runs list is national (the server refuses anyone else): the national admin, an auditor without a unit or province. */
function nationalScope(staff: Staff): boolean {
  return staff.role === 'national_admin' || (staff.role === 'auditor' && staff.unitId === null && staff.provinceId === null);
}

type Run = EnforcementRuns['items'][number];

const RUN_STATUS: Record<Run['status'], { fa: string; en: string; color: string }> = {
  running: { fa: 'در حال اجرا', en: 'running', color: 'blue.9' },
  done: { fa: 'انجام شد', en: 'done', color: 'teal.9' },
  failed: { fa: 'ناموفق', en: 'failed', color: 'red.9' },
};

/** The rules' monthly schedule: when it next runs, and the last runs (scheduled and by hand) with what they created or why they failed. */
function Runs() {
  const { t, lang } = useI18n();
  const runs = useQuery({ queryKey: ['enforcement-runs'], queryFn: () => api<EnforcementRuns>('/enforcement/runs?limit=12') });
  const schedule = runs.data?.schedule;
  return (
    <Card withBorder data-testid="enforcement-runs">
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('اجرای ماهانهٔ قاعده‌ها', 'Monthly runs of the rules')}
        </Title>
        <ErrorAlert error={runs.error} />
        {schedule && (
          <Text size="sm" data-testid="next-run">
            {schedule.next ? (
              <>
                {t('اجرای بعدی: ', 'Next run: ')}
                <b>{periodLabel(schedule.next.period, lang)}</b>
                {schedule.next.retry ? t(' (تلاش دوباره)', ' (retry)') : ''}
                {new Date(schedule.next.dueAt).getTime() <= Date.now() ? t('، موعدش رسیده است از ', ', due since ') : t('، در ', ', at ')}
                <When iso={schedule.next.dueAt} gregorianOnHover />
                {t(` — ${num(schedule.settleHours, lang)} ساعت پس از پایان ماه به وقت تهران`, ` — ${schedule.settleHours} h after the month ends, Tehran time`)}
              </>
            ) : (
              <>
                {t('اجرای خودکار خاموش است ', 'The schedule is off ')}(
                <span className="ltr" dir="ltr">
                  ENFORCEMENT_SCHEDULE
                </span>
                ).
              </>
            )}
          </Text>
        )}
        <Table.ScrollContainer minWidth={560}>
          <Table striped aria-label={t('اجراهای اخیر قاعده‌ها', 'Recent runs of the rules')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('ماه', 'Month')}</Table.Th>
                <Table.Th>{t('اجرا', 'Run')}</Table.Th>
                <Table.Th>{t('آغاز', 'Started')}</Table.Th>
                <Table.Th>{t('وضعیت', 'Status')}</Table.Th>
                <Table.Th>{t('پیشنهادهای تازه', 'New suggestions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(runs.data?.items ?? []).map((r) => (
                <Table.Tr key={r.id} data-testid="run-row">
                  <Table.Td>{periodLabel(r.period, lang)}</Table.Td>
                  <Table.Td>
                    {r.trigger === 'schedule'
                      ? `${t('خودکار', 'scheduled')}${r.attempt > 1 ? t(` (تلاش ${num(r.attempt, lang)})`, ` (attempt ${r.attempt})`) : ''}`
                      : `${t('دستی', 'by hand')}${r.requestedByName ? ` · ${r.requestedByName}` : ''}`}
                  </Table.Td>
                  <Table.Td>
                    <When iso={r.startedAt} gregorianOnHover />
                  </Table.Td>
                  <Table.Td>
                    <Badge color={RUN_STATUS[r.status].color}>{RUN_STATUS[r.status][lang]}</Badge>
                    {r.error && (
                      <Text size="xs" c="red.9" dir="ltr">
                        {r.error}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{r.created === null ? '—' : num(r.created, lang)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {runs.data?.items.length === 0 && <Text c="dimmed">{t('هنوز اجرایی نبوده است.', 'No runs yet.')}</Text>}
      </Stack>
    </Card>
  );
}

/**
 * The decision form: the manager replies or appeals, a supervisor confirms or drops, the national
 * admin rules on an appeal; each sees only their own buttons.
 */
function DecisionForm({ action, onChanged }: { action: Action; onChanged(): void }) {
  const { t } = useI18n();
  const { staff } = useStaff();
  const [text, setText] = useState('');
  const [evidenceUrl, setEvidenceUrl] = useState(action.evidenceUrl ?? '');
  const run = useMutation({
    mutationFn: ({ path, body }: { path: string; body: object }) => api(`/enforcement/actions/${action.id}/${path}`, { body }),
    onSuccess: () => {
      setText('');
      onChanged();
    },
  });
  const isManager = staff?.id === action.managerId;
  const decider = staff?.role === 'national_admin' || staff?.role === 'provincial_supervisor';
  return (
    <Stack gap="xs" mt="sm">
      <Textarea label={t('متن', 'Text')} value={text} onChange={(e) => setText(e.currentTarget.value)} />
      <Group>
        {isManager && action.status === 'proposed' && !action.reply && (
          <Button size="xs" onClick={() => run.mutate({ path: 'reply', body: { text } })}>
            {t('ثبت پاسخ', 'Reply')}
          </Button>
        )}
        {isManager && action.status === 'confirmed' && !action.appeal && (
          <Button size="xs" color="orange.9" onClick={() => run.mutate({ path: 'appeal', body: { text } })}>
            {t('تجدیدنظرخواهی', 'Appeal')}
          </Button>
        )}
      </Group>
      {decider && action.status === 'proposed' && (
        <>
          <TextInput label={t('پیوند مدرک', 'Evidence link')} value={evidenceUrl} onChange={(e) => setEvidenceUrl(e.currentTarget.value)} dir="ltr" />
          <Group>
            <Button size="xs" onClick={() => run.mutate({ path: 'decision', body: { decision: 'confirm', reason: text, evidenceUrl } })}>
              {t('تأیید', 'Confirm')}
            </Button>
            <Button
              size="xs"
              variant="light"
              color="gray.8"
              onClick={() => run.mutate({ path: 'decision', body: { decision: 'drop', reason: text, evidenceUrl } })}
            >
              {t('کنار گذاشتن', 'Drop')}
            </Button>
          </Group>
        </>
      )}
      {staff?.role === 'national_admin' && action.appealStatus === 'pending' && (
        <Group>
          <Button size="xs" onClick={() => run.mutate({ path: 'appeal-decision', body: { decision: 'uphold', reason: text } })}>
            {t('ابقای تصمیم', 'Uphold')}
          </Button>
          <Button size="xs" variant="light" onClick={() => run.mutate({ path: 'appeal-decision', body: { decision: 'overturn', reason: text } })}>
            {t('لغو تصمیم', 'Overturn')}
          </Button>
        </Group>
      )}
      <ErrorAlert error={run.error} />
      {run.isSuccess && (
        <Text size="sm" c="teal.9" role="status">
          {t('ثبت شد.', 'Saved.')}
        </Text>
      )}
    </Stack>
  );
}

function ActionCard({ action, onChanged }: { action: Action; onChanged(): void }) {
  const { t, lang } = useI18n();
  // On a phone the card sits below the list: bring it into view when a row is picked.
  const card = useRef<HTMLDivElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when another action is picked
  useEffect(() => {
    // A block body: Chromium's scrollIntoView now returns a promise, which React would take for a cleanup.
    card.current?.scrollIntoView?.({ block: 'start' });
  }, [action.id]);
  return (
    <Card withBorder ref={card} data-testid="action-card">
      <Title order={2} size="h4">
        {KIND[action.kind][lang]} — {action.managerName}
      </Title>
      <Text size="sm" c="dimmed">
        {action.unitName} · {periodLabel(action.period, lang)}
        {action.ruleCode && (
          <>
            {' · '}
            <RuleName code={action.ruleCode} />
          </>
        )}
      </Text>
      <Text size="sm" mt="xs">
        {t('مهلت پاسخ مدیر: ', 'Manager may reply until: ')}
        <When iso={action.replyDueAt} gregorianOnHover />
      </Text>
      <Evidence evidence={action.evidence} />
      {action.reply && (
        <Text mt="xs">
          <b>{t('پاسخ مدیر: ', 'Manager’s reply: ')}</b>
          {action.reply}
        </Text>
      )}
      {action.decisionReason && (
        <Text mt="xs">
          <b>{t('دلیل تصمیم: ', 'Decision: ')}</b>
          {action.decisionReason}
        </Text>
      )}
      {action.appeal && (
        <Text mt="xs">
          <b>{t('تجدیدنظرخواهی: ', 'Appeal: ')}</b>
          {action.appeal}
        </Text>
      )}
      <DecisionForm action={action} onChanged={onChanged} />
    </Card>
  );
}

function Propose({ onDone }: { onDone(): void }) {
  const { t, lang } = useI18n();
  const [unit, setUnit] = useState<Unit | null>(null);
  const [kind, setKind] = useState<Kind>('warning');
  const [reason, setReason] = useState('');
  const [evidenceUrl, setEvidenceUrl] = useState('');
  const propose = useMutation({
    mutationFn: () => api('/enforcement/actions', { body: { unitId: unit?.id, kind, reason: reason.trim(), ...(evidenceUrl ? { evidenceUrl } : {}) } }),
    onSuccess: () => {
      setReason('');
      onDone();
    },
  });
  return (
    <Card withBorder>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          propose.mutate();
        }}
      >
        <Stack gap="xs">
          <Title order={2} size="h4">
            {t('پیشنهاد اقدام دربارهٔ مسئول یک واحد', 'Propose an action on a unit’s head')}
          </Title>
          <AgencyPicker label={t('واحد', 'Unit')} value={unit} onChange={setUnit} required />
          <Select
            label={t('نوع', 'Kind')}
            data={(Object.keys(KIND) as Kind[]).map((k) => ({ value: k, label: KIND[k][lang] }))}
            value={kind}
            onChange={(v) => setKind((v as Kind) ?? 'warning')}
            allowDeselect={false}
          />
          <Textarea label={t('دلیل', 'Reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} required minLength={3} />
          <TextInput
            label={t('پیوند مدرک (اختیاری)', 'Evidence link (optional)')}
            value={evidenceUrl}
            onChange={(e) => setEvidenceUrl(e.currentTarget.value)}
            dir="ltr"
          />
          <ErrorAlert error={propose.error} />
          <Button type="submit" loading={propose.isPending} disabled={!unit}>
            {t('ثبت پیشنهاد', 'Propose')}
          </Button>
        </Stack>
      </form>
    </Card>
  );
}
