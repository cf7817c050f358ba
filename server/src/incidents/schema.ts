import { Type } from 'typebox';
import { Nullable, Text } from '../core/schemas.ts';

export const PublicStatus = Type.Union([Type.Literal('investigating'), Type.Literal('handling'), Type.Literal('resolved')], {
  description: 'What citizens see: investigating «در حال بررسی», handling «در حال رسیدگی», resolved «برطرف شد»',
});

export const Suggestion = Type.Object({
  organisation: Type.Object({ id: Type.Integer(), nameFa: Type.String() }),
  count: Type.Integer(),
  firstAt: Type.String({ format: 'date-time' }),
  lastAt: Type.String({ format: 'date-time' }),
  units: Type.Array(Type.String()),
  example: Type.String(),
  complaints: Type.Array(Type.Object({ id: Type.String({ format: 'uuid' }), trackingCode: Type.String(), createdAt: Type.String({ format: 'date-time' }) })),
});

export const IncidentSummary = Type.Object({
  id: Type.Integer(),
  titleFa: Type.String(),
  publicStatus: PublicStatus,
  organisation: Type.Object({ id: Type.Integer(), nameFa: Type.String() }),
  openedAt: Type.String({ format: 'date-time' }),
  closedAt: Nullable(Type.String({ format: 'date-time' })),
  answer: Nullable(Type.String()),
  linkedCount: Type.Integer({ description: 'Complaints linked now (while open), or answered together (once closed)' }),
});

export const IncidentDetail = Type.Intersect([
  IncidentSummary,
  Type.Object({
    complaints: Type.Array(
      Type.Object({
        id: Type.String({ format: 'uuid' }),
        trackingCode: Type.String(),
        status: Type.String(),
        createdAt: Type.String({ format: 'date-time' }),
        how: Type.Union([Type.Literal('opened'), Type.Literal('arrival')], {
          description: 'Chosen by staff (when opened, or added by hand later), or linked on arrival',
        }),
        linkedAt: Type.String({ format: 'date-time' }),
        endedAt: Nullable(Type.String({ format: 'date-time' })),
        endedHow: Nullable(Type.Union([Type.Literal('unlinked'), Type.Literal('closed')])),
      }),
      { description: 'The linked complaints the viewer may see' },
    ),
  }),
]);

export const OpenIncidentBody = Type.Object(
  {
    titleFa: Text(5, 200, 'The public title citizens see (no personal data), e.g. «قطعی سامانهٔ پرداخت»'),
    complaintIds: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 1000, description: 'Open complaints at one organisation' }),
    publicStatus: Type.Optional(Type.Union([Type.Literal('investigating'), Type.Literal('handling')], { default: 'handling' })),
  },
  { additionalProperties: false },
);

export const CloseIncidentBody = Type.Object({ answer: Text(10, 4000, 'The answer every linked citizen gets') }, { additionalProperties: false });

export const UnlinkBody = Type.Object(
  { complaintId: Type.String({ format: 'uuid' }), reason: Text(3, 1000, 'Why it is not part of the incident') },
  { additionalProperties: false },
);

export const ListQuery = Type.Object(
  {
    state: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed'), Type.Literal('all')], { default: 'open' })),
    complaintId: Type.Optional(Type.String({ format: 'uuid', description: 'Only the open incident this complaint is in' })),
  },
  { additionalProperties: false },
);

export const UpdateIncidentBody = Type.Object(
  {
    titleFa: Type.Optional(Text(5, 200, 'A new public title (no personal data)')),
    publicStatus: Type.Optional(
      Type.Union([Type.Literal('investigating'), Type.Literal('handling')], { description: 'A new public status; each linked citizen is told once' }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const AddComplaintBody = Type.Object(
  { trackingCode: Type.String({ minLength: 1, maxLength: 40, description: 'The complaint’s tracking code in any spelling (Persian digits, spaces)' }) },
  { additionalProperties: false },
);
