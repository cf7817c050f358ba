import { Agent, type IncomingMessage, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { Readiness } from '../src/ops/health.ts';
import { gracefulShutdown } from '../src/ops/shutdown.ts';

/**
 * Issue 14, rolling restarts: on SIGTERM the instance finishes the requests it is answering and
 * exits 0 within its grace period. The failover drill saw every drain run out of its grace period
 * with no request open: the server's close shuts the connections idle at that moment, and a
 * keep-alive connection whose request (an intake POST) was answered just after stayed open until
 * Fastify's 72 s keep-alive timeout.
 */
const agents: Agent[] = [];
afterEach(() => {
  for (const a of agents.splice(0)) a.destroy();
});

/** A POST with a JSON body over a keep-alive agent, as a client filing a complaint sends it. */
function post(port: number, path: string, agent: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent, method: 'POST', headers: { 'content-type': 'application/json' } }, (res: IncomingMessage) => {
      let body = '';
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end('{"description":"x"}');
  });
}

describe('graceful shutdown', () => {
  it('answers the request in flight, then exits 0 although its client keeps the connection alive', async () => {
    const app = Fastify();
    let release: () => void = () => undefined;
    const started = new Promise<void>((resolveStarted) => {
      app.post('/slow', async () => {
        resolveStarted();
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return { done: true };
      });
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    const agent = new Agent({ keepAlive: true, keepAliveMsecs: 60_000 });
    agents.push(agent);

    const exits: number[] = [];
    let exited: (code: number) => void = () => undefined;
    const exitedOnce = new Promise<number>((resolve) => {
      exited = resolve;
    });
    const readiness: Readiness = { accepting: true };
    const stop = gracefulShutdown({
      app,
      readiness,
      graceMs: 5_000,
      stopWorkers: async () => undefined,
      close: async () => undefined,
      exit: (code) => {
        exits.push(code);
        exited(code);
      },
    });

    const answer = post(port, '/slow', agent);
    await started;
    const stopping = stop('SIGTERM');
    expect(readiness.accepting).toBe(false);
    // Answer only once the server has stopped listening: the connection is busy when the close
    // sweeps the idle ones, and goes idle after it.
    while (app.server.listening) await new Promise((resolve) => setImmediate(resolve));
    release();
    expect(await answer).toEqual({ status: 200, body: '{"done":true}' });
    // The agent keeps that socket for its next request; the drain must not wait for it.
    expect(await exitedOnce).toBe(0);
    await stopping;
    expect(exits).toEqual([0]);
  });
});
