import { Button, Card, Grid, Group, Kbd, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue, useHotkeys } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, type ComplaintListItem, type Page, query, type Reply, type SubmitReply } from '../api.ts';
import { ErrorAlert, StatusBadge, TrackingCode, When } from '../components.tsx';
import { asciiDigits, trackingCodeDigits } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { ComplaintForm, FiledReceipt } from './file-complaint.tsx';
import { ComplaintQueue } from './queue.tsx';

type CallerHistory = Reply<'/api/v1/operator/callers/{phone}', 'get'>;

/**
 * The 128 operator's desk: intake while on a call (the phone system opens
 * /staff/operator?caller=09…), the caller's earlier complaints beside the form, the triage queue
 * for SMS and bot complaints, and lookup by tracking code. Alt+1/2/3 switch tabs, Alt+N starts a new call.
 */
export function OperatorPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const caller = params.get('caller') ?? '';
  const [tab, setTab] = useState<string | null>('intake');
  const [filed, setFiled] = useState<SubmitReply | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [draft, setDraft] = useState<Draft | null>(null);
  // The number just filed for: its history (with the new complaint) stays beside the receipt until the next call.
  const [filedPhone, setFiledPhone] = useState('');
  const client = useQueryClient();
  const newCall = () => {
    setFiled(null);
    setFiledPhone('');
    setFormKey((k) => k + 1);
    setTab('intake');
  };
  useHotkeys([
    ['alt+1', () => setTab('intake')],
    ['alt+2', () => setTab('triage')],
    ['alt+3', () => setTab('lookup')],
    ['alt+n', newCall],
  ]);
  return (
    <Stack gap="md">
      <ConsoleHeading />
      <Tabs value={tab} onChange={setTab}>
        <Tabs.List>
          <Tabs.Tab value="intake">{t('ثبت تلفنی', 'Phone intake')}</Tabs.Tab>
          <Tabs.Tab value="triage">{t('صف بررسی (پیامک و بازو)', 'Triage (SMS and bots)')}</Tabs.Tab>
          <Tabs.Tab value="lookup">{t('جست‌وجوی کد رهگیری', 'Look up a code')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="intake" pt="md">
          <Grid>
            <Grid.Col span={{ base: 12, md: 8 }}>
              {filed ? (
                <Stack>
                  <FiledReceipt reply={filed} forOperator />
                  <Button onClick={newCall} variant="light">
                    {t('تماس تازه', 'Next call')}
                  </Button>
                </Stack>
              ) : (
                <ComplaintForm
                  key={`${formKey}-${caller}`}
                  channel="phone"
                  initialPhone={caller}
                  onDraft={setDraft}
                  onFiled={(reply, _files, _key, phone) => {
                    setFiled(reply);
                    setFiledPhone(caller || phone);
                    void client.invalidateQueries({ queryKey: ['caller'] });
                    // The next call's form must not start with this caller's number.
                    if (caller) setParams({});
                  }}
                />
              )}
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 4 }}>
              <Stack>
                <CallerPanel phone={caller || (filed ? filedPhone : '')} />
                {!filed && draft && <SimilarPanel draft={draft} />}
              </Stack>
            </Grid.Col>
          </Grid>
        </Tabs.Panel>
        <Tabs.Panel value="triage" pt="md">
          <ComplaintQueue label={t('صف بررسی', 'Triage queue')} fixed={{ triage: true, status: ['received'], sort: 'oldest' }} showProvince />
        </Tabs.Panel>
        <Tabs.Panel value="lookup" pt="md">
          <Lookup />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

/** The console's title and its keyboard shortcuts. */
function ConsoleHeading() {
  const { t } = useI18n();
  return (
    <Group justify="space-between">
      <Title order={1}>{t('میز اپراتور ۱۲۸', '128 operator console')}</Title>
      <Text size="sm" c="dimmed">
        <Kbd>Alt</Kbd>+<Kbd>1</Kbd>/<Kbd>2</Kbd>/<Kbd>3</Kbd> {t('زبانه‌ها', 'tabs')} · <Kbd>Alt</Kbd>+<Kbd>N</Kbd> {t('تماس تازه', 'new call')}
      </Text>
    </Group>
  );
}

interface Draft {
  agencyId: number | null;
  provinceId: number | null;
  countyId: number | null;
  description: string;
}

/** Open complaints about the same office from the last 30 days, most similar text first: the operator can merge a repeat by hand (the same caller's is linked automatically). */
function SimilarPanel({ draft }: { draft: Draft }) {
  const { t } = useI18n();
  const [debounced] = useDebouncedValue(draft, 400);
  const ready = debounced.agencyId !== null && (debounced.countyId !== null || debounced.provinceId !== null);
  const similar = useQuery({
    queryKey: ['similar', debounced],
    queryFn: () =>
      api<{ unit: { id: number; nameFa: string }; items: { id: string; trackingCode: string; status: string; createdAt: string; excerpt: string }[] }>(
        `/operator/similar${query({ agencyId: debounced.agencyId, countyId: debounced.countyId, provinceId: debounced.countyId ? undefined : debounced.provinceId, q: debounced.description.trim().slice(0, 200) || undefined })}`,
      ),
    enabled: ready,
    retry: false,
  });
  if (!ready) return null;
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        {t('شکایت‌های باز مشابه', 'Similar open complaints')}
      </Title>
      {similar.data && (
        <Text size="xs" c="dimmed" mb="xs">
          {similar.data.unit.nameFa}
        </Text>
      )}
      <ErrorAlert error={similar.error} />
      {similar.data?.items.length === 0 && <Text c="dimmed">{t('موردی نیست.', 'None.')}</Text>}
      <Stack gap="xs">
        {similar.data?.items.map((c) => (
          <Card key={c.id} withBorder padding="xs" component={Link} to={`/staff/complaints/${c.id}`}>
            <Group justify="space-between">
              <Text size="sm">
                <TrackingCode code={c.trackingCode} />
              </Text>
              <StatusBadge status={c.status as never} />
            </Group>
            <Text size="xs" c="dimmed" lineClamp={2}>
              {c.excerpt}
            </Text>
          </Card>
        ))}
      </Stack>
    </Card>
  );
}

/** The screen-pop: the caller's earlier complaints, so a repeat call is recognised at once. */
function CallerPanel({ phone }: { phone: string }) {
  const { t } = useI18n();
  const history = useQuery({
    queryKey: ['caller', phone],
    queryFn: () => api<CallerHistory>(`/operator/callers/${encodeURIComponent(asciiDigits(phone))}`),
    enabled: phone.length >= 7,
    retry: false,
  });
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        {t('سابقهٔ تماس‌گیرنده', 'Caller’s history')}
      </Title>
      {!phone && <Text c="dimmed">{t('شمارهٔ تماس‌گیرنده از سامانهٔ تلفن نیامده است.', 'No caller number came from the phone system.')}</Text>}
      <ErrorAlert error={history.error} />
      {history.data && (
        <Stack gap="xs">
          <Text className="ltr">{history.data.phone}</Text>
          {history.data.complaints.length === 0 && <Text c="dimmed">{t('شکایت پیشینی ندارد.', 'No earlier complaints.')}</Text>}
          {history.data.complaints.map((c) => (
            <Card key={c.id} withBorder padding="xs" component={Link} to={`/staff/complaints/${c.id}`}>
              <Group justify="space-between">
                <Text size="sm">
                  <TrackingCode code={c.trackingCode} />
                </Text>
                <StatusBadge status={c.status as never} />
              </Group>
              <Text size="xs">{c.unitNameFa}</Text>
              <Text size="xs" c="dimmed" lineClamp={2}>
                {c.excerpt}
              </Text>
              <Text size="xs" c="dimmed">
                <When iso={c.createdAt} gregorianOnHover />
              </Text>
            </Card>
          ))}
        </Stack>
      )}
    </Card>
  );
}

function Lookup() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [notFound, setNotFound] = useState(false);
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        setError(null);
        setNotFound(false);
        try {
          const found = await api<Page<ComplaintListItem>>(`/complaints${query({ trackingCode: trackingCodeDigits(code), status: [] })}`);
          // The complaint page takes the keyboard's focus to its heading (the code) when it opens.
          if (found.items[0]) navigate(`/staff/complaints/${found.items[0].id}`, { state: { focusHeading: true } });
          else setNotFound(true);
        } catch (err) {
          setError(err);
        }
      }}
    >
      <Group align="end" maw={480}>
        <TextInput
          label={t('کد رهگیری', 'Tracking code')}
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          dir="ltr"
          inputMode="numeric"
          style={{ flex: 1 }}
          autoFocus
        />
        <Button type="submit">{t('باز کردن', 'Open')}</Button>
      </Group>
      {notFound && (
        <Text c="red.9" mt="xs" role="alert">
          {t('در حوزهٔ دسترسی شما شکایتی با این کد نیست.', 'No complaint with this code in your scope.')}
        </Text>
      )}
      <ErrorAlert error={error} />
    </form>
  );
}
