import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors } from '../core/schemas.ts';
import { listCategories, listIndicators, listServices } from './catalogue-store.ts';
import { AgencyQuery, CategorySchema, IndicatorSchema, ProvinceSchema, ServiceSchema, UnitSchema } from './schema.ts';
import { listDivisions, listUnits } from './store.ts';

/** Public reference data that every intake form reads. */
export const agencyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  app.get(
    '/divisions',
    {
      schema: { tags: ['reference'], summary: 'Provinces with their counties', response: { 200: Type.Object({ items: Type.Array(ProvinceSchema) }) } },
    },
    async () => ({ items: await listDivisions(db.pool) }),
  );

  app.get(
    '/agencies',
    {
      schema: {
        tags: ['reference'],
        summary: 'The agency tree in tree order (parents first), searchable by Persian or English name',
        querystring: AgencyQuery,
        response: { 200: Type.Object({ items: Type.Array(UnitSchema) }), ...errors(400) },
      },
    },
    async (request) => {
      const q = request.query;
      return {
        items: await listUnits(db.pool, {
          q: q.q,
          kind: q.kind,
          provinceId: q.provinceId,
          countyId: q.countyId,
          parentId: q.parentId,
          rootsOnly: q.roots,
          includeInactive: q.includeInactive,
          preferProvinceId: q.preferProvinceId,
          preferCountyId: q.preferCountyId,
          limit: q.limit ?? 2000,
        }),
      };
    },
  );

  app.get(
    '/categories',
    {
      schema: {
        tags: ['reference'],
        summary: 'Complaint categories, each mapped to a quality indicator and flagged urgent or not',
        response: { 200: Type.Object({ items: Type.Array(CategorySchema), indicators: Type.Array(IndicatorSchema) }) },
      },
    },
    async () => ({ items: await listCategories(db.pool), indicators: await listIndicators(db.pool) }),
  );

  app.get(
    '/services',
    {
      schema: {
        tags: ['reference'],
        summary: 'Services agencies deliver (optional catalogue)',
        querystring: Type.Object({ agencyId: Type.Optional(Type.Integer({ minimum: 1 })) }),
        response: { 200: Type.Object({ items: Type.Array(ServiceSchema) }), ...errors(400) },
      },
    },
    async (request) => ({ items: await listServices(db.pool, request.query.agencyId) }),
  );
};
