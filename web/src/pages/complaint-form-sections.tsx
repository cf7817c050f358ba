import { Button, Card, Checkbox, FileInput, Group, Radio, Select, Stack, Textarea, TextInput, Title } from '@mantine/core';
import type { Unit } from '../api.ts';
import { AgencyPicker, PlacePicker, useCategories } from '../components.tsx';
import { useI18n } from '../i18n.tsx';
import { type AcceptedSuggestion, FormSuggestion } from '../triage.tsx';

/*
 * The three sections of the complaint form (issue 13: a form a person can hold in their head).
 * The form keeps one draft; each section shows and changes its part of it.
 */

/** What the complaint form holds while it is filled. */
export interface ComplaintDraft {
  agency: Unit | null;
  unknownAgency: boolean;
  officeText: string;
  place: { provinceId: number | null; countyId: number | null };
  categoryId: string | null;
  description: string;
  namedEmployee: string;
  files: File[];
  location: { lat: number; lng: number } | null;
  locationText: string;
  confidential: boolean;
  /** Identity reaches the agency complained about only with consent: off until the citizen ticks it. */
  shareIdentity: boolean;
  phone: string;
  name: string;
}

/** The words for the citizen on the web, or for the operator about the caller. */
export type Say = (citizen: [string, string], caller: [string, string]) => string;

export interface SectionProps {
  draft: ComplaintDraft;
  set(patch: Partial<ComplaintDraft>): void;
  say: Say;
  operator: boolean;
}

/** 1. The office complained about (or its name as typed) and the place. */
export function OfficeSection({ draft, set, say, onAgency }: SectionProps & { onAgency(unit: Unit | null): void }) {
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={2} size="h4">
          {say(
            ['۱. از کدام اداره شکایت دارید؟', '1. Which office is it about?'],
            ['۱. تماس‌گیرنده از کدام اداره شکایت دارد؟', '1. Which office is the caller complaining about?'],
          )}
        </Title>
        {draft.unknownAgency ? (
          <TextInput
            label={say(
              ['نام اداره همان‌طور که می‌شناسید', 'The office as you know it'],
              ['نام اداره همان‌طور که تماس‌گیرنده می‌گوید', 'The office as the caller names it'],
            )}
            value={draft.officeText}
            onChange={(e) => set({ officeText: e.currentTarget.value })}
            required
            minLength={2}
          />
        ) : (
          <AgencyPicker value={draft.agency} onChange={onAgency} provinceId={draft.place.provinceId} countyId={draft.place.countyId} required />
        )}
        <Checkbox
          label={say(
            ['دستگاه را پیدا نمی‌کنم؛ اپراتورهای ۱۲۸ آن را تعیین کنند', 'I cannot find it; let the 128 operators decide'],
            ['دستگاه پیدا نشد؛ در صف بررسی تعیین شود', 'Not found; decide it later in the triage queue'],
          )}
          checked={draft.unknownAgency}
          onChange={(e) => set({ unknownAgency: e.currentTarget.checked })}
        />
        <PlacePicker provinceId={draft.place.provinceId} countyId={draft.place.countyId} onChange={(place) => set({ place })} required />
      </Stack>
    </Card>
  );
}

/** The kind of complaint: a searchable list for the operator, described choices for the citizen. */
function CategoryField({ draft, set, operator }: SectionProps) {
  const { t, lang } = useI18n();
  const { data: catalogue } = useCategories();
  const setCategoryId = (categoryId: string | null) => set({ categoryId });
  return operator ? (
    // On a call the operator picks from a searchable list with the keyboard.
    <Select
      label={t('نوع شکایت', 'Kind of complaint')}
      data={(catalogue?.items ?? [])
        .filter((c) => c.active)
        .map((c) => ({ value: String(c.id), label: `${lang === 'fa' ? c.nameFa : c.nameEn}${c.urgent ? t(' — فوری', ' — urgent') : ''}` }))}
      value={draft.categoryId}
      onChange={setCategoryId}
      searchable
    />
  ) : (
    <Radio.Group
      label={t('نوع شکایت', 'Kind of complaint')}
      description={t(
        'شکایت‌های «فوری» دربارهٔ کیفیت خدمت‌اند (مثلاً رفتار نامناسب یا سرگردانی همین حالا در اداره) و باید ظرف ۳ ساعت پاسخ بگیرند؛ بقیه در چند روز کاری.',
        '“Urgent” complaints are about the quality of service happening now (e.g. rude treatment, being sent from desk to desk) and must be answered within 3 hours; the others within a few working days.',
      )}
      value={draft.categoryId}
      onChange={setCategoryId}
    >
      <Stack gap={6} mt="xs">
        {(catalogue?.items ?? [])
          .filter((c) => c.active)
          .map((c) => (
            <Radio
              key={c.id}
              value={String(c.id)}
              label={`${lang === 'fa' ? c.nameFa : c.nameEn}${c.urgent ? t(' — فوری', ' — urgent') : ''}`}
              description={lang === 'fa' ? c.descriptionFa : c.descriptionEn}
            />
          ))}
      </Stack>
    </Radio.Group>
  );
}

/** Photos, video or voice, and (for a citizen on their phone) where they are. */
function EvidenceFields({ draft, set, operator }: SectionProps) {
  const { t } = useI18n();
  const locate = () =>
    navigator.geolocation?.getCurrentPosition(
      (p) => set({ location: { lat: Number(p.coords.latitude.toFixed(6)), lng: Number(p.coords.longitude.toFixed(6)) } }),
      () => set({ location: null }),
    );
  return (
    <>
      <FileInput
        label={t('عکس، فیلم یا صدا (اختیاری)', 'Photos, video or voice (optional)')}
        description={t('اطلاعات مکان و دستگاه عکس پیش از ذخیره پاک می‌شود.', 'Location and device data are removed from photos before storage.')}
        multiple
        accept="image/*,video/*,audio/*"
        value={draft.files}
        onChange={(files) => set({ files })}
        clearable
      />
      {/* The operator's own position says nothing about the caller's: only a citizen on their phone adds theirs. */}
      {!operator && (
        <Group align="end">
          <Button variant="default" onClick={locate} type="button">
            {draft.location ? t('مکان ثبت شد ✓', 'Location added ✓') : t('افزودن مکان من (اختیاری)', 'Add my location (optional)')}
          </Button>
          {draft.location && (
            <TextInput
              label={t('توضیح مکان', 'About the place')}
              value={draft.locationText}
              onChange={(e) => set({ locationText: e.currentTarget.value })}
              style={{ flex: 1 }}
            />
          )}
        </Group>
      )}
    </>
  );
}

/** 2. What happened: the kind, the story, the employee named, and evidence. */
export function WhatHappenedSection(props: SectionProps & { onSuggestion(choice: AcceptedSuggestion): void }) {
  const { draft, set, say, operator, onSuggestion } = props;
  const { t } = useI18n();
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={2} size="h4">
          {say(['۲. چه پیش آمد؟', '2. What happened?'], ['۲. چه پیش آمده است؟', '2. What happened to the caller?'])}
        </Title>
        <CategoryField {...props} />
        <Textarea
          label={t('شرح ماجرا', 'What happened')}
          description={say(
            ['کجا، چه زمانی، با چه کسی؛ دست‌کم ۱۰ نویسه.', 'Where, when, with whom; at least 10 characters.'],
            [
              'نشانی محل را از تماس‌گیرنده بپرسید و با زمان و نام کسانی که گفت اینجا بنویسید؛ دست‌کم ۱۰ نویسه.',
              'Ask the caller for the address of the place and write it here with when and who; at least 10 characters.',
            ],
          )}
          value={draft.description}
          onChange={(e) => set({ description: e.currentTarget.value })}
          required
          minLength={10}
          maxLength={4000}
          autosize
          minRows={4}
        />
        <FormSuggestion description={draft.description} place={draft.place} visible={draft.agency === null} onAccept={onSuggestion} />
        <TextInput
          label={t('نام یا سمت کارمند (اختیاری)', 'Name or position of the employee (optional)')}
          description={
            operator
              ? t(
                  'اگر تماس‌گیرنده کسی را نام برد، همان‌گونه که گفت بنویسید. فقط بازرسان می‌بینند.',
                  'If the caller names someone, write it as they say it. Only inspectors see it.',
                )
              : t(
                  'اگر می‌دانید، مثلاً «آقای رضایی» یا «مسئول باجهٔ ۳». اختیاری است و فقط بازرسان آن را می‌بینند؛ منتشر نمی‌شود.',
                  'If you know it, e.g. “Mr Rezaei” or “the clerk at desk 3”. Optional; only inspectors see it, it is never published.',
                )
          }
          value={draft.namedEmployee}
          onChange={(e) => set({ namedEmployee: e.currentTarget.value })}
          maxLength={120}
          autoComplete="off"
        />
        <EvidenceFields {...props} />
      </Stack>
    </Card>
  );
}

/** 3. How to reach the complainant, and what the agency may learn of them. */
export function ContactSection({ draft, set, say, operator }: SectionProps) {
  const { t } = useI18n();
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={2} size="h4">
          {say(['۳. راه تماس با شما', '3. How to reach you'], ['۳. راه تماس با تماس‌گیرنده', '3. How to reach the caller'])}
        </Title>
        <TextInput
          label={say(['تلفن همراه', 'Mobile number'], ['تلفن همراه تماس‌گیرنده', 'The caller’s mobile number'])}
          description={
            operator ? (
              t(
                'کد پیگیری و پاسخ به این شماره پیامک می‌شود؛ اگر از سامانهٔ تلفن نیامده، از تماس‌گیرنده بپرسید.',
                'The tracking code and answer are texted to this number; if the phone system did not give it, ask the caller.',
              )
            ) : (
              <>
                {t(
                  'کد پیگیری و پاسخ به همین شماره پیامک می‌شود. از خارج از کشور با پیش‌شماره، مثلاً ',
                  'The tracking code and answer are texted here. From abroad, with the country code, e.g. ',
                )}
                <span className="ltr" dir="ltr">
                  +49…
                </span>
              </>
            )
          }
          value={draft.phone}
          onChange={(e) => set({ phone: e.currentTarget.value })}
          required
          inputMode="tel"
          dir="ltr"
          autoComplete="tel"
        />
        <TextInput
          label={say(['نام (اختیاری)', 'Name (optional)'], ['نام تماس‌گیرنده (اختیاری)', 'The caller’s name (optional)'])}
          value={draft.name}
          onChange={(e) => set({ name: e.currentTarget.value })}
          autoComplete="name"
        />
        <Checkbox
          label={say(
            ['هویت من از دستگاهی که از آن شکایت دارم پنهان بماند', 'Keep my identity from the agency I complain about'],
            ['تماس‌گیرنده می‌خواهد هویتش از دستگاه مورد شکایت پنهان بماند', 'The caller wants their identity kept from the agency'],
          )}
          checked={draft.confidential}
          onChange={(e) => set({ confidential: e.currentTarget.checked })}
        />
        <Checkbox
          data-testid="share-identity"
          label={
            operator
              ? t('تماس‌گیرنده رضایت می‌دهد نام و شماره‌اش به دستگاه مورد شکایت داده شود', 'The caller agrees to share their name and phone with the agency')
              : t('رضایت می‌دهم نام و شماره‌ام به دستگاه مورد شکایت داده شود', 'I agree to share my name and phone with the agency')
          }
          description={t(
            'بدون رضایت، فقط اپراتورهای ۱۲۸ و ناظران استان نام و شماره را می‌بینند.',
            'Without consent only the 128 centre and supervisors see your name and phone.',
          )}
          checked={draft.shareIdentity && !draft.confidential}
          disabled={draft.confidential}
          onChange={(e) => set({ shareIdentity: e.currentTarget.checked })}
        />
      </Stack>
    </Card>
  );
}
