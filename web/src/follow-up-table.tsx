import { Table, Text, Title } from '@mantine/core';
import type { ReportCard } from './api.ts';
import { num } from './format.ts';
import { useI18n } from './i18n.tsx';

type Tally = NonNullable<ReportCard['followUp']>[number];

/** The card's satisfaction follow-up calls per unit (docs/follow-up-calls.md): sample and outcomes, counts only. */
export function FollowUpTable({ rows }: { rows: Tally[] }) {
  const { t, lang } = useI18n();
  const label = t('تماس‌های پیگیری رضایت', 'Satisfaction follow-up calls');
  return (
    <>
      <Title order={2} size="h4" mb="xs">
        {label}
      </Title>
      {rows.length === 0 ? (
        <Text c="dimmed">{t('در این دوره تماس پیگیری‌ای نمونه‌گیری نشده است.', 'No follow-up calls were sampled in this period.')}</Text>
      ) : (
        <Table.ScrollContainer minWidth={320}>
          <Table striped aria-label={label} data-testid="follow-up-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('واحد', 'Unit')}</Table.Th>
                <Table.Th>{t('نمونه', 'Sample')}</Table.Th>
                <Table.Th>{t('راضی', 'Satisfied')}</Table.Th>
                <Table.Th>{t('ناراضی', 'Not satisfied')}</Table.Th>
                <Table.Th>{t('در دسترس نبود', 'Not reachable')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.unitId}>
                  <Table.Td>{r.unitNameFa}</Table.Td>
                  <Table.Td>{num(r.sampled, lang)}</Table.Td>
                  <Table.Td>{num(r.reachedSatisfied, lang)}</Table.Td>
                  <Table.Td>{num(r.reachedNotSatisfied, lang)}</Table.Td>
                  <Table.Td>{num(r.notReachable, lang)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </>
  );
}
