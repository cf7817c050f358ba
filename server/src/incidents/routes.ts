import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../core/errors.ts';
import { can } from '../core/roles.ts';
import { errors } from '../core/schemas.ts';
import { suggestIncidents } from './suggest-incidents.ts';

const Suggestion = Type.Object({
  organisation: Type.Object({ id: Type.Integer(), nameFa: Type.String() }),
  count: Type.Integer(),
  firstAt: Type.String({ format: 'date-time' }),
  lastAt: Type.String({ format: 'date-time' }),
  units: Type.Array(Type.String()),
  example: Type.String(),
  complaints: Type.Array(Type.Object({ id: Type.String({ format: 'uuid' }), trackingCode: Type.String(), createdAt: Type.String({ format: 'date-time' }) })),
});

/** Incident suggestions: clusters of open complaints that say the same thing at one organisation. */
export const incidentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  const now = () => app.deps.clock?.() ?? new Date();
  app.get(
    '/incidents/suggestions',
    {
      schema: {
        tags: ['complaints'],
        summary: 'Suggested incidents: open complaints at one organisation that say the same thing (staff who merge duplicates, in scope)',
        querystring: Type.Object(
          {
            hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 14, default: 24, description: 'The window: complaints filed in the last hours' })),
            minSize: Type.Optional(Type.Integer({ minimum: 2, maximum: 1000, default: 3, description: 'The fewest complaints a suggestion has' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(Suggestion) }), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const user = await request.staff();
      if (!can(user.role, 'complaint.merge')) throw new AppError('forbidden');
      const items = await suggestIncidents(db.pool, user, { hours: request.query.hours ?? 24, minSize: request.query.minSize ?? 3, now: now() });
      return { items };
    },
  );
};
