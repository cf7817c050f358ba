import { Card, Table, Text, Title } from '@mantine/core';
import type { ReportCard } from './api.ts';
import { num } from './format.ts';
import { useI18n } from './i18n.tsx';

/**
 * A report card's incidents, counted apart from single complaints (issue 15): one outage is one
 * cause however many citizens complained about it. Staff card and portal alike.
 */
export function IncidentCounts({ counts }: { counts: ReportCard['incidents'] }) {
  const { t, lang } = useI18n();
  if (!counts) return null;
  return (
    <Card withBorder data-testid="incident-counts">
      <Title order={2} size="h4" mb="xs">
        {t('رخدادها (یک علت، شکایت‌های بسیار)', 'Incidents (one cause, many complaints)')}
      </Title>
      <Text size="sm" mb="xs">
        {t(
          `${num(counts.incidents, lang)} رخداد با ${num(counts.linkedComplaints, lang)} شکایت پیوسته`,
          `${counts.incidents} incidents with ${counts.linkedComplaints} linked complaints`,
        )}
      </Text>
      {counts.organisations.length > 0 && (
        <Table.ScrollContainer minWidth={300}>
          <Table aria-label={t('رخدادهای هر دستگاه', 'Incidents per organisation')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('دستگاه', 'Organisation')}</Table.Th>
                <Table.Th>{t('رخداد', 'Incidents')}</Table.Th>
                <Table.Th>{t('شکایت پیوسته', 'Linked complaints')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {counts.organisations.map((o) => (
                <Table.Tr key={o.id}>
                  <Table.Td>{o.nameFa}</Table.Td>
                  <Table.Td>{num(o.incidents, lang)}</Table.Td>
                  <Table.Td>{num(o.linkedComplaints, lang)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
