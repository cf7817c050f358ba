import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { listAttachments, presentAttachment } from '../attachments/store.ts';
import { AppError } from '../core/errors.ts';
import { can } from '../core/roles.ts';
import { errors, IdempotencyHeaders, UuidParam } from '../core/schemas.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import type { Database } from '../db/database.ts';
import { parseTrackingCode } from '../domain/tracking-code.ts';
import { allowedActions } from './allowed-actions.ts';
import { caseLinks } from './link-case.ts';
import { mergeDuplicate } from './merge-duplicate.ts';
import { nameEmployee } from './name-employee.ts';
import { readContact } from './read-contact.ts';
import {
  ActionBody,
  AssigneeSchema,
  ChainReportSchema,
  ComplaintDetailSchema,
  ComplaintListItemSchema,
  ContactSchema,
  ListQuery,
  MergeBody,
  NamedEmployeeBody,
  SplitBody,
  SubmitComplaintBody,
  SubmitReply,
} from './schema.ts';
import { splitDuplicate } from './split-duplicate.ts';
import { splitRepeat } from './split-repeat.ts';
import { applyStaffAction } from './staff-actions.ts';
import { getComplaint, listAssignees, listComplaints } from './store.ts';
import { readNamedEmployee, submitComplaint } from './submit-complaint.ts';
import { complaintTimeline } from './timeline.ts';
import { verifyComplaintChain } from './verify-complaint-chain.ts';

/**
 * A complaint with its timeline, read inside `user`'s scope. `afterOwnAction` is the one
 * exception: right after a staff member's own action (whose lock query was scoped) they get the
 * result back even when the action moved the complaint out of their scope (a transfer, an escalation).
 */
async function detail(db: Database, now: Date, id: string, user: StaffPrincipal | null, afterOwnAction = false) {
  const complaint = await getComplaint(db.pool, { id }, afterOwnAction ? null : user, now);
  if (!complaint) throw new AppError('complaint_not_found');
  const { lastSeq: _s, headHash: _h, namedEmployee, ...rest } = complaint;
  const attachments = (await listAttachments(db.pool, id)).map(presentAttachment);
  // The employee a citizen named is for inspection roles only: others get neither the field nor its trace in the timeline.
  const mayReadEmployee = user !== null && can(user.role, 'complaint.employee.read');
  // Right after an action that moved the complaint out of the reader's scope, they may do nothing more on it.
  const inScope = user !== null && (!afterOwnAction || (await getComplaint(db.pool, { id }, user, now)) !== null);
  return {
    actions: user && inScope ? allowedActions(user, complaint) : [],
    ...rest,
    ...(mayReadEmployee ? { namedEmployee } : {}),
    ...(await caseLinks(db.pool, id, user)),
    attachments,
    timeline: await complaintTimeline(db.pool, id, { namedEmployee: mayReadEmployee }),
  };
}

/**
 * The signed-in staff member filing on a caller's behalf (a 128 operator), or null: any other
 * session — expired, another role, a citizen's tracking token sent by mistake — files as a citizen.
 */
async function filingOperator(request: FastifyRequest): Promise<StaffPrincipal | null> {
  if (request.sessionToken() === null) return null;
  const user = await request.staff().catch(() => null);
  return user && can(user.role, 'complaint.file') ? user : null;
}

/** The grouping key to filter a work queue by: only for roles that may read named employees. */
function employeeFilter(user: StaffPrincipal, namedEmployee: string): string {
  if (!can(user.role, 'complaint.employee.read')) throw new AppError('forbidden', { filter: 'namedEmployee' });
  return readNamedEmployee(namedEmployee, 'querystring.namedEmployee').key;
}

/** A tracking code typed into the staff search, in whatever spelling; a wrong one is a 400. */
function lookupCode(typed: string): string {
  const code = parseTrackingCode(typed);
  if (!code) throw new AppError('invalid_tracking_code');
  return code;
}

/** Filing: the public form and the 128 operator. */
const intakeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  app.post(
    '/complaints',
    {
      config: {
        rateLimit: {
          max: app.deps.config.intakeRateLimit,
          timeWindow: '1 minute',
          // A 128 call centre files for many callers from one address: signed-in operators are not limited.
          allowList: async (request) => (await filingOperator(request)) !== null,
        },
      },
      schema: {
        tags: ['complaints'],
        summary: 'File a complaint: answers with its tracking code and the unit it was referred to',
        description:
          'Public for citizens. A signed-in 128 operator filing for a caller is recorded as the operator. Retries with the same Idempotency-Key return the same complaint (201, header Idempotent-Replayed: true).',
        headers: IdempotencyHeaders,
        body: SubmitComplaintBody,
        response: { 201: SubmitReply, ...errors(400, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      const operator = await filingOperator(request);
      // The channel is proved by who sends, never taken from the body: only an operator's session
      // files a phone call (and the operator took the caller id off the line); anyone else is the web form.
      const result = await submitComplaint(
        db,
        { ...request.body, channel: operator ? 'phone' : 'web' },
        {
          idempotencyKey: request.headers['idempotency-key'],
          actor: operator ? { kind: 'staff', id: operator.id } : { kind: 'citizen', id: null },
          operatorId: operator?.id ?? null,
          publicUrl: app.deps.config.publicUrl,
          clock: app.deps.config.clock,
          joinWindowHours: app.deps.config.caseJoinHours,
          phoneVerified: operator !== null,
        },
      );
      const { replayed, linkedCase, ...body } = result;
      if (replayed) reply.header('idempotent-replayed', 'true');
      // Always 201 with this submission's own code: the answer says nothing about other complaints.
      // The operator is 128 staff and may see the caller's cases (as on the screen-pop).
      return reply.status(201).send(operator && linkedCase ? { ...body, linkedCase } : body);
    },
  );
};

/** The work queue and the staff search. */
const queueRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  app.get(
    '/complaints',
    {
      schema: {
        tags: ['complaints'],
        summary: 'Work queue and search: complaints in my scope, filtered and paged',
        querystring: ListQuery,
        response: {
          200: Type.Object({
            total: Type.Integer({ description: 'How many match, counted up to 10,000 (see totalCapped)' }),
            totalCapped: Type.Boolean({ description: 'There are more than `total`: the count stopped at its cap' }),
            page: Type.Integer(),
            pageSize: Type.Integer(),
            items: Type.Array(ComplaintListItemSchema),
          }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) => {
      const user = await request.staffWith('complaint.read');
      const q = request.query;
      const page = q.page ?? 1;
      const pageSize = q.pageSize ?? 25;
      const result = await listComplaints(db.pool, user, {
        status: q.status,
        agencyId: q.agencyId,
        unitId: q.unitId,
        provinceId: q.provinceId,
        countyId: q.countyId,
        categoryId: q.categoryId,
        channel: q.channel,
        from: q.from,
        to: q.to,
        overdue: q.overdue,
        assignedToMe: q.mine,
        escalated: q.escalated,
        dissatisfied: q.dissatisfied,
        triage: q.triage,
        trackingCode: q.trackingCode === undefined ? undefined : lookupCode(q.trackingCode),
        namedEmployeeKey: q.namedEmployee === undefined ? undefined : employeeFilter(user, q.namedEmployee),
        q: q.q,
        sort: q.sort ?? 'due',
        now: app.deps.config.clock.now(),
        limit: pageSize,
        offset: (page - 1) * pageSize,
      });
      return { ...result, page, pageSize };
    },
  );
};

/** One complaint, and who may be assigned it. */
const readRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  app.get(
    '/complaints/:id',
    {
      schema: {
        tags: ['complaints'],
        summary: 'One complaint with its timeline (no contact data)',
        params: UuidParam,
        response: { 200: ComplaintDetailSchema, ...errors(400, 401, 404) },
      },
    },
    async (request) => detail(db, app.deps.config.clock.now(), request.params.id, await request.staffWith('complaint.read')),
  );

  app.get(
    '/complaints/:id/assignees',
    {
      schema: {
        tags: ['complaints'],
        summary: 'Staff who may be assigned this complaint: active working staff of its unit and the units below',
        params: UuidParam,
        response: { 200: Type.Object({ items: Type.Array(AssigneeSchema) }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const user = await request.staffWith('complaint.assign');
      const complaint = await getComplaint(db.pool, { id: request.params.id }, user, app.deps.config.clock.now());
      if (!complaint) throw new AppError('complaint_not_found');
      return { items: complaint.unit ? await listAssignees(db.pool, complaint.unit.id) : [] };
    },
  );
};

/** Lifecycle actions and the named employee. */
const actionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  app.post(
    '/complaints/:id/actions',
    {
      schema: {
        tags: ['complaints'],
        summary: 'Apply a lifecycle action: assign, start, note, answer, transfer, reject, escalate, refer (triage)',
        params: UuidParam,
        body: ActionBody,
        response: { 200: ComplaintDetailSchema, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const user = await request.staff();
      await applyStaffAction(db, app.deps.config, user, request.params.id, request.body);
      // An operator's referral from the triage queue is the label the triage model learns from.
      if (request.body.action === 'refer') await app.deps.triage?.learnFrom(request.params.id);
      return detail(db, app.deps.config.clock.now(), request.params.id, user, true);
    },
  );

  app.put(
    '/complaints/:id/named-employee',
    {
      schema: {
        tags: ['complaints'],
        summary: 'Set, correct or clear the employee a complaint names (the 128 centre and supervisors, in scope)',
        description:
          'Recorded in the complaint’s chain as `employee_named` (who, when, the reason, a digest of the name — never the name). A correction or clearing needs a reason. Setting the same name again changes nothing. Titles and letter forms are normalised for grouping; 2–120 characters must remain (else 400 invalid_named_employee).',
        params: UuidParam,
        body: NamedEmployeeBody,
        response: { 200: ComplaintDetailSchema, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = await request.staff();
      await nameEmployee(db, app.deps.config.clock, user, request.params.id, request.body);
      return detail(db, app.deps.config.clock.now(), request.params.id, user);
    },
  );
};

/** Merging a duplicate into a case and splitting it off again. */
const duplicateRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  app.post(
    '/complaints/:id/merge',
    {
      schema: {
        tags: ['complaints'],
        summary: 'Merge this complaint into another open case as its duplicate (both in my scope)',
        description:
          'This complaint closes as merged (outcome "merged"); both timelines record it; its citizen is told and then follows the case’s messages, and its tracking code resolves to the case. Repeating the same merge changes nothing.',
        params: UuidParam,
        body: MergeBody,
        response: { 200: ComplaintDetailSchema, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const user = await request.staff();
      await mergeDuplicate(db, app.deps.config, user, request.params.id, request.body.intoId, request.body.reason);
      return detail(db, app.deps.config.clock.now(), request.params.id, user, true);
    },
  );

  app.post(
    '/complaints/:id/split',
    {
      schema: {
        tags: ['complaints'],
        summary: 'Split a merged duplicate off again, or (with repeatSeq) split an automatically joined repeat into a complaint of its own',
        description:
          'Without repeatSeq: this complaint, merged earlier, reopens with its own tracking code and a new clock. With repeatSeq: a new complaint is made from that repeat (new tracking code, own clock) and returned. Retrying changes nothing.',
        params: UuidParam,
        body: SplitBody,
        response: { 200: ComplaintDetailSchema, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const user = await request.staff();
      const { reason, repeatSeq } = request.body;
      if (repeatSeq === undefined) {
        await splitDuplicate(db, app.deps.config, user, request.params.id, reason);
        return detail(db, app.deps.config.clock.now(), request.params.id, user, true);
      }
      const made = await splitRepeat(db, app.deps.config, user, request.params.id, repeatSeq, reason);
      return detail(db, app.deps.config.clock.now(), made.complaintId, user, true);
    },
  );
};

/** Reads that leave a trace or check one: contact data and the hash chain. */
const auditedRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  app.get(
    '/complaints/:id/contact',
    {
      schema: {
        tags: ['complaints'],
        summary: 'The complainant’s contact data. Every read is written to the complaint’s audited history.',
        params: UuidParam,
        querystring: Type.Object({ purpose: Type.Optional(Type.String({ maxLength: 200, description: 'Why it is read (kept in the audit record)' })) }),
        response: { 200: ContactSchema, ...errors(400, 401, 403, 404, 429) },
      },
    },
    async (request) => {
      const user = await request.staff();
      const contact = await readContact(db, app.deps.config.clock, user, request.params.id, request.query.purpose ?? '');
      if (!contact) throw new AppError('not_found');
      return contact;
    },
  );

  app.get(
    '/complaints/:id/verify',
    {
      schema: {
        tags: ['complaints'],
        summary: 'Verify the complaint’s hash chain and projection',
        params: UuidParam,
        response: { 200: ChainReportSchema, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const user = await request.staffWith('complaint.verify');
      if (!(await getComplaint(db.pool, { id: request.params.id }, user, app.deps.config.clock.now()))) throw new AppError('complaint_not_found');
      return (await verifyComplaintChain(db.pool, request.params.id))!;
    },
  );
};

export const complaintRoutes: FastifyPluginAsyncTypebox = async (app, opts) => {
  await intakeRoutes(app, opts);
  await queueRoutes(app, opts);
  await readRoutes(app, opts);
  await actionRoutes(app, opts);
  await duplicateRoutes(app, opts);
  await auditedRoutes(app, opts);
};
