import { Card, Text, Timeline, Title } from '@mantine/core';
import type { TimelineEvent } from '../../api.ts';
import { When } from '../../components.tsx';
import { EVENT_NAMES, nameOf } from '../../format.ts';
import { useI18n } from '../../i18n.tsx';
import { ROLE_NAMES } from '../../role-names.ts';

/** The hash-chained events, each credited as the server reads it: the citizen, the system (routing, deadlines), or staff by role and name. */
export function TimelineCard({ events }: { events: TimelineEvent[] }) {
  const { t, lang } = useI18n();
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">
        {t('روند رسیدگی', 'Timeline')}
      </Title>
      <Timeline bulletSize={14} lineWidth={2} active={events.length}>
        {events.map((e) => (
          <Timeline.Item key={e.seq} title={nameOf(EVENT_NAMES, e.type, lang)} data-event={e.type}>
            <EventText data={e.data} />
            <Text size="xs" c="dimmed" data-testid="event-actor" data-actor={e.actorKind}>
              <ActorName event={e} />
              {' · '}
              <When iso={e.createdAt} gregorianOnHover />
            </Text>
          </Timeline.Item>
        ))}
      </Timeline>
    </Card>
  );
}

function ActorName({ event }: { event: TimelineEvent }) {
  const { t, lang } = useI18n();
  if (event.actorKind === 'citizen') return <>{t('شهروند', 'citizen')}</>;
  if (event.actorKind === 'system') return <>{t('سامانه', 'the system')}</>;
  const role = event.actorRole ? ROLE_NAMES[event.actorRole][lang] : t('کارکنان', 'staff');
  // A name that already says the role (the demo's staff) is not prefixed with it again.
  return <>{!event.actorName ? role : event.actorName.startsWith(role) ? event.actorName : `${role} (${event.actorName})`}</>;
}

function EventText({ data }: { data: unknown }) {
  const d = (data ?? {}) as Record<string, unknown>;
  const text = [d.text, d.reason, d.comment].find((v) => typeof v === 'string' && v) as string | undefined;
  return text ? (
    <Text size="sm" className="pre-wrap">
      {text}
    </Text>
  ) : null;
}
