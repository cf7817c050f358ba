import { Type } from 'typebox';
import { Nullable, Text } from '../core/schemas.ts';

const Instant = Type.String({ format: 'date-time' });

export const DispatchBody = Type.Union([
  Type.Object(
    {
      reason: Type.Literal('cluster'),
      trackingCodes: Type.Optional(
        Type.Array(Type.String({ minLength: 1, maxLength: 40 }), {
          minItems: 1,
          maxItems: 200,
          description: 'The complaints by tracking code: any digits, with or without spaces or dashes; one not found or out of scope is named in the error',
        }),
      ),
      complaintIds: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 200, description: 'Or by id' })),
      unitId: Type.Optional(Type.Integer({ minimum: 1, description: 'The office to visit; default: the one office all the complaints are at' })),
      inspectorId: Type.Integer({ minimum: 1 }),
      note: Type.Optional(Text(0, 2000)),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      reason: Type.Literal('random'),
      seed: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{4,64}$', description: 'Default: a fresh random seed; recorded either way' })),
      inspectorId: Type.Integer({ minimum: 1 }),
      note: Type.Optional(Text(0, 2000)),
    },
    { additionalProperties: false },
  ),
]);

export const FindingsBody = Type.Object(
  {
    visitedAt: Instant,
    summary: Type.Optional(Text(0, 4000)),
    findings: Type.Array(
      Type.Object(
        { indicatorId: Type.Integer({ minimum: 1 }), score: Type.Integer({ minimum: 0, maximum: 100 }), notes: Type.Optional(Text(0, 2000)) },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 50, description: 'One per active quality indicator' },
    ),
  },
  { additionalProperties: false },
);

export const PhotoSchema = Type.Object({
  id: Type.Integer(),
  mediaType: Type.String(),
  bytes: Type.Integer(),
  sha256: Type.String(),
  uploadedAt: Instant,
});

export const InspectionSchema = Type.Object({
  id: Type.Integer(),
  unitId: Type.Integer(),
  unitName: Type.String(),
  provinceId: Nullable(Type.Integer()),
  inspectorId: Type.Integer(),
  inspectorName: Type.String(),
  dispatchedBy: Type.Integer(),
  dispatchedAt: Instant,
  reason: Type.Union([Type.Literal('cluster'), Type.Literal('random')]),
  randomSeed: Nullable(Type.String()),
  candidates: Nullable(Type.Integer({ description: 'How many offices the random draw chose from (ordered by id)' })),
  note: Nullable(Type.String()),
  status: Type.Union([Type.Literal('dispatched'), Type.Literal('filed')]),
  visitedAt: Nullable(Instant),
  filedAt: Nullable(Instant),
  summary: Nullable(Type.String()),
  complaintIds: Type.Array(Type.String()),
  findings: Type.Array(Type.Object({ indicatorId: Type.Integer(), indicatorCode: Type.String(), score: Type.Integer(), notes: Type.String() })),
  photos: Type.Array(PhotoSchema),
});

export const InspectionListQuery = Type.Object(
  {
    unitId: Type.Optional(Type.Integer({ minimum: 1 })),
    status: Type.Optional(Type.Union([Type.Literal('dispatched'), Type.Literal('filed')])),
    mine: Type.Optional(Type.Boolean({ description: 'Only inspections I am the inspector of' })),
    from: Type.Optional(Instant),
    to: Type.Optional(Instant),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);

export const SummaryQuery = Type.Object({ unitId: Type.Optional(Type.Integer({ minimum: 1 })), from: Instant, to: Instant }, { additionalProperties: false });
export const SummaryReply = Type.Object({
  items: Type.Array(
    Type.Object({
      unitId: Type.Integer(),
      unitName: Type.String(),
      indicatorId: Type.Integer(),
      indicatorCode: Type.String(),
      inspections: Type.Integer(),
      averageScore: Type.Number(),
      minScore: Type.Integer(),
    }),
  ),
});
