import { Type } from 'typebox';
import { UnitSchema } from '../agencies/schema.ts';
import { Nullable } from '../core/schemas.ts';

const Probability = Type.Number({ minimum: 0, maximum: 1 });

export const SuggestionSchema = Type.Object({
  organisations: Type.Array(Type.Object({ unit: UnitSchema, probability: Probability }), {
    description: 'The likeliest organisations (ministry or affiliated organisation), best first, at most three',
  }),
  /** The office the top organisation routes to in the given place (null without a province). */
  unit: Nullable(UnitSchema),
  categories: Type.Array(
    Type.Object({ id: Type.Integer(), code: Type.String(), nameFa: Type.String(), nameEn: Type.String(), urgent: Type.Boolean(), probability: Probability }),
    { description: 'The likeliest categories, best first, at most three' },
  ),
  urgent: Nullable(Type.Boolean()),
  confidence: Probability,
  confident: Type.Boolean({ description: 'confidence ≥ TRIAGE_CONFIDENCE_PERCENT: the forms pre-fill the suggestion. A suggestion never routes by itself.' }),
  examples: Type.Integer({ description: 'Labelled texts the model has learnt from (shipped texts and this deployment’s operator referrals)' }),
});

export const SuggestBody = Type.Object(
  {
    text: Type.String({ minLength: 10, maxLength: 4000, description: 'The complaint as the citizen wrote it' }),
    provinceId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
    countyId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
  },
  { additionalProperties: false },
);
