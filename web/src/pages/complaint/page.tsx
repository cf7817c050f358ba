import { Anchor, Container, Grid, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useLocation, useParams } from 'react-router';
import { api, type ComplaintDetail } from '../../api.ts';
import { ErrorAlert } from '../../components.tsx';
import { useI18n } from '../../i18n.tsx';
import { AttachmentList } from '../attachments.tsx';
import { ActionsCard, DoneNote, isLifecycleAction } from './actions-card.tsx';
import { ComplaintHeader, FactsCard, TextCards } from './facts-card.tsx';
import { IncidentCard } from './incident-card.tsx';
import { ContactCard, NamedEmployeeCard } from './side-cards.tsx';
import { TimelineCard } from './timeline-card.tsx';

/** One complaint as staff work on it: the facts, the clock, the actions, the hash-chained timeline. */
export function ComplaintPage() {
  const { id } = useParams();
  const { t } = useI18n();
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
        <ComplaintHeader c={c} open={open} heading={heading} />
        <Grid>
          <Grid.Col span={{ base: 12, md: 7 }}>
            <Stack gap="md">
              <FactsCard c={c} open={open} />
              <TextCards c={c} />
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
