import { Alert, Badge, Combobox, Loader, Select, Text, TextInput, Tooltip, useCombobox } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ApiError, api, type Category, type Indicator, type Province, query, type Status, type Unit } from './api.ts';
import { countdown, dateTime, gregorian, groupedTrackingCode, STATUS_NAMES } from './format.ts';
import { useI18n } from './i18n.tsx';

/** An API error in the reader's language, with the fields the server named. */
export function ErrorAlert({ error }: { error: unknown }) {
  const { lang, t } = useI18n();
  if (!error) return null;
  const text = error instanceof ApiError ? error.text(lang) : t('خطایی پیش آمد.', 'Something went wrong.');
  const fields = error instanceof ApiError && Array.isArray(error.details) ? (error.details as { field?: string }[]).map((d) => d.field).filter(Boolean) : [];
  return (
    <Alert color="red" role="alert" title={t('انجام نشد', 'Not done')}>
      {text}
      {fields.length > 0 && (
        <Text size="sm" mt={4} className="ltr">
          {fields.join(', ')}
        </Text>
      )}
    </Alert>
  );
}

/** A Jalali date-time; staff see the Gregorian one on hover. */
export function When({ iso, gregorianOnHover = false }: { iso: string; gregorianOnHover?: boolean }) {
  const { lang } = useI18n();
  const text = <time dateTime={iso}>{dateTime(iso, lang)}</time>;
  return gregorianOnHover ? (
    <Tooltip label={gregorian(iso)} withArrow>
      <span>{text}</span>
    </Tooltip>
  ) : (
    text
  );
}

/**
 * A tracking code grouped 4-4-4 in the reader's digits, isolated left to right (`<bdi dir="ltr">`)
 * so the surrounding right-to-left text cannot reorder its groups; on paper too.
 */
export function TrackingCode({ code, className }: { code: string; className?: string }) {
  const { lang } = useI18n();
  return (
    <bdi dir="ltr" className={['tracking-code-digits', className].filter(Boolean).join(' ')} data-code={code} translate="no">
      {groupedTrackingCode(code, lang)}
    </bdi>
  );
}

export function StatusBadge({ status }: { status: Status }) {
  const { lang } = useI18n();
  const s = STATUS_NAMES[status];
  return (
    <Badge color={s.color} variant="light" size="lg" radius="sm">
      {s[lang]}
    </Badge>
  );
}

/** The time left to a deadline, ticking every 30 s: orange when warned (under 20%), red once breached. */
export function Countdown({ dueAt, createdAt, open }: { dueAt: string | null; createdAt?: string; open: boolean }) {
  const { lang } = useI18n();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  if (!dueAt || !open) return <Text c="dimmed">—</Text>;
  const { text, overdue } = countdown(dueAt, now, lang);
  const total = createdAt ? new Date(dueAt).getTime() - new Date(createdAt).getTime() : 0;
  const left = new Date(dueAt).getTime() - now;
  const warned = !overdue && total > 0 && left / total < 0.2;
  const state = overdue ? 'breached' : warned ? 'warned' : 'ok';
  return (
    <Badge color={overdue ? 'red.9' : warned ? 'orange.9' : 'gray.8'} variant={overdue || warned ? 'filled' : 'outline'} data-sla={state} radius="sm">
      {text}
    </Badge>
  );
}

export function useDivisions() {
  return useQuery({ queryKey: ['divisions'], queryFn: () => api<{ items: Province[] }>('/divisions').then((r) => r.items), staleTime: Infinity });
}

export function useCategories() {
  return useQuery({ queryKey: ['categories'], queryFn: () => api<{ items: Category[]; indicators: Indicator[] }>('/categories'), staleTime: 300_000 });
}

/** Province then county, each a searchable list in the reader's language. */
export function PlacePicker({
  provinceId,
  countyId,
  onChange,
  required = false,
}: {
  provinceId: number | null;
  countyId: number | null;
  onChange(place: { provinceId: number | null; countyId: number | null }): void;
  required?: boolean;
}) {
  const { t, lang } = useI18n();
  const { data: provinces = [] } = useDivisions();
  const province = provinces.find((p) => p.id === provinceId);
  return (
    <>
      <Select
        label={t('استان', 'Province')}
        placeholder={t('استان را انتخاب کنید', 'Choose the province')}
        searchable
        required={required}
        data={provinces.map((p) => ({ value: String(p.id), label: lang === 'fa' ? p.nameFa : p.nameEn }))}
        value={provinceId ? String(provinceId) : null}
        onChange={(v) => onChange({ provinceId: v ? Number(v) : null, countyId: null })}
        nothingFoundMessage={t('پیدا نشد', 'Nothing found')}
      />
      <Select
        label={t('شهرستان', 'County')}
        placeholder={t('شهرستان را انتخاب کنید', 'Choose the county')}
        searchable
        disabled={!province}
        data={(province?.counties ?? []).map((c) => ({ value: String(c.id), label: lang === 'fa' ? c.nameFa : c.nameEn }))}
        value={countyId ? String(countyId) : null}
        onChange={(v) => onChange({ provinceId, countyId: v ? Number(v) : null })}
        nothingFoundMessage={t('پیدا نشد', 'Nothing found')}
      />
    </>
  );
}

/**
 * The place an office implies: a county office its province and county, a provincial
 * directorate its province (keeping a county already chosen there). Null for national units.
 */
export function placeOfUnit(
  unit: Unit | null,
  current: { provinceId: number | null; countyId: number | null },
): { provinceId: number | null; countyId: number | null } | null {
  if (!unit?.provinceId) return null;
  const keepCounty = unit.countyId === null && current.provinceId === unit.provinceId;
  return { provinceId: unit.provinceId, countyId: unit.countyId ?? (keepCounty ? current.countyId : null) };
}

/** Search the agency tree by a Persian or English name (server-side search, as the citizen types). */
export function AgencyPicker({
  value,
  onChange,
  label,
  provinceId,
  countyId,
  required = false,
}: {
  value: Unit | null;
  onChange(unit: Unit | null): void;
  label?: string;
  /** The place already chosen: its offices rank first. */
  provinceId?: number | null;
  countyId?: number | null;
  required?: boolean;
}) {
  const { t, lang } = useI18n();
  const combobox = useCombobox();
  const [search, setSearch] = useState(value ? value.nameFa : '');
  const [debounced, setDebounced] = useState(search);
  // A unit chosen from outside the box (a triage suggestion accepted) shows its name here too.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only when another unit is chosen
  useEffect(() => {
    if (value) setSearch(lang === 'fa' ? value.nameFa : value.nameEn);
  }, [value?.id]);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(search), 250);
    return () => clearTimeout(timer);
  }, [search]);
  const { data, isFetching } = useQuery({
    queryKey: ['agencies', debounced, provinceId ?? null, countyId ?? null],
    queryFn: () =>
      api<{ items: Unit[] }>(
        `/agencies${query({ q: debounced.trim() || undefined, preferProvinceId: provinceId ?? undefined, preferCountyId: countyId ?? undefined, limit: 30 })}`,
      ).then((r) => r.items),
    enabled: debounced.trim().length >= 2,
  });
  const kindName: Record<Unit['kind'], string> = {
    ministry: t('وزارتخانه', 'Ministry'),
    organisation: t('سازمان', 'Organisation'),
    provincial_directorate: t('اداره‌کل استان', 'Provincial directorate'),
    county_office: t('ادارهٔ شهرستان', 'County office'),
  };
  const items = (data ?? []).filter((u) => u.active);
  return (
    <Combobox
      store={combobox}
      onOptionSubmit={(id) => {
        const unit = items.find((u) => String(u.id) === id) ?? null;
        onChange(unit);
        setSearch(unit ? (lang === 'fa' ? unit.nameFa : unit.nameEn) : '');
        combobox.closeDropdown();
      }}
    >
      <Combobox.Target>
        <TextInput
          label={label ?? t('دستگاه اجرایی', 'Agency')}
          placeholder={t('نام دستگاه یا اداره را بنویسید، مثلاً «ثبت احوال»', 'Type the office name, e.g. “Civil Registration”')}
          required={required}
          value={search}
          rightSection={isFetching ? <Loader size={16} /> : null}
          onChange={(e) => {
            setSearch(e.currentTarget.value);
            if (value) onChange(null);
            combobox.openDropdown();
          }}
          onFocus={() => combobox.openDropdown()}
          onBlur={() => combobox.closeDropdown()}
        />
      </Combobox.Target>
      <Combobox.Dropdown hidden={debounced.trim().length < 2}>
        <Combobox.Options mah={280} style={{ overflowY: 'auto' }}>
          {items.length === 0 ? (
            <Combobox.Empty>{isFetching ? t('در حال جست‌وجو…', 'Searching…') : t('دستگاهی پیدا نشد', 'No agency found')}</Combobox.Empty>
          ) : (
            items.map((u) => (
              <Combobox.Option value={String(u.id)} key={u.id}>
                <Text size="sm">{lang === 'fa' ? u.nameFa : u.nameEn}</Text>
                <Text size="xs" c="dimmed">
                  {kindName[u.kind]}
                </Text>
              </Combobox.Option>
            ))
          )}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}
