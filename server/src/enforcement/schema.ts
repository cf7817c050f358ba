import { Type } from 'typebox';
import { Nullable, Text } from '../core/schemas.ts';
import { ACTION_KINDS, RULE_CONDITIONS } from './rules.ts';

export const ActionKindSchema = Type.Enum(ACTION_KINDS);
export const EvidenceUrl = Type.String({
  pattern: '^(https?://|/)[^\\s]{1,500}$',
  maxLength: 500,
  description: 'Link to the evidence: a report card, an inspection (/api/v1/inspections/12), a complaint list',
});

export const RuleSchema = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  action: ActionKindSchema,
  condition: Type.Enum(RULE_CONDITIONS),
  threshold: Nullable(Type.Number()),
  periods: Type.Integer(),
  minComplaints: Type.Integer(),
  priorWarnings: Type.Integer(),
  active: Type.Boolean(),
  descriptionFa: Type.String(),
});

export const RuleChangeBody = Type.Object(
  {
    threshold: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    periods: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 })),
    minComplaints: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    priorWarnings: Type.Optional(Type.Integer({ minimum: 0, maximum: 50 })),
    active: Type.Optional(Type.Boolean()),
    descriptionFa: Type.Optional(Text(0, 500)),
  },
  { additionalProperties: false },
);

const Instant = Type.String({ format: 'date-time' });

export const ActionSchema = Type.Object({
  id: Type.Integer(),
  kind: ActionKindSchema,
  managerId: Type.Integer(),
  managerName: Type.String(),
  unitId: Type.Integer(),
  unitName: Type.String(),
  provinceId: Nullable(Type.Integer()),
  ruleCode: Nullable(Type.String({ description: 'The rule that suggested it; null for a supervisor’s own proposal' })),
  period: Type.String({ description: 'Jalali month (YYYY-MM) the action is about' }),
  evidence: Type.Unknown({ description: 'The numbers behind it (breach rate per month, rank…) or the proposer’s reason' }),
  proposedBy: Nullable(Type.Integer()),
  proposedAt: Instant,
  replyDueAt: Instant,
  reply: Nullable(Type.String()),
  repliedAt: Nullable(Instant),
  status: Type.Union([Type.Literal('proposed'), Type.Literal('confirmed'), Type.Literal('dropped')]),
  decidedBy: Nullable(Type.Integer()),
  decidedAt: Nullable(Instant),
  decisionReason: Nullable(Type.String()),
  evidenceUrl: Nullable(Type.String()),
  appeal: Nullable(Type.String()),
  appealedAt: Nullable(Instant),
  appealStatus: Nullable(Type.Union([Type.Literal('pending'), Type.Literal('upheld'), Type.Literal('overturned')])),
  appealDecidedBy: Nullable(Type.Integer()),
  appealDecidedAt: Nullable(Instant),
  appealReason: Nullable(Type.String()),
});

export const ActionListQuery = Type.Object(
  {
    status: Type.Optional(Type.Union([Type.Literal('proposed'), Type.Literal('confirmed'), Type.Literal('dropped')])),
    kind: Type.Optional(ActionKindSchema),
    unitId: Type.Optional(Type.Integer({ minimum: 1 })),
    managerId: Type.Optional(Type.Integer({ minimum: 1 })),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  },
  { additionalProperties: false },
);

export const EvaluateBody = Type.Object(
  { asOf: Type.Optional(Type.String({ format: 'date-time', description: 'Evaluate the completed Jalali months before this instant (default: now)' })) },
  { additionalProperties: false },
);
export const EvaluateReply = Type.Object({
  period: Nullable(Type.String()),
  runId: Type.Integer({ description: 'The run as recorded (GET /enforcement/runs)' }),
  created: Type.Array(Type.Object({ id: Type.Integer(), managerId: Type.Integer(), kind: ActionKindSchema, unitId: Type.Integer(), period: Type.String() })),
});

export const RunSchema = Type.Object({
  id: Type.Integer(),
  period: Type.String({ description: 'Jalali month (YYYY-MM) the run’s suggestions are about' }),
  trigger: Type.Union([Type.Literal('schedule'), Type.Literal('manual')]),
  requestedBy: Nullable(Type.Integer({ description: 'Who ran it by hand' })),
  requestedByName: Nullable(Type.String()),
  asOf: Instant,
  attempt: Type.Integer({ description: 'A scheduled month’s attempt (1, then 2… after failures)' }),
  status: Type.Union([Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
  startedAt: Instant,
  finishedAt: Nullable(Instant),
  created: Nullable(Type.Integer({ description: 'Suggestions the run created' })),
  error: Nullable(Type.String({ description: 'Why it failed (a scheduled month is retried later)' })),
});
export const RunListQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 24 })) }, { additionalProperties: false });
export const RunListReply = Type.Object({
  schedule: Type.Object({
    enabled: Type.Boolean({ description: 'ENFORCEMENT_SCHEDULE of this instance' }),
    settleHours: Type.Integer({ description: 'Hours after a month ends (Tehran) before its rules run' }),
    catchUpMonths: Type.Integer({ description: 'Ended months caught up at most after a downtime' }),
    next: Nullable(
      Type.Object({
        period: Type.String({ description: 'The Jalali month the next scheduled run is for' }),
        dueAt: Type.String({ format: 'date-time', description: 'When it is due (in the past: the next tick, within a minute, runs it)' }),
        retry: Type.Boolean({ description: 'A retry of a failed run' }),
      }),
    ),
  }),
  items: Type.Array(RunSchema),
});

export const ProposeBody = Type.Object(
  { unitId: Type.Integer({ minimum: 1 }), kind: ActionKindSchema, reason: Text(5, 2000), evidenceUrl: Type.Optional(EvidenceUrl) },
  { additionalProperties: false },
);
export const TextBody = Type.Object({ text: Text(2, 4000) }, { additionalProperties: false });
export const DecisionBody = Type.Object(
  { decision: Type.Union([Type.Literal('confirm'), Type.Literal('drop')]), reason: Text(5, 2000), evidenceUrl: EvidenceUrl },
  { additionalProperties: false },
);
export const AppealDecisionBody = Type.Object(
  { decision: Type.Union([Type.Literal('uphold'), Type.Literal('overturn')]), reason: Text(5, 2000) },
  { additionalProperties: false },
);

export const ManagerRecordReply = Type.Object({
  manager: Type.Object({
    id: Type.Integer(),
    displayName: Type.String(),
    role: Type.String(),
    unitId: Nullable(Type.Integer()),
    unitName: Nullable(Type.String()),
    provinceId: Nullable(Type.Integer()),
    headOf: Type.Array(Type.Object({ id: Type.Integer(), nameFa: Type.String(), provinceId: Nullable(Type.Integer()) })),
    breaches: Type.Object({ total: Type.Integer(), last12Months: Type.Integer() }),
  }),
  actions: Type.Array(ActionSchema),
});
