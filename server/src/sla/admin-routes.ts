import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../core/errors.ts';
import { errors, IdParam, Nullable } from '../core/schemas.ts';
import { createCalendar, importHolidaysCsv, listCalendars, listHolidays, listPolicies, setPolicy, setUnitCalendar } from './manage.ts';

const PolicySchema = Type.Object({
  id: Type.Integer(),
  categoryId: Nullable(Type.Integer()),
  agencyId: Nullable(Type.Integer()),
  version: Type.Integer(),
  clock: Type.Union([Type.Literal('24x7'), Type.Literal('business')]),
  firstActionMinutes: Type.Integer(),
  answerMinutes: Type.Integer(),
  warnFractions: Type.Array(Type.Number()),
  satisfactionHours: Type.Integer(),
  appealMinutes: Type.Integer({ description: 'The provincial supervision group’s time to decide a citizen’s appeal, on this clock' }),
  createdAt: Type.Unknown(),
  supersededAt: Type.Unknown(),
});

/** SLA policies. */
const policyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  app.get(
    '/sla-policies',
    {
      schema: {
        tags: ['admin'],
        summary: 'SLA policies (active; all versions with ?history=true)',
        querystring: Type.Object({ history: Type.Optional(Type.Boolean()) }),
        response: { 200: Type.Object({ items: Type.Array(PolicySchema) }), ...errors(401, 403) },
      },
    },
    async (request) => {
      await request.staffWith('admin.catalogue');
      return { items: await listPolicies(db.pool, request.query.history ?? false) };
    },
  );

  app.post(
    '/sla-policies',
    {
      schema: {
        tags: ['admin'],
        summary: 'Set the SLA policy for a category and/or agency: a new version; complaints keep the version they were filed under',
        body: Type.Object(
          {
            categoryId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
            agencyId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
            clock: Type.Union([Type.Literal('24x7'), Type.Literal('business')]),
            firstActionMinutes: Type.Integer({ minimum: 1, maximum: 525_600 }),
            answerMinutes: Type.Integer({ minimum: 1, maximum: 525_600 }),
            warnFractions: Type.Optional(Type.Array(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 }), { maxItems: 5 })),
            satisfactionHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 8760 })),
            appealMinutes: Type.Optional(
              Type.Integer({ minimum: 1, maximum: 525_600, description: 'Time to decide an appeal (default 4800: ten working days on the business clock)' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: PolicySchema, ...errors(400, 401, 403, 422) },
      },
    },
    async (request, reply) => {
      const user = await request.staffWith('admin.catalogue');
      const b = request.body;
      const policy = await setPolicy(
        db,
        {
          categoryId: b.categoryId ?? null,
          agencyId: b.agencyId ?? null,
          clock: b.clock,
          firstActionMinutes: b.firstActionMinutes,
          answerMinutes: b.answerMinutes,
          warnFractions: b.warnFractions ?? [0.5, 0.8],
          satisfactionHours: b.satisfactionHours ?? 72,
          appealMinutes: b.appealMinutes ?? 4800,
        },
        user.id,
        app.deps.config.clock.now(),
      );
      return reply.status(201).send(policy);
    },
  );
};

/** Holidays. */
const holidayRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  app.get(
    '/holidays',
    {
      schema: {
        tags: ['admin'],
        summary: 'Holidays (Jalali and Gregorian dates)',
        querystring: Type.Object({ year: Type.Optional(Type.Integer({ minimum: 1300, maximum: 1500, description: 'Jalali year' })) }),
        response: {
          200: Type.Object({
            items: Type.Array(Type.Object({ id: Type.Integer(), day: Type.String(), jalali: Type.String(), nameFa: Type.String(), kind: Type.String() })),
          }),
          ...errors(401, 403),
        },
      },
    },
    async (request) => {
      await request.staffWith('admin.catalogue');
      return { items: await listHolidays(db.pool, request.query.year) };
    },
  );

  app.post(
    '/holidays/import',
    {
      schema: {
        tags: ['admin'],
        summary: 'Import holidays from CSV (text/csv; columns jalali_date,name_fa[,kind]); all rows or none',
        consumes: ['text/csv'],
        response: { 200: Type.Object({ imported: Type.Integer() }), ...errors(400, 401, 403, 415) },
      },
    },
    async (request) => {
      await request.staffWith('admin.catalogue');
      if (typeof request.body !== 'string') throw new AppError('unsupported_media_type');
      return importHolidaysCsv(db, request.body);
    },
  );
};

/** Working calendars and the unit each follows. */
const calendarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  const CalendarSchema = Type.Object({
    id: Type.Integer(),
    code: Type.String(),
    nameFa: Type.String(),
    timezone: Type.String(),
    week: Type.Record(Type.String({ pattern: '^[0-6]$' }), Type.Array(Type.Tuple([Type.Integer(), Type.Integer()]))),
  });

  app.get(
    '/calendars',
    {
      schema: { tags: ['admin'], summary: 'Working calendars', response: { 200: Type.Object({ items: Type.Array(CalendarSchema) }), ...errors(401, 403) } },
    },
    async (request) => {
      await request.staffWith('admin.catalogue');
      return { items: await listCalendars(db.pool) };
    },
  );

  app.post(
    '/calendars',
    {
      schema: {
        tags: ['admin'],
        summary: 'Add a working calendar: weekday (0 = Sunday … 6 = Saturday) → working intervals in minutes after local midnight',
        body: Type.Object(
          {
            code: Type.String({ pattern: '^[a-z][a-z0-9_-]{1,40}$' }),
            nameFa: Type.String({ minLength: 2, maxLength: 200 }),
            timezone: Type.Optional(Type.String({ maxLength: 64 })),
            week: Type.Record(
              Type.String({ pattern: '^[0-6]$' }),
              Type.Array(Type.Tuple([Type.Integer({ minimum: 0, maximum: 1440 }), Type.Integer({ minimum: 0, maximum: 1440 })]), { maxItems: 6 }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 201: CalendarSchema, ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      await request.staffWith('admin.catalogue');
      const b = request.body;
      return reply.status(201).send(
        await createCalendar(db.pool, {
          code: b.code,
          nameFa: b.nameFa,
          timezone: b.timezone ?? 'Asia/Tehran',
          week: b.week as Record<string, [number, number][]>,
        }),
      );
    },
  );

  app.put(
    '/units/:id/calendar',
    {
      schema: {
        tags: ['admin'],
        summary: 'Put a unit (and its subtree, unless overridden) on a working calendar; null returns it to its parent’s',
        params: IdParam,
        body: Type.Object({ calendarId: Nullable(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await request.staffWith('admin.units');
      await setUnitCalendar(db.pool, request.params.id, request.body.calendarId, app.deps.config.clock.now());
      return reply.status(204).send(null);
    },
  );
};

/** National-centre configuration of SLA policies and the holiday calendar. */
export const slaAdminRoutes: FastifyPluginAsyncTypebox = async (app, opts) => {
  await policyRoutes(app, opts);
  await holidayRoutes(app, opts);
  await calendarRoutes(app, opts);
};
