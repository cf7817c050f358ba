import { Alert, Button, Card, Stack, Tabs, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { type Attachment, api, type ComplaintDetail } from '../../api.ts';
import { ErrorAlert, useCategories } from '../../components.tsx';
import { useI18n } from '../../i18n.tsx';
import { type Assignee, AssignForm, type Draft, ReferForm, TextActionForm, TransferForm, useDraft } from './action-forms.tsx';

/** The lifecycle actions of POST /complaints/{id}/actions; which of them this reader may take comes with the complaint. */
type Action = 'assign' | 'start' | 'note' | 'answer' | 'transfer' | 'reject' | 'escalate' | 'refer';
const LIFECYCLE: readonly string[] = ['refer', 'assign', 'start', 'note', 'answer', 'transfer', 'reject', 'escalate'] satisfies Action[];

export function isLifecycleAction(action: ComplaintDetail['actions'][number]): action is Action {
  return LIFECYCLE.includes(action);
}

/** The request body of one action, from the draft. */
function bodyOf(action: Action, { text, assigneeId, unit, categoryId, place, evidenceIds }: Draft): Record<string, unknown> {
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
  return body;
}

function useActionNames(): Record<Action, string> {
  const { t } = useI18n();
  return {
    assign: t('واگذاری', 'Assign'),
    start: t('شروع رسیدگی', 'Start'),
    note: t('یادداشت', 'Note'),
    answer: t('پاسخ', 'Answer'),
    transfer: t('انتقال', 'Transfer'),
    reject: t('رد', 'Reject'),
    escalate: t('ارجاع به بالا', 'Escalate'),
    refer: t('ارجاع', 'Refer'),
  };
}

/** Sends one action; on success clears the text, says what was done and puts the updated complaint in the cache. */
function useAct(complaintId: string, draft: Draft, names: Record<Action, string>, onDone: (what: string) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (action: Action) => api<ComplaintDetail>(`/complaints/${complaintId}/actions`, { body: bodyOf(action, draft) }),
    onSuccess: (updated, action) => {
      draft.setText('');
      onDone(names[action]);
      client.setQueryData(['complaint', complaintId], updated);
      void client.invalidateQueries({ queryKey: ['complaints'] });
    },
  });
}

export function ActionsCard({ complaint, actions, onDone }: { complaint: ComplaintDetail; actions: Action[]; onDone(what: string): void }) {
  const { t } = useI18n();
  const [tab, setTab] = useState<string | null>(actions[0] ?? null);
  // An action done changes what may follow (a started complaint cannot be started again): stay on an offered tab.
  useEffect(() => {
    if (!tab || !actions.includes(tab as Action)) setTab(actions[0] ?? null);
  }, [actions, tab]);
  const draft = useDraft(complaint);
  const { data: catalogue } = useCategories();
  const attachments = useQuery({
    queryKey: ['attachments', complaint.id],
    queryFn: () => api<Attachment[]>(`/complaints/${complaint.id}/attachments`),
    enabled: actions.includes('answer'),
  });
  const staffFiles = (attachments.data ?? []).filter((a) => a.source === 'staff');
  const assignees = useQuery({
    queryKey: ['assignees', complaint.id],
    queryFn: () => api<{ items: Assignee[] }>(`/complaints/${complaint.id}/assignees`),
    enabled: actions.includes('assign'),
  });
  const names = useActionNames();
  const act = useAct(complaint.id, draft, names, onDone);
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
            <AssignForm draft={draft} assignees={assignees.data?.items ?? []} onSubmit={submit('assign')} pending={act.isPending} label={names.assign} />
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
              <TextActionForm draft={draft} action={a} staffFiles={staffFiles} onSubmit={submit(a)} pending={act.isPending} label={names[a]} />
            </Tabs.Panel>
          ))}
          <Tabs.Panel value="transfer">
            <TransferForm draft={draft} onSubmit={submit('transfer')} pending={act.isPending} label={names.transfer} />
          </Tabs.Panel>
          <Tabs.Panel value="refer">
            <ReferForm
              draft={draft}
              complaintId={complaint.id}
              categories={catalogue?.items ?? []}
              onSubmit={submit('refer')}
              pending={act.isPending}
              label={names.refer}
            />
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
