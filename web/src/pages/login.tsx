import { Alert, Button, Card, Center, Code, Container, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { ApiError, api, type Staff } from '../api.ts';
import { ErrorAlert } from '../components.tsx';
import { asciiDigits } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { QrCode } from '../qr-code.tsx';

interface Enrolment {
  secret: string;
  uri: string;
}

/** Errors that are steps of the sign-in, not failures to show. */
const STEPS = new Set(['totp_required', 'totp_enrolment_required']);

/**
 * Staff sign-in: password, then the two-factor code. A role that must have TOTP and has none
 * yet is shown a new secret (QR code and text) right here; its first code signs in and turns it on.
 */
export function LoginPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const client = useQueryClient();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needsTotp, setNeedsTotp] = useState(false);
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const enrol = useMutation({
    mutationFn: () => api<Enrolment>('/auth/totp/enrol', { body: { username: username.trim(), password } }),
    onSuccess: (result) => {
      setEnrolment(result);
      setNeedsTotp(true);
    },
  });
  const login = useMutation({
    mutationFn: () => api<{ user: Staff }>('/auth/login', { body: { username: username.trim(), password, ...(needsTotp ? { totp: asciiDigits(totp) } : {}) } }),
    onSuccess: ({ user }) => {
      client.setQueryData(['me'], user);
      const next = params.get('next');
      navigate(next?.startsWith('/staff') ? next : '/staff', { replace: true });
    },
    onError: (error) => {
      if (!(error instanceof ApiError)) return;
      if (error.code === 'totp_required') setNeedsTotp(true);
      if (error.code === 'totp_enrolment_required' && !enrolment) enrol.mutate();
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
            <CredentialFields username={username} password={password} onUsername={setUsername} onPassword={setPassword} />
            {enrolment && <EnrolmentPanel enrolment={enrolment} />}
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
            {!(login.error instanceof ApiError && STEPS.has(login.error.code) && !totp) && <ErrorAlert error={login.error} />}
            <ErrorAlert error={enrol.error} />
            <Button type="submit" loading={login.isPending || enrol.isPending}>
              {t('ورود', 'Sign in')}
            </Button>
          </Stack>
        </form>
      </Card>
    </Container>
  );
}

/** The user name and password. */
function CredentialFields(props: { username: string; password: string; onUsername(value: string): void; onPassword(value: string): void }) {
  const { t } = useI18n();
  return (
    <>
      <TextInput
        label={t('نام کاربری', 'Username')}
        value={props.username}
        onChange={(e) => props.onUsername(e.currentTarget.value)}
        required
        autoComplete="username"
        dir="ltr"
      />
      <PasswordInput
        label={t('گذرواژه', 'Password')}
        value={props.password}
        onChange={(e) => props.onPassword(e.currentTarget.value)}
        required
        autoComplete="current-password"
        dir="ltr"
      />
    </>
  );
}

/** The new second factor: scan the QR code or type the key, then enter the app's code above the button. */
function EnrolmentPanel({ enrolment }: { enrolment: Enrolment }) {
  const { t } = useI18n();
  return (
    <Alert color="blue" title={t('راه‌اندازی ورود دومرحله‌ای', 'Set up two-factor sign-in')}>
      <Stack gap="xs">
        <Text size="sm">
          {t(
            'این نقش بدون ورود دومرحله‌ای باز نمی‌شود. این کد را با برنامهٔ رمزساز گوشی بخوانید، یا کلید زیر را در آن بنویسید؛ سپس کد شش‌رقمی برنامه را وارد کنید.',
            'This role cannot sign in without a second factor. Scan this code with an authenticator app, or type the key below into it; then enter the app’s six-digit code.',
          )}
        </Text>
        <Center>
          <QrCode text={enrolment.uri} label={t('کد تصویری ورود دومرحله‌ای', 'Two-factor QR code')} />
        </Center>
        <Text size="sm">{t('کلید:', 'Key:')}</Text>
        <Code block dir="ltr" data-testid="totp-secret">
          {enrolment.secret}
        </Code>
        <Text size="sm">{t('نشانی برای برنامه:', 'Address for the app:')}</Text>
        <Code block dir="ltr" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} data-testid="totp-uri">
          {enrolment.uri}
        </Code>
      </Stack>
    </Alert>
  );
}
