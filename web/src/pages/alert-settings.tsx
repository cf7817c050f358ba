import { Alert, Anchor, Button, Card, Code, Container, Group, Radio, Select, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, type Reply } from '../api.ts';
import { ErrorAlert } from '../components.tsx';
import { asciiDigits, dateTime, digits } from '../format.ts';
import { useI18n } from '../i18n.tsx';

type AlertSettings = Reply<'/api/v1/notifications/settings', 'get'>;
type Channel = AlertSettings['channel'];
type LinkCode = Reply<'/api/v1/notifications/link-code', 'post'>;

const CHANNELS: { value: Channel; fa: string; en: string }[] = [
  { value: 'web', fa: 'فقط در همین سامانه', en: 'In this app only' },
  { value: 'sms', fa: 'پیامک', en: 'SMS' },
  { value: 'bale', fa: 'بله', en: 'Bale' },
  { value: 'telegram', fa: 'تلگرام', en: 'Telegram' },
];

/** Every half hour of the day, "HH:MM": quiet hours are picked, not typed, so no format can go wrong. */
const HALF_HOURS = Array.from({ length: 48 }, (_, i) => `${String(Math.floor(i / 2)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`);

/** The times offered, in the reader's digits, plus a saved time off the half-hour grid (set through the API) so it still shows. */
function timeOptions(saved: string | null, lang: 'fa' | 'en') {
  const times = saved && !HALF_HOURS.includes(saved) ? [...HALF_HOURS, saved].sort() : HALF_HOURS;
  return times.map((value) => ({ value, label: digits(value, lang) }));
}

/**
 * A one-time code (and the bots' deep links) that links the person's Telegram or Bale chat: they
 * open the link or send the code to the bot, which records the chat as their alert address.
 */
function ChatLinkCard({ onLinked }: { onLinked: () => void }) {
  const { t, lang } = useI18n();
  const issue = useMutation({ mutationFn: () => api<LinkCode>('/notifications/link-code', { method: 'POST' }) });
  const code = issue.data;
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Text fw={600}>{t('پیوند با بات بله یا تلگرام', 'Link your Bale or Telegram chat')}</Text>
        <Text size="sm">
          {t(
            'به جای نوشتن شناسهٔ گفتگو، یک کد یک‌بار مصرف بگیرید و پیوند بات را باز کنید یا کد را برای بات بفرستید. بات گفتگوی شما را ثبت می‌کند.',
            'Instead of typing a chat id, get a one-time code and open the bot’s link or send the code to the bot. The bot records your chat.',
          )}
        </Text>
        {code && (
          <Stack gap="xs" role="status">
            <Text size="sm">{t('کد اتصال شما:', 'Your link code:')}</Text>
            <Code fz="xl" dir="ltr" style={{ alignSelf: 'flex-start', letterSpacing: '0.15em' }}>
              {code.code}
            </Code>
            <Text size="sm" c="dimmed">
              {t(`تنها یک بار و تا ${dateTime(code.expiresAt, lang)} کار می‌کند.`, `Works once, until ${dateTime(code.expiresAt, lang)}.`)}
            </Text>
            {code.links.map((l) => (
              <Anchor key={l.channel} href={l.url} target="_blank" rel="noopener noreferrer">
                {l.channel === 'telegram' ? t('باز کردن بات در تلگرام', 'Open the bot in Telegram') : t('باز کردن بات در بله', 'Open the bot in Bale')}
              </Anchor>
            ))}
          </Stack>
        )}
        <ErrorAlert error={issue.error} />
        <Group>
          <Button variant={code ? 'default' : 'filled'} loading={issue.isPending} onClick={() => issue.mutate()}>
            {code ? t('کد تازه', 'A new code') : t('گرفتن کد اتصال', 'Get a link code')}
          </Button>
          {code && (
            <Button variant="subtle" onClick={onLinked}>
              {t('پیوند زدم؛ به‌روز کن', 'Done; refresh')}
            </Button>
          )}
        </Group>
      </Stack>
    </Card>
  );
}

/** Where alerts go besides this app: the channel and, for any but this app, the address. */
function ChannelCard({ form, set }: { form: AlertSettings; set: (patch: Partial<AlertSettings>) => void }) {
  const { t, lang } = useI18n();
  const addressLabel = form.channel === 'sms' ? t('شمارهٔ همراه', 'Mobile number') : t('شناسهٔ گفتگو (عددی)', 'Chat id (a number)');
  const addressHint =
    form.channel === 'sms'
      ? t('شماره‌ای که با ۰۹ آغاز می‌شود.', 'A number starting with 09.')
      : t('شناسهٔ عددی گفتگوی شما با بات سامانه در همین پیام‌رسان.', 'The numeric id of your chat with the service’s bot on this messenger.');
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Radio.Group label={t('راه دیگر رسیدن اعلان', 'Also send alerts by')} value={form.channel} onChange={(v) => set({ channel: v as Channel })}>
          <Stack gap="xs" mt="xs">
            {CHANNELS.map((c) => (
              <Radio key={c.value} value={c.value} label={t(c.fa, c.en)} />
            ))}
          </Stack>
        </Radio.Group>
        {form.channel !== 'web' && (
          <TextInput
            label={addressLabel}
            description={addressHint}
            value={digits(form.address ?? '', lang)}
            onChange={(e) => set({ address: asciiDigits(e.currentTarget.value) })}
            inputMode="tel"
            dir="ltr"
            required
            autoComplete={form.channel === 'sms' ? 'tel' : 'off'}
          />
        )}
      </Stack>
    </Card>
  );
}

/** The quiet hours in Tehran time, and whether a breach comes through them anyway. */
function QuietHoursCard(props: { form: AlertSettings; set: (patch: Partial<AlertSettings>) => void; quiet: boolean; onQuiet: (quiet: boolean) => void }) {
  const { t, lang } = useI18n();
  const { form, set, quiet } = props;
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Switch
          label={t('ساعت‌های آرام', 'Quiet hours')}
          description={t(
            'در این ساعت‌ها (به وقت تهران) پیامک و پیام‌رسان نگه داشته می‌شوند و پس از پایان آن فرستاده می‌شوند.',
            'During these hours (Tehran time) SMS and messenger alerts are held and sent when they end.',
          )}
          checked={quiet}
          onChange={(e) => props.onQuiet(e.currentTarget.checked)}
        />
        {quiet && (
          <Group grow gap="sm" wrap="nowrap">
            <Select
              label={t('از ساعت', 'From')}
              data={timeOptions(form.quietStart, lang)}
              value={form.quietStart ?? '22:00'}
              onChange={(v) => v && set({ quietStart: v })}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
              maxDropdownHeight={240}
            />
            <Select
              label={t('تا ساعت', 'Until')}
              data={timeOptions(form.quietEnd, lang)}
              value={form.quietEnd ?? '07:00'}
              onChange={(v) => v && set({ quietEnd: v })}
              allowDeselect={false}
              comboboxProps={{ withinPortal: true }}
              maxDropdownHeight={240}
            />
          </Group>
        )}
        <Switch
          label={t('گذشتن از مهلت در ساعت‌های آرام هم بیاید', 'Breaches come even in quiet hours')}
          description={t(
            'وقتی مهلت شکایتی گذشته و به سطح بالاتر رفته است. هشدارها و ارجاع‌های تازه همیشه تا صبح صبر می‌کنند.',
            'When a deadline was missed and the complaint went up a level. Warnings and new referrals always wait for the morning.',
          )}
          checked={form.urgentOverrides}
          disabled={!quiet}
          onChange={(e) => set({ urgentOverrides: e.currentTarget.checked })}
        />
      </Stack>
    </Card>
  );
}

/**
 * «اعلان‌ها»: where the signed-in person's own alerts go besides this app (SMS, Bale or Telegram),
 * the quiet hours in Tehran time when they are held, and whether a breach comes through anyway
 * (docs/staff-alerts.md). The API only ever reads and writes the session's own row.
 */
export function AlertSettingsPage() {
  const { t } = useI18n();
  const client = useQueryClient();
  const saved = useQuery({ queryKey: ['alert-settings'], queryFn: () => api<AlertSettings>('/notifications/settings') });
  const [form, setForm] = useState<AlertSettings | null>(null);
  const [quiet, setQuiet] = useState(false);
  useEffect(() => {
    if (!saved.data) return;
    setForm(saved.data);
    setQuiet(saved.data.quietStart !== null);
  }, [saved.data]);
  const save = useMutation({
    mutationFn: (body: AlertSettings) => api<AlertSettings>('/notifications/settings', { method: 'PUT', body }),
    onSuccess: (data) => client.setQueryData(['alert-settings'], data),
  });
  if (!form)
    return (
      <Container size="sm" px={0}>
        <Title order={1}>{t('اعلان‌ها', 'Alerts')}</Title>
        <ErrorAlert error={saved.error} />
      </Container>
    );
  const set = (patch: Partial<AlertSettings>) => {
    save.reset();
    setForm({ ...form, ...patch });
  };
  const submit = () =>
    save.mutate({
      ...form,
      address: form.channel === 'web' ? null : asciiDigits(form.address ?? '').trim(),
      quietStart: quiet ? (form.quietStart ?? '22:00') : null,
      quietEnd: quiet ? (form.quietEnd ?? '07:00') : null,
    });
  return (
    <Container size="sm" px={0}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="md">
          <Title order={1}>{t('اعلان‌ها', 'Alerts')}</Title>
          <Text size="sm">
            {t(
              'ارجاع تازه، هشدار مهلت، گذشتن از مهلت، اعتراض‌ها و اقدام‌های انضباطی (تذکر، تشویق، پیشنهاد برکناری) همیشه در کارتابل همین سامانه می‌آیند. اگر بخواهید، با پیامک یا پیام‌رسان هم برایتان فرستاده می‌شوند.',
              'New referrals, deadline warnings, breaches, appeals and enforcement actions (warnings, commendations, dismissal proposals) always reach your inbox in this app. If you wish, they are also sent to you by SMS or a messenger.',
            )}
          </Text>
          <ChannelCard form={form} set={set} />
          <ChatLinkCard onLinked={() => void saved.refetch()} />
          <QuietHoursCard
            form={form}
            set={set}
            quiet={quiet}
            onQuiet={(checked) => {
              save.reset();
              setQuiet(checked);
            }}
          />
          <ErrorAlert error={saved.error ?? save.error} />
          {save.isSuccess && (
            <Alert color="teal" role="status">
              {t('ذخیره شد.', 'Saved.')}
            </Alert>
          )}
          <Group>
            <Button type="submit" loading={save.isPending}>
              {t('ذخیره', 'Save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Container>
  );
}
