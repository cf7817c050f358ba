import { Container, Title } from '@mantine/core';
import { useI18n } from '../i18n.tsx';
import { ComplaintQueue } from './queue.tsx';

/** The agency inbox: the unit's open complaints, nearest deadline first. */
export function InboxPage() {
  const { t } = useI18n();
  return (
    <Container size="xl">
      <Title order={1} mb="md">
        {t('کارتابل شکایت‌ها', 'Complaints inbox')}
      </Title>
      <ComplaintQueue label={t('کارتابل', 'Inbox')} />
    </Container>
  );
}
