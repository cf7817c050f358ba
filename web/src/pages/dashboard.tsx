import { Anchor, Badge, Card, Container, Grid, Group, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { api, type Hotspot, type LiveDashboard, query } from '../api.ts';
import { EChart, provinceMapOption } from '../chart.tsx';
import { ErrorAlert, When } from '../components.tsx';
import { EVENT_NAMES, nameOf, num } from '../format.ts';
import { useI18n } from '../i18n.tsx';

type Measure = LiveDashboard['measure'];

interface LiveEvent {
  source: 'complaint' | 'alert';
  id: number;
  type: string;
  complaintId?: string;
  trackingCode?: string;
  at?: string;
}

/**
 * The server-sent event feed: the latest events, newest first, and whether the feed is connected.
 * A burst of events refetches the numbers and the hotspots once.
 */
function useLiveEvents(): { events: LiveEvent[]; connected: boolean } {
  const client = useQueryClient();
  const [events, setEvents] = useState<LiveEvent[]>([]);
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    // EventSource sends the session cookie and resumes with Last-Event-ID after a drop by itself.
    const source = new EventSource('/api/v1/live/events');
    let refresh: ReturnType<typeof setTimeout> | null = null;
    const onEvent = (message: MessageEvent) => {
      const event = JSON.parse(message.data) as LiveEvent;
      setEvents((list) => [event, ...list].slice(0, 30));
      // Many events in a burst: refetch the numbers once.
      refresh ??= setTimeout(() => {
        refresh = null;
        void client.invalidateQueries({ queryKey: ['dashboard'] });
        void client.invalidateQueries({ queryKey: ['hotspots'] });
      }, 500);
    };
    source.addEventListener('ready', () => setConnected(true));
    source.onerror = () => setConnected(false);
    for (const name of ['complaint_new', 'state_change', 'warning', 'breach', 'escalation', 'hotspot']) source.addEventListener(name, onEvent);
    return () => {
      source.close();
      if (refresh) clearTimeout(refresh);
    };
  }, [client]);
  return { events, connected };
}

/** The headline figures: complaints in the last hour and today, open cases by deadline state, breaches today. */
function Figures({ d }: { d: LiveDashboard | undefined }) {
  const { t, lang } = useI18n();
  const stat = (label: string, value: number | undefined, color?: string) => (
    <Card withBorder padding="md">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fz={28} fw={700} c={color} data-testid={`stat-${label}`}>
        {value === undefined ? '…' : num(value, lang)}
      </Text>
    </Card>
  );
  return (
    <SimpleGrid cols={{ base: 2, md: 6 }}>
      {stat(t('شکایت در ساعت گذشته', 'Last hour'), d?.complaints.lastHour)}
      {stat(t('شکایت امروز', 'Today'), d?.complaints.today)}
      {stat(t('باز در مهلت', 'Open, in time'), d?.open.ok, 'teal.9')}
      {stat(t('باز، هشدار', 'Open, warned'), d?.open.warned, 'orange.9')}
      {stat(t('باز، گذشته از مهلت', 'Open, breached'), d?.open.breached, 'red.9')}
      {stat(t('تخلف مهلت امروز', 'Breaches today'), d?.breaches.today, 'red.9')}
    </SimpleGrid>
  );
}

/** The province map, coloured by the chosen measure. */
function ProvinceMapCard({ d, measure, onMeasure }: { d: LiveDashboard | undefined; measure: Measure; onMeasure: (m: Measure) => void }) {
  const { t, lang } = useI18n();
  const mapOption = useMemo(
    () =>
      provinceMapOption(
        (d?.provinces ?? []).map((p) => ({ name: p.nameFa, value: p.value })),
        t('مقدار', 'value'),
        lang,
      ),
    [d, lang, t],
  );
  const measures: { value: Measure; label: string }[] = [
    { value: 'complaints_today', label: t('شکایت امروز', 'Today') },
    { value: 'complaints_today_per_100k', label: t('به ازای ۱۰۰ هزار نفر', 'Per 100k people') },
    { value: 'open', label: t('باز', 'Open') },
    { value: 'breached_open', label: t('گذشته از مهلت', 'Breached') },
    { value: 'breaches_today', label: t('تخلف مهلت امروز', 'Breaches today') },
  ];
  return (
    <Card withBorder>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4">
          {t('نقشهٔ استان‌ها', 'Provinces')}
        </Title>
        <SegmentedControl size="xs" data={measures} value={measure} onChange={(v) => onMeasure(v as Measure)} />
      </Group>
      <EChart option={mapOption} height={420} label={t('نقشهٔ ایران به تفکیک استان', 'Map of Iran by province')} />
    </Card>
  );
}

/** The agencies with the most complaints today. */
function BusiestAgenciesCard({ d }: { d: LiveDashboard | undefined }) {
  const { t, lang } = useI18n();
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        {t('پرشکایت‌ترین دستگاه‌ها (امروز)', 'Busiest agencies (today)')}
      </Title>
      <Table aria-label={t('پرشکایت‌ترین دستگاه‌ها', 'Busiest agencies')}>
        <Table.Tbody>
          {(d?.busiestAgencies ?? []).map((a) => (
            <Table.Tr key={a.agencyId}>
              <Table.Td>{a.nameFa}</Table.Td>
              <Table.Td>{num(a.complaintsToday, lang)}</Table.Td>
              <Table.Td c="dimmed">
                {t('باز: ', 'open: ')}
                {num(a.open, lang)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

/** Open hotspot alerts: an office, an employee or a category well above its expected count. */
function HotspotsCard({ hotspots }: { hotspots: Hotspot[] | undefined }) {
  const { t, lang } = useI18n();
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        {t('هشدارهای افزایش ناگهانی', 'Hotspot alerts')}
      </Title>
      {(hotspots ?? []).length === 0 && <Text c="dimmed">{t('هشداری باز نیست.', 'No open alerts.')}</Text>}
      {(hotspots ?? []).map((h) => (
        <Text key={h.id} size="sm">
          <Badge color="red.9" size="xs" me={6}>
            {h.dimension === 'unit' ? t('اداره', 'office') : h.dimension === 'employee' ? t('کارمند', 'employee') : t('نوع', 'category')}
          </Badge>
          {h.dimension === 'employee' && h.namedEmployee ? (
            <Anchor component={Link} to={`/staff/inbox${query({ namedEmployee: h.namedEmployee, unitId: h.unitId ?? undefined })}`}>
              {h.namedEmployee}
            </Anchor>
          ) : (
            h.unitName
          )}
          {h.dimension === 'employee' && h.unitName && ` (${h.unitName})`} — {num(h.windowCount, lang)} {t('شکایت در برابر انتظار', 'complaints vs expected')}{' '}
          {num(Math.round(h.expected * 10) / 10, lang)}
        </Text>
      ))}
    </Card>
  );
}

/** The ticker of the latest events from the live feed. */
function EventsCard({ events }: { events: LiveEvent[] }) {
  const { t, lang } = useI18n();
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        {t('رویدادهای تازه', 'Latest events')}
      </Title>
      <Stack gap={4} aria-live="polite" data-testid="live-events">
        {events.length === 0 && <Text c="dimmed">{t('هنوز رویدادی نرسیده.', 'No events yet.')}</Text>}
        {events.map((e) => (
          <Text key={`${e.source}-${e.id}`} size="sm">
            {nameOf(EVENT_NAMES, e.type, lang)}
            {e.complaintId && (
              <>
                {' — '}
                <Link to={`/staff/complaints/${e.complaintId}`}>{t('پرونده', 'case')}</Link>
              </>
            )}
            {e.at && (
              <Text span size="xs" c="dimmed">
                {' · '}
                <When iso={e.at} gregorianOnHover />
              </Text>
            )}
          </Text>
        ))}
      </Stack>
    </Card>
  );
}

/**
 * The live dashboard: numbers in the viewer's scope, a province map coloured by a chosen measure,
 * the busiest agencies and a ticker of events — refreshed by the server-sent event feed, no reload.
 */
export function DashboardPage() {
  const { t } = useI18n();
  const [measure, setMeasure] = useState<Measure>('complaints_today');
  const { events, connected } = useLiveEvents();
  const dashboard = useQuery({ queryKey: ['dashboard', measure], queryFn: () => api<LiveDashboard>(`/live/dashboard?measure=${measure}`) });
  const hotspots = useQuery({ queryKey: ['hotspots'], queryFn: () => api<{ items: Hotspot[] }>('/hotspots?open=true').then((r) => r.items), retry: false });
  const d = dashboard.data;
  return (
    <Container size="xl">
      <Stack gap="md">
        <Group justify="space-between">
          <Title order={1}>{t('پایش زنده', 'Live monitoring')}</Title>
          <Badge color={connected ? 'teal.9' : 'gray.7'} variant="filled" data-testid="live-state" data-connected={connected}>
            {connected ? t('متصل به جریان زنده', 'live') : t('در حال اتصال…', 'connecting…')}
          </Badge>
        </Group>
        <ErrorAlert error={dashboard.error} />
        <Figures d={d} />
        <Grid>
          <Grid.Col span={{ base: 12, md: 7 }}>
            <ProvinceMapCard d={d} measure={measure} onMeasure={setMeasure} />
          </Grid.Col>
          <Grid.Col span={{ base: 12, md: 5 }}>
            <Stack>
              <BusiestAgenciesCard d={d} />
              <HotspotsCard hotspots={hotspots.data} />
              <EventsCard events={events} />
            </Stack>
          </Grid.Col>
        </Grid>
      </Stack>
    </Container>
  );
}
