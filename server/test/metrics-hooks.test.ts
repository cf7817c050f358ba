import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../src/http/app.ts';
import { createMetrics, type Metrics } from '../src/metrics/metrics.ts';
import { MemoryProvider } from '../src/notifications/provider.ts';
import { staff } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

/**
 * The per-request metrics hooks (callbacks, run on every request): each answered request is
 * counted under its route pattern, method and status, and each open live-feed stream in the gauge.
 */
let h: Harness;
let app: App;
let metrics: Metrics;

beforeAll(async () => {
  h = await startHarness();
  metrics = createMetrics(h.db);
  app = await buildApp({ config: h.config, db: h.db, notifications: new MemoryProvider(), metrics });
  await app.ready();
});
afterAll(async () => {
  await app.close();
  await h.close();
});

const count = (text: string, route: string, status: number) =>
  Number(new RegExp(`^foad_http_request_duration_seconds_count\\{route="${route}",method="GET",status="${status}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);

describe('request metrics', () => {
  it('counts requests by route pattern and status, and open live-feed streams', async () => {
    for (const code of ['abc', 'def', 'ghi']) expect((await app.inject({ url: `/api/v1/track/${code}` })).statusCode).toBe(400);
    expect((await app.inject({ url: '/api/v1/health' })).statusCode).toBe(200);
    let text = await metrics.registry.metrics();
    expect(count(text, '/api/v1/track/:code', 400)).toBe(3);
    expect(count(text, '/api/v1/health', 200)).toBe(1);

    const auditor = await staff(h.db, h.config, 'auditor');
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const abort = new AbortController();
    const live = await fetch(`${base}/api/v1/live/events`, { headers: auditor.headers, signal: abort.signal });
    expect(live.status).toBe(200);
    text = await metrics.registry.metrics();
    expect(text).toMatch(/^foad_live_feed_clients 1$/m);
    abort.abort();
    for (let i = 0; i < 50 && /^foad_live_feed_clients 1$/m.test(text); i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      text = await metrics.registry.metrics();
    }
    expect(text).toMatch(/^foad_live_feed_clients 0$/m);
  });
});
