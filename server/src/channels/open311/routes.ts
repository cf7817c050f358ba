import type { FastifyPluginAsync } from 'fastify';
import { clientErrorOf } from '../../core/database-errors.ts';
import { AppError, ERRORS } from '../../core/errors.ts';
import { type Format, Open311Error, send } from './format.ts';
import { open311PostRequest } from './post-request.ts';
import { open311ReadRequests } from './read-requests.ts';
import { open311Services } from './services.ts';

/**
 * Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) for third-party apps: services,
 * service definitions, requests (POST with an api_key, GET list and one) and tokens, in JSON or
 * XML by the path's extension, with the standard's field names and its error format
 * (`[{ code, description }]`). Services are our complaint categories; the agency and county
 * are the service's attributes (`attribute[agency_id]`, `attribute[county_id]`), else the
 * province comes from lat/long and the complaint waits for triage. Requests are known by a
 * public id, never the tracking code; public reads list only what the citizen agreed to make
 * public and carry no personal data.
 */
export const open311Routes: FastifyPluginAsync = async (app) => {
  // GeoReport POSTs are form-encoded; attribute[...] keys stay as they are.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  app.setErrorHandler((error, request, reply) => {
    const format: Format = request.url.split('?')[0]!.endsWith('.xml') ? 'xml' : 'json';
    let status = 500;
    let description = 'internal error';
    const refused = clientErrorOf(error);
    if (error instanceof Open311Error) ({ status, description } = error);
    else if (refused) {
      status = ERRORS[refused.code].status === 422 ? 400 : ERRORS[refused.code].status;
      description = `${ERRORS[refused.code].en} (${refused.code}: ${refused.reason})`;
    } else if (error instanceof AppError) {
      status = error.status === 422 ? 400 : error.status;
      description = `${ERRORS[error.code].en} (${error.code})`;
    } else if ((error as { statusCode?: number }).statusCode && (error as { statusCode: number }).statusCode < 500) {
      status = (error as { statusCode: number }).statusCode;
      description = (error as Error).message;
    } else request.log.error(error);
    if (status === 429) reply.header('retry-after', String(error instanceof Open311Error && error.retryAfter ? error.retryAfter : 60));
    return send(reply, format, 'errors', 'error', [{ code: status, description }], status);
  });
  await app.register(open311Services);
  await app.register(open311PostRequest);
  await app.register(open311ReadRequests);
};
