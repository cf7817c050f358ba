import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { errorBody } from '../core/errors.ts';
import { registerLanding } from './landing.ts';
import { languageOf } from './language.ts';

/** Where `vite build` writes the web app (see web/build.ts). */
export const WEB_DIST = join(import.meta.dirname, '..', '..', '..', 'web', 'dist');

/** Paths that belong to the API and never fall back to the web app's page. */
const API_PREFIXES = ['/api/', '/open311/', '/docs'];

/**
 * Serves the built web app: its hashed assets from web/dist, and index.html for every other GET
 * a browser makes (client-side routes such as /track/123456789012 or /staff/inbox). Without a
 * build (an API-only deployment) `/` shows the plain landing page.
 */
export async function registerWebApp(app: FastifyInstance, dist = WEB_DIST): Promise<void> {
  const indexPath = join(dist, 'index.html');
  if (!existsSync(indexPath)) {
    registerLanding(app);
    app.setNotFoundHandler((request, reply) => reply.status(404).send(errorBody('not_found', languageOf(request))));
    return;
  }
  const index = readFileSync(indexPath, 'utf8');
  await app.register(fastifyStatic, {
    root: dist,
    wildcard: false,
    index: false,
    // web/build.ts writes .br and .gz beside each text file; the browser gets the one it accepts.
    preCompressed: true,
    // Hashed file names under /assets never change; everything else is revalidated.
    setHeaders: (res, path) => res.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache'),
  });
  const sendIndex = (reply: import('fastify').FastifyReply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff').send(index);
  app.get('/', { schema: { hide: true } }, async (_request, reply) => sendIndex(reply));
  app.setNotFoundHandler((request, reply) => {
    const wantsPage =
      request.method === 'GET' && !API_PREFIXES.some((prefix) => request.url.startsWith(prefix)) && /text\/html/.test(request.headers.accept ?? '');
    if (wantsPage) return sendIndex(reply);
    return reply.status(404).send(errorBody('not_found', languageOf(request)));
  });
}
