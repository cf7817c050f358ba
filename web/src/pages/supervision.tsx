import { Container, Tabs, Title } from '@mantine/core';
import { useI18n } from '../i18n.tsx';
import { AppealsPanel } from './appeals.tsx';
import { ComplaintQueue } from './queue.tsx';

/** Supervision (provincial group, national centre): every agency in scope, by what needs attention. */
export function SupervisionPage() {
  const { t } = useI18n();
  return (
    <Container size="xl">
      <Title order={1} mb="md">
        {t('نظارت', 'Supervision')}
      </Title>
      <Tabs defaultValue="breached" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="breached">{t('گذشته از مهلت', 'Breached')}</Tabs.Tab>
          <Tabs.Tab value="escalated">{t('ارجاع‌شده به بالا', 'Escalated')}</Tabs.Tab>
          <Tabs.Tab value="dissatisfied">{t('نارضایتی‌ها', 'Dissatisfied')}</Tabs.Tab>
          <Tabs.Tab value="appeals">{t('تجدیدنظرها', 'Appeals')}</Tabs.Tab>
          <Tabs.Tab value="all">{t('همهٔ شکایت‌ها', 'All complaints')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="breached" pt="md">
          <ComplaintQueue label={t('گذشته از مهلت', 'Breached')} fixed={{ overdue: true }} showProvince />
        </Tabs.Panel>
        <Tabs.Panel value="escalated" pt="md">
          <ComplaintQueue label={t('ارجاع‌شده به بالا', 'Escalated')} fixed={{ escalated: true }} showProvince />
        </Tabs.Panel>
        <Tabs.Panel value="dissatisfied" pt="md">
          <ComplaintQueue label={t('نارضایتی‌ها', 'Dissatisfied')} fixed={{ dissatisfied: true, sort: 'newest' }} showProvince />
        </Tabs.Panel>
        <Tabs.Panel value="appeals" pt="md">
          <AppealsPanel />
        </Tabs.Panel>
        <Tabs.Panel value="all" pt="md">
          <ComplaintQueue label={t('همهٔ شکایت‌ها', 'All complaints')} showProvince />
        </Tabs.Panel>
      </Tabs>
    </Container>
  );
}
