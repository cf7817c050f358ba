import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { getCounty, provinceExists } from '../agencies/store.ts';
import { AppError } from '../core/errors.ts';
import { can } from '../core/roles.ts';
import { errors, UuidParam } from '../core/schemas.ts';
import { SuggestBody, SuggestionSchema } from './schema.ts';
import { triageComplaint } from './store.ts';

/**
 * Triage suggestions (issue 15): for the 128 operator on a complaint in the triage queue, and for
 * the citizen's web form while they have not picked an office. Advice only: nothing is written.
 */
export const triageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app.deps;
  const triage = app.deps.triage!;

  app.get(
    '/complaints/:id/triage',
    {
      schema: {
        tags: ['complaints'],
        summary: 'Suggested organisation, office, category and urgency for a complaint in the triage queue (staff who triage, in scope)',
        params: UuidParam,
        response: { 200: SuggestionSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const user = await request.staff();
      if (!can(user.role, 'complaint.triage')) throw new AppError('forbidden');
      const complaint = await triageComplaint(db.pool, request.params.id, user);
      if (!complaint) throw new AppError('complaint_not_found');
      return triage.suggest(db.pool, complaint.description, complaint);
    },
  );

  app.post(
    '/triage/suggest',
    {
      config: { rateLimit: { max: config.publicRateLimit, timeWindow: '1 minute' } },
      schema: {
        tags: ['complaints'],
        summary: 'Suggest the office and category for a complaint text before it is filed (public; nothing is stored)',
        body: SuggestBody,
        response: { 200: SuggestionSchema, ...errors(400, 429) },
      },
    },
    async (request) => {
      const { text, provinceId, countyId } = request.body;
      let place = { provinceId: provinceId ?? null, countyId: null as number | null };
      if (countyId !== undefined) {
        const county = await getCounty(db.pool, countyId);
        if (!county || (provinceId !== undefined && county.provinceId !== provinceId)) throw new AppError('unknown_place', { countyId });
        place = { provinceId: county.provinceId, countyId: county.id };
      } else if (provinceId !== undefined && !(await provinceExists(db.pool, provinceId))) throw new AppError('unknown_place', { provinceId });
      return triage.suggest(db.pool, text, place);
    },
  );
};
