import { Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type ComplaintDetail } from '../../api.ts';
import { ErrorAlert } from '../../components.tsx';
import { useI18n } from '../../i18n.tsx';

/**
 * Sets or corrects the employee a complaint names (the 128 centre and supervisors). A correction
 * or clearing needs a reason; the change is an event in the complaint's chain.
 */
export function NamedEmployeeCard({ complaint }: { complaint: ComplaintDetail }) {
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
              'فقط اپراتورهای ۱۲۸، ناظران استان و مسئولان بازرسی دستگاه می‌بینند؛ برای شناسایی تکرار شکایت از یک نفر.',
              'Seen only by 128 operators, provincial supervisors and inspection heads; used to spot repeated complaints about one person.',
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
export function ContactCard({ complaintId, confidential }: { complaintId: string; confidential: boolean }) {
  const { t } = useI18n();
  const [purpose, setPurpose] = useState('');
  const read = useMutation({
    mutationFn: () =>
      api<{ phone: string; name: string | null; nationalId: string | null }>(
        `/complaints/${complaintId}/contact?purpose=${encodeURIComponent(purpose.trim())}`,
      ),
  });
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
