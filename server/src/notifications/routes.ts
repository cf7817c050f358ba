import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../core/errors.ts';
import { errors, IdParam, Nullable } from '../core/schemas.ts';
import { listStaffNotifications, markStaffNotificationRead } from './store.ts';

/** The signed-in staff member's in-app messages (referrals, warnings, breaches, escalations). */
export const notificationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  app.get(
    '/notifications',
    {
      schema: {
        tags: ['auth'],
        summary: 'My notifications, newest first',
        querystring: Type.Object({ unread: Type.Optional(Type.Boolean()), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }),
        response: {
          200: Type.Object({
            unread: Type.Integer(),
            items: Type.Array(
              Type.Object({
                id: Type.Integer(),
                complaintId: Nullable(Type.String()),
                template: Type.String(),
                body: Type.String(),
                createdAt: Type.String(),
                readAt: Nullable(Type.String()),
              }),
            ),
          }),
          ...errors(401),
        },
      },
    },
    async (request) => {
      const user = await request.staff();
      const { unread, rows } = await listStaffNotifications(db.pool, user.id, request.query.unread ?? null, request.query.limit ?? 50);
      return { unread, items: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), readAt: r.readAt?.toISOString() ?? null })) };
    },
  );

  app.post(
    '/notifications/:id/read',
    {
      schema: { tags: ['auth'], summary: 'Mark one of my notifications read', params: IdParam, response: { 204: Type.Null(), ...errors(401, 404) } },
    },
    async (request, reply) => {
      const user = await request.staff();
      const found = await markStaffNotificationRead(db.pool, user.id, request.params.id);
      if (!found) throw new AppError('not_found');
      return reply.status(204).send(null);
    },
  );
};
