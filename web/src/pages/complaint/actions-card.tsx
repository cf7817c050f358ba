import { Alert, Button, Card, Checkbox, Select, Stack, Tabs, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { type Attachment, api, type ComplaintDetail, type Role, type Unit } from '../../api.ts';
import { AgencyPicker, ErrorAlert, PlacePicker, placeOfUnit, useCategories } from '../../components.tsx';
import { num } from '../../format.ts';
import { useI18n } from '../../i18n.tsx';
import { TriageSuggestionCard } from '../../triage.tsx';

/** The lifecycle actions of POST /complaints/{id}/actions; which of them this reader may take comes with the complaint. */
type Action = 'assign' | 'start' | 'note' | 'answer' | 'transfer' | 'reject' | 'escalate' | 'refer';
const LIFECYCLE: readonly string[] = ['refer', 'assign', 'start', 'note', 'answer', 'transfer', 'reject', 'escalate'] satisfies Action[];

export function isLifecycleAction(action: ComplaintDetail['actions'][number]): action is Action {
  return LIFECYCLE.includes(action);
}

export function ActionsCard({ complaint, actions, onDone }: { complaint: ComplaintDetail; actions: Action[]; onDone(what: string): void }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const [tab, setTab] = useState<string | null>(actions[0] ?? null);
  // An action done changes what may follow (a started complaint cannot be started again): stay on an offered tab.
  useEffect(() => {
    if (!tab || !actions.includes(tab as Action)) setTab(actions[0] ?? null);
  }, [actions, tab]);
  const [text, setText] = useState('');
  const [assigneeId, setAssigneeId] = useState<string | null>(null);
  const [unit, setUnit] = useState<Unit | null>(null);
  const [categoryId, setCategoryId] = useState<string | null>(null);
  const [place, setPlace] = useState<{ provinceId: number | null; countyId: number | null }>({
    provinceId: complaint.provinceId,
    countyId: complaint.countyId,
  });
  const { data: catalogue } = useCategories();
  // Closure with evidence: the office's own uploads this answer may carry (required for some categories).
  const [evidenceIds, setEvidenceIds] = useState<string[]>([]);
  const attachments = useQuery({
    queryKey: ['attachments', complaint.id],
    queryFn: () => api<Attachment[]>(`/complaints/${complaint.id}/attachments`),
    enabled: actions.includes('answer'),
  });
  const staffFiles = (attachments.data ?? []).filter((a) => a.source === 'staff');
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
      if (action === 'answer' && evidenceIds.length) body.evidenceIds = evidenceIds;
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
    onSuccess: (updated, action) => {
      setText('');
      onDone(names[action]);
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
                  {a === 'answer' && staffFiles.length > 0 && (
                    <Checkbox.Group
                      label={t('مستند پاسخ (پیوست‌های دستگاه)', 'Evidence for the answer (the office’s attachments)')}
                      value={evidenceIds}
                      onChange={setEvidenceIds}
                    >
                      <Stack gap={4} mt={4}>
                        {staffFiles.map((f, i) => (
                          <Checkbox key={f.id} value={f.id} label={t(`پیوست ${num(i + 1, 'fa')}`, `Attachment ${i + 1}`)} data-testid="evidence-choice" />
                        ))}
                      </Stack>
                    </Checkbox.Group>
                  )}
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
        </Stack>
      </Tabs>
    </Card>
  );
}

/** What was just done, said where the keyboard's focus (and a screen reader) goes after the form is sent. */
export function DoneNote({ text }: { text: string }) {
  const { t } = useI18n();
  const note = useRef<HTMLDivElement>(null);
  useEffect(() => note.current?.focus(), []);
  return (
    <Alert ref={note} tabIndex={-1} color="teal" role="status" data-testid="action-done" title={t('انجام شد', 'Done')}>
      {text}
    </Alert>
  );
}
