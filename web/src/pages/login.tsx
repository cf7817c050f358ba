import { Button, Card, Container, PasswordInput, Stack, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError, api, type Staff } from '../api.ts';
import { ErrorAlert } from '../components.tsx';
import { asciiDigits } from '../format.ts';
import { useI18n } from '../i18n.tsx';

/** Staff sign-in: password, then the two-factor code when the account has one. */
export function LoginPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const client = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needsTotp, setNeedsTotp] = useState(false);
  const login = useMutation({
    mutationFn: () => api<{ user: Staff }>('/auth/login', { body: { username: username.trim(), password, ...(needsTotp ? { totp: asciiDigits(totp) } : {}) } }),
    onSuccess: ({ user }) => {
      client.setQueryData(['me'], user);
      const next = params.get('next');
      navigate(next?.startsWith('/staff') ? next : '/staff', { replace: true });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'totp_required') setNeedsTotp(true);
    },
  });
  return (
    <Container size={420} py="xl">
      <Card withBorder padding="lg">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            login.mutate();
          }}
        >
          <Stack>
            <Title order={1} size="h3">
              {t('ورود کارکنان', 'Staff sign-in')}
            </Title>
            <TextInput
              label={t('نام کاربری', 'Username')}
              value={username}
              onChange={(e) => setUsername(e.currentTarget.value)}
              required
              autoComplete="username"
              dir="ltr"
            />
            <PasswordInput
              label={t('گذرواژه', 'Password')}
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              required
              autoComplete="current-password"
              dir="ltr"
            />
            {needsTotp && (
              <TextInput
                label={t('کد ورود دومرحله‌ای', 'Two-factor code')}
                value={totp}
                onChange={(e) => setTotp(e.currentTarget.value)}
                inputMode="numeric"
                autoComplete="one-time-code"
                dir="ltr"
                autoFocus
              />
            )}
            {!(login.error instanceof ApiError && login.error.code === 'totp_required' && !totp) && <ErrorAlert error={login.error} />}
            <Button type="submit" loading={login.isPending}>
              {t('ورود', 'Sign in')}
            </Button>
          </Stack>
        </form>
      </Card>
    </Container>
  );
}
