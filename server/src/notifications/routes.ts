import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../core/errors.ts';
import { errors, IdParam, Nullable } from '../core/schemas.ts';

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
      const { rows } = await db.pool.query<{ id: number; complaintId: string | null; template: string; body: string; createdAt: Date; readAt: Date | null }>(
        `SELECT id, complaint_id AS "complaintId", template, body, created_at AS "createdAt", read_at AS "readAt" FROM staff_notifications
       WHERE user_id = $1 AND ($2::boolean IS NOT TRUE OR read_at IS NULL) ORDER BY created_at DESC, id DESC LIMIT $3`,
        [user.id, request.query.unread ?? null, request.query.limit ?? 50],
      );
      const unread = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM staff_notifications WHERE user_id = $1 AND read_at IS NULL', [user.id]);
      return { unread: unread.rows[0]!.n, items: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), readAt: r.readAt?.toISOString() ?? null })) };
    },
  );

  app.post(
    '/notifications/:id/read',
    {
      schema: { tags: ['auth'], summary: 'Mark one of my notifications read', params: IdParam, response: { 204: Type.Null(), ...errors(401, 404) } },
    },
    async (request, reply) => {
      const user = await request.staff();
      const result = await db.pool.query('UPDATE staff_notifications SET read_at = COALESCE(read_at, now()) WHERE id = $1 AND user_id = $2', [
        request.params.id,
        user.id,
      ]);
      if (result.rowCount === 0) throw new AppError('not_found');
      return reply.status(204).send(null);
    },
  );
};
