import { Badge, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, type IncidentDetail, type IncidentSummary } from '../../api.ts';
import { ErrorAlert } from '../../components.tsx';
import { INCIDENT_STATUS_NAMES, nameOf } from '../../format.ts';
import { useI18n } from '../../i18n.tsx';
import { useStaff } from '../../session.tsx';

/**
 * The open incident this complaint is in (issue 15), for staff who work incidents: its public
 * title and status, and «جدا کردن از رخداد» with a reason — the complaint then goes on alone.
 */
export function IncidentCard({ complaintId }: { complaintId: string }) {
  const { staff } = useStaff();
  const may = staff?.pages.includes('incidents') ?? false;
  const incidents = useQuery({
    queryKey: ['incidents', 'of', complaintId],
    queryFn: () => api<{ items: IncidentSummary[] }>(`/incidents?complaintId=${complaintId}`).then((r) => r.items),
    enabled: may,
  });
  const incident = incidents.data?.[0];
  if (!may || !incident) return null;
  return <Linked incident={incident} complaintId={complaintId} />;
}

function Linked({ incident, complaintId }: { incident: IncidentSummary; complaintId: string }) {
  const { t, lang } = useI18n();
  const client = useQueryClient();
  const [reason, setReason] = useState('');
  const unlink = useMutation({
    mutationFn: () => api<IncidentDetail>(`/incidents/${incident.id}/unlink`, { body: { complaintId, reason: reason.trim() } }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['incidents'] });
      void client.invalidateQueries({ queryKey: ['complaint', complaintId] });
    },
  });
  return (
    <Card withBorder data-testid="complaint-incident">
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('رخداد', 'Incident')}
        </Title>
        <Group justify="space-between" wrap="wrap">
          <Link to="/staff/incidents">
            <Text fw={700}>{incident.titleFa}</Text>
          </Link>
          <Badge color="blue.9">{nameOf(INCIDENT_STATUS_NAMES, incident.publicStatus, lang)}</Badge>
        </Group>
        <TextInput label={t('دلیل جدا کردن', 'Reason for unlinking')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
        <ErrorAlert error={unlink.error} />
        <Button color="red.9" variant="light" onClick={() => unlink.mutate()} loading={unlink.isPending} disabled={reason.trim().length < 3}>
          {t('جدا کردن از رخداد', 'Unlink from the incident')}
        </Button>
      </Stack>
    </Card>
  );
}
