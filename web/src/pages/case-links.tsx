import { Anchor, Badge, Group, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { ComplaintDetail } from '../api.ts';
import { TrackingCode } from '../components.tsx';
import { useI18n } from '../i18n.tsx';

/**
 * Intake-trust facts for staff (issue 11): whether the phone was proved by who sent it, whether
 * the citizen agreed to share their identity with the agency, and the complaints of the same
 * phone linked as one case (only those in the reader's scope come from the server).
 */
export function CaseFacts({ c }: { c: ComplaintDetail }) {
  const { t } = useI18n();
  const links = [...(c.linkedCase ? [c.linkedCase] : []), ...c.linkedComplaints];
  return (
    <>
      <Group gap="xs">
        <Badge variant="light" color={c.phoneVerified ? 'teal.9' : 'gray.7'} data-testid="phone-verified">
          {c.phoneVerified ? t('تلفن تأییدشده', 'verified phone') : t('تلفن تأییدنشده', 'unverified phone')}
        </Badge>
        <Badge variant="light" color={c.shareIdentity ? 'blue.9' : 'dark'}>
          {c.shareIdentity ? t('رضایت به نمایش هویت', 'identity shared') : t('بدون رضایت به نمایش هویت', 'identity not shared')}
        </Badge>
      </Group>
      {links.length > 0 && (
        <Text size="sm" data-testid="case-links">
          <b>{c.linkedCase ? t('پیوسته به پرونده: ', 'Linked to case: ') : t('شکایت‌های پیوسته: ', 'Linked complaints: ')}</b>
          {links.map((l, i) => (
            <span key={l.id}>
              {i > 0 && '، '}
              <Anchor component={Link} to={`/staff/complaints/${l.id}`}>
                <TrackingCode code={l.trackingCode} />
              </Anchor>
            </span>
          ))}
        </Text>
      )}
    </>
  );
}
