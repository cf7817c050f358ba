import { Badge, Button, Card, Container, Group, SegmentedControl, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, type IncidentDetail, type IncidentSuggestion, type IncidentSummary, type Status } from '../api.ts';
import { ErrorAlert, StatusBadge, TrackingCode, When } from '../components.tsx';
import { INCIDENT_STATUS_NAMES, nameOf, num } from '../format.ts';
import { useI18n } from '../i18n.tsx';

/**
 * Incidents (issue 15): one cause, many complaints. Suggestions of open complaints that say the
 * same thing at one organisation; staff open an incident from one with a public title, see its
 * linked complaints, unlink one, and close it with one answer that reaches every linked citizen.
 */
export function IncidentsPage() {
  const { t } = useI18n();
  const client = useQueryClient();
  const suggestions = useQuery({
    queryKey: ['incident-suggestions'],
    queryFn: () => api<{ items: IncidentSuggestion[] }>('/incidents/suggestions').then((r) => r.items),
  });
  const open = useQuery({ queryKey: ['incidents'], queryFn: () => api<{ items: IncidentSummary[] }>('/incidents?state=open').then((r) => r.items) });
  const [selected, setSelected] = useState<number | null>(null);
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['incidents'] });
    void client.invalidateQueries({ queryKey: ['incident-suggestions'] });
    void client.invalidateQueries({ queryKey: ['incident'] });
  };
  return (
    <Container size="lg" px="xs">
      <Stack gap="md">
        <Title order={1}>{t('رخدادها: یک علت، شکایت‌های بسیار', 'Incidents: one cause, many complaints')}</Title>
        <ErrorAlert error={suggestions.error ?? open.error} />
        <Title order={2} size="h3">
          {t('رخدادهای باز', 'Open incidents')}
        </Title>
        {open.data?.length === 0 && <Text c="dimmed">{t('رخداد بازی نیست.', 'No open incidents.')}</Text>}
        {(open.data ?? []).map((i) => (
          <IncidentCard
            key={i.id}
            incident={i}
            expanded={selected === i.id}
            onToggle={() => setSelected(selected === i.id ? null : i.id)}
            onChanged={refresh}
          />
        ))}
        <Title order={2} size="h3">
          {t('پیشنهادها', 'Suggestions')}
        </Title>
        {suggestions.data?.length === 0 && <Text c="dimmed">{t('پیشنهادی نیست.', 'No suggestions.')}</Text>}
        {(suggestions.data ?? []).map((s) => (
          <SuggestionCard
            key={s.complaints[0]!.id}
            suggestion={s}
            onOpened={(id) => {
              setSelected(id);
              refresh();
            }}
          />
        ))}
      </Stack>
    </Container>
  );
}

function SuggestionCard({ suggestion, onOpened }: { suggestion: IncidentSuggestion; onOpened(id: number): void }) {
  const { t, lang } = useI18n();
  const [title, setTitle] = useState('');
  const opening = useMutation({
    mutationFn: () => api<IncidentDetail>('/incidents', { body: { titleFa: title.trim(), complaintIds: suggestion.complaints.map((c) => c.id) } }),
    onSuccess: (incident) => onOpened(incident.id),
  });
  return (
    <Card withBorder data-testid="incident-suggestion">
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap">
          <Text fw={700}>{suggestion.organisation.nameFa}</Text>
          <Badge color="orange.9">
            {num(suggestion.count, lang)} {t('شکایت', 'complaints')}
          </Badge>
        </Group>
        <Text size="sm">«{suggestion.example}»</Text>
        <Text size="sm" c="dimmed">
          <When iso={suggestion.firstAt} /> — <When iso={suggestion.lastAt} />
        </Text>
        <TextInput
          label={t('عنوان عمومی رخداد', 'Public title')}
          description={t('شهروندان این عنوان را می‌بینند؛ نام و اطلاعات شخصی ننویسید.', 'Citizens see this title; write no names or personal data.')}
          value={title}
          onChange={(e) => setTitle(e.currentTarget.value)}
        />
        <ErrorAlert error={opening.error} />
        <Button onClick={() => opening.mutate()} loading={opening.isPending} disabled={title.trim().length < 5}>
          {t('گشودن رخداد', 'Open incident')}
        </Button>
      </Stack>
    </Card>
  );
}

function IncidentCard({ incident, expanded, onToggle, onChanged }: { incident: IncidentSummary; expanded: boolean; onToggle(): void; onChanged(): void }) {
  const { t, lang } = useI18n();
  return (
    <Card withBorder data-testid="incident">
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap">
          <Text fw={700}>{incident.titleFa}</Text>
          <Badge color="blue.9">{nameOf(INCIDENT_STATUS_NAMES, incident.publicStatus, lang)}</Badge>
        </Group>
        <Text size="sm" c="dimmed">
          {incident.organisation.nameFa} · {num(incident.linkedCount, lang)} {t('شکایت پیوسته', 'linked complaints')} · <When iso={incident.openedAt} />
        </Text>
        <Button variant="light" onClick={onToggle}>
          {expanded ? t('بستن جزئیات', 'Hide details') : t('شکایت‌ها و پاسخ', 'Complaints and answer')}
        </Button>
        {expanded && <IncidentStatus incident={incident} onChanged={onChanged} />}
        {expanded && <IncidentDetails id={incident.id} onChanged={onChanged} />}
      </Stack>
    </Card>
  );
}

/** The public status citizens see, changed while open (each linked citizen gets one SMS), and a complaint added by its code. */
function IncidentStatus({ incident, onChanged }: { incident: IncidentSummary; onChanged(): void }) {
  const { t, lang } = useI18n();
  const [status, setStatus] = useState<string>(incident.publicStatus);
  const [code, setCode] = useState('');
  const change = useMutation({
    mutationFn: () => api<IncidentDetail>(`/incidents/${incident.id}`, { method: 'PATCH', body: { publicStatus: status } }),
    onSuccess: onChanged,
  });
  const add = useMutation({
    mutationFn: () => api<IncidentDetail>(`/incidents/${incident.id}/complaints`, { body: { trackingCode: code } }),
    onSuccess: () => {
      setCode('');
      onChanged();
    },
  });
  return (
    <Stack gap="xs">
      <Text size="sm" fw={700} id={`incident-status-${incident.id}`}>
        {t('وضعیتی که شهروندان می‌بینند', 'Status citizens see')}
      </Text>
      <SegmentedControl
        aria-labelledby={`incident-status-${incident.id}`}
        value={status}
        onChange={setStatus}
        data={(['investigating', 'handling'] as const).map((s) => ({ value: s, label: nameOf(INCIDENT_STATUS_NAMES, s, lang) }))}
      />
      <ErrorAlert error={change.error} />
      <Button variant="light" onClick={() => change.mutate()} loading={change.isPending} disabled={status === incident.publicStatus}>
        {t('ثبت وضعیت و خبر دادن به شاکیان', 'Save and tell the complainants')}
      </Button>
      <TextInput
        label={t('افزودن شکایت با کد رهگیری', 'Add a complaint by tracking code')}
        inputMode="numeric"
        value={code}
        onChange={(e) => setCode(e.currentTarget.value)}
      />
      <ErrorAlert error={add.error} />
      <Button variant="light" onClick={() => add.mutate()} loading={add.isPending} disabled={code.trim().length < 12}>
        {t('افزودن به رخداد', 'Add to incident')}
      </Button>
    </Stack>
  );
}

function IncidentDetails({ id, onChanged }: { id: number; onChanged(): void }) {
  const { t } = useI18n();
  const detail = useQuery({ queryKey: ['incident', id], queryFn: () => api<IncidentDetail>(`/incidents/${id}`) });
  const [answer, setAnswer] = useState('');
  const close = useMutation({ mutationFn: () => api<IncidentDetail>(`/incidents/${id}/close`, { body: { answer: answer.trim() } }), onSuccess: onChanged });
  const unlink = useMutation({
    mutationFn: (complaintId: string) => api<IncidentDetail>(`/incidents/${id}/unlink`, { body: { complaintId, reason: 'به این رخداد مربوط نیست' } }),
    onSuccess: onChanged,
  });
  const linked = (detail.data?.complaints ?? []).filter((c) => c.endedAt === null);
  return (
    <Stack gap="xs">
      <ErrorAlert error={detail.error ?? unlink.error} />
      {linked.map((c) => (
        <Group key={c.id} justify="space-between" wrap="wrap" data-testid="incident-complaint">
          <Link to={`/staff/complaints/${c.id}`}>
            <TrackingCode code={c.trackingCode} />
          </Link>
          <StatusBadge status={c.status as Status} />
          <Button size="compact-sm" variant="subtle" color="red.9" onClick={() => unlink.mutate(c.id)}>
            {t('جدا کردن', 'Unlink')}
          </Button>
        </Group>
      ))}
      <Textarea
        label={t('پاسخ یکسان به همهٔ شاکیان', 'One answer to every complainant')}
        description={t('هر شاکی این پاسخ را دریافت می‌کند و می‌تواند رضایت خود را اعلام کند.', 'Each complainant gets it and can rate it.')}
        autosize
        minRows={3}
        value={answer}
        onChange={(e) => setAnswer(e.currentTarget.value)}
      />
      <ErrorAlert error={close.error} />
      <Button color="teal.9" onClick={() => close.mutate()} loading={close.isPending} disabled={answer.trim().length < 10}>
        {t('بستن رخداد با این پاسخ', 'Close with this answer')}
      </Button>
    </Stack>
  );
}
