import { Type } from 'typebox';
import { Nullable } from '../core/schemas.ts';

export const Dimension = Type.Union([Type.Literal('unit'), Type.Literal('category'), Type.Literal('employee')]);

export const SettingsSchema = Type.Object({
  dimension: Dimension,
  windowMinutes: Type.Integer(),
  baselineHours: Type.Integer(),
  minCount: Type.Integer(),
  maxPValue: Type.Number(),
  minExpected: Type.Number(),
  active: Type.Boolean(),
});

export const SettingsChange = Type.Object(
  {
    windowMinutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 1440 })),
    baselineHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 2160 })),
    minCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    maxPValue: Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 })),
    minExpected: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 10_000 })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const AlertSchema = Type.Object({
  id: Type.Integer(),
  dimension: Dimension,
  subjectKey: Type.String(),
  unitId: Nullable(Type.Integer()),
  unitName: Nullable(Type.String()),
  provinceId: Nullable(Type.Integer()),
  categoryId: Nullable(Type.Integer()),
  namedEmployee: Nullable(Type.String()),
  windowCount: Type.Integer({ description: 'Complaints in the window when the alert opened' }),
  verifiedCount: Type.Integer({
    description:
      'Of those (at the peak), how many came from a proved phone: an operator’s call, an SMS sender, a bot contact share. The rest rest on a phone typed into a form.',
  }),
  expected: Type.Number(),
  pValue: Type.Number(),
  peakCount: Type.Integer(),
  openedAt: Type.String({ format: 'date-time' }),
  lastSeenAt: Type.String({ format: 'date-time' }),
  closedAt: Nullable(Type.String({ format: 'date-time' })),
});

export const AlertQuery = Type.Object(
  {
    open: Type.Optional(Type.Boolean()),
    dimension: Type.Optional(Dimension),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);

export const ScanReply = Type.Object({ scanned: Type.Boolean(), opened: Type.Array(Type.Integer()), closed: Type.Array(Type.Integer()) });
