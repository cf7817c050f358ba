import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { StatusSchema } from '../complaints/schema.ts';
import { errors, UuidParam } from '../core/schemas.ts';
import { decideAppeal } from './decide-appeal.ts';
import { AppealDecisionBody, AppealItem, AppealQuery } from './schema.ts';
import { listAppeals } from './store.ts';

/** The provincial supervision group's appeals: the queue in their province and the decision. */
export const appealRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app.deps;
  const tags = ['complaints'];

  app.get(
    '/appeals',
    {
      schema: {
        tags,
        summary: 'Citizens’ appeals in my scope: open ones by deadline, or decided ones',
        querystring: AppealQuery,
        response: { 200: Type.Object({ items: Type.Array(AppealItem) }), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const user = await request.staffWith('complaint.appeal.decide');
      const rows = await listAppeals(db.pool, user, {
        decided: request.query.decided ?? false,
        limit: request.query.limit ?? 100,
        now: app.deps.config.clock.now(),
      });
      return {
        items: rows.map((r) => ({
          ...r,
          appealedAt: r.appealedAt.toISOString(),
          dueAt: r.dueAt.toISOString(),
          decidedAt: r.decidedAt?.toISOString() ?? null,
        })),
      };
    },
  );

  app.post(
    '/complaints/:id/appeal-decision',
    {
      schema: {
        tags,
        summary: 'Decide an appeal: uphold (back to the agency with a directive) or reject with reasons',
        params: UuidParam,
        body: AppealDecisionBody,
        response: {
          200: Type.Object({ status: StatusSchema, decision: Type.Union([Type.Literal('upheld'), Type.Literal('rejected')]) }),
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (request) => {
      const user = await request.staffWith('complaint.appeal.decide');
      const b = request.body;
      return decideAppeal(
        db,
        config,
        user,
        request.params.id,
        b.decision === 'uphold' ? { decision: 'uphold', directive: b.text } : { decision: 'reject', reason: b.text },
      );
    },
  );
};
