import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../core/errors.ts';
import { errors } from '../core/schemas.ts';
import { monthKeysOf, parsePeriod } from '../domain/jalali-periods.ts';
import { buildReportCard } from './build-report-card.ts';
import { periodParam, sendCard } from './present.ts';
import { publishReportCard } from './publish-report-card.ts';
import { CardVersionSchema, FormatQuery, PeriodParam, PublishBody, ReportCardSchema, ServiceVolumesBody } from './schema.ts';
import { getCardContent, listCardVersions, rebuildRollups, upsertServiceVolume } from './store.ts';

const FORMATS_NOTE = ' `format=csv|xlsx|html` returns the same card as a CSV file, an XLSX workbook or a printable page.';

/** Report cards for officials: live from the rollups, within the user's scope. */
export const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app.deps;

  app.get(
    '/reports/cards/:period',
    {
      schema: {
        tags: ['reports'],
        summary: `The report card of a Jalali month, season or year for the signed-in official's scope (units and managers included).${FORMATS_NOTE}`,
        params: PeriodParam,
        querystring: FormatQuery,
        response: { 200: ReportCardSchema, ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const user = await request.staffWith('reports.read');
      const card = await buildReportCard(db.pool, {
        period: periodParam(request.params.period),
        audience: 'official',
        user,
        minComplaints: config.reportMinComplaints,
        now: config.clock.now(),
      });
      return sendCard(reply, card, request.query.format);
    },
  );
};

/** Publishing report cards and reading their versions. */
const publishRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app.deps;

  app.post(
    '/report-cards/:period/publish',
    {
      schema: {
        tags: ['reports'],
        summary: 'Publish (freeze) the public and national official report cards of a period; again = a correction (note required), old versions kept',
        params: PeriodParam,
        body: PublishBody,
        response: { 201: Type.Object({ public: CardVersionSchema, official: CardVersionSchema }), ...errors(400, 401, 403, 422) },
      },
    },
    async (request, reply) => {
      const user = await request.staffWith('reports.publish');
      const published = await publishReportCard(db, {
        period: periodParam(request.params.period),
        user,
        note: request.body.note ?? '',
        minComplaints: config.reportMinComplaints,
        now: config.clock.now(),
      });
      return reply.status(201).send(published);
    },
  );

  app.get(
    '/report-cards/:period/versions',
    {
      schema: {
        tags: ['reports'],
        summary: 'Every published version of a period’s official report card, newest first',
        params: PeriodParam,
        response: { 200: Type.Object({ items: Type.Array(CardVersionSchema) }), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      await request.staffWith('reports.publish');
      return { items: await listCardVersions(db.pool, periodParam(request.params.period).key, 'official') };
    },
  );

  app.get(
    '/report-cards/:period/versions/:version',
    {
      schema: {
        tags: ['reports'],
        summary: `One frozen version of a period’s official report card.${FORMATS_NOTE}`,
        params: Type.Object({ ...PeriodParam.properties, version: Type.Integer({ minimum: 1 }) }),
        querystring: FormatQuery,
        response: { 200: ReportCardSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await request.staffWith('reports.publish');
      const found = await getCardContent(db.pool, periodParam(request.params.period).key, 'official', request.params.version);
      if (!found) throw new AppError('report_not_published');
      return sendCard(reply, found.content as never, request.query.format, found.version.version);
    },
  );
};

/** Service volumes and rebuilding the rollups. */
const volumeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  app.put(
    '/service-volumes',
    {
      schema: {
        tags: ['reports'],
        summary: 'Record how many services offices delivered per Jalali month (for complaints per 1,000 services and size bands)',
        body: ServiceVolumesBody,
        response: { 200: Type.Object({ saved: Type.Integer() }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      await request.staffWith('admin.catalogue');
      const items = request.body.items.map((item) => {
        const period = parsePeriod(item.month);
        if (!period) throw new AppError('invalid_period', { month: item.month });
        return { unitId: item.unitId, monthKey: monthKeysOf(period)[0]!, services: item.services, source: item.source ?? '' };
      });
      const now = app.deps.config.clock.now();
      await db.transaction(async (tx) => {
        for (const item of items)
          await upsertServiceVolume(tx, item, now).catch((error) => {
            if ((error as { code?: string }).code === '23503') throw new AppError('unit_not_found', { unitId: item.unitId });
            throw error;
          });
      });
      return { saved: items.length };
    },
  );

  app.post(
    '/reports/rebuild',
    {
      schema: {
        tags: ['reports'],
        summary: 'Recompute every report rollup from the complaints (repairs; normally never needed)',
        response: { 200: Type.Object({ ok: Type.Boolean() }), ...errors(401, 403) },
      },
    },
    async (request) => {
      await request.staffWith('reports.publish');
      await db.transaction((tx) => rebuildRollups(tx));
      return { ok: true };
    },
  );
};

/** National-centre report administration: publishing, corrections, service volumes, repairs. */
export const reportAdminRoutes: FastifyPluginAsyncTypebox = async (app, opts) => {
  await publishRoutes(app, opts);
  await volumeRoutes(app, opts);
};
