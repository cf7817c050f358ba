import { Button, Card, Container, Group, PinInput, Stack, Text, TextInput, Timeline, Title } from '@mantine/core';
import { type UseMutationResult, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import { ApiError, api, type CitizenView, type PublicStatus } from '../api.ts';
import { ErrorAlert, StatusBadge, TrackingCode, When } from '../components.tsx';
import { asciiDigits, EVENT_NAMES, nameOf, trackingCodeDigits } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { citizenToken } from '../session.tsx';
import { AWAITING_STAFF_STATUSES } from '../statuses.ts';
import { AttachmentList, AttachmentView } from './attachments.tsx';
import { CitizenResponses } from './track-responses.tsx';

/** Track by code: public status for anyone with the code; the full view after a one-time code by SMS. */
export function TrackPage() {
  const { t } = useI18n();
  const { code: routeCode } = useParams();
  const navigate = useNavigate();
  const [input, setInput] = useState(routeCode ?? '');
  // A link or a typed address may carry the code grouped, dashed or in Persian digits.
  const code = routeCode ? trackingCodeDigits(routeCode) : null;
  // After the lookup form is sent, the keyboard's focus moves to what it found.
  const fromHome = (useLocation().state as { focusResult?: boolean } | null)?.focusResult === true;
  const lookedUp = useRef(fromHome);
  const result = (el: HTMLDivElement | null) => {
    if (el && lookedUp.current) {
      lookedUp.current = false;
      el.focus();
    }
  };
  const status = useQuery({
    queryKey: ['track', code],
    queryFn: () => api<PublicStatus>(`/track/${code}`),
    enabled: code !== null,
    retry: false,
  });
  return (
    <Container size="sm" py="md">
      <Stack gap="md">
        <Title order={1}>{t('پیگیری شکایت', 'Track a complaint')}</Title>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const clean = trackingCodeDigits(input);
            lookedUp.current = true;
            if (clean) navigate(`/track/${clean}`);
          }}
        >
          <Group align="end" wrap="nowrap">
            <TextInput
              label={t('کد رهگیری ۱۲ رقمی', '12-digit tracking code')}
              value={input}
              onChange={(e) => setInput(e.currentTarget.value)}
              inputMode="numeric"
              dir="ltr"
              style={{ flex: 1 }}
            />
            <Button type="submit">{t('پیگیری', 'Track')}</Button>
          </Group>
        </form>
        <ErrorAlert error={status.error} />
        {status.data && (
          <Card withBorder ref={result} tabIndex={-1} aria-live="polite" data-testid="track-result">
            <Stack gap="xs">
              <Group justify="space-between">
                <Text className="tracking-code" fz="xl" data-testid="track-code">
                  <TrackingCode code={status.data.trackingCode} />
                </Text>
                <StatusBadge status={status.data.status} />
              </Group>
              {status.data.referredTo && (
                <Text>
                  {t('رسیدگی در: ', 'Handled by: ')}
                  {status.data.referredTo.name}
                </Text>
              )}
              <Text size="sm">
                {t('ثبت: ', 'Filed: ')}
                <When iso={status.data.createdAt} />
              </Text>
              {status.data.dueAt && (AWAITING_STAFF_STATUSES as readonly string[]).includes(status.data.status) && (
                <Text size="sm">
                  {t('مهلت پاسخ: ', 'Answer due: ')}
                  <When iso={status.data.dueAt} />
                </Text>
              )}
            </Stack>
          </Card>
        )}
        {status.data && code && <CitizenFullView code={code} />}
      </Stack>
    </Container>
  );
}

/** The one-time code by SMS that opens the full view: ask for it, then type it. */
function OtpCard(props: {
  sendOtp: UseMutationResult<{ sentTo: string; expiresInSeconds: number }, Error, void>;
  verify: UseMutationResult<{ token: string }, Error, void>;
  otp: string;
  onOtp: (otp: string) => void;
  error: unknown;
}) {
  const { t } = useI18n();
  const { sendOtp, verify, otp } = props;
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Text fw={500}>
          {t(
            'برای دیدن جزئیات، پاسخ و نظر دادن، رمز یک‌بار مصرف به تلفن شما فرستاده می‌شود.',
            'To see details and the answer, and to rate, we text a one-time code to your phone.',
          )}
        </Text>
        {!sendOtp.data ? (
          <Button onClick={() => sendOtp.mutate()} loading={sendOtp.isPending} variant="light">
            {t('فرستادن رمز یک‌بار مصرف', 'Send me a one-time code')}
          </Button>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              verify.mutate();
            }}
          >
            <Stack gap="xs">
              <Text size="sm">
                {t('رمز به این شماره فرستاده شد: ', 'Code sent to: ')}
                <span className="ltr">{sendOtp.data.sentTo}</span>
              </Text>
              <Group align="end">
                <PinInput length={6} type="number" value={otp} onChange={props.onOtp} oneTimeCode aria-label={t('رمز یک‌بار مصرف', 'One-time code')} dir="ltr" />
                <Button type="submit" loading={verify.isPending} disabled={otp.length < 6}>
                  {t('تأیید', 'Verify')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
        <ErrorAlert error={props.error} />
      </Stack>
    </Card>
  );
}

/** The agency's answer and the evidence the office gave of its action. */
function AnswerCard({ view, code, token }: { view: CitizenView; code: string; token: string }) {
  const { t } = useI18n();
  return (
    <Card withBorder style={{ borderColor: 'var(--mantine-color-teal-6)' }}>
      <Title order={2} size="h4">
        {t('پاسخ دستگاه', 'The agency’s answer')}
      </Title>
      <Text className="pre-wrap" mt="xs" data-testid="answer">
        {view.answer}
      </Text>
      {view.answeredAt && (
        <Text size="sm" c="dimmed" mt="xs">
          <When iso={view.answeredAt} />
        </Text>
      )}
      {view.evidence.length > 0 && (
        // What the office gave as proof of its action, shown with the answer it backs.
        <Stack gap={4} mt="xs" data-testid="answer-evidence">
          <Text size="sm">{t('مستند اقدام دستگاه:', 'Evidence of the office’s action:')}</Text>
          <Group>
            {view.evidence.map((a) => (
              <AttachmentView key={a.id} base={`/track/${code}/attachments`} attachment={a} token={token} />
            ))}
          </Group>
        </Stack>
      )}
    </Card>
  );
}

/** What has happened to the complaint, oldest first. */
function TimelineCard({ view }: { view: CitizenView }) {
  const { t, lang } = useI18n();
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="sm">
        {t('روند رسیدگی', 'What has happened')}
      </Title>
      <Timeline bulletSize={14} lineWidth={2} active={view.timeline.length}>
        {view.timeline.map((event) => (
          <Timeline.Item key={event.seq} title={nameOf(EVENT_NAMES, event.type, lang)}>
            {event.unit && <Text size="sm">{event.unit}</Text>}
            {event.text && (
              <Text size="sm" className="pre-wrap">
                {event.text}
              </Text>
            )}
            <Text size="xs" c="dimmed">
              <When iso={event.at} />
            </Text>
          </Timeline.Item>
        ))}
      </Timeline>
    </Card>
  );
}

/** The complaint as the citizen filed it, the answer, attachments, what they may say back and the timeline. */
function CitizenFullView({ code }: { code: string }) {
  const { t } = useI18n();
  const client = useQueryClient();
  const [token, setToken] = useState(() => citizenToken.get(code));
  const [otp, setOtp] = useState('');
  const sendOtp = useMutation({ mutationFn: () => api<{ sentTo: string; expiresInSeconds: number }>(`/track/${code}/otp`, { method: 'POST' }) });
  const verify = useMutation({
    mutationFn: () => api<{ token: string }>(`/track/${code}/otp/verify`, { body: { otp: asciiDigits(otp) } }),
    onSuccess: ({ token }) => {
      citizenToken.set(code, token);
      setToken(token);
    },
  });
  const full = useQuery({
    queryKey: ['track-full', code, token],
    queryFn: () => api<CitizenView>(`/track/${code}/full`, { token }),
    enabled: token !== null,
    retry: false,
  });
  // An expired token (30 minutes) sends the person back to asking for a new code.
  const expired = full.error instanceof ApiError && full.error.status === 401;
  useEffect(() => {
    if (!expired) return;
    citizenToken.clear(code);
    setToken(null);
  }, [expired, code]);
  if (!token || !full.data) {
    const error = sendOtp.error ?? verify.error ?? (full.error instanceof ApiError && full.error.status !== 401 ? full.error : null);
    return <OtpCard sendOtp={sendOtp} verify={verify} otp={otp} onOtp={setOtp} error={error} />;
  }
  const view = full.data;
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['track-full', code] });
    void client.invalidateQueries({ queryKey: ['track', code] });
  };
  return (
    <Stack gap="md">
      <Card withBorder>
        <Stack gap="xs">
          <Title order={2} size="h4">
            {t('شکایت شما', 'Your complaint')}
          </Title>
          <Text size="sm" c="dimmed">
            {[view.agency?.nameFa ?? view.officeText, view.provinceNameFa, view.countyNameFa, view.categoryNameFa].filter(Boolean).join(' · ')}
          </Text>
          <Text className="pre-wrap">{view.description}</Text>
        </Stack>
      </Card>
      {view.answer && <AnswerCard view={view} code={code} token={token} />}
      <AttachmentList
        complaintId={view.trackingCode}
        citizen={{ code, token, attachments: view.attachments }}
        canUpload={!['closed', 'rejected'].includes(view.status)}
      />
      <CitizenResponses view={view} code={code} token={token} onDone={refresh} />
      <TimelineCard view={view} />
    </Stack>
  );
}
