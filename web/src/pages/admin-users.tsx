import { Badge, Button, Card, Grid, PasswordInput, Select, Stack, Table, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type Reply, type Role, type Unit } from '../api.ts';
import { AgencyPicker, ErrorAlert, useDivisions } from '../components.tsx';
import { useI18n } from '../i18n.tsx';
import { ROLE_NAMES } from '../role-names.ts';

type StaffRow = Reply<'/api/v1/admin/users', 'get'>['items'][number];

const UNIT_ROLES: Role[] = ['inspection_head', 'leader_senior', 'leader_middle', 'leader_county', 'responder'];

/** Staff users: list, create with a role and a scope (unit or province), deactivate. */
export function UsersAdmin() {
  const { t, lang } = useI18n();
  const client = useQueryClient();
  const users = useQuery({ queryKey: ['admin-users'], queryFn: () => api<{ items: StaffRow[] }>('/admin/users?pageSize=200').then((r) => r.items) });
  const deactivate = useMutation({
    mutationFn: (id: number) => api(`/admin/users/${id}/deactivate`, { method: 'POST' }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['admin-users'] }),
  });
  return (
    <Grid>
      <Grid.Col span={{ base: 12, md: 8 }}>
        <ErrorAlert error={users.error ?? deactivate.error} />
        <Table.ScrollContainer minWidth={600}>
          <Table striped aria-label={t('کاربران', 'Users')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('نام', 'Name')}</Table.Th>
                <Table.Th>{t('نام کاربری', 'Username')}</Table.Th>
                <Table.Th>{t('نقش', 'Role')}</Table.Th>
                <Table.Th>{t('وضعیت', 'State')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(users.data ?? []).map((u) => (
                <Table.Tr key={u.id}>
                  <Table.Td>{u.displayName}</Table.Td>
                  <Table.Td className="ltr">{u.username}</Table.Td>
                  <Table.Td>{ROLE_NAMES[u.role][lang]}</Table.Td>
                  <Table.Td>
                    {/* Filled: axe cannot settle a light badge's contrast (it reads "needs review"). */}
                    <Badge color={u.active ? 'teal.9' : 'gray.7'}>{u.active ? t('فعال', 'active') : t('غیرفعال', 'inactive')}</Badge>{' '}
                    {u.totpEnabled && <Badge color="blue.9">{t('ورود دومرحله‌ای', '2FA')}</Badge>}
                  </Table.Td>
                  <Table.Td>
                    {u.active && (
                      <Button size="compact-xs" variant="outline" color="red.9" onClick={() => deactivate.mutate(u.id)}>
                        {t('غیرفعال کن', 'Deactivate')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <CreateUser onCreated={() => client.invalidateQueries({ queryKey: ['admin-users'] })} />
      </Grid.Col>
    </Grid>
  );
}

function CreateUser({ onCreated }: { onCreated(): void }) {
  const { t, lang } = useI18n();
  const { data: provinces = [] } = useDivisions();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('responder');
  const [unit, setUnit] = useState<Unit | null>(null);
  const [provinceId, setProvinceId] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () =>
      api('/admin/users', {
        body: {
          username: username.trim(),
          displayName: displayName.trim(),
          password,
          role,
          unitId: UNIT_ROLES.includes(role) ? (unit?.id ?? null) : null,
          provinceId: role === 'provincial_supervisor' ? Number(provinceId) : null,
        },
      }),
    onSuccess: () => {
      setUsername('');
      setDisplayName('');
      setPassword('');
      onCreated();
    },
  });
  return (
    <Card withBorder>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Stack gap="xs">
          <Title order={2} size="h4">
            {t('کاربر تازه', 'New user')}
          </Title>
          <TextInput label={t('نام و نام خانوادگی', 'Full name')} value={displayName} onChange={(e) => setDisplayName(e.currentTarget.value)} required />
          <TextInput label={t('نام کاربری', 'Username')} value={username} onChange={(e) => setUsername(e.currentTarget.value)} required dir="ltr" />
          <PasswordInput
            label={t('گذرواژهٔ نخست', 'Initial password')}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            required
            dir="ltr"
          />
          <Select
            label={t('نقش', 'Role')}
            data={(Object.keys(ROLE_NAMES) as Role[]).map((r) => ({ value: r, label: ROLE_NAMES[r][lang] }))}
            value={role}
            onChange={(v) => setRole((v as Role) ?? 'responder')}
            allowDeselect={false}
          />
          {UNIT_ROLES.includes(role) && <AgencyPicker label={t('واحد', 'Unit')} value={unit} onChange={setUnit} required />}
          {role === 'provincial_supervisor' && (
            <Select
              label={t('استان', 'Province')}
              data={provinces.map((p) => ({ value: String(p.id), label: lang === 'fa' ? p.nameFa : p.nameEn }))}
              value={provinceId}
              onChange={setProvinceId}
              searchable
              required
            />
          )}
          <ErrorAlert error={create.error} />
          <Button type="submit" loading={create.isPending}>
            {t('ساختن', 'Create')}
          </Button>
        </Stack>
      </form>
    </Card>
  );
}
