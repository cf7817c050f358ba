import { Anchor, Container, Group, Text, Title } from '@mantine/core';
import { Link, useSearchParams } from 'react-router';
import { useI18n } from '../i18n.tsx';
import { ComplaintQueue } from './queue.tsx';

/**
 * The agency inbox: the unit's open complaints, nearest deadline first. `?namedEmployee=` (from an
 * employee hotspot alert) narrows it to the complaints naming that person.
 */
export function InboxPage() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const namedEmployee = params.get('namedEmployee') ?? undefined;
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
      <ComplaintQueue key={namedEmployee ?? ''} label={t('کارتابل', 'Inbox')} fixed={namedEmployee ? { namedEmployee } : {}} />
    </Container>
  );
}
