import { Type } from 'typebox';
import { Nullable } from '../core/schemas.ts';

export const UnitKindSchema = Type.Union([
  Type.Literal('ministry'),
  Type.Literal('organisation'),
  Type.Literal('provincial_directorate'),
  Type.Literal('county_office'),
]);

export const UnitSchema = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  parentId: Nullable(Type.Integer()),
  kind: UnitKindSchema,
  nameFa: Type.String(),
  nameEn: Type.String(),
  provinceId: Nullable(Type.Integer()),
  countyId: Nullable(Type.Integer()),
  path: Type.String({ description: 'Ancestor ids, root first: /3/17/42/' }),
  depth: Type.Integer({ description: '1 for a national root' }),
  active: Type.Boolean(),
  inspectionHeadId: Nullable(Type.Integer()),
});

export const AgencyQuery = Type.Object({
  q: Type.Optional(
    Type.String({
      maxLength: 100,
      description:
        'Words of the name in any order, whole or in part, Persian or English, however spelt (هٔ/ه, ي/ی, ك/ک, أ/ا, digits, ZWNJ); results best match first',
    }),
  ),
  preferProvinceId: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 2147483647, description: 'With q: rank this province’s units first (others still shown)' }),
  ),
  preferCountyId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'With q: rank this county’s offices first' })),
  kind: Type.Optional(UnitKindSchema),
  provinceId: Type.Optional(Type.Integer({ minimum: 1 })),
  countyId: Type.Optional(Type.Integer({ minimum: 1 })),
  parentId: Type.Optional(Type.Integer({ minimum: 1 })),
  roots: Type.Optional(Type.Boolean({ description: 'Only national agencies (ministries and organisations)' })),
  includeInactive: Type.Optional(Type.Boolean()),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 2000 })),
});

export const CountySchema = Type.Object({ id: Type.Integer(), code: Type.String(), nameFa: Type.String(), nameEn: Type.String() });
export const ProvinceSchema = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  nameFa: Type.String(),
  nameEn: Type.String(),
  population: Nullable(Type.Integer()),
  counties: Type.Array(CountySchema),
});

export const IndicatorSchema = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  pillar: Type.Union([Type.Literal('ease'), Type.Literal('continuity'), Type.Literal('dignity')]),
  nameFa: Type.String(),
  nameEn: Type.String(),
  sortOrder: Type.Integer(),
  active: Type.Boolean(),
  weight: Type.Number({ description: 'Weight in the pillar score of report cards' }),
});

export const CategorySchema = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  nameFa: Type.String(),
  nameEn: Type.String(),
  descriptionFa: Type.String(),
  descriptionEn: Type.String(),
  indicatorId: Type.Integer(),
  indicatorCode: Type.String(),
  urgent: Type.Boolean(),
  answerHours: Type.Integer(),
  sortOrder: Type.Integer(),
  active: Type.Boolean(),
  answerNeedsEvidence: Type.Boolean({ description: 'Staff must attach a photo from the office to the answer (closure with evidence)' }),
});

export const ServiceSchema = Type.Object({
  id: Type.Integer(),
  agencyId: Type.Integer(),
  code: Type.String(),
  nameFa: Type.String(),
  nameEn: Type.String(),
  active: Type.Boolean(),
});

const Code = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' });
const SnakeCode = Type.String({ pattern: '^[a-z][a-z0-9_]{1,40}$' });

export const CreateUnitBody = Type.Object(
  {
    code: Code,
    parentId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
    kind: UnitKindSchema,
    nameFa: Type.String({ minLength: 2, maxLength: 200 }),
    nameEn: Type.Optional(Type.String({ maxLength: 200 })),
    provinceId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
    countyId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
  },
  { additionalProperties: false },
);

export const ChangeUnitBody = Type.Object(
  {
    nameFa: Type.Optional(Type.String({ minLength: 2, maxLength: 200 })),
    nameEn: Type.Optional(Type.String({ maxLength: 200 })),
    parentId: Type.Optional(Type.Integer({ minimum: 1, description: 'Move the unit (with its subtree) under this unit' })),
    inspectionHeadId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ImportResult = Type.Object({ created: Type.Integer(), updated: Type.Integer() });

export const CreateIndicatorBody = Type.Object(
  {
    code: SnakeCode,
    pillar: Type.Union([Type.Literal('ease'), Type.Literal('continuity'), Type.Literal('dignity')]),
    nameFa: Type.String({ minLength: 2, maxLength: 200 }),
    nameEn: Type.String({ minLength: 2, maxLength: 200 }),
    sortOrder: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  },
  { additionalProperties: false },
);

export const ChangeIndicatorBody = Type.Object(
  {
    pillar: Type.Optional(Type.Union([Type.Literal('ease'), Type.Literal('continuity'), Type.Literal('dignity')])),
    nameFa: Type.Optional(Type.String({ minLength: 2, maxLength: 200 })),
    nameEn: Type.Optional(Type.String({ minLength: 2, maxLength: 200 })),
    sortOrder: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
    active: Type.Optional(Type.Boolean()),
    weight: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const ChangeCategoryBody = Type.Object(
  {
    indicatorId: Type.Optional(Type.Integer({ minimum: 1, description: 'Map the category to this indicator (new complaints only)' })),
    nameFa: Type.Optional(Type.String({ minLength: 2, maxLength: 200 })),
    nameEn: Type.Optional(Type.String({ minLength: 2, maxLength: 200 })),
    active: Type.Optional(Type.Boolean()),
    answerNeedsEvidence: Type.Optional(Type.Boolean({ description: 'Answers need a photo from the office before the complaint can be answered' })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const CreateCategoryBody = Type.Object(
  {
    code: SnakeCode,
    nameFa: Type.String({ minLength: 2, maxLength: 200 }),
    nameEn: Type.String({ minLength: 2, maxLength: 200 }),
    descriptionFa: Type.Optional(Type.String({ maxLength: 1000 })),
    descriptionEn: Type.Optional(Type.String({ maxLength: 1000 })),
    indicatorId: Type.Integer({ minimum: 1 }),
    urgent: Type.Boolean(),
    answerHours: Type.Integer({ minimum: 1, maximum: 8760 }),
    sortOrder: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  },
  { additionalProperties: false },
);

export const CreateServiceBody = Type.Object(
  {
    agencyId: Type.Integer({ minimum: 1 }),
    code: Code,
    nameFa: Type.String({ minLength: 2, maxLength: 200 }),
    nameEn: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
