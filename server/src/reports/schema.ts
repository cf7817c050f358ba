import { Type } from 'typebox';
import { Nullable } from '../core/schemas.ts';
import { FollowUpTallySchema } from '../follow-up/schema.ts';

const Rate = Nullable(Type.Number({ minimum: 0, maximum: 1 }));
const Minutes = Nullable(Type.Number({ minimum: 0 }));
const Count = Nullable(Type.Integer());

export const MeasuresSchema = Type.Object({
  enoughData: Type.Boolean({ description: 'False below the minimum number of complaints: "not enough data"' }),
  received: Count,
  verifiedPhone: Type.Optional(
    Nullable(
      Type.Integer({
        description: 'Of received, complaints from a verified phone (SMS sender, caller id, bot contact); absent in cards frozen before it was counted',
      }),
    ),
  ),
  receivedPer100k: Nullable(Type.Number({ description: 'Per 100,000 population (provinces, country; 2016 census)' })),
  receivedPer1000Services: Nullable(Type.Number({ description: 'Per 1,000 services delivered, where every office reported its services' })),
  servicesDelivered: Count,
  sizeBand: Type.Union([Type.Literal('xs'), Type.Literal('s'), Type.Literal('m'), Type.Literal('l'), Type.Literal('unknown')]),
  open: Count,
  answered: Count,
  answeredInSlaRate: Rate,
  firstActionMedianMinutes: Minutes,
  firstActionP90Minutes: Minutes,
  answerMedianMinutes: Minutes,
  answerP90Minutes: Minutes,
  breaches: Count,
  escalations: Count,
  escalationRate: Rate,
  satisfactionRate: Rate,
  dissatisfactionRate: Rate,
  reopenRate: Rate,
  noRatingRate: Rate,
  score: Nullable(Type.Number({ minimum: 0, maximum: 100, description: 'Composite score; see /api/v1/public/measures' })),
  rank: Nullable(Type.Integer({ description: '1 = best among peers' })),
  peers: Nullable(Type.Integer()),
});

const ProportionField = Type.Union(
  [
    Type.Literal('answeredInSlaRate'),
    Type.Literal('satisfactionRate'),
    Type.Literal('dissatisfactionRate'),
    Type.Literal('reopenRate'),
    Type.Literal('escalationRate'),
  ],
  { description: 'A proportion measure' },
);
const FunnelFlagSchema = Type.Union([Type.Literal('within'), Type.Literal('high95'), Type.Literal('high998'), Type.Literal('low95'), Type.Literal('low998')], {
  description: 'Where the raw rate falls on the funnel around the peer mean: within the 95% limits, above/below 95%, above/below 99.8%',
});

export const LeagueSchema = Type.Object(
  {
    shrunkScore: Nullable(Type.Number({ description: 'The composite score of the shrunk (empirical-Bayes) rates: what the rank orders by' })),
    rank: Type.Integer(),
    rankLow: Type.Integer({ description: 'The 95% rank interval over posterior draws (seeded by the period): plausibly rankLow to rankHigh' }),
    rankHigh: Type.Integer(),
    measures: Type.Array(
      Type.Object({
        field: ProportionField,
        events: Type.Integer(),
        trials: Type.Integer(),
        shrunk: Type.Number({ minimum: 0, maximum: 1, description: 'Posterior mean of the rate under the peers’ Beta prior' }),
        flag: FunnelFlagSchema,
        rank: Type.Integer(),
        rankLow: Type.Integer(),
        rankHigh: Type.Integer(),
      }),
    ),
  },
  { description: 'Honest league table: shrunk rates, funnel flags and rank intervals among the same peers (docs/report-cards.md)' },
);

export const FunnelSchema = Type.Object({
  level: Type.String(),
  peerKey: Type.String({ description: "'all', or agencyId:unitKind:sizeBand for offices" }),
  field: ProportionField,
  higherIsBetter: Type.Boolean(),
  peerMean: Type.Number(),
  points: Type.Array(
    Type.Object({
      id: Type.Integer(),
      provinceId: Nullable(Type.Integer()),
      nameFa: Type.String(),
      nameEn: Type.String(),
      trials: Type.Integer({ description: 'Volume (the x axis)' }),
      rate: Type.Number({ description: 'Raw rate (the y axis)' }),
      shrunk: Type.Number(),
      flag: FunnelFlagSchema,
    }),
  ),
  curve: Type.Array(Type.Object({ trials: Type.Integer(), lower998: Type.Number(), lower95: Type.Number(), upper95: Type.Number(), upper998: Type.Number() }), {
    description: 'Exact binomial control limits around the peer mean, by volume',
  }),
});

export const EntrySchema = Type.Object({
  level: Type.Union([
    Type.Literal('national'),
    Type.Literal('province'),
    Type.Literal('agency'),
    Type.Literal('agency_province'),
    Type.Literal('unit'),
    Type.Literal('manager'),
  ]),
  id: Type.Integer({ description: 'Province, agency, unit or manager id (0 for the national total)' }),
  nameFa: Type.String(),
  nameEn: Type.String(),
  provinceId: Nullable(Type.Integer()),
  agencyId: Nullable(Type.Integer()),
  unitKind: Nullable(Type.String()),
  measures: MeasuresSchema,
  provinceRank: Type.Optional(Type.Object({ rank: Nullable(Type.Integer()), peers: Nullable(Type.Integer()) })),
  league: Type.Optional(LeagueSchema),
});

export const IndicatorEntrySchema = Type.Object({
  indicatorId: Type.Integer(),
  code: Type.String(),
  pillar: Type.String(),
  nameFa: Type.String(),
  nameEn: Type.String(),
  weight: Type.Number(),
  received: Count,
  rated: Count,
  satisfactionRate: Rate,
  answeredInSlaRate: Rate,
  score: Nullable(Type.Number({ description: 'Satisfaction rate × 100 of rated complaints under this indicator' })),
});

export const ReportCardSchema = Type.Object({
  period: Type.Object({
    kind: Type.String(),
    key: Type.String({ description: "'1404-03' month, '1404-Q2' quarter (season), '1404' year" }),
    labelFa: Type.String(),
    labelEn: Type.String(),
    startsAt: Type.String({ description: 'Tehran midnight of the first day (UTC)' }),
    endsAt: Type.String({ description: 'Tehran midnight after the last day (UTC, exclusive)' }),
  }),
  audience: Type.Union([Type.Literal('official'), Type.Literal('public')]),
  scope: Type.String(),
  generatedAt: Type.String(),
  minComplaints: Type.Integer(),
  national: EntrySchema,
  provinces: Type.Array(EntrySchema),
  agencies: Type.Array(EntrySchema),
  agencyProvinces: Type.Array(EntrySchema),
  units: Type.Array(EntrySchema, { description: 'Official cards only' }),
  managers: Type.Array(EntrySchema, { description: 'Official cards only (the responsible inspection heads)' }),
  indicators: Type.Array(IndicatorEntrySchema),
  pillars: Type.Array(Type.Object({ pillar: Type.String(), score: Nullable(Type.Number()), rated: Count })),
  // Optional: snapshots published before these sections existed do not carry them.
  enforcement: Type.Optional(
    Type.Array(
      Type.Object({
        unitId: Type.Integer(),
        unitNameFa: Type.String(),
        managerId: Type.Integer(),
        managerName: Type.String(),
        kind: Type.Union([Type.Literal('warning'), Type.Literal('commendation'), Type.Literal('dismissal')]),
        count: Type.Integer(),
      }),
      { description: 'Official cards only: enforcement actions confirmed in the period and not overturned on appeal, per unit and manager' },
    ),
  ),
  funnels: Type.Optional(
    Type.Array(FunnelSchema, {
      description: 'Funnel plots: per peer group and proportion measure, the units (volume, rate) and the 95% / 99.8% limits around the peer mean',
    }),
  ),
  incidents: Type.Optional(
    Type.Object(
      {
        incidents: Type.Integer({ description: 'Incidents opened in the period: one outage is one cause' }),
        linkedComplaints: Type.Integer({ description: 'Complaints handled as part of them (not unlinked)' }),
        organisations: Type.Array(Type.Object({ id: Type.Integer(), nameFa: Type.String(), incidents: Type.Integer(), linkedComplaints: Type.Integer() })),
      },
      { description: 'Incidents and incident-linked complaints, counted apart from single complaints (absent in cards published before)' },
    ),
  ),
  followUp: Type.Optional(
    Type.Array(FollowUpTallySchema, {
      description: 'Satisfaction follow-up calls per unit (the weeks drawn in the period): the sample and what the 128 centre’s calls found; counts only',
    }),
  ),
  inspections: Type.Optional(
    Type.Array(
      Type.Object({
        unitId: Type.Integer(),
        unitNameFa: Type.String(),
        indicatorId: Type.Integer(),
        indicatorCode: Type.String(),
        inspections: Type.Integer(),
        averageScore: Type.Number(),
        minScore: Type.Integer(),
      }),
      { description: 'Official cards only: field-inspection findings (scores 0–100) from visits in the period, per office and quality indicator' },
    ),
  ),
});

export const PeriodParam = Type.Object({
  period: Type.String({ pattern: '^[0-9]{4}(-([0-9]{2}|[Qq][1-4]))?$', description: "Jalali period: '1404-03', '1404-Q2' or '1404'" }),
});

export const FormatQuery = Type.Object({
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('xlsx'), Type.Literal('html')], { default: 'json' })),
});

export const CardVersionSchema = Type.Object({
  id: Type.Integer(),
  periodKind: Type.String(),
  periodKey: Type.String(),
  audience: Type.String(),
  version: Type.Integer(),
  note: Type.String(),
  publishedAt: Type.String({ format: 'date-time' }),
  supersededAt: Nullable(Type.String({ format: 'date-time' })),
});

export const PublishBody = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 2000, description: 'Required for a correction (a second or later version)' })) },
  { additionalProperties: false },
);

export const ServiceVolumesBody = Type.Object(
  {
    items: Type.Array(
      Type.Object(
        {
          unitId: Type.Integer({ minimum: 1 }),
          month: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}$', description: 'Jalali month, 1404-03' }),
          services: Type.Integer({ minimum: 0, maximum: 1_000_000_000 }),
          source: Type.Optional(Type.String({ maxLength: 200 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 5000 },
    ),
  },
  { additionalProperties: false },
);

export const MeasureDefinitionsSchema = Type.Object({
  minComplaints: Type.Integer(),
  scoreFormula: Type.String(),
  histogramPrecision: Type.String(),
  measures: Type.Array(Type.Object({ field: Type.String(), en: Type.String(), fa: Type.String() })),
  markdown: Type.String({ description: 'docs/measures.md' }),
});
