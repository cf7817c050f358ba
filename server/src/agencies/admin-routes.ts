import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../core/errors.ts';
import { errors, IdParam } from '../core/schemas.ts';
import { normalizePersianText } from '../domain/persian-text.ts';
import {
  getCategory,
  indicatorExists,
  insertCategory,
  insertIndicator,
  insertService,
  listIndicators,
  updateCategory,
  updateIndicator,
} from './catalogue-store.ts';
import { importUnitsCsv } from './import-units-csv.ts';
import { changeUnit, createUnit, deactivateUnit } from './manage-units.ts';
import {
  CategorySchema,
  ChangeCategoryBody,
  ChangeIndicatorBody,
  ChangeUnitBody,
  CreateCategoryBody,
  CreateIndicatorBody,
  CreateServiceBody,
  CreateUnitBody,
  ImportResult,
  IndicatorSchema,
  UnitSchema,
} from './schema.ts';
import { getUnit } from './store.ts';

/** Units: create, change, deactivate. */
const unitRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  app.post(
    '/units',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create an agency unit',
        body: CreateUnitBody,
        response: { 201: UnitSchema, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      await request.staffWith('admin.units');
      const b = request.body;
      const unit = await db.transaction((tx) =>
        createUnit(tx, {
          code: b.code,
          parentId: b.parentId ?? null,
          kind: b.kind,
          nameFa: normalizePersianText(b.nameFa),
          nameEn: b.nameEn?.trim() ?? '',
          provinceId: b.provinceId ?? null,
          countyId: b.countyId ?? null,
        }),
      );
      return reply.status(201).send(unit);
    },
  );

  app.patch(
    '/units/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'Rename, move (with its subtree) or set the inspection head of a unit',
        params: IdParam,
        body: ChangeUnitBody,
        response: { 200: UnitSchema, ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (request) => {
      await request.staffWith('admin.units');
      const b = request.body;
      return changeUnit(
        db,
        request.params.id,
        { ...b, nameFa: b.nameFa === undefined ? undefined : normalizePersianText(b.nameFa) },
        app.deps.config.clock.now(),
      );
    },
  );

  app.post(
    '/units/:id/deactivate',
    {
      schema: {
        tags: ['admin'],
        summary: 'Deactivate a unit and its subtree (no new routing to them)',
        params: IdParam,
        response: { 200: Type.Object({ deactivated: Type.Integer() }), ...errors(401, 403, 404) },
      },
    },
    async (request) => {
      await request.staffWith('admin.units');
      return deactivateUnit(db, request.params.id, app.deps.config.clock.now());
    },
  );
};

/** One unit, and a tree imported from CSV. */
const unitLookupRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  app.get(
    '/units/:id',
    {
      schema: { tags: ['admin'], summary: 'One unit', params: IdParam, response: { 200: UnitSchema, ...errors(401, 403, 404) } },
    },
    async (request) => {
      await request.staffWith('admin.units');
      const unit = await getUnit(db.pool, request.params.id);
      if (!unit) throw new AppError('unit_not_found');
      return unit;
    },
  );

  app.post(
    '/units/import',
    {
      schema: {
        tags: ['admin'],
        summary: 'Import an agency tree from CSV (text/csv body; columns code,parent_code,kind,name_fa,name_en,province_code,county_code). All rows or none.',
        consumes: ['text/csv'],
        response: { 200: ImportResult, ...errors(400, 401, 403, 415) },
      },
    },
    async (request) => {
      await request.staffWith('admin.units');
      if (typeof request.body !== 'string') throw new AppError('unsupported_media_type');
      return importUnitsCsv(db, request.body, app.deps.config.clock.now());
    },
  );
};

/** The report card's indicators. */
const indicatorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  app.post(
    '/indicators',
    {
      schema: {
        tags: ['admin'],
        summary: 'Add a quality indicator',
        body: CreateIndicatorBody,
        response: { 201: IndicatorSchema, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      await request.staffWith('admin.catalogue');
      const b = request.body;
      const id = await insertIndicator(db.pool, { ...b, nameFa: normalizePersianText(b.nameFa), sortOrder: b.sortOrder ?? 100 }).catch(duplicate);
      return reply.status(201).send((await listIndicators(db.pool)).find((i) => i.id === id)!);
    },
  );

  app.patch(
    '/indicators/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'Reconfigure a quality indicator: pillar, names, order, weight in its pillar score, or retire it',
        params: IdParam,
        body: ChangeIndicatorBody,
        response: { 200: IndicatorSchema, ...errors(400, 401, 403, 422) },
      },
    },
    async (request) => {
      await request.staffWith('admin.catalogue');
      const b = request.body;
      const indicator = await updateIndicator(db.pool, request.params.id, {
        ...b,
        nameFa: b.nameFa === undefined ? undefined : normalizePersianText(b.nameFa),
      });
      if (!indicator) throw new AppError('unknown_indicator');
      return indicator;
    },
  );
};

/** Categories and services of the catalogue. */
const catalogueRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  app.patch(
    '/categories/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'Map a category to another quality indicator (new complaints follow it), rename or retire it',
        params: IdParam,
        body: ChangeCategoryBody,
        response: { 200: CategorySchema, ...errors(400, 401, 403, 422) },
      },
    },
    async (request) => {
      await request.staffWith('admin.catalogue');
      const b = request.body;
      if (b.indicatorId !== undefined && !(await indicatorExists(db.pool, b.indicatorId))) throw new AppError('unknown_indicator');
      const category = await updateCategory(db.pool, request.params.id, { ...b, nameFa: b.nameFa === undefined ? undefined : normalizePersianText(b.nameFa) });
      if (!category) throw new AppError('unknown_category');
      return category;
    },
  );

  app.post(
    '/categories',
    {
      schema: {
        tags: ['admin'],
        summary: 'Add a complaint category mapped to a quality indicator',
        body: CreateCategoryBody,
        response: { 201: CategorySchema, ...errors(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      await request.staffWith('admin.catalogue');
      const b = request.body;
      if (!(await indicatorExists(db.pool, b.indicatorId))) throw new AppError('unknown_indicator');
      const id = await insertCategory(db.pool, {
        ...b,
        nameFa: normalizePersianText(b.nameFa),
        descriptionFa: normalizePersianText(b.descriptionFa ?? ''),
        descriptionEn: b.descriptionEn ?? '',
        sortOrder: b.sortOrder ?? 100,
      }).catch(duplicate);
      return reply.status(201).send((await getCategory(db.pool, id))!);
    },
  );

  app.post(
    '/services',
    {
      schema: {
        tags: ['admin'],
        summary: 'Add a service an agency delivers',
        body: CreateServiceBody,
        response: { 201: Type.Object({ id: Type.Integer() }), ...errors(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      await request.staffWith('admin.catalogue');
      const b = request.body;
      const agency = await getUnit(db.pool, b.agencyId);
      if (!agency) throw new AppError('unknown_agency');
      const id = await insertService(db.pool, { agencyId: b.agencyId, code: b.code, nameFa: normalizePersianText(b.nameFa), nameEn: b.nameEn ?? '' }).catch(
        duplicate,
      );
      return reply.status(201).send({ id });
    },
  );
};

/** National-centre configuration of the agency tree and the catalogue. */
export const adminRoutes: FastifyPluginAsyncTypebox = async (app, opts) => {
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 8 * 1024 * 1024 }, (_req, body, done) => done(null, body));
  await unitRoutes(app, opts);
  await unitLookupRoutes(app, opts);
  await indicatorRoutes(app, opts);
  await catalogueRoutes(app, opts);
};

/** A unique-key violation is the caller's duplicate, not a server error. */
function duplicate(error: unknown): never {
  if ((error as { code?: string }).code === '23505') throw new AppError('duplicate', { constraint: (error as { constraint?: string }).constraint });
  throw error;
}
