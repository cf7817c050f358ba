import { Alert, Button, Card, Checkbox, Container, CopyButton, FileInput, Group, Radio, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api, type SubmitReply, type Unit } from '../api.ts';
import { AgencyPicker, ErrorAlert, PlacePicker, placeOfUnit, TrackingCode, useCategories, When } from '../components.tsx';
import { asciiDigits } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import { type AcceptedSuggestion, FormSuggestion } from '../triage.tsx';
import { uploadAttachments } from '../uploads.ts';

/** The form a citizen (or an operator on a call, with `operator`) fills to file a complaint. */
export function ComplaintForm({
  channel,
  initialPhone = '',
  onFiled,
  onDraft,
}: {
  channel: 'web' | 'phone';
  initialPhone?: string;
  onFiled(reply: SubmitReply, files: File[], idempotencyKey: string, phone: string): void;
  /** Told of the office, place and text as they are typed (the operator desk looks for similar open complaints). */
  onDraft?(draft: { agencyId: number | null; provinceId: number | null; countyId: number | null; description: string }): void;
}) {
  const { t, lang } = useI18n();
  // On a call the form speaks to the operator about the caller; on the web, to the citizen.
  const operator = channel === 'phone';
  const say = (citizen: [string, string], caller: [string, string]) => (operator ? t(...caller) : t(...citizen));
  const { data: catalogue } = useCategories();
  const [agency, setAgency] = useState<Unit | null>(null);
  const [unknownAgency, setUnknownAgency] = useState(false);
  const [officeText, setOfficeText] = useState('');
  const [place, setPlace] = useState<{ provinceId: number | null; countyId: number | null }>({ provinceId: null, countyId: null });
  const [categoryId, setCategoryId] = useState<string | null>(null);
  const [description, setDescription] = useState('');
  const [namedEmployee, setNamedEmployee] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [location, setLocation] = useState<{ lat: number; lng: number } | null>(null);
  const [locationText, setLocationText] = useState('');
  const [confidential, setConfidential] = useState(false);
  // Identity reaches the agency complained about only with consent: off until the citizen ticks it.
  const [shareIdentity, setShareIdentity] = useState(false);
  const [phone, setPhone] = useState(initialPhone);
  const [name, setName] = useState('');
  // One key per filled form: a double click or a retry after a dropped connection files once.
  const idempotencyKey = useMemo(() => `web-${crypto.randomUUID()}`, []);
  const category = catalogue?.items.find((c) => String(c.id) === categoryId);
  const agencyId = agency?.id ?? null;
  // An office in a province or county says where the complaint is: fill the place from it.
  const pickAgency = (unit: Unit | null) => {
    setAgency(unit);
    const implied = placeOfUnit(unit, place);
    if (implied) setPlace(implied);
  };
  const acceptSuggestion = (choice: AcceptedSuggestion) => {
    setUnknownAgency(false);
    pickAgency(choice.unit);
    if (choice.categoryId !== null && !categoryId) setCategoryId(String(choice.categoryId));
  };
  useEffect(() => {
    onDraft?.({ agencyId, provinceId: place.provinceId, countyId: place.countyId, description });
  }, [onDraft, agencyId, place.provinceId, place.countyId, description]);

  const submit = useMutation({
    mutationFn: () =>
      api<SubmitReply>('/complaints', {
        headers: { 'idempotency-key': idempotencyKey },
        body: {
          channel,
          ...(unknownAgency ? { officeText: officeText.trim() } : agency ? { agencyId: agency.id } : {}),
          ...(place.countyId ? { countyId: place.countyId } : place.provinceId ? { provinceId: place.provinceId } : {}),
          ...(category ? { categoryId: category.id } : {}),
          description: description.trim(),
          ...(namedEmployee.trim() ? { namedEmployee: namedEmployee.trim() } : {}),
          ...(location ? { location: { ...location, ...(locationText ? { text: locationText } : {}) } } : {}),
          contact: { phone: asciiDigits(phone.trim()), ...(name.trim() ? { name: name.trim() } : {}) },
          confidential,
          shareIdentity: shareIdentity && !confidential,
          language: lang,
        },
      }),
    onSuccess: (reply) => onFiled(reply, files, idempotencyKey, asciiDigits(phone.trim())),
  });

  const locate = () =>
    navigator.geolocation?.getCurrentPosition(
      (p) => setLocation({ lat: Number(p.coords.latitude.toFixed(6)), lng: Number(p.coords.longitude.toFixed(6)) }),
      () => setLocation(null),
    );

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit.mutate();
      }}
      aria-label={t('فرم ثبت شکایت', 'Complaint form')}
    >
      <Stack gap="md">
        <Card withBorder>
          <Stack gap="sm">
            <Title order={2} size="h4">
              {say(
                ['۱. از کدام اداره شکایت دارید؟', '1. Which office is it about?'],
                ['۱. تماس‌گیرنده از کدام اداره شکایت دارد؟', '1. Which office is the caller complaining about?'],
              )}
            </Title>
            {unknownAgency ? (
              <TextInput
                label={say(
                  ['نام اداره همان‌طور که می‌شناسید', 'The office as you know it'],
                  ['نام اداره همان‌طور که تماس‌گیرنده می‌گوید', 'The office as the caller names it'],
                )}
                value={officeText}
                onChange={(e) => setOfficeText(e.currentTarget.value)}
                required
                minLength={2}
              />
            ) : (
              <AgencyPicker value={agency} onChange={pickAgency} provinceId={place.provinceId} countyId={place.countyId} required />
            )}
            <Checkbox
              label={say(
                ['دستگاه را پیدا نمی‌کنم؛ اپراتورهای ۱۲۸ آن را تعیین کنند', 'I cannot find it; let the 128 operators decide'],
                ['دستگاه پیدا نشد؛ در صف بررسی تعیین شود', 'Not found; decide it later in the triage queue'],
              )}
              checked={unknownAgency}
              onChange={(e) => setUnknownAgency(e.currentTarget.checked)}
            />
            <PlacePicker provinceId={place.provinceId} countyId={place.countyId} onChange={setPlace} required />
          </Stack>
        </Card>
        <Card withBorder>
          <Stack gap="sm">
            <Title order={2} size="h4">
              {say(['۲. چه پیش آمد؟', '2. What happened?'], ['۲. چه پیش آمده است؟', '2. What happened to the caller?'])}
            </Title>
            {channel === 'phone' ? (
              // On a call the operator picks from a searchable list with the keyboard.
              <Select
                label={t('نوع شکایت', 'Kind of complaint')}
                data={(catalogue?.items ?? [])
                  .filter((c) => c.active)
                  .map((c) => ({ value: String(c.id), label: `${lang === 'fa' ? c.nameFa : c.nameEn}${c.urgent ? t(' — فوری', ' — urgent') : ''}` }))}
                value={categoryId}
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
                value={categoryId}
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
            )}
            <Textarea
              label={t('شرح ماجرا', 'What happened')}
              description={say(
                ['کجا، چه زمانی، با چه کسی؛ دست‌کم ۱۰ نویسه.', 'Where, when, with whom; at least 10 characters.'],
                [
                  'نشانی محل را از تماس‌گیرنده بپرسید و با زمان و نام کسانی که گفت اینجا بنویسید؛ دست‌کم ۱۰ نویسه.',
                  'Ask the caller for the address of the place and write it here with when and who; at least 10 characters.',
                ],
              )}
              value={description}
              onChange={(e) => setDescription(e.currentTarget.value)}
              required
              minLength={10}
              maxLength={4000}
              autosize
              minRows={4}
            />
            <FormSuggestion description={description} place={place} visible={agency === null} onAccept={acceptSuggestion} />
            <TextInput
              label={t('نام یا سمت کارمند (اختیاری)', 'Name or position of the employee (optional)')}
              description={
                channel === 'phone'
                  ? t(
                      'اگر تماس‌گیرنده کسی را نام برد، همان‌گونه که گفت بنویسید. فقط بازرسان می‌بینند.',
                      'If the caller names someone, write it as they say it. Only inspectors see it.',
                    )
                  : t(
                      'اگر می‌دانید، مثلاً «آقای رضایی» یا «مسئول باجهٔ ۳». اختیاری است و فقط بازرسان آن را می‌بینند؛ منتشر نمی‌شود.',
                      'If you know it, e.g. “Mr Rezaei” or “the clerk at desk 3”. Optional; only inspectors see it, it is never published.',
                    )
              }
              value={namedEmployee}
              onChange={(e) => setNamedEmployee(e.currentTarget.value)}
              maxLength={120}
              autoComplete="off"
            />
            <FileInput
              label={t('عکس، فیلم یا صدا (اختیاری)', 'Photos, video or voice (optional)')}
              description={t('اطلاعات مکان و دستگاه عکس پیش از ذخیره پاک می‌شود.', 'Location and device data are removed from photos before storage.')}
              multiple
              accept="image/*,video/*,audio/*"
              value={files}
              onChange={setFiles}
              clearable
            />
            {/* The operator's own position says nothing about the caller's: only a citizen on their phone adds theirs. */}
            {!operator && (
              <Group align="end">
                <Button variant="default" onClick={locate} type="button">
                  {location ? t('مکان ثبت شد ✓', 'Location added ✓') : t('افزودن مکان من (اختیاری)', 'Add my location (optional)')}
                </Button>
                {location && (
                  <TextInput
                    label={t('توضیح مکان', 'About the place')}
                    value={locationText}
                    onChange={(e) => setLocationText(e.currentTarget.value)}
                    style={{ flex: 1 }}
                  />
                )}
              </Group>
            )}
          </Stack>
        </Card>
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
              value={phone}
              onChange={(e) => setPhone(e.currentTarget.value)}
              required
              inputMode="tel"
              dir="ltr"
              autoComplete="tel"
            />
            <TextInput
              label={say(['نام (اختیاری)', 'Name (optional)'], ['نام تماس‌گیرنده (اختیاری)', 'The caller’s name (optional)'])}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              autoComplete="name"
            />
            <Checkbox
              label={say(
                ['هویت من از دستگاهی که از آن شکایت دارم پنهان بماند', 'Keep my identity from the agency I complain about'],
                ['تماس‌گیرنده می‌خواهد هویتش از دستگاه مورد شکایت پنهان بماند', 'The caller wants their identity kept from the agency'],
              )}
              checked={confidential}
              onChange={(e) => setConfidential(e.currentTarget.checked)}
            />
            <Checkbox
              data-testid="share-identity"
              label={
                channel === 'phone'
                  ? t('تماس‌گیرنده رضایت می‌دهد نام و شماره‌اش به دستگاه مورد شکایت داده شود', 'The caller agrees to share their name and phone with the agency')
                  : t('رضایت می‌دهم نام و شماره‌ام به دستگاه مورد شکایت داده شود', 'I agree to share my name and phone with the agency')
              }
              description={t(
                'بدون رضایت، فقط اپراتورهای ۱۲۸ و ناظران استان نام و شماره را می‌بینند.',
                'Without consent only the 128 centre and supervisors see your name and phone.',
              )}
              checked={shareIdentity && !confidential}
              disabled={confidential}
              onChange={(e) => setShareIdentity(e.currentTarget.checked)}
            />
          </Stack>
        </Card>
        <ErrorAlert error={submit.error} />
        <Button type="submit" size="lg" loading={submit.isPending}>
          {say(['ثبت شکایت', 'File the complaint'], ['ثبت شکایت تماس‌گیرنده', 'File the caller’s complaint'])}
        </Button>
      </Stack>
    </form>
  );
}

/** The tracking code, big and copyable, with where the complaint went and by when it is due. */
export function FiledReceipt({ reply, uploadNote, forOperator = false }: { reply: SubmitReply; uploadNote?: React.ReactNode; forOperator?: boolean }) {
  const { t } = useI18n();
  // The form is gone once filed: the keyboard's focus (and a screen reader) moves to the result.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <Card withBorder padding="xl" role="status" data-testid="filed-receipt">
      <Stack gap="sm" align="center">
        <Title order={2} ref={heading} tabIndex={-1} data-testid="filed-heading">
          {forOperator ? t('شکایت تماس‌گیرنده ثبت شد', 'The caller’s complaint is filed') : t('شکایت شما ثبت شد', 'Your complaint is filed')}
        </Title>
        <Text>{t('کد رهگیری', 'Tracking code')}</Text>
        <Text className="tracking-code" data-testid="tracking-code">
          <TrackingCode code={reply.trackingCode} />
        </Text>
        <CopyButton value={reply.trackingCode}>
          {({ copied, copy }) => (
            <Button variant="light" onClick={copy}>
              {copied ? t('رونوشت شد', 'Copied') : t('رونوشت کد', 'Copy the code')}
            </Button>
          )}
        </CopyButton>
        {reply.referredTo ? (
          <Text>
            {t('فرستاده شد به: ', 'Sent to: ')}
            <b>{reply.referredTo.name}</b>
          </Text>
        ) : (
          <Text>{t('اپراتورهای ۱۲۸ آن را به دستگاه مسئول می‌فرستند.', 'The 128 operators will send it to the responsible agency.')}</Text>
        )}
        {reply.dueAt && (
          <Text>
            {t('مهلت پاسخ: ', 'Answer due by: ')}
            <When iso={reply.dueAt} />
          </Text>
        )}
        {reply.linkedCase && (
          // Only a signed-in operator is told: the caller's open case about the same agency, linked to this one.
          <Alert color="blue" data-testid="linked-case">
            {t('به پروندهٔ باز همین تماس‌گیرنده پیوند خورد: ', 'Linked to the caller’s open case: ')}
            <Link to={`/staff/complaints/${reply.linkedCase.id}`}>
              <TrackingCode code={reply.linkedCase.trackingCode} />
            </Link>
          </Alert>
        )}
        {uploadNote}
        <Button component={Link} to={`/track/${reply.trackingCode}`} variant="subtle">
          {t('پیگیری این شکایت', 'Follow this complaint')}
        </Button>
      </Stack>
    </Card>
  );
}

export function FileComplaintPage() {
  const { t, lang } = useI18n();
  const [filed, setFiled] = useState<SubmitReply | null>(null);
  const [upload, setUpload] = useState<{ done: number; failed: string[] } | null>(null);
  return (
    <Container size="sm" py="md">
      <Title order={1} mb="md">
        {t('ثبت شکایت', 'File a complaint')}
      </Title>
      {filed ? (
        <FiledReceipt
          reply={filed}
          uploadNote={
            upload && (
              <Alert color={upload.failed.length ? 'orange' : 'green'} data-testid="upload-result">
                {upload.failed.length
                  ? t(`این پیوست‌ها بارگذاری نشد: ${upload.failed.join('، ')}`, `These attachments were not uploaded: ${upload.failed.join(', ')}`)
                  : t('پیوست‌ها بارگذاری شد.', 'Attachments uploaded.')}
              </Alert>
            )
          }
        />
      ) : (
        <ComplaintForm
          channel="web"
          onFiled={async (reply, files, idempotencyKey) => {
            setFiled(reply);
            if (files.length) setUpload(await uploadAttachments(reply.id, files, { kind: 'intake', idempotencyKey }, lang));
          }}
        />
      )}
    </Container>
  );
}
