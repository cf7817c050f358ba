import { Type } from 'typebox';
import { StatusSchema } from '../complaints/schema.ts';
import { Nullable } from '../core/schemas.ts';

export const AppealQuery = Type.Object({
  decided: Type.Optional(Type.Boolean({ description: 'true: decided appeals, newest first; else open ones, nearest deadline first' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
});

export const AppealItem = Type.Object({
  complaintId: Type.String(),
  trackingCode: Type.String(),
  status: StatusSchema,
  unitNameFa: Nullable(Type.String({ description: 'The top unit whose answer is appealed' })),
  provinceNameFa: Nullable(Type.String()),
  reason: Type.String({ description: 'The citizen’s reason' }),
  answer: Nullable(Type.String({ description: 'The agency’s answer, while the appeal is open' })),
  appealedAt: Type.String(),
  dueAt: Type.String(),
  overdue: Type.Boolean(),
  decision: Nullable(Type.Union([Type.Literal('upheld'), Type.Literal('rejected')])),
  decisionText: Nullable(Type.String()),
  decidedAt: Nullable(Type.String()),
});

export const AppealDecisionBody = Type.Object(
  {
    decision: Type.Union([Type.Literal('uphold'), Type.Literal('reject')]),
    text: Type.String({ minLength: 3, maxLength: 2000, description: 'uphold: the directive to the agency; reject: the reasons, which the citizen reads' }),
  },
  { additionalProperties: false },
);
