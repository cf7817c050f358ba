import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../core/errors.ts';
import { errors, IdParam, Nullable } from '../core/schemas.ts';
import { myAlertSettings, setMyAlertSettings } from './alert-settings.ts';
import { issueLinkCode } from './chat-link.ts';
import { listStaffNotifications, markStaffNotificationRead } from './store.ts';

const Time = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM, Tehran time' });
const AlertSettingsSchema = Type.Object(
  {
    channel: Type.Union([Type.Literal('web'), Type.Literal('sms'), Type.Literal('telegram'), Type.Literal('bale')], {
      description: 'Where alerts go besides the web app: none (web), SMS, or a Telegram/Bale chat',
    }),
    address: Nullable(Type.String({ maxLength: 64, description: 'A mobile number for SMS; a chat id for Telegram or Bale' })),
    quietStart: Nullable(Time),
    quietEnd: Nullable(Time),
    urgentOverrides: Type.Boolean({ description: 'Breaches (a deadline missed) still come in quiet hours' }),
  },
  { additionalProperties: false },
);

const LinkCodeSchema = Type.Object({
  code: Type.String({ description: 'Send it to the bot (or open a link): `/start <code>` or the code alone. Works once.' }),
  expiresAt: Type.String({ format: 'date-time' }),
  links: Type.Array(
    Type.Object({
      channel: Type.Union([Type.Literal('telegram'), Type.Literal('bale')]),
      url: Type.String({ description: 'The bot’s deep link carrying the code' }),
    }),
    { description: 'One per bot whose username is configured' },
  ),
});

/** Where each messenger's deep links live (`?start=` carries the code to the bot's /start). */
const DEEP_LINK_ROOTS = { telegram: 'https://t.me', bale: 'https://ble.ir' } as const;

/** The signed-in staff member's in-app messages (referrals, warnings, breaches, escalations). */
export const notificationRoutes: FastifyPluginAsyncTypebox = async (app, opts) => {
  const { db } = app.deps;

  app.get(
    '/notifications',
    {
      schema: {
        tags: ['auth'],
        summary: 'My notifications, newest first',
        querystring: Type.Object({ unread: Type.Optional(Type.Boolean()), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }),
        response: {
          200: Type.Object({
            unread: Type.Integer(),
            items: Type.Array(
              Type.Object({
                id: Type.Integer(),
                complaintId: Nullable(Type.String()),
                template: Type.String(),
                body: Type.String(),
                createdAt: Type.String(),
                readAt: Nullable(Type.String()),
              }),
            ),
          }),
          ...errors(401),
        },
      },
    },
    async (request) => {
      const user = await request.staff();
      const { unread, rows } = await listStaffNotifications(db.pool, user.id, request.query.unread ?? null, request.query.limit ?? 50);
      return { unread, items: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), readAt: r.readAt?.toISOString() ?? null })) };
    },
  );

  app.post(
    '/notifications/:id/read',
    {
      schema: { tags: ['auth'], summary: 'Mark one of my notifications read', params: IdParam, response: { 204: Type.Null(), ...errors(401, 404) } },
    },
    async (request, reply) => {
      const user = await request.staff();
      const found = await markStaffNotificationRead(db.pool, user.id, request.params.id, app.deps.config.clock.now());
      if (!found) throw new AppError('not_found');
      return reply.status(204).send(null);
    },
  );

  await alertSettingsRoutes(app, opts);
};

/** Where my alerts go: channel, quiet hours, and the one-time code that links a messenger chat. */
const alertSettingsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app.deps;

  app.get(
    '/notifications/settings',
    { schema: { tags: ['auth'], summary: 'My alert channel and quiet hours', response: { 200: AlertSettingsSchema, ...errors(401) } } },
    async (request) => myAlertSettings(db.pool, (await request.staff()).id),
  );

  app.put(
    '/notifications/settings',
    {
      schema: {
        tags: ['auth'],
        summary: 'Set my alert channel and quiet hours (held alerts go out when they end; docs/staff-alerts.md)',
        body: AlertSettingsSchema,
        response: { 200: AlertSettingsSchema, ...errors(400, 401) },
      },
    },
    async (request) => setMyAlertSettings(db.pool, (await request.staff()).id, request.body, config.clock.now()),
  );

  app.post(
    '/notifications/link-code',
    {
      schema: {
        tags: ['auth'],
        summary: 'A one-time code that links my Telegram or Bale chat to my alerts (replaces any earlier code; docs/staff-alerts.md)',
        response: { 201: LinkCodeSchema, ...errors(401) },
      },
    },
    async (request, reply) => {
      const user = await request.staff();
      const { code, expiresAt } = await issueLinkCode(db.pool, config.secret, user.id, config.clock.now());
      const links = config.bots.flatMap((b) => (b.username ? [{ channel: b.channel, url: `${DEEP_LINK_ROOTS[b.channel]}/${b.username}?start=${code}` }] : []));
      return reply.status(201).send({ code, expiresAt: expiresAt.toISOString(), links });
    },
  );
};
