import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * What a browser may do with our pages, on every response (web app, API, docs, printable cards):
 *   - scripts only from this origin: the Vite build has no inline script (index.html loads one
 *     module file), so `script-src 'self'` holds and an injected <script> does not run;
 *   - styles from this origin and inline: Mantine writes its theme as a <style> element at run
 *     time and React components set `style` attributes (a nonce cannot cover attributes), the
 *     printable card and the landing page carry a <style> block. Inline *styles* cannot run code;
 *   - images from here, `data:` (small icons Vite inlines) and `blob:` (photo previews before upload);
 *   - no framing by anyone (`frame-ancestors 'none'`), no plugins, forms post only here;
 *   - HSTS only when cookies are marked Secure (COOKIE_SECURE): that is the sign the site is served
 *     over HTTPS; sending HSTS on a plain-HTTP development server would pin localhost to HTTPS;
 *   - no referrer leaves the site (a tracking page's URL holds the citizen's code);
 *   - camera and location for this origin only (citizens attach photos and their location;
 *     inspectors photograph offices), microphone and payment for nobody.
 */
export const PERMISSIONS_POLICY = 'camera=(self), geolocation=(self), microphone=(), payment=(), usb=()';

export async function registerSecurityHeaders(app: FastifyInstance, options: { hsts: boolean }): Promise<void> {
  const headers = helmetHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    hsts: options.hsts ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    // Open data and Open311 are read by other sites' scripts through CORS; CORP would only block no-cors embeds.
    crossOriginResourcePolicy: { policy: 'same-site' },
  });
  // On the raw response, as helmet's middleware sets them: a route's own value (an attachment's
  // sandbox CSP) still wins, and a hijacked reply (the live feed's stream) carries them too.
  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    reply.header('permissions-policy', PERMISSIONS_POLICY);
    done(null, payload);
  });
}

/**
 * The headers helmet's middleware sets for `options`, taken once at start: with fixed options
 * they depend on nothing in the request, and building the middleware per request (as
 * @fastify/helmet does) cost more CPU than any other hook on the public tracking lookup.
 */
export function helmetHeaders(options: HelmetOptions): [string, string][] {
  const headers = new Map<string, string>();
  const response = {
    setHeader: (name: string, value: string | number | readonly string[]) => headers.set(name.toLowerCase(), String(value)),
    // X-Powered-By: neither Node nor Fastify sets it, so there is nothing to remove on our responses.
    removeHeader: (name: string) => headers.delete(name.toLowerCase()),
  };
  let failure: unknown;
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    failure = error;
  });
  if (failure) throw failure;
  return [...headers];
}
