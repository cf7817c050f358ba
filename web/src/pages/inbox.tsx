import { Anchor, Container, Group, Text, Title } from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import type { Status } from '../api.ts';
import { STATUS_NAMES } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { ComplaintQueue } from './queue.tsx';

/**
 * The agency inbox: the unit's open complaints, nearest deadline first. `?namedEmployee=&unitId=`
 * (from an employee hotspot alert) narrows it to the complaints naming that person at that office,
 * in every status — the alert counted closed ones too.
 */
const ALL_STATUSES = Object.keys(STATUS_NAMES) as Status[];

export function InboxPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const namedEmployee = params.get('namedEmployee') ?? undefined;
  const unitId = Number(params.get('unitId')) || undefined;
  return (
    <Container size="xl">
      <Title order={1} mb="md">
        {t('کارتابل شکایت‌ها', 'Complaints inbox')}
      </Title>
      {namedEmployee && (
        <Group mb="sm" gap="xs">
          <Text>
            {t('شکایت‌هایی که از این کارمند نام برده‌اند: ', 'Complaints naming this employee: ')}
            <b>{namedEmployee}</b>
          </Text>
          <Anchor component={Link} to="/staff/inbox">
            {t('همهٔ شکایت‌ها', 'All complaints')}
          </Anchor>
        </Group>
      )}
      <ComplaintQueue
        key={`${namedEmployee ?? ''}:${unitId ?? ''}`}
        label={t('کارتابل', 'Inbox')}
        fixed={namedEmployee ? { namedEmployee, status: ALL_STATUSES, ...(unitId ? { unitId } : {}) } : {}}
      />
    </Container>
  );
}
