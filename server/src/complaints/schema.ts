import { Type } from 'typebox';
import { AttachmentSchema } from '../attachments/schema.ts';
import { RoleSchema } from '../auth/schema.ts';
import { Nullable, Page } from '../core/schemas.ts';
import { STATUSES } from '../domain/lifecycle.ts';
import { COMPLAINT_ACTIONS } from './allowed-actions.ts';
import { CHANNELS } from './submit-complaint.ts';

export const StatusSchema = Type.Enum(STATUSES);

/** The employee a citizen names, as typed. Titles are dropped and letter forms unified for grouping; 2–120 characters must remain. */
export const NamedEmployeeInput = Type.String({
  minLength: 1,
  maxLength: 200,
  description:
    'Optional: the name or position of the employee the complaint is about, as the citizen says it («آقای رضایی», «مسئول باجهٔ ۳»). Seen only by inspectors and supervisors; never public.',
});
export const ChannelSchema = Type.Enum(CHANNELS);

export const SubmitComplaintBody = Type.Object(
  {
    channel: Type.Enum(CHANNELS, {
      description:
        'Informative only: the channel is proved by who sends. A signed-in 128 operator files "phone"; every other caller of this endpoint files "web" (SMS, bots and Open311 have their own signed entry points).',
    }),
    agencyId: Type.Optional(
      Type.Integer({ minimum: 1, description: 'The agency unit complained about (any level); omit and give officeText to leave it for triage' }),
    ),
    officeText: Type.Optional(Type.String({ minLength: 2, maxLength: 200, description: 'The office as the citizen names it, when the agency is not known' })),
    provinceId: Type.Optional(Type.Integer({ minimum: 1 })),
    countyId: Type.Optional(Type.Integer({ minimum: 1 })),
    categoryId: Type.Optional(Type.Integer({ minimum: 1 })),
    serviceId: Type.Optional(Type.Integer({ minimum: 1 })),
    description: Type.String({ minLength: 10, maxLength: 4000 }),
    location: Type.Optional(
      Type.Object(
        {
          lat: Type.Number({ minimum: -90, maximum: 90 }),
          lng: Type.Number({ minimum: -180, maximum: 180 }),
          text: Type.Optional(Type.String({ maxLength: 300 })),
        },
        { additionalProperties: false },
      ),
    ),
    contact: Type.Object(
      {
        phone: Type.String({ minLength: 7, maxLength: 24, description: 'Iranian mobile (09…, +989…, Persian digits allowed) or any E.164 number from abroad' }),
        name: Type.Optional(Type.String({ maxLength: 120 })),
        nationalId: Type.Optional(Type.String({ maxLength: 14, description: 'کد ملی, checked with its check digit' })),
      },
      { additionalProperties: false },
    ),
    confidential: Type.Optional(Type.Boolean({ description: 'Hide the complainant’s identity from the agency complained about' })),
    shareIdentity: Type.Optional(
      Type.Boolean({
        description:
          'The citizen agrees that the agency complained about may see their name and phone (default false: only the 128 centre and supervisors see them)',
      }),
    ),
    publicListing: Type.Optional(
      Type.Boolean({
        description: 'The citizen agrees to list the complaint publicly (Open311, no personal data); default false; never listed when confidential',
      }),
    ),
    namedEmployee: Type.Optional(NamedEmployeeInput),
    language: Type.Optional(Type.Union([Type.Literal('fa'), Type.Literal('en')])),
  },
  {
    additionalProperties: false,
    description: 'Give agencyId or officeText, and countyId or provinceId (a county implies its province).',
  },
);

export const SubmitReply = Type.Object({
  id: Type.String({ format: 'uuid' }),
  trackingCode: Type.String({ pattern: '^[0-9]{12}$' }),
  status: StatusSchema,
  referredTo: Nullable(Type.Object({ unitId: Type.Integer(), name: Type.String() })),
  dueAt: Nullable(Type.String({ format: 'date-time' })),
  linkedCase: Type.Optional(
    Type.Object(
      { id: Type.String({ format: 'uuid' }), trackingCode: Type.String() },
      { description: 'Only for a signed-in operator: the caller’s open case about the same agency that this new complaint was linked to' },
    ),
  ),
});

export const CaseLink = Type.Object({ id: Type.String({ format: 'uuid' }), trackingCode: Type.String() });

const Ref = Nullable(Type.Object({ id: Type.Integer(), nameFa: Type.String() }));

const listItemProperties = {
  id: Type.String(),
  trackingCode: Type.String(),
  status: StatusSchema,
  channel: Type.String(),
  urgent: Type.Boolean(),
  confidential: Type.Boolean(),
  agency: Ref,
  unit: Ref,
  officeText: Nullable(Type.String()),
  provinceId: Nullable(Type.Integer()),
  provinceNameFa: Nullable(Type.String()),
  countyId: Nullable(Type.Integer()),
  countyNameFa: Nullable(Type.String()),
  categoryId: Nullable(Type.Integer()),
  categoryNameFa: Nullable(Type.String()),
  assigneeId: Nullable(Type.Integer()),
  assigneeName: Nullable(Type.String()),
  dueAt: Nullable(Type.String()),
  overdue: Type.Boolean(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  excerpt: Type.String(),
};
export const ComplaintListItemSchema = Type.Object(listItemProperties);

export const EventSchema = Type.Object({
  seq: Type.Integer(),
  type: Type.String(),
  actorKind: Type.Union([Type.Literal('citizen'), Type.Literal('staff'), Type.Literal('system')], {
    description: 'Who did it: the citizen, a staff member (actorName, actorRole) or the system (routing, deadlines, links)',
  }),
  actorId: Nullable(Type.Integer()),
  actorName: Nullable(Type.String()),
  actorRole: Nullable(RoleSchema),
  data: Type.Unknown(),
  createdAt: Type.String(),
  hash: Type.String(),
});

export const ComplaintDetailSchema = Type.Object({
  ...listItemProperties,
  actions: Type.Array(Type.Enum(COMPLAINT_ACTIONS), {
    description:
      'What the reader may do on this complaint now (from the role and the lifecycle’s transition table): the lifecycle actions of POST /complaints/{id}/actions, and name_employee, read_contact, attach, verify',
  }),
  description: Type.String(),
  location: Nullable(Type.Object({ lat: Type.Number(), lng: Type.Number(), text: Nullable(Type.String()) })),
  serviceId: Nullable(Type.Integer()),
  language: Type.String(),
  country: Type.String(),
  answer: Nullable(Type.String()),
  answeredAt: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
  outcome: Nullable(Type.String()),
  reopenCount: Type.Integer(),
  escalationCount: Type.Integer(),
  dissatisfiedCount: Type.Integer(),
  operatorId: Nullable(Type.Integer()),
  mergedIntoId: Nullable(Type.String({ description: 'Closed as a duplicate of this complaint (outcome "merged")' })),
  phoneVerified: Type.Boolean({ description: 'The phone was proved by who sent it (operator call, SMS sender, bot contact), not only typed' }),
  shareIdentity: Type.Boolean({ description: 'The citizen agreed that the agency complained about may see their name and phone' }),
  /** The same phone's open case about the same agency this complaint was linked to at intake (null also when outside your scope). */
  linkedCase: Nullable(CaseLink),
  linkedComplaints: Type.Array(CaseLink, { description: 'Later complaints of the same phone linked to this case (those in your scope)' }),
  namedEmployee: Type.Optional(
    Nullable(
      Type.String({
        description:
          'The employee the citizen named, as written (null: none). Present only for roles that may read it: national admin, supervisors, auditors, operators, inspection heads.',
      }),
    ),
  ),
  attachments: Type.Array(AttachmentSchema),
  timeline: Type.Array(EventSchema),
});

export const ListQuery = Type.Object(
  {
    status: Type.Optional(Type.Array(StatusSchema, { maxItems: 7 })),
    agencyId: Type.Optional(Type.Integer({ minimum: 1, description: 'Complaints now with this unit or any unit below it' })),
    unitId: Type.Optional(Type.Integer({ minimum: 1 })),
    provinceId: Type.Optional(Type.Integer({ minimum: 1 })),
    countyId: Type.Optional(Type.Integer({ minimum: 1 })),
    categoryId: Type.Optional(Type.Integer({ minimum: 1 })),
    channel: Type.Optional(ChannelSchema),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    overdue: Type.Optional(Type.Boolean()),
    mine: Type.Optional(Type.Boolean({ description: 'Only complaints assigned to me' })),
    escalated: Type.Optional(
      Type.Boolean({ description: 'Only complaints escalated at least once (by a breach, a supervisor, a dissatisfied citizen or an objection)' }),
    ),
    dissatisfied: Type.Optional(Type.Boolean({ description: 'Only complaints a citizen rated “not satisfied” at least once' })),
    triage: Type.Optional(Type.Boolean({ description: 'Only complaints waiting in the 128 triage queue (no unit yet)' })),
    trackingCode: Type.Optional(
      Type.String({ minLength: 1, maxLength: 40, description: 'Look one complaint up by its tracking code (any digits, spaces or dashes)' }),
    ),
    namedEmployee: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description:
          'Complaints naming this employee, however it is written (titles and letter forms do not matter); with unitId, the complaints behind an employee hotspot alert. Roles that may read named employees only.',
      }),
    ),
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Full-text search on the description (Persian-aware)' })),
    sort: Type.Optional(Type.Union([Type.Literal('due'), Type.Literal('newest'), Type.Literal('oldest')], { default: 'due' })),
    ...Page,
  },
  { additionalProperties: false },
);

const Reason = Type.String({ minLength: 3, maxLength: 2000 });
export const ActionBody = Type.Union(
  [
    Type.Object({ action: Type.Literal('assign'), assigneeId: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
    Type.Object({ action: Type.Literal('start') }, { additionalProperties: false }),
    Type.Object({ action: Type.Literal('note'), text: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false }),
    Type.Object(
      {
        action: Type.Literal('answer'),
        text: Type.String({ minLength: 10, maxLength: 8000 }),
        evidenceIds: Type.Optional(
          Type.Array(Type.String({ format: 'uuid' }), {
            maxItems: 10,
            uniqueItems: true,
            description: 'Attachments the staff uploaded to this complaint that prove the answer (required for categories whose answers need evidence)',
          }),
        ),
      },
      { additionalProperties: false },
    ),
    Type.Object({ action: Type.Literal('transfer'), toUnitId: Type.Integer({ minimum: 1 }), reason: Reason }, { additionalProperties: false }),
    Type.Object({ action: Type.Literal('reject'), reason: Reason }, { additionalProperties: false }),
    Type.Object({ action: Type.Literal('escalate'), reason: Reason }, { additionalProperties: false }),
    Type.Object(
      {
        action: Type.Literal('refer'),
        agencyId: Type.Integer({ minimum: 1 }),
        categoryId: Type.Optional(Type.Integer({ minimum: 1 })),
        provinceId: Type.Optional(Type.Integer({ minimum: 1 })),
        countyId: Type.Optional(Type.Integer({ minimum: 1 })),
      },
      { additionalProperties: false },
    ),
  ],
  { description: 'One lifecycle action; `action` picks which' },
);

export const AssigneeSchema = Type.Object({
  id: Type.Integer(),
  displayName: Type.String(),
  role: Type.String(),
  unitId: Type.Integer(),
  unitNameFa: Type.String(),
});

export const ContactSchema = Type.Object({ phone: Type.String(), name: Nullable(Type.String()), nationalId: Nullable(Type.String()) });

export const ChainReportSchema = Type.Object({
  complaintId: Type.String(),
  valid: Type.Boolean(),
  events: Type.Integer(),
  brokenAtSeq: Type.Optional(Type.Integer()),
  reason: Type.Optional(Type.String()),
  unkeyedEvents: Type.Optional(Type.Integer({ description: 'Version-1 (unkeyed) links from before the upgrade, sealed by the first checkpoint' })),
  projectionMatches: Type.Boolean(),
  mismatchedFields: Type.Optional(Type.Array(Type.String())),
  headMatches: Type.Boolean(),
});

export const NamedEmployeeBody = Type.Object(
  {
    namedEmployee: Nullable(NamedEmployeeInput),
    reason: Type.Optional(Type.String({ minLength: 3, maxLength: 2000, description: 'Required when a name is already there (a correction or clearing)' })),
  },
  { additionalProperties: false },
);

export const MergeBody = Type.Object(
  {
    intoId: Type.String({ format: 'uuid', description: 'The open case this complaint duplicates' }),
    reason: Type.String({ minLength: 3, maxLength: 2000 }),
  },
  { additionalProperties: false },
);

export const SplitBody = Type.Object(
  {
    reason: Type.String({ minLength: 3, maxLength: 2000 }),
    repeatSeq: Type.Optional(
      Type.Integer({
        minimum: 1,
        description:
          'Split off a repeat that joined this case automatically (the seq of its repeat_received event) instead of undoing a merge of this complaint',
      }),
    ),
  },
  { additionalProperties: false },
);
