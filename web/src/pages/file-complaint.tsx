import { Alert, Button, Card, Container, CopyButton, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api, type SubmitReply, type Unit } from '../api.ts';
import { ErrorAlert, placeOfUnit, TrackingCode, useCategories, When } from '../components.tsx';
import { asciiDigits } from '../format.ts';
import { useI18n } from '../i18n.tsx';
import type { AcceptedSuggestion } from '../triage.tsx';
import { uploadAttachments } from '../uploads.ts';
import { type ComplaintDraft, ContactSection, OfficeSection, type Say, WhatHappenedSection } from './complaint-form-sections.tsx';

/** The form a citizen (or an operator on a call, with `operator`) fills to file a complaint. */
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
  const say: Say = (citizen, caller) => (operator ? t(...caller) : t(...citizen));
  const { data: catalogue } = useCategories();
  const [draft, setDraft] = useState<ComplaintDraft>(() => emptyDraft(initialPhone));
  const set = (patch: Partial<ComplaintDraft>) => setDraft((d) => ({ ...d, ...patch }));
  // One key per filled form: a double click or a retry after a dropped connection files once.
  const idempotencyKey = useMemo(() => `web-${crypto.randomUUID()}`, []);
  const { agency, place, description } = draft;
  const category = catalogue?.items.find((c) => String(c.id) === draft.categoryId);
  const agencyId = agency?.id ?? null;
  // An office in a province or county says where the complaint is: fill the place from it.
  const pickAgency = (unit: Unit | null) => {
    const implied = placeOfUnit(unit, place);
    set(implied ? { agency: unit, place: implied } : { agency: unit });
  };
  const acceptSuggestion = (choice: AcceptedSuggestion) => {
    const implied = placeOfUnit(choice.unit, place);
    set({
      unknownAgency: false,
      agency: choice.unit,
      ...(implied ? { place: implied } : {}),
      ...(choice.categoryId !== null && !draft.categoryId ? { categoryId: String(choice.categoryId) } : {}),
    });
  };
  useEffect(() => {
    onDraft?.({ agencyId, provinceId: place.provinceId, countyId: place.countyId, description });
  }, [onDraft, agencyId, place.provinceId, place.countyId, description]);

  const submit = useMutation({
    mutationFn: () => api<SubmitReply>('/complaints', { headers: { 'idempotency-key': idempotencyKey }, body: submission(draft, channel, category?.id, lang) }),
    onSuccess: (reply) => onFiled(reply, draft.files, idempotencyKey, asciiDigits(draft.phone.trim())),
  });

  const sections = { draft, set, say, operator };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit.mutate();
      }}
      aria-label={t('فرم ثبت شکایت', 'Complaint form')}
    >
      <Stack gap="md">
        <OfficeSection {...sections} onAgency={pickAgency} />
        <WhatHappenedSection {...sections} onSuggestion={acceptSuggestion} />
        <ContactSection {...sections} />
        <ErrorAlert error={submit.error} />
        <Button type="submit" size="lg" loading={submit.isPending}>
          {say(['ثبت شکایت', 'File the complaint'], ['ثبت شکایت تماس‌گیرنده', 'File the caller’s complaint'])}
        </Button>
      </Stack>
    </form>
  );
}

function emptyDraft(phone: string): ComplaintDraft {
  return {
    agency: null,
    unknownAgency: false,
    officeText: '',
    place: { provinceId: null, countyId: null },
    categoryId: null,
    description: '',
    namedEmployee: '',
    files: [],
    location: null,
    locationText: '',
    confidential: false,
    shareIdentity: false,
    phone,
    name: '',
  };
}

/** The request body for a filled draft. */
function submission(draft: ComplaintDraft, channel: 'web' | 'phone', categoryId: number | undefined, language: string) {
  const { agency, place, location, locationText, phone, name } = draft;
  return {
    channel,
    ...(draft.unknownAgency ? { officeText: draft.officeText.trim() } : agency ? { agencyId: agency.id } : {}),
    ...(place.countyId ? { countyId: place.countyId } : place.provinceId ? { provinceId: place.provinceId } : {}),
    ...(categoryId !== undefined ? { categoryId } : {}),
    description: draft.description.trim(),
    ...(draft.namedEmployee.trim() ? { namedEmployee: draft.namedEmployee.trim() } : {}),
    ...(location ? { location: { ...location, ...(locationText ? { text: locationText } : {}) } } : {}),
    contact: { phone: asciiDigits(phone.trim()), ...(name.trim() ? { name: name.trim() } : {}) },
    confidential: draft.confidential,
    shareIdentity: draft.shareIdentity && !draft.confidential,
    language,
  };
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
