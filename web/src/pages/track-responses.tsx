import { Alert, Button, Card, Checkbox, Group, Radio, Stack, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type CitizenView } from '../api.ts';
import { ErrorAlert, useCategories } from '../components.tsx';
import { useI18n } from '../i18n.tsx';

/**
 * What the citizen may say back, each offered only when the API allows it: a rating of the
 * answer, an objection to a rejection, and the one appeal to the province's supervisors.
 */
export function CitizenResponses({ view, code, token, onDone }: { view: CitizenView; code: string; token: string; onDone(): void }) {
  return (
    <>
      {view.canRate && <RatingForm code={code} token={token} onDone={onDone} />}
      {view.canObject && <ObjectionForm code={code} token={token} onDone={onDone} />}
      {view.allowedActions.includes('appeal') && <AppealForm code={code} token={token} onDone={onDone} />}
    </>
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
