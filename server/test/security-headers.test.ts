import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuilt } from '../../web/build.ts';
import { PERMISSIONS_POLICY } from '../src/http/security-headers.ts';
import { staff } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

/**
 * Security headers on every kind of response: the web app's page and assets, the API, its errors
 * and the 404 fallback. HSTS only where cookies are Secure (that is, behind HTTPS).
 */
let plain: Harness;
let secure: Harness;

beforeAll(async () => {
  await ensureWebBuilt();
  plain = await startHarness();
  secure = await startHarness({ COOKIE_SECURE: 'true' });
});

afterAll(async () => {
  await plain?.close();
  await secure?.close();
});

const directives = (csp: string) =>
  new Map(
    csp
      .split(';')
      .map((d) => d.trim().split(/\s+/) as [string, ...string[]])
      .map(([k, ...v]) => [k, v]),
  );

describe('security headers', () => {
  it('a strict policy on the page, the API, an API error and an unknown path', async () => {
    for (const [url, accept] of [
      ['/', 'text/html'],
      ['/staff/inbox', 'text/html'],
      ['/api/v1/health', 'application/json'],
      ['/api/v1/complaints', 'application/json'],
      ['/api/v1/nothing-here', 'application/json'],
    ] as const) {
      const res = await plain.app.inject({ url, headers: { accept } });
      const csp = directives(String(res.headers['content-security-policy']));
      expect(csp.get('script-src'), url).toEqual(["'self'"]);
      expect(csp.get('default-src'), url).toEqual(["'self'"]);
      expect(csp.get('frame-ancestors'), url).toEqual(["'none'"]);
      expect(csp.get('object-src'), url).toEqual(["'none'"]);
      // Inline styles only (Mantine's theme element, style attributes): never inline script.
      expect(csp.get('style-src'), url).toEqual(["'self'", "'unsafe-inline'"]);
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
      expect(res.headers['permissions-policy'], url).toBe(PERMISSIONS_POLICY);
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
    }
    expect(PERMISSIONS_POLICY).toContain('camera=(self)');
    expect(PERMISSIONS_POLICY).toContain('geolocation=(self)');
  });

  it('helmet’s whole set, taken once at start, on a reply, an error and the hijacked live stream', async () => {
    // What @fastify/helmet gave per request with these options (X-XSS-Protection 0 disables the old filter).
    const expected = {
      'content-security-policy':
        "default-src 'self';script-src 'self';style-src 'self' 'unsafe-inline';img-src 'self' data: blob:;font-src 'self' data:;connect-src 'self';object-src 'none';base-uri 'self';form-action 'self';frame-ancestors 'none'",
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-site',
      'origin-agent-cluster': '?1',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'x-dns-prefetch-control': 'off',
      'x-download-options': 'noopen',
      'x-frame-options': 'SAMEORIGIN',
      'x-permitted-cross-domain-policies': 'none',
      'x-xss-protection': '0',
    };
    const pick = (headers: Record<string, unknown>) => Object.fromEntries(Object.keys(expected).map((k) => [k, headers[k]]));
    for (const url of ['/api/v1/track/abc', '/api/v1/health', '/api/v1/nothing-here']) {
      expect(pick((await plain.app.inject({ url })).headers), url).toEqual(expected);
    }
    // The live feed writes its own head on the raw response: the set must be on it already.
    const auditor = await staff(plain.db, plain.config, 'auditor');
    const base = await plain.app.listen({ port: 0, host: '127.0.0.1' });
    const abort = new AbortController();
    const live = await fetch(`${base}/api/v1/live/events`, { headers: auditor.headers, signal: abort.signal });
    expect(live.status).toBe(200);
    expect(pick(Object.fromEntries(live.headers))).toEqual(expected);
    abort.abort();
  });

  it('the built page has no inline script for the policy to refuse', async () => {
    const html = (await plain.app.inject({ url: '/', headers: { accept: 'text/html' } })).body;
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\ssrc="\/assets\//);
      expect(body!.trim()).toBe('');
    }
  });

  it('HSTS when cookies are Secure', async () => {
    const res = await secure.app.inject({ url: '/api/v1/health' });
    expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  });

  it('hashed assets precompressed and cached for a year; the page revalidated', async () => {
    const html = (await plain.app.inject({ url: '/', headers: { accept: 'text/html' } })).body;
    const script = html.match(/src="(\/assets\/[^"]+\.js)"/)![1]!;
    const raw = await plain.app.inject({ url: script });
    const br = await plain.app.inject({ url: script, headers: { 'accept-encoding': 'br' } });
    const gz = await plain.app.inject({ url: script, headers: { 'accept-encoding': 'gzip' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(br.rawPayload.length).toBeLessThan(raw.rawPayload.length / 3);
    expect(String(br.headers.vary)).toMatch(/accept-encoding/i);
    for (const res of [raw, br, gz]) expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await plain.app.inject({ url: '/', headers: { accept: 'text/html' } })).headers['cache-control']).toBe('no-cache');
  });
});
