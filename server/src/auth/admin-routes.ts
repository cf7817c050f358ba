import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../core/errors.ts';
import { errors, IdParam, Page } from '../core/schemas.ts';
import { createStaff } from './create-staff.ts';
import { createOpen311Client } from './open311-client.ts';
import { CreateStaffBody, StaffSchema } from './schema.ts';
import { listStaff, resetTotp, setStaffActive } from './store.ts';

/** Staff accounts: list, create, deactivate. */
const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  app.get(
    '/users',
    {
      schema: {
        tags: ['admin'],
        summary: 'Staff users',
        querystring: Type.Object(Page),
        response: { 200: Type.Object({ items: Type.Array(StaffSchema) }), ...errors(401, 403) },
      },
    },
    async (request) => {
      await request.staffWith('admin.users');
      const size = request.query.pageSize ?? 25;
      return { items: await listStaff(db.pool, size, ((request.query.page ?? 1) - 1) * size) };
    },
  );

  app.post(
    '/users',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create a staff user with a role and scope',
        body: CreateStaffBody,
        response: { 201: Type.Object({ id: Type.Integer() }), ...errors(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      await request.staffWith('admin.users');
      const b = request.body;
      const id = await createStaff(db.pool, { ...b, unitId: b.unitId ?? null, provinceId: b.provinceId ?? null, language: b.language ?? 'fa' });
      return reply.status(201).send({ id });
    },
  );

  app.post(
    '/users/:id/deactivate',
    {
      schema: {
        tags: ['admin'],
        summary: 'Deactivate a staff user and end their sessions',
        params: IdParam,
        response: { 204: Type.Null(), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await request.staffWith('admin.users');
      if (!(await setStaffActive(db.pool, request.params.id, false))) throw new AppError('user_not_found');
      return reply.status(204).send(null);
    },
  );
};

/** Second factors and Open311 keys. */
const credentialRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  app.post(
    '/users/:id/totp/reset',
    {
      schema: {
        tags: ['admin'],
        summary: 'Lost phone: switch the user’s two-factor off and end their sessions; they enrol again at their next sign-in',
        params: IdParam,
        response: { 204: Type.Null(), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await request.staffWith('admin.users');
      if (!(await resetTotp(db.pool, request.params.id))) throw new AppError('user_not_found');
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/open311-keys',
    {
      schema: {
        tags: ['admin'],
        summary: 'Issue an Open311 api_key to a third-party app (shown once)',
        body: Type.Object({ name: Type.String({ minLength: 2, maxLength: 120 }) }, { additionalProperties: false }),
        response: { 201: Type.Object({ apiKey: Type.String() }), ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      await request.staffWith('admin.users');
      return reply.status(201).send({ apiKey: await createOpen311Client(db.pool, app.deps.config.secret, request.body.name) });
    },
  );
};

export const staffAdminRoutes: FastifyPluginAsyncTypebox = async (app, opts) => {
  await userRoutes(app, opts);
  await credentialRoutes(app, opts);
};
