import { Alert, Badge, Button, Group, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, type TriageSuggestion, type Unit } from './api.ts';
import { digits } from './format.ts';
import { useI18n } from './i18n.tsx';

/** What accepting a suggestion fills in: the office, the category, and the place the office implies. */
export interface AcceptedSuggestion {
  unit: Unit;
  categoryId: number | null;
}

function Percent({ value }: { value: number }) {
  const { lang } = useI18n();
  return <>{digits(`${Math.round(value * 100)}`, lang)}٪</>;
}

/**
 * The triage suggestion on a complaint in the 128 queue (issue 15): the likeliest organisation,
 * its office in the complaint's place, the category and its urgency, each with the model's
 * confidence. Accepting fills the referral form; only the operator's «ارجاع» routes the complaint,
 * and that choice is what the model learns from.
 */
export function TriageSuggestionCard({ complaintId, onAccept }: { complaintId: string; onAccept(choice: AcceptedSuggestion): void }) {
  const { t, lang } = useI18n();
  const suggestion = useQuery({
    queryKey: ['triage', complaintId],
    queryFn: () => api<TriageSuggestion>(`/complaints/${complaintId}/triage`),
    staleTime: 60_000,
  });
  const s = suggestion.data;
  if (!s || s.organisations.length === 0) return null;
  const top = s.organisations[0]!;
  const category = s.categories[0];
  const office = s.unit ?? top.unit;
  return (
    <Alert color={s.confident ? 'teal' : 'gray'} variant="light" title={t('پیشنهاد سامانه', 'Suggested by Foad')} data-testid="triage-suggestion">
      <Stack gap={6}>
        <Text size="sm">
          {t('دستگاه:', 'Agency:')} <strong>{lang === 'fa' ? office.nameFa : office.nameEn}</strong>{' '}
          <Text span size="xs" c="dimmed">
            ({t('اطمینان', 'confidence')} <Percent value={top.probability} />)
          </Text>
        </Text>
        {category && (
          <Text size="sm">
            {t('نوع شکایت:', 'Category:')} <strong>{lang === 'fa' ? category.nameFa : category.nameEn}</strong>{' '}
            <Text span size="xs" c="dimmed">
              (<Percent value={category.probability} />)
            </Text>{' '}
            {category.urgent && (
              <Badge color="red.9" size="xs">
                {t('فوری', 'urgent')}
              </Badge>
            )}
          </Text>
        )}
        {s.organisations.length > 1 && (
          <Text size="xs" c="dimmed">
            {t('گزینه‌های دیگر: ', 'Other options: ')}
            {s.organisations
              .slice(1)
              .map((o) => `${lang === 'fa' ? o.unit.nameFa : o.unit.nameEn} (${digits(String(Math.round(o.probability * 100)), lang)}٪)`)
              .join('، ')}
          </Text>
        )}
        <Text size="xs" c="dimmed">
          {s.confident
            ? t(
                'این پیشنهاد از متن شکایت و ارجاع‌های پیشین اپراتورهای ۱۲۸ است. تا شما ارجاع ندهید چیزی ثبت نمی‌شود.',
                'From the complaint’s text and earlier referrals by 128 operators. Nothing is recorded until you refer.',
              )
            : t('اطمینان سامانه کم است؛ متن را بخوانید و خودتان تصمیم بگیرید.', 'Low confidence: read the text and decide yourself.')}
        </Text>
        <Group>
          <Button size="xs" variant="light" onClick={() => onAccept({ unit: office, categoryId: category?.id ?? null })}>
            {t('پذیرفتن پیشنهاد', 'Use this suggestion')}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

/**
 * On the citizen's form: once they have described what happened but not found the office, the
 * office the text most likely concerns in the place they chose, offered as a choice they confirm
 * with one tap. Shown only when the model is confident enough (TRIAGE_CONFIDENCE_PERCENT); the
 * text is not stored.
 */
export function FormSuggestion({
  description,
  place,
  visible,
  onAccept,
}: {
  description: string;
  place: { provinceId: number | null; countyId: number | null };
  visible: boolean;
  onAccept(choice: AcceptedSuggestion): void;
}) {
  const { t, lang } = useI18n();
  const [text, setText] = useState(description);
  useEffect(() => {
    const timer = setTimeout(() => setText(description.trim()), 700);
    return () => clearTimeout(timer);
  }, [description]);
  const suggestion = useQuery({
    queryKey: ['triage-suggest', text, place.provinceId, place.countyId],
    queryFn: () =>
      api<TriageSuggestion>('/triage/suggest', {
        body: { text, ...(place.countyId ? { countyId: place.countyId } : place.provinceId ? { provinceId: place.provinceId } : {}) },
      }),
    enabled: visible && place.provinceId !== null && text.length >= 20,
    staleTime: 5 * 60_000,
  });
  const s = suggestion.data;
  // Only with a place: the office offered is the one in the citizen's province or county.
  if (!visible || place.provinceId === null || !s?.confident || !s.unit) return null;
  const office = s.unit;
  const category = s.categories[0];
  return (
    <Alert color="teal" variant="light" data-testid="form-suggestion" aria-live="polite">
      <Stack gap={6}>
        <Text size="sm">
          {t('به نظر می‌رسد شکایت شما دربارهٔ ', 'Your complaint seems to be about ')}
          <strong>{lang === 'fa' ? office.nameFa : office.nameEn}</strong>
          {t(' است.', '.')}
        </Text>
        <Group>
          <Button size="xs" variant="light" onClick={() => onAccept({ unit: office, categoryId: category?.id ?? null })}>
            {t('همین اداره را انتخاب کن', 'Choose this office')}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
