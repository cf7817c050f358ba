import { Anchor, Badge, Card, Container, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useLocation, useParams } from 'react-router';
import { api, type ComplaintDetail } from '../../api.ts';
import { Countdown, ErrorAlert, StatusBadge, TrackingCode, When } from '../../components.tsx';
import { CHANNEL_NAMES, nameOf, num } from '../../format.ts';
import { useI18n } from '../../i18n.tsx';
import { AttachmentList } from '../attachments.tsx';
import { CaseFacts } from '../case-links.tsx';
import { ActionsCard, DoneNote, isLifecycleAction } from './actions-card.tsx';
import { IncidentCard } from './incident-card.tsx';
import { ContactCard, NamedEmployeeCard } from './side-cards.tsx';
import { TimelineCard } from './timeline-card.tsx';

/** One complaint as staff work on it: the facts, the clock, the actions, the hash-chained timeline. */
export function ComplaintPage() {
  const { id } = useParams();
  const { t, lang } = useI18n();
  const detail = useQuery({ queryKey: ['complaint', id], queryFn: () => api<ComplaintDetail>(`/complaints/${id}`), refetchInterval: 30_000 });
  // Opened from a lookup form: the keyboard's focus lands on the code, once.
  const focusHeading = (useLocation().state as { focusHeading?: boolean } | null)?.focusHeading === true;
  const focused = useRef(false);
  // The last action done here, shown (and focused) once its form has been sent; a counter re-announces a repeat.
  const [done, setDone] = useState<{ text: string; n: number } | null>(null);
  const heading = (el: HTMLHeadingElement | null) => {
    if (el && focusHeading && !focused.current) {
      focused.current = true;
      el.focus();
    }
  };
  if (detail.error) return <ErrorAlert error={detail.error} />;
  const c = detail.data;
  if (!c) return null;
  const open = ['received', 'referred', 'assigned', 'in_progress'].includes(c.status);
  // What this reader may do here comes from the server (role, scope and the lifecycle's table).
  const may = (action: ComplaintDetail['actions'][number]) => c.actions.includes(action);
  const lifecycle = c.actions.filter(isLifecycleAction);
  return (
    <Container size="xl">
      <Stack gap="md">
        <Group justify="space-between" align="start">
          <div>
            <Text size="sm" c="dimmed">
              {t('کد رهگیری', 'Tracking code')}
            </Text>
            <Title order={1} data-testid="detail-code" tabIndex={-1} ref={heading}>
              <TrackingCode code={c.trackingCode} />
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
                        {num(c.escalationCount, lang)}
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
              <AttachmentList complaintId={c.id} canUpload={may('attach')} />
              {may('read_contact') && <ContactCard complaintId={c.id} confidential={c.confidential} />}
            </Stack>
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Stack gap="md">
              {done && <DoneNote key={done.n} text={done.text} />}
              <IncidentCard complaintId={c.id} />
              {lifecycle.length > 0 && <ActionsCard complaint={c} actions={lifecycle} onDone={(text) => setDone((d) => ({ text, n: (d?.n ?? 0) + 1 }))} />}
              {may('verify') && (
                <Anchor href={`/api/v1/complaints/${c.id}/verify`} size="sm" target="_blank">
                  {t('بررسی زنجیرهٔ رویدادها', 'Verify the event chain')}
                </Anchor>
              )}
              {may('name_employee') && c.namedEmployee !== undefined && <NamedEmployeeCard complaint={c} />}
              <TimelineCard events={c.timeline} />
            </Stack>
          </Grid.Col>
        </Grid>
      </Stack>
    </Container>
  );
}
