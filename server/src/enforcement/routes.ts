import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../core/errors.ts';
import { can } from '../core/roles.ts';
import { errors, IdParam } from '../core/schemas.ts';
import { hasNationalScope } from '../core/scope.ts';
import { appealAction, decideAction, decideAppeal, replyToAction } from './due-process.ts';
import { managerRecord } from './manager-record.ts';
import { proposeAction } from './propose-action.ts';
import { breachStatsSource } from './report-card-source.ts';
import { runRulesByHand, schedulePlan } from './run-rules.ts';
import { CATCH_UP_MONTHS } from './schedule.ts';
import {
  ActionListQuery,
  ActionSchema,
  AppealDecisionBody,
  DecisionBody,
  EvaluateBody,
  EvaluateReply,
  ManagerRecordReply,
  ProposeBody,
  RuleChangeBody,
  RuleSchema,
  RunListQuery,
  RunListReply,
  TextBody,
} from './schema.ts';
import { type EnforcementAction, type EnforcementRun, findAction, listActions, listRules, listRuns, updateRule } from './store.ts';

/** Dates as ISO text for the reply. */
function present(a: EnforcementAction) {
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    ...a,
    proposedAt: a.proposedAt.toISOString(),
    replyDueAt: a.replyDueAt.toISOString(),
    repliedAt: iso(a.repliedAt),
    decidedAt: iso(a.decidedAt),
    appealedAt: iso(a.appealedAt),
    appealDecidedAt: iso(a.appealDecidedAt),
  };
}

function presentRun(r: EnforcementRun) {
  return { ...r, asOf: r.asOf.toISOString(), startedAt: r.startedAt.toISOString(), finishedAt: r.finishedAt?.toISOString() ?? null };
}

/** The rules, a hand-run evaluation and the runs (national centre). */
const ruleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app.deps;
  const clock = config.clock;
  const tags = ['enforcement'];

  app.get(
    '/enforcement/rules',
    { schema: { tags, summary: 'Enforcement rules (national centre)', response: { 200: Type.Array(RuleSchema), ...errors(401, 403) } } },
    async (request) => {
      await request.staffWith('enforcement.rules');
      return listRules(db.pool);
    },
  );

  app.patch(
    '/enforcement/rules/:code',
    {
      schema: {
        tags,
        summary: 'Change a rule’s numbers (national centre)',
        params: Type.Object({ code: Type.String({ pattern: '^[a-z][a-z0-9_]{1,40}$' }) }),
        body: RuleChangeBody,
        response: { 200: RuleSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      await request.staffWith('enforcement.rules');
      const rule = await updateRule(db.pool, request.params.code, request.body, clock.now());
      if (!rule) throw new AppError('rule_not_found');
      return rule;
    },
  );

  app.post(
    '/enforcement/evaluate',
    {
      schema: {
        tags,
        summary:
          'Run the rules by hand over the last completed Jalali months and record their suggestions and the run (national centre; the schedule runs them each month)',
        body: EvaluateBody,
        response: { 200: EvaluateReply, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const user = await request.staffWith('enforcement.rules');
      const asOf = request.body.asOf ? new Date(request.body.asOf) : clock.now();
      return runRulesByHand(db, breachStatsSource(db.pool), { user, asOf, replyDays: config.enforcementReplyDays, clock });
    },
  );

  app.get(
    '/enforcement/runs',
    {
      schema: {
        tags,
        summary: 'Runs of the rules, scheduled and by hand, newest first, and when the next scheduled run is due (national scope only)',
        querystring: RunListQuery,
        response: { 200: RunListReply, ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const user = await request.staffWith('enforcement.read');
      if (!hasNationalScope(user)) throw new AppError('forbidden');
      const settings = { settleHours: config.enforcementSettleHours };
      const [runs, plan] = await Promise.all([listRuns(db.pool, request.query.limit ?? 24), schedulePlan(db, clock.now(), settings)]);
      return {
        schedule: {
          enabled: config.enforcementSchedule,
          settleHours: config.enforcementSettleHours,
          catchUpMonths: CATCH_UP_MONTHS,
          next: config.enforcementSchedule ? { ...plan.next, dueAt: plan.next.dueAt.toISOString() } : null,
        },
        items: runs.map(presentRun),
      };
    },
  );
};

/** Suggested actions: the list, a proposal and one action. */
const actionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app.deps;
  const clock = config.clock;
  const tags = ['enforcement'];

  app.get(
    '/enforcement/actions',
    {
      schema: {
        tags,
        summary: 'Enforcement actions in my scope (supervisors: their province; national centre and auditors: all), for review and report cards',
        querystring: ActionListQuery,
        response: { 200: Type.Object({ items: Type.Array(ActionSchema) }), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const user = await request.staffWith('enforcement.read');
      const { limit, ...filter } = request.query;
      return { items: (await listActions(db.pool, user, filter, limit ?? 100)).map(present) };
    },
  );

  app.post(
    '/enforcement/actions',
    {
      schema: {
        tags,
        summary: 'Propose an action on a unit’s inspection head (supervisor in scope); the manager is told and may reply',
        body: ProposeBody,
        response: { 201: ActionSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const user = await request.staffWith('enforcement.decide');
      const action = await proposeAction(db, user, request.body, { replyDays: config.enforcementReplyDays, now: clock.now() });
      return reply.status(201).send(present(action));
    },
  );

  app.get(
    '/enforcement/actions/:id',
    { schema: { tags, summary: 'One action (its manager, or a reader in scope)', params: IdParam, response: { 200: ActionSchema, ...errors(401, 404) } } },
    async (request) => {
      const user = await request.staff();
      const action = await findAction(db.pool, request.params.id, user, { readScope: can(user.role, 'enforcement.read') });
      if (!action) throw new AppError('enforcement_action_not_found');
      return present(action);
    },
  );
};

/** Due process on an action: the manager’s reply, the decision, one appeal and its decision. */
const dueProcessRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app.deps;
  const clock = config.clock;
  const tags = ['enforcement'];

  app.post(
    '/enforcement/actions/:id/reply',
    {
      schema: {
        tags,
        summary: 'The manager’s reply before the decision (once)',
        params: IdParam,
        body: TextBody,
        response: { 200: ActionSchema, ...errors(400, 401, 404, 409) },
      },
    },
    async (request) => present(await replyToAction(db, await request.staff(), request.params.id, request.body.text.trim(), clock.now())),
  );

  app.post(
    '/enforcement/actions/:id/decision',
    {
      schema: {
        tags,
        summary: 'Confirm or drop a proposal with a reason and a link to the evidence (provincial group for its province, national centre for all)',
        params: IdParam,
        body: DecisionBody,
        response: { 200: ActionSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = await request.staffWith('enforcement.decide');
      const { decision, reason, evidenceUrl } = request.body;
      return present(await decideAction(db, user, request.params.id, { confirm: decision === 'confirm', reason: reason.trim(), evidenceUrl }, clock.now()));
    },
  );

  app.post(
    '/enforcement/actions/:id/appeal',
    {
      schema: {
        tags,
        summary: 'The manager appeals a confirmed action (once; a second appeal is refused)',
        params: IdParam,
        body: TextBody,
        response: { 200: ActionSchema, ...errors(400, 401, 404, 409) },
      },
    },
    async (request) => present(await appealAction(db, await request.staff(), request.params.id, request.body.text.trim(), clock.now())),
  );

  app.post(
    '/enforcement/actions/:id/appeal-decision',
    {
      schema: {
        tags,
        summary: 'Uphold or overturn an appeal (national centre)',
        params: IdParam,
        body: AppealDecisionBody,
        response: { 200: ActionSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = await request.staffWith('enforcement.appeal');
      return present(
        await decideAppeal(db, user, request.params.id, { uphold: request.body.decision === 'uphold', reason: request.body.reason.trim() }, clock.now()),
      );
    },
  );
};

/** A manager’s enforcement record. */
const recordRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app.deps;
  const clock = config.clock;
  const tags = ['enforcement'];

  app.get(
    '/managers/:id/record',
    {
      schema: {
        tags,
        summary: 'A manager’s record: units headed, breaches, enforcement actions (the manager; supervisors of their province; national centre, auditors)',
        params: IdParam,
        response: { 200: ManagerRecordReply, ...errors(401, 404) },
      },
    },
    async (request) => {
      const record = await managerRecord(db.pool, await request.staff(), request.params.id, clock.now());
      return { manager: record.manager, actions: record.actions.map(present) };
    },
  );
};

/** Enforcement: rules, suggested actions, due process (reply, decision, one appeal) and managers' records. */
export const enforcementRoutes: FastifyPluginAsyncTypebox = async (app, opts) => {
  await ruleRoutes(app, opts);
  await actionRoutes(app, opts);
  await dueProcessRoutes(app, opts);
  await recordRoutes(app, opts);
};
