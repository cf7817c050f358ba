import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { appealComplaint } from '../appeals/appeal-complaint.ts';
import { AttachmentSchema } from '../attachments/schema.ts';
import { newToken } from '../auth/tokens.ts';
import { CITIZEN_ACTIONS } from '../complaints/allowed-actions.ts';
import { objectToRejection, rateComplaint } from '../complaints/rate-complaint.ts';
import { CaseLink, StatusSchema } from '../complaints/schema.ts';
import { errors, Nullable } from '../core/schemas.ts';
import { toAsciiDigits } from '../domain/persian-text.ts';
import { citizenComplaintId, citizenView, publicStatus, requestOtp, verifyOtp } from './citizen-tracking.ts';

const CodeParam = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 40, description: 'Tracking code; Persian digits, spaces and dashes are accepted' }),
});
/**
 * The browser's device cookie: a random token, httpOnly and SameSite=Strict, that binds the
 * one-time codes a browser asks for to that browser, and marks the browsers that proved they
 * hold the complaint's phone (docs/security-auth.md). Set on the first code request; codes asked
 * without it are shared by cookie-less requesters.
 */
const DEVICE_COOKIE = 'foad_device';
const DEVICE_COOKIE_DAYS = 365;
const CitizenHeaders = Type.Object({ authorization: Type.Optional(Type.String({ description: 'Bearer <token from /otp/verify>' })) });

const PublicStatus = Type.Object({
  trackingCode: Type.String(),
  status: StatusSchema,
  referredTo: Nullable(Type.Object({ name: Type.String() })),
  provinceNameFa: Nullable(Type.String()),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  dueAt: Nullable(Type.String()),
  canRate: Type.Boolean(),
  incident: Type.Optional(
    Type.Object(
      {
        titleFa: Type.String(),
        publicStatus: Type.Union([Type.Literal('investigating'), Type.Literal('handling'), Type.Literal('resolved')]),
        statusFa: Type.String(),
      },
      { description: 'A known incident (one cause, many complaints) this complaint is handled with: its public title and status' },
    ),
  ),
  mergedInto: Type.Optional(
    Type.Object(
      {
        trackingCode: Type.String(),
        status: StatusSchema,
        referredTo: Nullable(Type.Object({ name: Type.String() })),
        dueAt: Nullable(Type.String()),
        canRate: Type.Boolean(),
      },
      { description: 'Only for a duplicate merged into another case: that case, which is where it is handled' },
    ),
  ),
});

const CitizenView = Type.Object({
  trackingCode: Type.String(),
  status: StatusSchema,
  agency: Nullable(Type.Object({ id: Type.Integer(), nameFa: Type.String() })),
  referredTo: Nullable(Type.Object({ id: Type.Integer(), nameFa: Type.String() })),
  officeText: Nullable(Type.String()),
  provinceNameFa: Nullable(Type.String()),
  countyNameFa: Nullable(Type.String()),
  categoryNameFa: Nullable(Type.String()),
  description: Type.String(),
  confidential: Type.Boolean(),
  answer: Nullable(Type.String()),
  answeredAt: Nullable(Type.String()),
  outcome: Nullable(Type.String()),
  dueAt: Nullable(Type.String()),
  createdAt: Type.String(),
  canRate: Type.Boolean(),
  canObject: Type.Boolean(),
  allowedActions: Type.Array(Type.Enum(CITIZEN_ACTIONS), {
    description: 'What the citizen may do now: rate the answer, object to a rejection, or appeal once to the provincial supervisors (at the top of the agency)',
  }),
  attachments: Type.Array(AttachmentSchema, { description: 'Fetch each from /track/{code}/attachments/{id} with the same token' }),
  evidence: Type.Array(AttachmentSchema, {
    description: 'The office’s evidence for the answer that stands (closure with evidence): a subset of attachments, fetched the same way',
  }),
  linkedCase: Nullable(CaseLink),
  linkedComplaints: Type.Array(CaseLink, {
    description: 'Complaints from the same phone about the same agency linked as one case; shown only here, after the one-time code proved the phone',
  }),
  timeline: Type.Array(
    Type.Object({ seq: Type.Integer(), type: Type.String(), at: Type.String(), unit: Type.Optional(Type.String()), text: Type.Optional(Type.String()) }),
  ),
});

function bearer(header: string | undefined): string | undefined {
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

/** The public status, and the SMS code that opens the full view. */
const lookupRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config, notifications } = app.deps;
  const limited = { rateLimit: { max: config.publicRateLimit, timeWindow: '1 minute' } };
  const setDeviceCookie = (reply: { setCookie: (name: string, value: string, options: object) => unknown }) =>
    reply.setCookie(DEVICE_COOKIE, newToken(), {
      path: '/api/v1/track',
      httpOnly: true,
      sameSite: 'strict',
      secure: config.cookieSecure,
      maxAge: DEVICE_COOKIE_DAYS * 86_400,
    });

  app.get(
    '/track/:code',
    {
      config: limited,
      schema: {
        tags: ['tracking'],
        summary: 'Public status of a complaint (no personal data)',
        params: CodeParam,
        response: { 200: PublicStatus, ...errors(400, 404, 429) },
      },
    },
    async (request) => publicStatus(db, request.params.code),
  );

  app.post(
    '/track/:code/otp',
    {
      config: limited,
      schema: {
        tags: ['tracking'],
        summary: 'Send a one-time code to the phone the complaint was filed with',
        params: CodeParam,
        response: {
          200: Type.Object({ sentTo: Type.String({ description: 'The masked number' }), expiresInSeconds: Type.Integer() }),
          ...errors(400, 404, 429),
        },
      },
    },
    async (request, reply) => {
      const device = request.cookies[DEVICE_COOKIE] ?? null;
      if (device === null) setDeviceCookie(reply);
      return requestOtp(db, config, notifications, request.params.code, { address: request.ip, device });
    },
  );

  app.post(
    '/track/:code/otp/verify',
    {
      config: limited,
      schema: {
        tags: ['tracking'],
        summary: 'Exchange the one-time code for a 30-minute citizen token for this complaint',
        params: CodeParam,
        body: Type.Object({ otp: Type.String({ pattern: '^[0-9۰-۹٠-٩]{6}$' }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ token: Type.String(), expiresAt: Type.String() }), ...errors(400, 401, 404, 429) },
      },
    },
    async (request) => {
      return verifyOtp(db, config, request.params.code, toAsciiDigits(request.body.otp), request.ip, request.cookies[DEVICE_COOKIE] ?? null);
    },
  );
};

/** The full view and the rating. */
const fullViewRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app.deps;
  const limited = { rateLimit: { max: config.publicRateLimit, timeWindow: '1 minute' } };

  app.get(
    '/track/:code/full',
    {
      config: limited,
      schema: {
        tags: ['tracking'],
        summary: 'The citizen’s full view: timeline and answer',
        params: CodeParam,
        headers: CitizenHeaders,
        response: { 200: CitizenView, ...errors(400, 401, 404, 429) },
      },
    },
    async (request) => citizenView(db, config, request.params.code, bearer(request.headers.authorization)),
  );

  app.post(
    '/track/:code/rating',
    {
      schema: {
        tags: ['tracking'],
        summary: 'Rate the answer: satisfied closes it; not satisfied reopens it one level up',
        params: CodeParam,
        headers: CitizenHeaders,
        body: Type.Object(
          {
            satisfied: Type.Boolean(),
            comment: Type.Optional(Type.String({ maxLength: 2000 })),
            indicators: Type.Optional(
              Type.Array(Type.String({ pattern: '^[a-z0-9_]{2,40}$' }), {
                maxItems: 20,
                description: 'With “not satisfied”: the quality indicators (codes from GET /categories) that failed',
              }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ status: StatusSchema }), ...errors(400, 401, 404, 409) },
      },
    },
    async (request) => {
      const id = await citizenComplaintId(db, config, request.params.code, bearer(request.headers.authorization));
      return rateComplaint(db, config, id, request.body);
    },
  );
};

/** Objections and appeals. */
const objectionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app.deps;

  app.post(
    '/track/:code/objection',
    {
      schema: {
        tags: ['tracking'],
        summary: 'Object to a rejection: reopens it one level up',
        params: CodeParam,
        headers: CitizenHeaders,
        body: Type.Object({ reason: Type.String({ minLength: 3, maxLength: 2000 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ status: StatusSchema }), ...errors(400, 401, 404, 409) },
      },
    },
    async (request) => {
      const id = await citizenComplaintId(db, config, request.params.code, bearer(request.headers.authorization));
      return objectToRejection(db, config, id, request.body.reason);
    },
  );

  app.post(
    '/track/:code/appeal',
    {
      schema: {
        tags: ['tracking'],
        summary: 'Appeal once to the provincial supervisors, when still dissatisfied at the top of the agency (docs/appeals.md)',
        params: CodeParam,
        headers: CitizenHeaders,
        body: Type.Object({ reason: Type.String({ minLength: 3, maxLength: 2000 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ status: StatusSchema, dueAt: Type.String() }), ...errors(400, 401, 404, 409) },
      },
    },
    async (request) => {
      const id = await citizenComplaintId(db, config, request.params.code, bearer(request.headers.authorization));
      return appealComplaint(db, config, id, request.body.reason);
    },
  );
};

/** Citizens following their complaint: public status by code, then the full view after an SMS one-time code. */
export const trackingRoutes: FastifyPluginAsyncTypebox = async (app, opts) => {
  await lookupRoutes(app, opts);
  await fullViewRoutes(app, opts);
  await objectionRoutes(app, opts);
};
