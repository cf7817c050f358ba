import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger, { type FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Ajv } from 'ajv';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { adminRoutes } from '../agencies/admin-routes.ts';
import { agencyRoutes } from '../agencies/routes.ts';
import { appealRoutes } from '../appeals/routes.ts';
import { attachmentRoutes } from '../attachments/routes.ts';
import { type AttachmentStorage, storageFromConfig } from '../attachments/storage.ts';
import { staffAdminRoutes } from '../auth/admin-routes.ts';
import { authPlugin } from '../auth/plugin.ts';
import { authRoutes } from '../auth/routes.ts';
import { chainKeysFromConfig } from '../chain/keys.ts';
import { proofRoutes, publicChainRoutes } from '../chain/routes.ts';
import type { ComplaintBot } from '../channels/bots/bot.ts';
import { botWebhookRoutes } from '../channels/bots/webhook.ts';
import { open311Routes } from '../channels/open311/routes.ts';
import { phoneRoutes } from '../channels/phone/routes.ts';
import { smsWebhookRoutes } from '../channels/sms/routes.ts';
import { complaintRoutes } from '../complaints/routes.ts';
import type { Config } from '../config.ts';
import { clientErrorOf } from '../core/database-errors.ts';
import { AppError, ERRORS, type ErrorCode, errorBody } from '../core/errors.ts';
import { finiteKeyword, hardenRequestSchema } from '../core/schemas.ts';
import type { Database } from '../db/database.ts';
import { setChainKeys } from '../domain/event-chain.ts';
import { enforcementRoutes } from '../enforcement/routes.ts';
import { followUpRoutes } from '../follow-up/routes.ts';
import { hotspotRoutes } from '../hotspots/routes.ts';
import { incidentRoutes } from '../incidents/routes.ts';
import { inspectionRoutes } from '../inspections/routes.ts';
import { liveRoutes } from '../live/routes.ts';
import { type Metrics, metricsRoute } from '../metrics/metrics.ts';
import type { NotificationProvider } from '../notifications/provider.ts';
import { notificationRoutes } from '../notifications/routes.ts';
import { healthRoutes, type Readiness } from '../ops/health.ts';
import { publicReportRoutes } from '../reports/public-routes.ts';
import { reportAdminRoutes, reportRoutes } from '../reports/routes.ts';
import { slaAdminRoutes } from '../sla/admin-routes.ts';
import { citizenComplaintId } from '../tracking/citizen-tracking.ts';
import { trackingRoutes } from '../tracking/routes.ts';
import { triageRoutes } from '../triage/routes.ts';
import { Triage } from '../triage/service.ts';
import { languageOf } from './language.ts';
import { loggerOptions } from './log-redaction.ts';
import { lazyChildLogger } from './request-logger.ts';
import { registerSecurityHeaders } from './security-headers.ts';
import { registerWebApp } from './web-app.ts';

export interface AppDeps {
  config: Config;
  db: Database;
  notifications: NotificationProvider;
  /** Where attachment bytes live; built from the config when not given. */
  attachmentStorage?: AttachmentStorage;
  /** Messenger bots whose webhooks this app serves (BOT_MODE=webhook). */
  webhookBots?: ComplaintBot[];
  /** The built web app to serve (default web/dist; tests of the API alone may point elsewhere). */
  webDist?: string;
  /** Where log lines go (default stdout); tests capture them to check the redaction. */
  logStream?: { write(line: string): void };
  /** Operations: the drain flag /readyz reports, and the metrics registry to instrument with. */
  readiness?: Readiness;
  metrics?: Metrics;
  /** The triage model (issue 15); built from the database when not given. */
  triage?: Triage;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
  }
}

export type App = FastifyInstance;

/** Trust the nearest `n` proxies (Fastify's types take this as a function). */
function hops(n: number) {
  return (_address: string, hop: number) => hop < n;
}

/** A caller's X-Request-Id is kept (so one request is followed across instances) when it looks like an id. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{8,100}$/;

/** Assembles the HTTP application from feature plugins. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = createFastify(deps);
  // Every event this process chains or verifies uses the configured keys (docs/tamper-evidence.md).
  setChainKeys(chainKeysFromConfig(deps.config));
  app.decorate('deps', {
    ...deps,
    attachmentStorage: deps.attachmentStorage ?? storageFromConfig(deps.config),
    triage: deps.triage ?? new Triage(deps.db, deps.config),
  });
  addHooks(app, deps);
  await registerPlugins(app, deps);
  await registerRoutes(app, deps);
  return app;
}

/** The Fastify instance: logger, request ids, body limit, proxies, validator and framework errors. */
function createFastify(deps: AppDeps) {
  return Fastify({
    logger: deps.config.logLevel === 'silent' ? false : { ...loggerOptions(deps.config.logLevel, deps.logStream), base: { instance: deps.config.instanceId } },
    ...(deps.config.logLevel === 'silent' ? {} : { childLoggerFactory: lazyChildLogger }),
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    bodyLimit: 256 * 1024,
    trustProxy: typeof deps.config.trustProxy === 'number' ? hops(deps.config.trustProxy) : deps.config.trustProxy,
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: true },
      plugins: [(ajv: Ajv) => ajv.addKeyword({ ...finiteKeyword })],
    },
    // A URL the router cannot decode (a lone surrogate, a bad escape) or a bad content type
    // header: the caller's fault, answered in our error shape like every other 4xx.
    // Open311 clients get GeoReport v2's error format, as from its routes.
    frameworkErrors: (error, request, reply) => {
      const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
      const body = request.url.startsWith('/open311/')
        ? [{ code: status, description: error.message }]
        : errorBody(status === 415 ? 'unsupported_media_type' : 'validation_failed', languageOf(request), { reason: error.message });
      (reply as unknown as FastifyReply).status(status).send(body);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
}

type TypedApp = ReturnType<typeof createFastify>;

/** The request-id header, the metrics hooks and the one error handler. */
function addHooks(app: TypedApp, deps: AppDeps): void {
  // Hooks that run on every request take a callback, not a promise: no promise and microtask per hook.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  deps.metrics?.instrument(app);
  app.setErrorHandler(replyWithError);
}

/** Turns an `AppError`, a validation failure or a database refusal into our error reply; anything else is a 500. */
function replyWithError(error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) {
  const language = languageOf(request);
  if (error instanceof AppError) {
    if (error.code === 'rate_limited') reply.header('retry-after', '60');
    return reply.status(error.status).send(errorBody(error.code, language, error.details));
  }
  if (error.validation) {
    const details = error.validation.map((v) => ({
      field: `${error.validationContext ?? 'body'}${v.instancePath.replace(/\//g, '.')}${'missingProperty' in v.params ? `.${v.params.missingProperty}` : ''}${'additionalProperty' in v.params ? `.${v.params.additionalProperty}` : ''}`,
      problem: v.message,
    }));
    return reply.status(400).send(errorBody('validation_failed', language, details));
  }
  // What the database refused because of the caller's data or a concurrent change: a 4xx.
  const refused = clientErrorOf(error);
  if (refused) {
    const status = ERRORS[refused.code].status;
    return reply.status(status).send(errorBody(refused.code, language, { reason: refused.reason }));
  }
  const byStatus: Record<number, ErrorCode> = {
    400: 'validation_failed',
    404: 'not_found',
    413: 'payload_too_large',
    415: 'unsupported_media_type',
    429: 'rate_limited',
  };
  const status = error.statusCode ?? 500;
  const code = byStatus[status] ?? (status < 500 ? 'validation_failed' : 'internal');
  if (status >= 500) request.log.error(error);
  return reply.status(code === 'internal' ? 500 : status).send(errorBody(code, language, status < 500 ? { reason: error.message } : undefined));
}

/** The OpenAPI document's head: what the API is, how callers sign in, and its tags. */
const OPENAPI: FastifyDynamicSwaggerOptions['openapi'] = {
  openapi: '3.1.0',
  info: {
    title: 'Foad 128 API',
    version: '1.0.0',
    description:
      'The administrative-emergency complaint system (سامانه فوریت‌های اداری ۱۲۸). Errors are `{ error: { code, message, messages: { fa, en } } }`; send `Accept-Language: en` for English messages.',
  },
  components: {
    securitySchemes: {
      session: { type: 'apiKey', in: 'cookie', name: 'foad_session' },
      bearer: { type: 'http', scheme: 'bearer' },
    },
  },
  tags: [
    { name: 'reference', description: 'Divisions, agencies and the complaint catalogue (public)' },
    { name: 'complaints', description: 'Intake and staff work on complaints' },
    { name: 'tracking', description: 'Citizens following their complaint' },
    { name: 'auth', description: 'Staff sign-in' },
    { name: 'admin', description: 'National centre configuration' },
    { name: 'channels', description: 'SMS webhook, phone (operator screen-pop, IVR), messenger bots' },
    { name: 'enforcement', description: 'Warnings, commendations and dismissal recommendations with due process; managers’ records' },
    { name: 'inspections', description: 'Field inspections of offices: dispatch, findings per quality indicator, photos' },
    { name: 'live', description: 'Live monitoring: server-sent events and dashboard numbers, in the viewer’s scope' },
    { name: 'reports', description: 'Report cards (کارنامه) for officials, publishing and corrections' },
    { name: 'open data', description: 'The transparency portal: published report cards, rankings, map data (no sign-in, no personal data)' },
  ],
};

/** The plugins every route relies on: schema bounds, security headers, cookies, rate limits, OpenAPI and auth. */
async function registerPlugins(app: TypedApp, deps: AppDeps): Promise<void> {
  // Before swagger and every route: the bounds are both enforced and documented.
  app.addHook('onRoute', (route) => {
    const schema = route.schema as Record<string, unknown> | undefined;
    if (schema) for (const part of ['body', 'querystring', 'query', 'params', 'headers']) hardenRequestSchema(schema[part]);
  });
  await registerSecurityHeaders(app, { hsts: deps.config.cookieSecure });
  await app.register(cookie);
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) => new AppError('rate_limited', { retryAfterSeconds: Math.ceil(context.ttl / 1000) }),
  });
  await app.register(swagger, { openapi: OPENAPI });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(authPlugin);
}

/** Every feature's routes, the web app, the probes and the channel webhooks. */
async function registerRoutes(app: TypedApp, deps: AppDeps): Promise<void> {
  await registerWebApp(app, deps.webDist);
  await app.register(healthRoutes, { db: deps.db, readiness: deps.readiness ?? { accepting: true } });
  if (deps.metrics && deps.config.metricsToken) metricsRoute(app, deps.metrics, deps.config.metricsToken);
  app.get('/api/v1/health', { schema: { hide: true } }, async () => {
    await deps.db.pool.query('SELECT 1');
    return { ok: true, database: deps.db.kind };
  });
  await app.register(agencyRoutes, { prefix: '/api/v1' });
  await app.register(complaintRoutes, { prefix: '/api/v1' });
  await app.register(triageRoutes, { prefix: '/api/v1' });
  await app.register(incidentRoutes, { prefix: '/api/v1' });
  await app.register(trackingRoutes, { prefix: '/api/v1' });
  await app.register(appealRoutes, { prefix: '/api/v1' });
  await app.register(attachmentRoutes, { prefix: '/api/v1', citizenComplaintId });
  await app.register(authRoutes, { prefix: '/api/v1' });
  await app.register(adminRoutes, { prefix: '/api/v1/admin' });
  await app.register(staffAdminRoutes, { prefix: '/api/v1/admin' });
  await app.register(
    async (admin) => {
      admin.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_req, body, done) => done(null, body));
      await admin.register(slaAdminRoutes);
    },
    { prefix: '/api/v1/admin' },
  );
  await app.register(notificationRoutes, { prefix: '/api/v1' });
  await app.register(liveRoutes, { prefix: '/api/v1' });
  await app.register(enforcementRoutes, { prefix: '/api/v1' });
  await app.register(inspectionRoutes, { prefix: '/api/v1' });
  await app.register(hotspotRoutes, { prefix: '/api/v1' });
  await app.register(followUpRoutes, { prefix: '/api/v1' });
  await app.register(reportRoutes, { prefix: '/api/v1' });
  await app.register(reportAdminRoutes, { prefix: '/api/v1/admin' });
  await app.register(publicReportRoutes, { prefix: '/api/v1/public' });
  await app.register(publicChainRoutes, { prefix: '/api/v1/public' });
  await app.register(proofRoutes, { prefix: '/api/v1' });
  await app.register(smsWebhookRoutes, { prefix: '/api/v1', secret: deps.config.smsWebhookSecret });
  await app.register(phoneRoutes, { prefix: '/api/v1' });
  await app.register(open311Routes, { prefix: '/open311/v2' });
  if (deps.webhookBots?.length && deps.config.botWebhookSecret) {
    const secretToken = deps.config.botWebhookSecret;
    await app.register(botWebhookRoutes, { prefix: '/api/v1', bots: deps.webhookBots.map((bot) => ({ bot, secretToken })) });
  }
}
