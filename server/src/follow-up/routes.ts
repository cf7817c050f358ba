import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors, IdParam } from '../core/schemas.ts';
import { recordFollowUp } from './record-outcome.ts';
import { CallListQuery, FollowUpCallSchema, OutcomeBody } from './schema.ts';
import { listCalls } from './store.ts';

/**
 * Satisfaction follow-up calls (docs/follow-up-calls.md): the 128 operators' queue and the
 * outcome of each call. The citizen's phone is not in the list: each number is read through
 * `GET /complaints/{id}/contact`, which writes the read into the complaint's audited history.
 */
export const followUpRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app.deps;
  const tags = ['complaints'];

  app.get(
    '/follow-up-calls',
    {
      schema: {
        tags,
        summary: 'Follow-up calls in my scope: due (to call) or done',
        querystring: CallListQuery,
        response: { 200: Type.Object({ items: Type.Array(FollowUpCallSchema) }), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const user = await request.staffWith('followup.call');
      return { items: await listCalls(db.pool, user, request.query.state ?? 'due', request.query.limit ?? 100) };
    },
  );

  app.post(
    '/follow-up-calls/:id/outcome',
    {
      schema: {
        tags,
        summary: 'Record what a follow-up call found (a chained event on the complaint)',
        params: IdParam,
        body: OutcomeBody,
        response: { 200: FollowUpCallSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = await request.staffWith('followup.call');
      return recordFollowUp(db, config, user, request.params.id, request.body);
    },
  );
};
