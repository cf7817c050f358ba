import { Badge, Button, Card, Container, Group, SegmentedControl, Select, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type FollowUpCall } from '../api.ts';
import { ErrorAlert, TrackingCode, When } from '../components.tsx';
import { digits, num } from '../format.ts';
import { useI18n } from '../i18n.tsx';

type Outcome = NonNullable<FollowUpCall['outcome']>;
const OUTCOME_NAMES: Record<Outcome, { fa: string; en: string; color: string }> = {
  reached_satisfied: { fa: 'پاسخ داد و راضی بود', en: 'Reached, satisfied', color: 'teal.9' },
  reached_not_satisfied: { fa: 'پاسخ داد و ناراضی بود', en: 'Reached, not satisfied', color: 'red.9' },
  not_reachable: { fa: 'در دسترس نبود', en: 'Not reachable', color: 'gray.8' },
};

/**
 * The 128 operators' satisfaction follow-up calls (docs/follow-up-calls.md): the week's sample
 * in their scope, the citizen's number read one call at a time (each read is audited), and a
 * button per outcome.
 */
export function FollowUpPage() {
  const { t } = useI18n();
  const [state, setState] = useState<'due' | 'done'>('due');
  const calls = useQuery({
    queryKey: ['follow-up-calls', state],
    queryFn: () => api<{ items: FollowUpCall[] }>(`/follow-up-calls?state=${state}`).then((r) => r.items),
  });
  return (
    <Container size="md" px={0}>
      <Stack gap="md">
        <Title order={1}>{t('تماس‌های پیگیری', 'Follow-up calls')}</Title>
        <Text size="sm">
          {t(
            'هر هفته نمونه‌ای از شکایت‌های بسته‌شده برای پرسیدن رضایت شهروند به اینجا می‌آید. شماره را فقط هنگام تماس ببینید: هر بار دیدن آن ثبت می‌شود.',
            'Each week a sample of closed complaints comes here to ask the citizen whether they were satisfied. Show the number only when you call: each view is recorded.',
          )}
        </Text>
        <SegmentedControl
          value={state}
          onChange={(v) => setState(v as 'due' | 'done')}
          data={[
            { value: 'due', label: t('در انتظار تماس', 'To call') },
            { value: 'done', label: t('انجام‌شده', 'Done') },
          ]}
        />
        <ErrorAlert error={calls.error} />
        {calls.data?.length === 0 && <Text c="dimmed">{t('تماسی در این فهرست نیست.', 'No calls in this list.')}</Text>}
        {(calls.data ?? []).map((call) => (
          <CallCard key={call.id} call={call} />
        ))}
      </Stack>
    </Container>
  );
}

function CallCard({ call }: { call: FollowUpCall }) {
  const { t, lang } = useI18n();
  const client = useQueryClient();
  const [attempts, setAttempts] = useState('1');
  const contact = useMutation({
    mutationFn: () => api<{ phone: string }>(`/complaints/${call.complaintId}/contact?purpose=follow_up_call`),
  });
  const record = useMutation({
    mutationFn: (outcome: Outcome) =>
      api<FollowUpCall>(`/follow-up-calls/${call.id}/outcome`, {
        method: 'POST',
        body: outcome === 'not_reachable' ? { outcome, attempts: Number(attempts) } : { outcome },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['follow-up-calls'] }),
  });
  return (
    <Card withBorder data-testid="follow-up-call">
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <TrackingCode code={call.trackingCode} />
          {call.outcome && <Badge color={OUTCOME_NAMES[call.outcome].color}>{t(OUTCOME_NAMES[call.outcome].fa, OUTCOME_NAMES[call.outcome].en)}</Badge>}
        </Group>
        <Text size="sm">{call.unitNameFa}</Text>
        {call.closedAt && (
          <Text size="sm">
            {t('بسته شد: ', 'Closed: ')}
            <When iso={call.closedAt} />
          </Text>
        )}
        {call.outcome === null && (
          <>
            {contact.data ? (
              <Text fw={700} dir="ltr" ta="start" data-testid="follow-up-phone">
                <a href={`tel:${contact.data.phone}`}>{digits(contact.data.phone, lang)}</a>
              </Text>
            ) : (
              <Button variant="light" onClick={() => contact.mutate()} loading={contact.isPending}>
                {t('نمایش شماره', 'Show number')}
              </Button>
            )}
            <ErrorAlert error={contact.error ?? record.error} />
            <Group gap="xs" wrap="wrap">
              <Button color="teal.9" onClick={() => record.mutate('reached_satisfied')} loading={record.isPending}>
                {t(OUTCOME_NAMES.reached_satisfied.fa, OUTCOME_NAMES.reached_satisfied.en)}
              </Button>
              <Button color="red.9" onClick={() => record.mutate('reached_not_satisfied')} loading={record.isPending}>
                {t(OUTCOME_NAMES.reached_not_satisfied.fa, OUTCOME_NAMES.reached_not_satisfied.en)}
              </Button>
            </Group>
            <Group gap="xs" align="end" wrap="wrap">
              <Select
                label={t('شمار تلاش‌ها', 'Attempts')}
                data={Array.from({ length: 10 }, (_, i) => ({ value: String(i + 1), label: num(i + 1, lang) }))}
                value={attempts}
                onChange={(v) => setAttempts(v ?? '1')}
                allowDeselect={false}
                w={120}
              />
              <Button color="gray.8" onClick={() => record.mutate('not_reachable')} loading={record.isPending}>
                {t(OUTCOME_NAMES.not_reachable.fa, OUTCOME_NAMES.not_reachable.en)}
              </Button>
            </Group>
          </>
        )}
        {call.outcome === 'not_reachable' && call.attempts !== null && (
          <Text size="sm">{t(`پس از ${num(call.attempts, lang)} تلاش`, `after ${call.attempts} attempts`)}</Text>
        )}
      </Stack>
    </Card>
  );
}
