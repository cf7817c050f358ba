import { Badge, Card, Group, Stack, Text, Title } from '@mantine/core';
import type { ComplaintDetail } from '../../api.ts';
import { Countdown, StatusBadge, TrackingCode, When } from '../../components.tsx';
import { CHANNEL_NAMES, nameOf, num } from '../../format.ts';
import { useI18n } from '../../i18n.tsx';
import { CaseFacts } from '../case-links.tsx';

/** The tracking code (the page's heading), the status and the clock. */
export function ComplaintHeader({ c, open, heading }: { c: ComplaintDetail; open: boolean; heading(el: HTMLHeadingElement | null): void }) {
  const { t } = useI18n();
  return (
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
  );
}

/** Urgent, confidential, channel and the counters as badges. */
function FactBadges({ c }: { c: ComplaintDetail }) {
  const { t, lang } = useI18n();
  return (
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
  );
}

/** The facts of the case: who handles it, where, what kind, when filed and when due. */
export function FactsCard({ c, open }: { c: ComplaintDetail; open: boolean }) {
  const { t } = useI18n();
  return (
    <Card withBorder>
      <Stack gap={6}>
        <FactBadges c={c} />
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
  );
}

/** The citizen's description and, once given, the answer. */
export function TextCards({ c }: { c: ComplaintDetail }) {
  const { t } = useI18n();
  return (
    <>
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
    </>
  );
}
