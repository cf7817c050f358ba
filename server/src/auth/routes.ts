import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors } from '../core/schemas.ts';
import { beginTotpSetup, confirmTotpSetup, enrolTotp, login } from './login.ts';
import { pagesOf } from './pages.ts';
import { SESSION_COOKIE } from './plugin.ts';
import { EnrolBody, LoginBody, LoginReply, SessionSchema, TotpSecretReply } from './schema.ts';
import { deleteSession } from './store.ts';
import { hashSecret } from './tokens.ts';

/** The cookie name of the signed-in hint (see the login route). */
export const SIGNED_IN_HINT = 'foad_staff';

/** Signing in and out, and who is signed in. */
const sessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app.deps;

  app.post(
    '/auth/login',
    {
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary:
          'Staff sign-in: password, then the TOTP code. Roles that must have TOTP answer totp_enrolment_required until they enrol (POST /auth/totp/enrol); the first code then turns it on.',
        body: LoginBody,
        response: { 200: LoginReply, ...errors(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const result = await login(db, config, request.body, request.ip);
      reply.setCookie(SESSION_COOKIE, result.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: config.cookieSecure,
        expires: result.expiresAt,
      });
      // Readable by the page, carrying nothing secret: it tells the web app a staff session may
      // exist, so citizens' pages do not ask /auth/me (and log a 401) on every visit.
      reply.setCookie(SIGNED_IN_HINT, '1', { path: '/', sameSite: 'strict', secure: config.cookieSecure, expires: result.expiresAt });
      const { unitPath: _path, ...user } = result.user;
      return { token: result.token, expiresAt: result.expiresAt.toISOString(), user: { ...user, pages: pagesOf(user.role) } };
    },
  );

  app.post(
    '/auth/logout',
    {
      schema: { tags: ['auth'], summary: 'End the session', response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      const token = request.sessionToken();
      if (token) await deleteSession(db.pool, hashSecret(token, config.secret));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      reply.clearCookie(SIGNED_IN_HINT, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    {
      schema: { tags: ['auth'], summary: 'The signed-in staff member and the pages they may open', response: { 200: SessionSchema, ...errors(401) } },
    },
    async (request) => {
      const { unitPath: _path, ...user } = await request.staff();
      return { ...user, pages: pagesOf(user.role) };
    },
  );
};

/** Enrolling the second factor. */
const totpRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app.deps;

  app.post(
    '/auth/totp/enrol',
    {
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary:
          'First two-factor enrolment, before any session: after the password, a new secret and otpauth:// URI; sign in with its first code to turn it on',
        body: EnrolBody,
        response: { 200: TotpSecretReply, ...errors(400, 401, 409, 429) },
      },
    },
    async (request) => enrolTotp(db, request.body, request.ip, config.clock.now()),
  );

  app.post(
    '/auth/totp/setup',
    {
      schema: {
        tags: ['auth'],
        summary: 'Start two-factor enrolment: returns the secret and an otpauth:// URI. Replacing an enabled TOTP needs a current code.',
        body: Type.Object(
          { currentCode: Type.Optional(Type.String({ maxLength: 12 })) },
          { additionalProperties: false, description: 'Send {} for a first enrolment' },
        ),
        response: { 200: TotpSecretReply, ...errors(400, 401) },
      },
    },
    async (request) => beginTotpSetup(db, (await request.staff()).id, request.body.currentCode),
  );

  app.post(
    '/auth/totp/enable',
    {
      schema: {
        tags: ['auth'],
        summary: 'Confirm enrolment with a code from the app; TOTP is required from then on',
        body: Type.Object({ code: Type.String({ minLength: 6, maxLength: 12 }) }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...errors(400, 401) },
      },
    },
    async (request, reply) => {
      await confirmTotpSetup(db, (await request.staff()).id, request.body.code);
      return reply.status(204).send(null);
    },
  );
};

export const authRoutes: FastifyPluginAsyncTypebox = async (app, opts) => {
  await sessionRoutes(app, opts);
  await totpRoutes(app, opts);
};
