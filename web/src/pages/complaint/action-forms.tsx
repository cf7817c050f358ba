import { Button, Checkbox, Select, Stack, Textarea } from '@mantine/core';
import { useState } from 'react';
import type { Attachment, ComplaintDetail, Role, Unit } from '../../api.ts';
import { AgencyPicker, PlacePicker, placeOfUnit } from '../../components.tsx';
import { num } from '../../format.ts';
import { useI18n } from '../../i18n.tsx';
import { TriageSuggestionCard } from '../../triage.tsx';

export type Place = { provinceId: number | null; countyId: number | null };
export type Assignee = { id: number; displayName: string; role: Role; unitNameFa: string };

/** What the forms hold between tabs: one text shared by every reason, note and answer. */
export function useDraft(complaint: ComplaintDetail) {
  const [text, setText] = useState('');
  const [assigneeId, setAssigneeId] = useState<string | null>(null);
  const [unit, setUnit] = useState<Unit | null>(null);
  const [categoryId, setCategoryId] = useState<string | null>(null);
  const [place, setPlace] = useState<Place>({
    provinceId: complaint.provinceId,
    countyId: complaint.countyId,
  });
  // Closure with evidence: the office's own uploads this answer may carry (required for some categories).
  const [evidenceIds, setEvidenceIds] = useState<string[]>([]);
  return { text, setText, assigneeId, setAssigneeId, unit, setUnit, categoryId, setCategoryId, place, setPlace, evidenceIds, setEvidenceIds };
}
export type Draft = ReturnType<typeof useDraft>;

/** What every form gets: the draft, the submit handler, whether the request is on its way and the button's label. */
interface FormProps {
  draft: Draft;
  onSubmit(e: React.FormEvent): void;
  pending: boolean;
  label: string;
}

/** Assign: pick one of the staff who may take the complaint. */
export function AssignForm({ assignees, ...props }: FormProps & { assignees: Assignee[] }) {
  const { t } = useI18n();
  const { assigneeId, setAssigneeId } = props.draft;
  return (
    <form onSubmit={props.onSubmit}>
      <Stack gap="sm">
        <Select
          label={t('کارشناس', 'Assignee')}
          data={assignees.map((s) => ({ value: String(s.id), label: `${s.displayName} — ${s.unitNameFa}` }))}
          value={assigneeId}
          onChange={setAssigneeId}
          searchable
          required
        />
        <Button type="submit" loading={props.pending} disabled={!assigneeId}>
          {props.label}
        </Button>
      </Stack>
    </form>
  );
}

/** Note, answer, reject or escalate: one text (and, for an answer, the evidence it carries). */
export function TextActionForm({
  action: a,
  staffFiles,
  ...props
}: FormProps & { action: 'note' | 'answer' | 'reject' | 'escalate'; staffFiles: Attachment[] }) {
  const { t } = useI18n();
  const { text, setText, evidenceIds, setEvidenceIds } = props.draft;
  return (
    <form onSubmit={props.onSubmit}>
      <Stack gap="sm">
        <Textarea
          label={
            a === 'answer'
              ? t('متن پاسخ به شهروند', 'Answer to the citizen')
              : a === 'note'
                ? t('یادداشت (برای کارکنان)', 'Note (staff only)')
                : t('دلیل', 'Reason')
          }
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          required
          minLength={a === 'answer' ? 10 : a === 'note' ? 1 : 3}
          autosize
          minRows={3}
        />
        {a === 'answer' && staffFiles.length > 0 && (
          <Checkbox.Group
            label={t('مستند پاسخ (پیوست‌های دستگاه)', 'Evidence for the answer (the office’s attachments)')}
            value={evidenceIds}
            onChange={setEvidenceIds}
          >
            <Stack gap={4} mt={4}>
              {staffFiles.map((f, i) => (
                <Checkbox key={f.id} value={f.id} label={t(`پیوست ${num(i + 1, 'fa')}`, `Attachment ${i + 1}`)} data-testid="evidence-choice" />
              ))}
            </Stack>
          </Checkbox.Group>
        )}
        <Button type="submit" loading={props.pending} color={a === 'reject' ? 'red.9' : undefined}>
          {props.label}
        </Button>
      </Stack>
    </form>
  );
}

/** Transfer: another unit and the reason. */
export function TransferForm(props: FormProps) {
  const { t } = useI18n();
  const { unit, setUnit, text, setText } = props.draft;
  return (
    <form onSubmit={props.onSubmit}>
      <Stack gap="sm">
        <AgencyPicker label={t('واحد مقصد', 'To unit')} value={unit} onChange={setUnit} required />
        <Textarea label={t('دلیل', 'Reason')} value={text} onChange={(e) => setText(e.currentTarget.value)} required minLength={3} />
        <Button type="submit" loading={props.pending} disabled={!unit}>
          {props.label}
        </Button>
      </Stack>
    </form>
  );
}

/** Refer: the agency (a triage suggestion may fill it), the category and the place. */
export function ReferForm({ complaintId, categories, ...props }: FormProps & { complaintId: string; categories: { id: number; nameFa: string }[] }) {
  const { t } = useI18n();
  const { unit, setUnit, categoryId, setCategoryId, place, setPlace } = props.draft;
  return (
    <form onSubmit={props.onSubmit}>
      <Stack gap="sm">
        <TriageSuggestionCard
          complaintId={complaintId}
          onAccept={(choice) => {
            setUnit(choice.unit);
            const implied = placeOfUnit(choice.unit, place);
            if (implied) setPlace(implied);
            if (choice.categoryId !== null) setCategoryId(String(choice.categoryId));
          }}
        />
        <AgencyPicker
          value={unit}
          onChange={(picked) => {
            setUnit(picked);
            const implied = placeOfUnit(picked, place);
            if (implied) setPlace(implied);
          }}
          provinceId={place.provinceId}
          countyId={place.countyId}
          required
        />
        <Select
          label={t('نوع شکایت', 'Category')}
          data={categories.map((c) => ({ value: String(c.id), label: c.nameFa }))}
          value={categoryId}
          onChange={setCategoryId}
        />
        <PlacePicker provinceId={place.provinceId} countyId={place.countyId} onChange={setPlace} />
        <Button type="submit" loading={props.pending} disabled={!unit}>
          {props.label}
        </Button>
      </Stack>
    </form>
  );
}
