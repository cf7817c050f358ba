import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../core/errors.ts';
import { can } from '../core/roles.ts';
import { errors, IdParam } from '../core/schemas.ts';
import { addComplaint } from './add-complaint.ts';
import { closeIncident } from './close-incident.ts';
import { openIncident } from './open-incident.ts';
import { incidentDetail, listIncidents } from './read-store.ts';
import {
  AddComplaintBody,
  CloseIncidentBody,
  IncidentDetail,
  IncidentSummary,
  ListQuery,
  OpenIncidentBody,
  Suggestion,
  UnlinkBody,
  UpdateIncidentBody,
} from './schema.ts';
import { suggestIncidents } from './suggest-incidents.ts';
import { unlinkComplaint } from './unlink-complaint.ts';
import { updateIncident } from './update-incident.ts';

/** Suggestions and the list of incidents in scope. */
const findRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  const now = () => app.deps.config.clock.now();
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

  app.get(
    '/incidents',
    {
      schema: {
        tags: ['complaints'],
        summary: 'Incidents in scope, newest first (open by default)',
        querystring: ListQuery,
        response: { 200: Type.Object({ items: Type.Array(IncidentSummary) }), ...errors(400, 401, 403) },
      },
    },
    async (request) => {
      const user = await request.staff();
      if (!can(user.role, 'complaint.merge')) throw new AppError('forbidden');
      const items = await listIncidents(db.pool, user, { state: request.query.state ?? 'open', complaintId: request.query.complaintId, limit: 200 });
      return { items };
    },
  );
};

/** Opening an incident and reading one. */
const openRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  const settings = () => app.deps.config;
  app.post(
    '/incidents',
    {
      schema: {
        tags: ['complaints'],
        summary: 'Open an incident for chosen open complaints at one organisation; each citizen is told',
        body: OpenIncidentBody,
        response: { 201: IncidentDetail, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const user = await request.staff();
      const id = await openIncident(db, settings(), user, request.body);
      return reply.code(201).send((await incidentDetail(db.pool, user, id))!);
    },
  );

  app.get(
    '/incidents/:id',
    {
      schema: {
        tags: ['complaints'],
        summary: 'One incident with the linked complaints the viewer may see',
        params: IdParam,
        response: { 200: IncidentDetail, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const user = await request.staff();
      if (!can(user.role, 'complaint.merge')) throw new AppError('forbidden');
      const incident = await incidentDetail(db.pool, user, request.params.id);
      if (!incident) throw new AppError('incident_not_found');
      return incident;
    },
  );
};

/** Changes to an open incident: close, unlink, retitle, add a complaint. */
const changeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;
  const settings = () => app.deps.config;
  app.post(
    '/incidents/:id/close',
    {
      schema: {
        tags: ['complaints'],
        summary: 'Close an incident with one answer: every linked complaint is answered, each citizen gets it and rates their own case',
        params: IdParam,
        body: CloseIncidentBody,
        response: { 200: IncidentDetail, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = await request.staff();
      await closeIncident(db, settings(), user, request.params.id, request.body.answer);
      return (await incidentDetail(db.pool, user, request.params.id))!;
    },
  );

  app.post(
    '/incidents/:id/unlink',
    {
      schema: {
        tags: ['complaints'],
        summary: 'Take a complaint out of an open incident; it goes on as a normal complaint',
        params: IdParam,
        body: UnlinkBody,
        response: { 200: IncidentDetail, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = await request.staff();
      await unlinkComplaint(db, settings(), user, request.params.id, request.body.complaintId, request.body.reason);
      return (await incidentDetail(db.pool, user, request.params.id))!;
    },
  );

  app.patch(
    '/incidents/:id',
    {
      schema: {
        tags: ['complaints'],
        summary: 'Change an open incident’s public title or status; each linked citizen is told of a new status once',
        params: IdParam,
        body: UpdateIncidentBody,
        response: { 200: IncidentDetail, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const user = await request.staff();
      await updateIncident(db, settings(), user, request.params.id, request.body);
      return (await incidentDetail(db.pool, user, request.params.id))!;
    },
  );

  app.post(
    '/incidents/:id/complaints',
    {
      schema: {
        tags: ['complaints'],
        summary: 'Add a complaint to an open incident by its tracking code; its citizen is told',
        params: IdParam,
        body: AddComplaintBody,
        response: { 200: IncidentDetail, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const user = await request.staff();
      await addComplaint(db, settings(), user, request.params.id, request.body.trackingCode);
      return (await incidentDetail(db.pool, user, request.params.id))!;
    },
  );
};

/**
 * Incidents (issue 15): suggestions of open complaints that say the same thing at one
 * organisation, and incidents opened from them — linked, answered once, unlinked — for the staff
 * who merge duplicates, in their scope.
 */
export const incidentRoutes: FastifyPluginAsyncTypebox = async (app, opts) => {
  await findRoutes(app, opts);
  await openRoutes(app, opts);
  await changeRoutes(app, opts);
};
