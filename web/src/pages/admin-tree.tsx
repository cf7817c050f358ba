import { Badge, Button, Card, FileInput, Grid, Group, Select, Stack, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { api, type Unit, type UnitKind } from '../api.ts';
import { AgencyPicker, ErrorAlert, PlacePicker } from '../components.tsx';
import { useI18n } from '../i18n.tsx';

const CHILD_KIND: Record<UnitKind, UnitKind | null> = {
  ministry: 'organisation',
  organisation: 'provincial_directorate',
  provincial_directorate: 'county_office',
  county_office: null,
};

/** The agency tree: browse it, add a unit under the selected one, move it, deactivate it, import CSV. */
export function AgencyTreeAdmin() {
  const { t } = useI18n();
  const client = useQueryClient();
  const [filter, setFilter] = useState('');
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const tree = useQuery({ queryKey: ['admin-tree'], queryFn: () => api<{ items: Unit[] }>('/agencies?includeInactive=true&limit=5000').then((r) => r.items) });
  const units = tree.data ?? [];
  const selected = units.find((u) => u.id === selectedId) ?? null;
  const visible = useMemo(() => {
    const f = filter.trim();
    // Without a search: the top two levels, and the children of every unit on the way to the selected one.
    if (!f) {
      const pathById = new Map(units.map((u) => [u.id, u.path]));
      const opened = (u: Unit) => u.parentId !== null && selected?.path.startsWith(pathById.get(u.parentId) ?? '~') === true;
      return units.filter((u) => u.depth <= 1 || opened(u));
    }
    return units.filter((u) => u.nameFa.includes(f) || u.nameEn.toLowerCase().includes(f.toLowerCase()) || u.code.includes(f));
  }, [units, filter, selected]);
  const refresh = () => client.invalidateQueries({ queryKey: ['admin-tree'] });
  const kindName: Record<UnitKind, string> = {
    ministry: t('وزارتخانه', 'Ministry'),
    organisation: t('سازمان', 'Organisation'),
    provincial_directorate: t('اداره‌کل استان', 'Provincial directorate'),
    county_office: t('ادارهٔ شهرستان', 'County office'),
  };
  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 7 }}>
        <Card withBorder>
          <TextInput label={t('جست‌وجو در درخت', 'Search the tree')} value={filter} onChange={(e) => setFilter(e.currentTarget.value)} mb="sm" />
          <ErrorAlert error={tree.error} />
          <Stack gap={2} mah={560} style={{ overflowY: 'auto' }} role="tree" aria-label={t('درخت دستگاه‌ها', 'Agency tree')}>
            {visible.map((u) => (
              <UnstyledButton
                key={u.id}
                role="treeitem"
                aria-selected={u.id === selectedId}
                onClick={() => setSelectedId(u.id)}
                style={{
                  paddingInlineStart: `${u.depth * 1.2}rem`,
                  background: u.id === selectedId ? 'var(--mantine-color-blue-0)' : undefined,
                  borderRadius: 4,
                }}
                p={4}
              >
                <Group gap={6} wrap="nowrap">
                  <Text size="sm" td={u.active ? undefined : 'line-through'}>
                    {u.nameFa}
                  </Text>
                  <Badge size="xs" variant="outline" color="gray.7">
                    {kindName[u.kind]}
                  </Badge>
                </Group>
              </UnstyledButton>
            ))}
          </Stack>
        </Card>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 5 }}>
        <Stack>
          {selected && <UnitCard unit={selected} kindName={kindName} onChanged={refresh} />}
          <AddUnit parent={selected} kindName={kindName} onAdded={refresh} />
          <ImportUnits onImported={refresh} />
        </Stack>
      </Grid.Col>
    </Grid>
  );
}

function UnitCard({ unit, kindName, onChanged }: { unit: Unit; kindName: Record<UnitKind, string>; onChanged(): void }) {
  const { t } = useI18n();
  const [parent, setParent] = useState<Unit | null>(null);
  const move = useMutation({ mutationFn: () => api(`/admin/units/${unit.id}`, { method: 'PATCH', body: { parentId: parent?.id } }), onSuccess: onChanged });
  const deactivate = useMutation({ mutationFn: () => api(`/admin/units/${unit.id}/deactivate`, { method: 'POST' }), onSuccess: onChanged });
  return (
    <Card withBorder>
      <Title order={2} size="h4">
        {unit.nameFa}
      </Title>
      <Text size="sm" c="dimmed">
        {kindName[unit.kind]} · <span className="ltr">{unit.code}</span> · {unit.active ? t('فعال', 'active') : t('غیرفعال', 'inactive')}
      </Text>
      <Stack gap="xs" mt="sm">
        <AgencyPicker label={t('جابه‌جایی زیر', 'Move under')} value={parent} onChange={setParent} />
        <Group>
          <Button size="xs" onClick={() => move.mutate()} disabled={!parent} loading={move.isPending}>
            {t('جابه‌جا کن', 'Move')}
          </Button>
          {unit.active && (
            <Button
              size="xs"
              color="red.9"
              variant="light"
              loading={deactivate.isPending}
              onClick={() => {
                if (confirm(t('این واحد و زیرمجموعه‌اش غیرفعال شوند؟', 'Deactivate this unit and everything under it?'))) deactivate.mutate();
              }}
            >
              {t('غیرفعال کن', 'Deactivate')}
            </Button>
          )}
        </Group>
        <ErrorAlert error={move.error ?? deactivate.error} />
      </Stack>
    </Card>
  );
}

function AddUnit({ parent, kindName, onAdded }: { parent: Unit | null; kindName: Record<UnitKind, string>; onAdded(): void }) {
  const { t } = useI18n();
  const kind: UnitKind | null = parent ? CHILD_KIND[parent.kind] : 'ministry';
  const [code, setCode] = useState('');
  const [nameFa, setNameFa] = useState('');
  const [nameEn, setNameEn] = useState('');
  const [place, setPlace] = useState<{ provinceId: number | null; countyId: number | null }>({ provinceId: null, countyId: null });
  const [rootKind, setRootKind] = useState<UnitKind>('ministry');
  const effectiveKind = parent ? kind : rootKind;
  const add = useMutation({
    mutationFn: () =>
      api('/admin/units', {
        body: {
          code: code.trim(),
          parentId: parent?.id ?? null,
          kind: effectiveKind,
          nameFa: nameFa.trim(),
          ...(nameEn.trim() ? { nameEn: nameEn.trim() } : {}),
          provinceId: place.provinceId ?? parent?.provinceId ?? null,
          countyId: place.countyId,
        },
      }),
    onSuccess: () => {
      setCode('');
      setNameFa('');
      setNameEn('');
      onAdded();
    },
  });
  if (!effectiveKind) return null;
  return (
    <Card withBorder>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        <Stack gap="xs">
          <Title order={2} size="h4">
            {parent
              ? t(`افزودن ${kindName[effectiveKind]} زیر «${parent.nameFa}»`, `Add a ${kindName[effectiveKind]} under “${parent.nameFa}”`)
              : t('افزودن دستگاه ریشه', 'Add a top-level agency')}
          </Title>
          {!parent && (
            <Select
              label={t('نوع', 'Kind')}
              data={[
                { value: 'ministry', label: kindName.ministry },
                { value: 'organisation', label: kindName.organisation },
              ]}
              value={rootKind}
              onChange={(v) => setRootKind((v as UnitKind) ?? 'ministry')}
              allowDeselect={false}
            />
          )}
          <TextInput label={t('کد', 'Code')} value={code} onChange={(e) => setCode(e.currentTarget.value)} required dir="ltr" />
          <TextInput label={t('نام فارسی', 'Persian name')} value={nameFa} onChange={(e) => setNameFa(e.currentTarget.value)} required />
          <TextInput label={t('نام انگلیسی', 'English name')} value={nameEn} onChange={(e) => setNameEn(e.currentTarget.value)} dir="ltr" />
          {(effectiveKind === 'provincial_directorate' || effectiveKind === 'county_office') && (
            <PlacePicker provinceId={place.provinceId ?? parent?.provinceId ?? null} countyId={place.countyId} onChange={setPlace} required />
          )}
          <ErrorAlert error={add.error} />
          <Button type="submit" loading={add.isPending}>
            {t('افزودن', 'Add')}
          </Button>
        </Stack>
      </form>
    </Card>
  );
}

function ImportUnits({ onImported }: { onImported(): void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const run = useMutation({
    mutationFn: async () =>
      api<{ created: number; updated: number }>('/admin/units/import', { body: await file!.text(), headers: { 'content-type': 'text/csv' } }),
    onSuccess: onImported,
  });
  return (
    <Card withBorder>
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('ورود درخت از پرونده', 'Import from CSV')}
        </Title>
        <Text size="xs" c="dimmed" className="ltr">
          code,parent_code,kind,name_fa,name_en,province_code,county_code
        </Text>
        <FileInput label={t('پروندهٔ جدول (با جداکنندهٔ ویرگول)', 'CSV file')} accept=".csv,text/csv" value={file} onChange={setFile} clearable />
        <ErrorAlert error={run.error} />
        {run.data && (
          <Text c="teal.9" role="status">
            {t(`${run.data.created} واحد تازه، ${run.data.updated} به‌روز شد.`, `${run.data.created} created, ${run.data.updated} updated.`)}
          </Text>
        )}
        <Button onClick={() => run.mutate()} disabled={!file} loading={run.isPending}>
          {t('ورود (همه یا هیچ)', 'Import (all or nothing)')}
        </Button>
      </Stack>
    </Card>
  );
}
