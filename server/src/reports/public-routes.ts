import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../core/errors.ts';
import { errors, Nullable } from '../core/schemas.ts';
import type { Database } from '../db/database.ts';
import type { Entry, ReportCard } from './build-report-card.ts';
import { MEASURE_DEFINITIONS, SCORE_FORMULA } from './measures.ts';
import { periodParam, sendCard } from './present.ts';
import { CardVersionSchema, EntrySchema, FormatQuery, MeasureDefinitionsSchema, MeasuresSchema, PeriodParam, ReportCardSchema } from './schema.ts';
import { getCardContent, listPublishedCards, publishedContents } from './store.ts';

const measuresMarkdown = (() => {
  try {
    return readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../../docs/measures.md'), 'utf8');
  } catch {
    return '';
  }
})();

const MAP_MEASURES = [
  'score',
  'received',
  'receivedPer100k',
  'answeredInSlaRate',
  'satisfactionRate',
  'dissatisfactionRate',
  'reopenRate',
  'escalationRate',
  'noRatingRate',
  'answerMedianMinutes',
] as const;

/** A published public card of a period (its current version, or `version`); not published is a 404. */
async function published(db: Database, periodText: string, version: number | null = null) {
  const found = await getCardContent(db.reads, periodParam(periodText).key, 'public', version);
  if (!found) throw new AppError('report_not_published');
  return { card: found.content as ReportCard, version: found.version };
}

/** The measures and the published report cards. */
const cardRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app.deps;
  app.get(
    '/measures',
    {
      schema: {
        tags: ['open data'],
        summary: 'What every report-card measure means, the composite score formula and the histogram precision',
        response: { 200: MeasureDefinitionsSchema },
      },
    },
    async () => ({
      minComplaints: config.reportMinComplaints,
      scoreFormula: SCORE_FORMULA,
      histogramPrecision:
        'Times come from 80 log-spaced buckets (four per doubling of minutes); a median or p90 is the bucket’s geometric middle, within ±9.05% of the exact value (under one minute reads 0.5).',
      measures: MEASURE_DEFINITIONS,
      markdown: measuresMarkdown,
    }),
  );

  app.get(
    '/report-cards',
    {
      schema: {
        tags: ['open data'],
        summary: 'Every published report card (current versions), newest period first',
        response: { 200: Type.Object({ items: Type.Array(CardVersionSchema) }) },
      },
    },
    async () => ({ items: await listPublishedCards(db.reads) }),
  );

  app.get(
    '/report-cards/:period',
    {
      schema: {
        tags: ['open data'],
        summary: 'A published public report card (current version, or ?version=n for an earlier one); `format=csv|xlsx|html` for a file or a printable page',
        params: PeriodParam,
        querystring: Type.Object({ ...FormatQuery.properties, version: Type.Optional(Type.Integer({ minimum: 1 })) }),
        response: { 200: ReportCardSchema, ...errors(400, 404) },
      },
    },
    async (request, reply) => {
      const { card, version } = await published(db, request.params.period, request.query.version ?? null);
      return sendCard(reply, card, request.query.format, version.version);
    },
  );
};

/** The league table of a period. */
const rankingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  app.get(
    '/rankings/:period',
    {
      schema: {
        tags: ['open data'],
        summary: 'Agencies ranked by composite score: nationally, or among all agencies of one province (?provinceId=); provinces ranked nationally',
        params: PeriodParam,
        querystring: Type.Object({ provinceId: Type.Optional(Type.Integer({ minimum: 1 })) }),
        response: {
          200: Type.Object({
            period: Type.String(),
            version: Type.Integer(),
            provinceId: Nullable(Type.Integer()),
            agencies: Type.Array(EntrySchema),
            provinces: Type.Array(EntrySchema),
          }),
          ...errors(400, 404),
        },
      },
    },
    async (request) => {
      const { card, version } = await published(db, request.params.period);
      const provinceId = request.query.provinceId ?? null;
      const agencies: Entry[] =
        provinceId === null
          ? card.agencies
          : card.agencyProvinces
              .filter((e) => e.provinceId === provinceId)
              .map((e) => ({ ...e, measures: { ...e.measures, rank: e.provinceRank?.rank ?? null, peers: e.provinceRank?.peers ?? null } }))
              .sort((a, b) => (a.measures.rank ?? 1e9) - (b.measures.rank ?? 1e9));
      return { period: card.period.key, version: version.version, provinceId, agencies, provinces: provinceId === null ? card.provinces : [] };
    },
  );
};

/** One agency across periods. */
const agencyCardRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  app.get(
    '/agencies/:id/report-cards',
    {
      schema: {
        tags: ['open data'],
        summary: 'An agency’s report-card history: its measures in every published card of a kind of period (month by default), oldest first',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
        querystring: Type.Object({ kind: Type.Optional(Type.Union([Type.Literal('month'), Type.Literal('quarter'), Type.Literal('year')])) }),
        response: {
          200: Type.Object({
            agencyId: Type.Integer(),
            items: Type.Array(
              Type.Object({
                period: Type.String(),
                version: Type.Integer(),
                measures: MeasuresSchema,
                provinces: Type.Array(Type.Object({ provinceId: Type.Integer(), measures: MeasuresSchema })),
              }),
            ),
          }),
          ...errors(400),
        },
      },
    },
    async (request) => {
      const agencyId = request.params.id;
      const items = [];
      for (const row of await publishedContents(db.reads, request.query.kind ?? 'month')) {
        const card = row.content as ReportCard;
        const agency = card.agencies.find((a) => a.id === agencyId);
        if (!agency) continue;
        items.push({
          period: row.periodKey,
          version: row.version,
          measures: agency.measures,
          provinces: card.agencyProvinces.filter((e) => e.agencyId === agencyId).map((e) => ({ provinceId: e.provinceId!, measures: e.measures })),
        });
      }
      return { agencyId, items };
    },
  );
};

/** The map of a period. */
const mapRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  app.get(
    '/map/:period',
    {
      schema: {
        tags: ['open data'],
        summary: 'One measure per province for the map (default: composite score)',
        params: PeriodParam,
        querystring: Type.Object({ measure: Type.Optional(Type.Union(MAP_MEASURES.map((m) => Type.Literal(m)))) }),
        response: {
          200: Type.Object({
            period: Type.String(),
            version: Type.Integer(),
            measure: Type.String(),
            provinces: Type.Array(
              Type.Object({
                provinceId: Type.Integer(),
                nameFa: Type.String(),
                nameEn: Type.String(),
                value: Nullable(Type.Number()),
                enoughData: Type.Boolean(),
              }),
            ),
          }),
          ...errors(400, 404),
        },
      },
    },
    async (request) => {
      const { card, version } = await published(db, request.params.period);
      const measure = request.query.measure ?? 'score';
      return {
        period: card.period.key,
        version: version.version,
        measure,
        provinces: card.provinces.map((p) => ({
          provinceId: p.id,
          nameFa: p.nameFa,
          nameEn: p.nameEn,
          value: p.measures[measure],
          enoughData: p.measures.enoughData,
        })),
      };
    },
  );
};

/**
 * The transparency portal's open data: no sign-in, published (frozen) public report cards
 * only, which carry aggregates and no personal data.
 */
export const publicReportRoutes: FastifyPluginAsyncTypebox = async (app, opts) => {
  await cardRoutes(app, opts);
  await rankingRoutes(app, opts);
  await agencyCardRoutes(app, opts);
  await mapRoutes(app, opts);
};
