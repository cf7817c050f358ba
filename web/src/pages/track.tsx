import { Alert, Button, Card, Checkbox, Container, Group, PinInput, Radio, Stack, Text, Textarea, TextInput, Timeline, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import { ApiError, api, type CitizenView, type PublicStatus } from '../api.ts';
import { ErrorAlert, StatusBadge, TrackingCode, useCategories, When } from '../components.tsx';
import { asciiDigits, EVENT_NAMES, nameOf, trackingCodeDigits } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { citizenToken } from '../session.tsx';
import { AWAITING_STAFF_STATUSES } from '../statuses.ts';
import { AttachmentList, AttachmentView } from './attachments.tsx';

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

function CitizenFullView({ code }: { code: string }) {
  const { t, lang } = useI18n();
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
                  <PinInput length={6} type="number" value={otp} onChange={setOtp} oneTimeCode aria-label={t('رمز یک‌بار مصرف', 'One-time code')} dir="ltr" />
                  <Button type="submit" loading={verify.isPending} disabled={otp.length < 6}>
                    {t('تأیید', 'Verify')}
                  </Button>
                </Group>
              </Stack>
            </form>
          )}
          <ErrorAlert error={sendOtp.error ?? verify.error ?? (full.error instanceof ApiError && full.error.status !== 401 ? full.error : null)} />
        </Stack>
      </Card>
    );
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
      {view.answer && (
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
      )}
      <AttachmentList
        complaintId={view.trackingCode}
        citizen={{ code, token, attachments: view.attachments }}
        canUpload={!['closed', 'rejected'].includes(view.status)}
      />
      {view.canRate && <RatingForm code={code} token={token} onDone={refresh} />}
      {view.canObject && <ObjectionForm code={code} token={token} onDone={refresh} />}
      {view.allowedActions.includes('appeal') && <AppealForm code={code} token={token} onDone={refresh} />}
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
    </Stack>
  );
}

function RatingForm({ code, token, onDone }: { code: string; token: string; onDone(): void }) {
  const { t, lang } = useI18n();
  const { data: catalogue } = useCategories();
  const [choice, setChoice] = useState<string>('');
  const [comment, setComment] = useState('');
  const [indicators, setIndicators] = useState<string[]>([]);
  const rate = useMutation({
    mutationFn: () =>
      api(`/track/${code}/rating`, {
        token,
        body: {
          satisfied: choice === 'yes',
          ...(comment.trim() ? { comment: comment.trim() } : {}),
          ...(choice === 'no' && indicators.length ? { indicators } : {}),
        },
      }),
    onSuccess: onDone,
  });
  return (
    <Card withBorder>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          rate.mutate();
        }}
      >
        <Stack gap="sm">
          <Radio.Group label={t('از پاسخ راضی هستید؟', 'Are you satisfied with the answer?')} value={choice} onChange={setChoice} required>
            <Group mt="xs">
              <Radio value="yes" label={t('راضی هستم', 'Satisfied')} />
              <Radio value="no" label={t('راضی نیستم', 'Not satisfied')} />
            </Group>
          </Radio.Group>
          {choice === 'no' && (
            <Checkbox.Group
              label={t('کجای کار ایراد داشت؟ (شاخص‌های کیفیت)', 'What went wrong? (quality indicators)')}
              value={indicators}
              onChange={setIndicators}
            >
              <Stack gap={4} mt="xs">
                {(catalogue?.indicators ?? [])
                  .filter((i) => i.active)
                  .map((i) => (
                    <Checkbox key={i.id} value={i.code} label={lang === 'fa' ? i.nameFa : i.nameEn} />
                  ))}
              </Stack>
            </Checkbox.Group>
          )}
          <Textarea label={t('توضیح (اختیاری)', 'Comment (optional)')} value={comment} onChange={(e) => setComment(e.currentTarget.value)} maxLength={2000} />
          {choice === 'no' && (
            <Alert color="blue">
              {t(
                'با اعلام نارضایتی، شکایت به یک سطح بالاتر از همان دستگاه فرستاده می‌شود.',
                'If you are not satisfied, the complaint goes one level up in the agency.',
              )}
            </Alert>
          )}
          <ErrorAlert error={rate.error} />
          <Button type="submit" disabled={!choice} loading={rate.isPending}>
            {t('ثبت نظر', 'Send my rating')}
          </Button>
        </Stack>
      </form>
    </Card>
  );
}

function ObjectionForm({ code, token, onDone }: { code: string; token: string; onDone(): void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const object = useMutation({ mutationFn: () => api(`/track/${code}/objection`, { token, body: { reason: reason.trim() } }), onSuccess: onDone });
  return (
    <Card withBorder>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          object.mutate();
        }}
      >
        <Stack gap="sm">
          <Textarea
            label={t('اعتراض به رد شکایت', 'Object to the rejection')}
            description={t('با اعتراض، شکایت به یک سطح بالاتر فرستاده می‌شود.', 'An objection sends the complaint one level up.')}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            required
            minLength={3}
          />
          <ErrorAlert error={object.error} />
          <Button type="submit" color="orange.9" loading={object.isPending}>
            {t('ثبت اعتراض', 'Object')}
          </Button>
        </Stack>
      </form>
    </Card>
  );
}

/** The one appeal to the province's supervisors, offered only when the API allows it (at the top of the agency, once). */
function AppealForm({ code, token, onDone }: { code: string; token: string; onDone(): void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const appeal = useMutation({ mutationFn: () => api(`/track/${code}/appeal`, { token, body: { reason: reason.trim() } }), onSuccess: onDone });
  if (!open) {
    return (
      <Button variant="outline" color="orange.9" onClick={() => setOpen(true)}>
        {t('درخواست تجدیدنظر', 'Appeal')}
      </Button>
    );
  }
  return (
    <Card withBorder>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          appeal.mutate();
        }}
      >
        <Stack gap="sm">
          <Textarea
            label={t('درخواست تجدیدنظر نزد ناظر استان', 'Appeal to the provincial supervisors')}
            description={t(
              'شکایت شما به بالاترین سطح دستگاه رسیده است. اگر هنوز ناراضی هستید، گروه نظارت استان یک بار دیگر آن را بررسی می‌کند. تجدیدنظر فقط یک بار ممکن است.',
              'Your complaint has reached the top of the agency. If you are still not satisfied, the provincial supervisors review it once more. You can appeal only once.',
            )}
            value={reason}
            onChange={(e) => setReason(e.currentTarget.value)}
            required
            minLength={3}
            maxLength={2000}
          />
          <ErrorAlert error={appeal.error} />
          <Button type="submit" color="orange.9" loading={appeal.isPending}>
            {t('ثبت درخواست تجدیدنظر', 'Send my appeal')}
          </Button>
        </Stack>
      </form>
    </Card>
  );
}
