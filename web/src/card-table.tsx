import { Badge, Table, Text } from '@mantine/core';
import { num } from './format.ts';
import { useI18n } from './i18n.tsx';
import { CARD_COLUMNS, type CardGroup, MEASURE_LABELS, measureText, useMeasureDefinitions } from './measures.ts';

/** Report-card rows (provinces, agencies, units, managers) with the measures as columns. */
export function CardTable({ groups, label, nameHeader }: { groups: CardGroup[]; label: string; nameHeader: string }) {
  const { t, lang } = useI18n();
  const { data: definitions } = useMeasureDefinitions();
  const definition = (field: string) => {
    const d = definitions?.measures.find((m) => m.field === field);
    return d ? (lang === 'fa' ? d.fa : d.en) : undefined;
  };
  return (
    <Table.ScrollContainer minWidth={1000}>
      <Table striped highlightOnHover aria-label={label} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{nameHeader}</Table.Th>
            {CARD_COLUMNS.map((c) => (
              <Table.Th key={c} title={definition(c)}>
                {MEASURE_LABELS[c]?.[lang] ?? c}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {groups.map((g) => (
            <Table.Tr key={`${g.level}-${g.id}-${g.provinceId ?? ''}`}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {lang === 'fa' ? g.nameFa : g.nameEn || g.nameFa}
                </Text>
                {!g.measures.enoughData && (
                  <Badge size="xs" color="gray.8" variant="outline">
                    {t('دادهٔ کافی نیست', 'not enough data')}
                  </Badge>
                )}
              </Table.Td>
              {CARD_COLUMNS.map((c) =>
                c === 'rank' && g.league && g.measures.rank !== null ? (
                  <Table.Td key={c} data-testid="rank-interval">
                    {measureText(g.measures, c, lang)}
                    <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                      {g.league.rankLow === g.league.rankHigh
                        ? t('به احتمال زیاد همین', 'plausibly this one')
                        : t(
                            `به احتمال زیاد ${num(g.league.rankLow, lang)} تا ${num(g.league.rankHigh, lang)}`,
                            `plausibly ${g.league.rankLow}–${g.league.rankHigh}`,
                          )}
                    </Text>
                  </Table.Td>
                ) : (
                  <Table.Td key={c}>{measureText(g.measures, c, lang)}</Table.Td>
                ),
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
