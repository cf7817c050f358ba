import { Container, Tabs, Text, Title } from '@mantine/core';
import { useI18n } from '../i18n.tsx';
import { useStaff } from '../session.tsx';
import { CatalogueAdmin } from './admin-catalogue.tsx';
import { CalendarAdmin, SlaAdmin } from './admin-sla.tsx';
import { AgencyTreeAdmin } from './admin-tree.tsx';
import { UsersAdmin } from './admin-users.tsx';

/** The national administrator's pages: agency tree, users, catalogue, SLA policies, holidays. */
export function AdminPage() {
  const { t } = useI18n();
  const { staff } = useStaff();
  if (staff?.role !== 'national_admin')
    return <Text role="alert">{t('این بخش فقط برای مدیر ملی سامانه است.', 'Only the national administrator may use this page.')}</Text>;
  return (
    <Container size="xl">
      <Title order={1} mb="md">
        {t('مدیریت سامانه', 'Administration')}
      </Title>
      <Tabs defaultValue="tree" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="tree">{t('درخت دستگاه‌ها', 'Agency tree')}</Tabs.Tab>
          <Tabs.Tab value="users">{t('کاربران و نقش‌ها', 'Users and roles')}</Tabs.Tab>
          <Tabs.Tab value="catalogue">{t('انواع شکایت و شاخص‌ها', 'Categories and indicators')}</Tabs.Tab>
          <Tabs.Tab value="sla">{t('مهلت‌های پاسخ', 'SLA policies')}</Tabs.Tab>
          <Tabs.Tab value="calendar">{t('تقویم تعطیلات', 'Holiday calendar')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="tree" pt="md">
          <AgencyTreeAdmin />
        </Tabs.Panel>
        <Tabs.Panel value="users" pt="md">
          <UsersAdmin />
        </Tabs.Panel>
        <Tabs.Panel value="catalogue" pt="md">
          <CatalogueAdmin />
        </Tabs.Panel>
        <Tabs.Panel value="sla" pt="md">
          <SlaAdmin />
        </Tabs.Panel>
        <Tabs.Panel value="calendar" pt="md">
          <CalendarAdmin />
        </Tabs.Panel>
      </Tabs>
    </Container>
  );
}
