import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { routeComplaint } from '../../agencies/routing.ts';
import { getCounty, getUnit } from '../../agencies/store.ts';
import { AppError } from '../../core/errors.ts';
import { errors } from '../../core/schemas.ts';
import { parseContactPhone } from '../../domain/identity.ts';
import { publicStatus } from '../../tracking/citizen-tracking.ts';
import { statusSentence } from '../status-text.ts';
import { complaintsByPhone, recentAtUnit } from './store.ts';

/** The screen-pop for a caller, and the IVR status line. */
const callerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app.deps;

  app.get(
    '/operator/callers/:phone',
    {
      schema: {
        tags: ['channels'],
        summary: 'Screen-pop: the caller’s earlier complaints (newest first), for the operator taking the call',
        params: Type.Object({ phone: Type.String({ minLength: 5, maxLength: 24 }) }),
        response: {
          200: Type.Object({
            phone: Type.String(),
            country: Type.String(),
            complaints: Type.Array(
              Type.Object({
                id: Type.String(),
                trackingCode: Type.String(),
                status: Type.String(),
                createdAt: Type.String(),
                unitNameFa: Type.Union([Type.String(), Type.Null()]),
                excerpt: Type.String(),
              }),
            ),
          }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) => {
      const user = await request.staffWith('complaint.file');
      const phone = parseContactPhone(request.params.phone);
      if (!phone) throw new AppError('invalid_phone');
      const rows = await complaintsByPhone(db.pool, user, phone.e164);
      return { phone: phone.e164, country: phone.country, complaints: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })) };
    },
  );

  app.get(
    '/ivr/status/:code',
    {
      config: { rateLimit: { max: config.publicRateLimit, timeWindow: '1 minute' } },
      schema: {
        tags: ['channels'],
        summary: 'Status for an IVR to read out: text/plain (a Persian sentence for text-to-speech) or JSON with Accept: application/json',
        params: Type.Object({ code: Type.String({ minLength: 1, maxLength: 40 }) }),
        querystring: Type.Object({ lang: Type.Optional(Type.Union([Type.Literal('fa'), Type.Literal('en')])) }),
        response: {
          200: Type.Union([Type.String(), Type.Object({ trackingCode: Type.String(), status: Type.String(), sentence: Type.String() })]),
          ...errors(400, 404, 429),
        },
      },
    },
    async (request, reply) => {
      const status = await publicStatus(db, request.params.code);
      const sentence = statusSentence(status, request.query.lang ?? 'fa');
      if ((request.headers.accept ?? '').includes('application/json')) return { trackingCode: status.trackingCode, status: status.status, sentence };
      return reply.type('text/plain; charset=utf-8').send(sentence);
    },
  );
};

/** Similar complaints while an operator types. */
const similarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app.deps;

  app.get(
    '/operator/similar',
    {
      schema: {
        tags: ['channels'],
        summary:
          'While taking a complaint: open complaints about the same office (the unit the routing rule picks) from the last 30 days, most similar text first',
        querystring: Type.Object({
          agencyId: Type.Integer({ minimum: 1 }),
          countyId: Type.Optional(Type.Integer({ minimum: 1 })),
          provinceId: Type.Optional(Type.Integer({ minimum: 1 })),
          q: Type.Optional(Type.String({ maxLength: 500, description: 'What the caller is saying, to rank by' })),
        }),
        response: {
          200: Type.Object({
            unit: Type.Object({ id: Type.Integer(), nameFa: Type.String() }),
            items: Type.Array(
              Type.Object({ id: Type.String(), trackingCode: Type.String(), status: Type.String(), createdAt: Type.String(), excerpt: Type.String() }),
            ),
          }),
          ...errors(400, 401, 403, 422),
        },
      },
    },
    async (request) => {
      const user = await request.staffWith('complaint.file');
      const { agencyId, countyId, provinceId, q } = request.query;
      const agency = await getUnit(db.pool, agencyId);
      if (!agency?.active) throw new AppError('unknown_agency');
      const county = countyId === undefined ? null : await getCounty(db.pool, countyId);
      if (countyId !== undefined && !county) throw new AppError('unknown_place');
      const province = county?.provinceId ?? provinceId;
      if (province === undefined) throw new AppError('validation_failed', [{ field: 'querystring.countyId', problem: 'give countyId or provinceId' }]);
      const unit = await routeComplaint(db.pool, agency, province, county?.id ?? null);
      const rows = await recentAtUnit(db.pool, user, unit.id, q ?? '', config.clock.now());
      return { unit: { id: unit.id, nameFa: unit.nameFa }, items: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })) };
    },
  );
};

/**
 * The phone side of 128: the operator console's screen-pop (who is calling, what did they file
 * before) and the status an IVR reads out for a code typed on the keypad.
 */
export const phoneRoutes: FastifyPluginAsyncTypebox = async (app, opts) => {
  await callerRoutes(app, opts);
  await similarRoutes(app, opts);
};
