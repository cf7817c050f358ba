import { Type } from 'typebox';
import { Nullable } from '../core/schemas.ts';

const Outcome = Type.Union([Type.Literal('reached_satisfied'), Type.Literal('reached_not_satisfied'), Type.Literal('not_reachable')]);

export const FollowUpCallSchema = Type.Object({
  id: Type.Integer(),
  weekStart: Type.String({ description: 'The Saturday (Gregorian date, Tehran) of the week the call was drawn in' }),
  complaintId: Type.String({ format: 'uuid' }),
  trackingCode: Type.String(),
  unitId: Type.Integer(),
  unitNameFa: Type.String(),
  closedAt: Nullable(Type.String()),
  outcome: Nullable(Outcome),
  attempts: Nullable(Type.Integer()),
  calledAt: Nullable(Type.String()),
});

export const CallListQuery = Type.Object(
  {
    state: Type.Optional(Type.Union([Type.Literal('due'), Type.Literal('done')], { default: 'due' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);

export const OutcomeBody = Type.Union(
  [
    Type.Object(
      {
        outcome: Type.Union([Type.Literal('reached_satisfied'), Type.Literal('reached_not_satisfied')]),
        attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, description: 'Calls it took to reach the citizen (default 1)' })),
      },
      { additionalProperties: false },
    ),
    Type.Object(
      { outcome: Type.Literal('not_reachable'), attempts: Type.Integer({ minimum: 1, maximum: 20, description: 'Calls tried without reaching the citizen' }) },
      { additionalProperties: false },
    ),
  ],
  { description: 'What the call found; `not_reachable` needs the number of attempts' },
);

export const FollowUpTallySchema = Type.Object({
  unitId: Type.Integer(),
  unitNameFa: Type.String(),
  provinceId: Nullable(Type.Integer()),
  sampled: Type.Integer({ description: 'Closed complaints drawn for a call in the period’s weeks' }),
  reachedSatisfied: Type.Integer(),
  reachedNotSatisfied: Type.Integer(),
  notReachable: Type.Integer(),
});
