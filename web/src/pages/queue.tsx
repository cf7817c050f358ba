import { Badge, Group, MultiSelect, Pagination, Select, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { api, type ComplaintListItem, type Page, query, type Status } from '../api.ts';
import { Countdown, ErrorAlert, StatusBadge, TrackingCode, useDivisions, When } from '../components.tsx';
import { CHANNEL_NAMES, nameOf, num, STATUS_NAMES, trackingCodeDigits } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { AWAITING_STAFF_STATUSES } from '../statuses.ts';

export interface QueueFilters {
  status?: Status[];
  overdue?: boolean;
  mine?: boolean;
  escalated?: boolean;
  dissatisfied?: boolean;
  triage?: boolean;
  provinceId?: number;
  /** Complaints naming this employee, however written (inspection roles; from an employee hotspot alert). */
  namedEmployee?: string;
  /** With namedEmployee: the person's office (the alert's). */
  unitId?: number;
  q?: string;
  sort?: 'due' | 'newest' | 'oldest';
}

const OPEN: Status[] = [...AWAITING_STAFF_STATUSES];
const PAGE_SIZE = 25;

type Sort = 'due' | 'newest' | 'oldest';

/** The filters a person changes while working, each with its setter; `q` is the search as submitted. */
function useQueueFilters(fixed: QueueFilters) {
  const [status, setStatus] = useState<Status[]>(fixed.status ?? OPEN);
  const [overdue, setOverdue] = useState(false);
  const [mine, setMine] = useState(false);
  const [provinceId, setProvinceId] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const [sort, setSort] = useState<Sort>(fixed.sort ?? 'due');
  return { status, setStatus, overdue, setOverdue, mine, setMine, provinceId, setProvinceId, search, setSearch, q, setQ, sort, setSort };
}

type FilterState = ReturnType<typeof useQueueFilters>;

/** The filter bar: search, status, province, order and the two switches; a fixed filter hides its control. */
function QueueFilterBar({ f, fixed, showProvince }: { f: FilterState; fixed: QueueFilters; showProvince: boolean }) {
  const { t, lang } = useI18n();
  const { data: provinces = [] } = useDivisions();
  return (
    <Group align="end" gap="sm">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          f.setQ(f.search.trim());
        }}
        style={{ flex: '1 1 16rem' }}
      >
        <TextInput
          label={t('جست‌وجو در متن شکایت‌ها یا کد رهگیری', 'Search the complaints’ text or a tracking code')}
          value={f.search}
          onChange={(e) => f.setSearch(e.currentTarget.value)}
          description={
            lang === 'fa' ? (
              <>
                برای جست‌وجو کلید <kbd>Enter</kbd> را بزنید
              </>
            ) : (
              'Press Enter to search'
            )
          }
        />
      </form>
      {!fixed.status && (
        <MultiSelect
          label={t('وضعیت', 'Status')}
          data={(Object.keys(STATUS_NAMES) as Status[]).map((s) => ({ value: s, label: STATUS_NAMES[s][lang] }))}
          value={f.status}
          onChange={(v) => f.setStatus(v as Status[])}
          style={{ flex: '1 1 18rem' }}
          clearable
        />
      )}
      {showProvince && (
        <Select
          label={t('استان', 'Province')}
          data={provinces.map((p) => ({ value: String(p.id), label: lang === 'fa' ? p.nameFa : p.nameEn }))}
          value={f.provinceId}
          onChange={f.setProvinceId}
          clearable
          searchable
        />
      )}
      <Select
        label={t('ترتیب', 'Order')}
        data={[
          { value: 'due', label: t('نزدیک‌ترین مهلت', 'Nearest deadline') },
          { value: 'newest', label: t('تازه‌ترین', 'Newest') },
          { value: 'oldest', label: t('قدیمی‌ترین', 'Oldest') },
        ]}
        value={f.sort}
        onChange={(v) => f.setSort((v as Sort) ?? 'due')}
        allowDeselect={false}
        w={170}
      />
      {fixed.overdue === undefined && (
        <Switch label={t('فقط گذشته از مهلت', 'Overdue only')} checked={f.overdue} onChange={(e) => f.setOverdue(e.currentTarget.checked)} />
      )}
      <Switch label={t('فقط واگذارشده به من', 'Assigned to me')} checked={f.mine} onChange={(e) => f.setMine(e.currentTarget.checked)} />
    </Group>
  );
}

/** One complaint's row; on a phone its first cell repeats the status and the deadline. */
function QueueRow({ c }: { c: ComplaintListItem }) {
  const { t, lang } = useI18n();
  return (
    <Table.Tr data-testid="queue-row" data-code={c.trackingCode}>
      <Table.Td>
        <Link to={`/staff/complaints/${c.id}`}>
          <TrackingCode code={c.trackingCode} />
        </Link>
        <Group gap={4} mt={2}>
          {c.urgent && (
            <Badge color="red.9" size="xs">
              {t('فوری', 'urgent')}
            </Badge>
          )}
          {c.confidential && (
            <Badge color="dark" size="xs">
              {t('محرمانه', 'confidential')}
            </Badge>
          )}
          <Badge color="gray.7" variant="outline" size="xs">
            {nameOf(CHANNEL_NAMES, c.channel, lang)}
          </Badge>
        </Group>
        {/* On a phone the status and deadline columns are scrolled out of sight: repeat them here. */}
        <Stack gap={4} mt={4} align="flex-start" hiddenFrom="sm" data-testid="queue-row-phone">
          <StatusBadge status={c.status} />
          <Countdown dueAt={c.dueAt} createdAt={c.createdAt} open={OPEN.includes(c.status)} />
        </Stack>
      </Table.Td>
      <Table.Td>
        <StatusBadge status={c.status} />
      </Table.Td>
      <Table.Td>
        <Countdown dueAt={c.dueAt} createdAt={c.createdAt} open={OPEN.includes(c.status)} />
      </Table.Td>
      <Table.Td>
        <Text size="sm">{c.unit?.nameFa ?? c.officeText ?? '—'}</Text>
        <Text size="xs" c="dimmed">
          {[c.provinceNameFa, c.countyNameFa].filter(Boolean).join('، ')}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{c.categoryNameFa ?? '—'}</Text>
        <Text size="xs" c="dimmed" lineClamp={1} maw={260}>
          {c.excerpt}
        </Text>
      </Table.Td>
      <Table.Td>{c.assigneeName ?? '—'}</Table.Td>
      <Table.Td>
        <Text size="xs">
          <When iso={c.createdAt} gregorianOnHover />
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

/** The table of complaints, wide enough to scroll sideways on a phone. */
function QueueTable({ items, label }: { items: ComplaintListItem[]; label: string }) {
  const { t } = useI18n();
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table striped highlightOnHover aria-label={label} verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('کد رهگیری', 'Tracking code')}</Table.Th>
            <Table.Th>{t('وضعیت', 'Status')}</Table.Th>
            <Table.Th>{t('مهلت', 'Deadline')}</Table.Th>
            <Table.Th>{t('دستگاه / واحد', 'Agency / unit')}</Table.Th>
            <Table.Th>{t('نوع', 'Category')}</Table.Th>
            <Table.Th>{t('کارشناس', 'Assignee')}</Table.Th>
            <Table.Th>{t('ثبت', 'Filed')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((c) => (
            <QueueRow key={c.id} c={c} />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/**
 * The work queue: complaints in the viewer's scope (the server decides the scope), ordered by
 * deadline, with ticking countdowns and the filters a person changes while working.
 */
export function ComplaintQueue({ fixed = {}, showProvince = false, label }: { fixed?: QueueFilters; showProvince?: boolean; label: string }) {
  const { t } = useI18n();
  const f = useQueueFilters(fixed);
  const { status, overdue, mine, provinceId, q, sort } = f;
  const [page, setPage] = useState(1);
  // biome-ignore lint/correctness/useExhaustiveDependencies: back to the first page whenever a filter changes
  useEffect(() => setPage(1), [status, overdue, mine, provinceId, q, sort]);
  // A tracking code typed in the search box (grouped, dashed, Persian digits) finds that complaint in any status.
  const code = isTrackingCode(q) ? trackingCodeDigits(q) : null;
  const params = {
    status: code ? [] : status,
    overdue: fixed.overdue ?? overdue,
    mine,
    escalated: fixed.escalated,
    dissatisfied: fixed.dissatisfied,
    triage: fixed.triage,
    provinceId: provinceId ?? fixed.provinceId,
    namedEmployee: fixed.namedEmployee,
    unitId: fixed.unitId,
    sort,
    page,
    pageSize: PAGE_SIZE,
    ...(code ? { trackingCode: code } : { q: q || undefined }),
  };
  const list = useQuery({
    queryKey: ['complaints', params],
    queryFn: () => api<Page<ComplaintListItem>>(`/complaints${query(params as never)}`),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
  return (
    <Stack gap="sm">
      <QueueFilterBar f={f} fixed={fixed} showProvince={showProvince} />
      <ErrorAlert error={list.error} />
      <Text size="sm" c="dimmed" aria-live="polite">
        {list.data ? countLine(list.data, t) : t('در حال بارگیری…', 'Loading…')}
      </Text>
      <QueueTable items={list.data?.items ?? []} label={label} />
      {list.data && list.data.total > PAGE_SIZE && (
        <Pagination
          total={Math.ceil(list.data.total / PAGE_SIZE)}
          value={page}
          onChange={setPage}
          getControlProps={() => ({ 'aria-label': t('صفحه', 'page') })}
        />
      )}
    </Stack>
  );
}

/** How many the queue holds; past the server's count cap (a national scope) "more than 10,000". */
function countLine(data: Page<unknown>, t: (fa: string, en: string) => string): string {
  const fa = num(data.total, 'fa');
  const en = num(data.total, 'en');
  return data.totalCapped ? t(`بیش از ${fa} شکایت`, `More than ${en} complaints`) : t(`${fa} شکایت`, `${en} complaints`);
}

/** Twelve digits, maybe grouped with spaces or dashes, in any script: a tracking code, not words to search for. */
function isTrackingCode(text: string): boolean {
  return /^[\d۰-۹٠-٩\s-]+$/.test(text) && trackingCodeDigits(text).length === 12;
}
