import { Button, Card, Container, Group, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { trackingCodeDigits } from '../format.ts';
import { useI18n } from '../i18n.tsx';

/** The citizen's front door: file a complaint, or follow one with its tracking code. */
export function CitizenHome() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const [code, setCode] = useState('');
  return (
    <Container size="md" py="lg">
      <Stack gap="lg">
        <div>
          <Title order={1}>{t('سامانهٔ فوریت‌های اداری ۱۲۸', 'The 128 administrative emergency line')}</Title>
          <Text size="lg" mt="sm">
            {t(
              'اگر در اداره‌ای با رفتار نامناسب، بلاتکلیفی، سرگردانی یا درخواست پول نابجا روبه‌رو شده‌اید، همین‌جا گزارش دهید. شکایت شما با کد رهگیری ثبت و بی‌درنگ به مسئول بازرسی دستگاه مربوط فرستاده می‌شود؛ شکایت‌های فوری ظرف ۳ ساعت پاسخ می‌گیرند.',
              'If an office treated you badly, left you without a decision, sent you from desk to desk or asked for improper payment, report it here. You get a tracking code and your complaint goes at once to the inspection head of that agency; urgent complaints are answered within 3 hours.',
            )}
          </Text>
        </div>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Card withBorder padding="lg">
            <Title order={2} size="h3">
              {t('ثبت شکایت', 'File a complaint')}
            </Title>
            <Text mt="xs" c="dimmed">
              {t('حدود ۳ دقیقه؛ با عکس یا فیلم اگر دارید.', 'About 3 minutes; add photos or video if you have them.')}
            </Text>
            <Button component={Link} to="/file" mt="md" size="md" fullWidth>
              {t('شروع ثبت شکایت', 'Start')}
            </Button>
          </Card>
          <Card withBorder padding="lg">
            <Title order={2} size="h3">
              {t('پیگیری شکایت', 'Track a complaint')}
            </Title>
            <form
              onSubmit={(e) => {
                e.preventDefault();
                const clean = trackingCodeDigits(code);
                if (clean) navigate(`/track/${clean}`, { state: { focusResult: true } });
              }}
            >
              <Group mt="xs" align="end" wrap="nowrap">
                <TextInput
                  label={t('کد رهگیری ۱۲ رقمی', '12-digit tracking code')}
                  value={code}
                  onChange={(e) => setCode(e.currentTarget.value)}
                  inputMode="numeric"
                  dir="ltr"
                  style={{ flex: 1 }}
                />
                <Button type="submit" variant="light">
                  {t('پیگیری', 'Track')}
                </Button>
              </Group>
            </form>
          </Card>
        </SimpleGrid>
        <Text size="sm" c="dimmed">
          {t(
            'از راه‌های دیگر هم می‌توانید شکایت کنید: تماس با ۱۲۸، پیامک به ۱۲۸، و بازوهای تلگرام و بله. از خارج از کشور هم شمارهٔ خود را با پیش‌شمارهٔ کشور وارد کنید.',
            'You can also call 128, text 128, or use our Telegram and Bale bots. From abroad, enter your number with its country code.',
          )}
        </Text>
      </Stack>
    </Container>
  );
}
