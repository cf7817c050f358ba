import { Badge, Button, Card, Group, SegmentedControl, Stack, Text, Textarea } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { type Appeal, api } from '../api.ts';
import { ErrorAlert, TrackingCode, When } from '../components.tsx';
import { useI18n } from '../i18n.tsx';

/** The provincial supervision group's open appeals (their province; every province for the national centre), nearest deadline first. */
export function AppealsPanel() {
  const { t } = useI18n();
  const appeals = useQuery({ queryKey: ['appeals'], queryFn: () => api<{ items: Appeal[] }>('/appeals') });
  if (appeals.error) return <ErrorAlert error={appeals.error} />;
  if (!appeals.data) return null;
  if (appeals.data.items.length === 0) return <Text c="dimmed">{t('درخواست تجدیدنظر بازی نیست.', 'No open appeals.')}</Text>;
  return (
    <Stack gap="md">
      {appeals.data.items.map((a) => (
        <AppealCard key={a.complaintId} appeal={a} />
      ))}
    </Stack>
  );
}

function AppealCard({ appeal }: { appeal: Appeal }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const [decision, setDecision] = useState<'uphold' | 'reject'>('uphold');
  const [text, setText] = useState('');
  const decide = useMutation({
    mutationFn: () => api(`/complaints/${appeal.complaintId}/appeal-decision`, { body: { decision, text: text.trim() } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['appeals'] }),
  });
  return (
    <Card withBorder>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          decide.mutate();
        }}
      >
        <Stack gap="xs">
          <Group justify="space-between" wrap="wrap">
            <Link to={`/staff/complaints/${appeal.complaintId}`}>
              <TrackingCode code={appeal.trackingCode} />
            </Link>
            {appeal.overdue ? <Badge color="red">{t('گذشته از مهلت', 'Overdue')}</Badge> : null}
          </Group>
          <Text size="sm">
            {appeal.unitNameFa} {appeal.provinceNameFa ? `— ${appeal.provinceNameFa}` : ''}
          </Text>
          <Text size="sm" c="dimmed">
            {t('مهلت تصمیم:', 'Decision due:')} <When iso={appeal.dueAt} />
          </Text>
          <Text size="sm" fw={500}>
            {t('دلیل شاکی', 'The citizen’s reason')}
          </Text>
          <Text size="sm" className="pre-wrap">
            {appeal.reason}
          </Text>
          {appeal.answer && (
            <>
              <Text size="sm" fw={500}>
                {t('پاسخ دستگاه', 'The agency’s answer')}
              </Text>
              <Text size="sm" className="pre-wrap">
                {appeal.answer}
              </Text>
            </>
          )}
          <SegmentedControl
            fullWidth
            value={decision}
            onChange={(v) => setDecision(v as 'uphold' | 'reject')}
            data={[
              { value: 'uphold', label: t('پذیرش و بازگشت به دستگاه', 'Uphold: back to the agency') },
              { value: 'reject', label: t('رد تجدیدنظر', 'Reject the appeal') },
            ]}
          />
          <Textarea
            label={
              decision === 'uphold'
                ? t('دستور رسیدگی به دستگاه', 'Directive to the agency')
                : t('دلیل رد (شاکی آن را می‌بیند)', 'Reasons (the citizen reads them)')
            }
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            required
            minLength={3}
            maxLength={2000}
          />
          <ErrorAlert error={decide.error} />
          <Button type="submit" loading={decide.isPending} color={decision === 'uphold' ? 'teal' : 'red'}>
            {t('ثبت تصمیم', 'Record the decision')}
          </Button>
        </Stack>
      </form>
    </Card>
  );
}
