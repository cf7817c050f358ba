import type { FastifyInstance } from 'fastify';
import type { Readiness } from './health.ts';

export interface ShutdownSteps {
  app: FastifyInstance;
  readiness: Readiness;
  /** The longest the drain may take; then the process exits anyway (leases expire by themselves). */
  graceMs: number;
  /** Stops the work loops after their current batch (SLA sweeper, outbox, schedulers) and the channels. */
  stopWorkers: () => Promise<void>;
  /** Closes what is left (the database pool) once nothing uses it. */
  close: () => Promise<void>;
  exit?: (code: number) => void;
  /** Requests still being answered (method, route, seconds open), logged when the grace period runs out. */
  inFlight?: () => unknown[];
}

/**
 * A graceful stop for rolling restarts. /readyz turns 503 at once so the load balancer sends new
 * requests elsewhere; the HTTP server stops accepting, ends the live-feed streams (their
 * EventSource reconnects through the load balancer to another instance, resuming from its last
 * event id) and waits for in-flight requests; the work loops finish their current batch, so no
 * claim is left behind half-done (claims are transactions or leases with an expiry). The
 * database closes last.
 */
export function gracefulShutdown(steps: ShutdownSteps): (signal: string) => Promise<void> {
  const exit = steps.exit ?? ((code: number) => process.exit(code));
  let closing = false;
  return async (signal) => {
    if (closing) {
      steps.app.log.warn({ signal }, 'second signal: exiting now');
      exit(1);
      return;
    }
    closing = true;
    steps.readiness.accepting = false;
    steps.app.log.info({ signal }, 'shutting down: draining requests, live feeds and work loops');
    // Which part held the drain up, for the log line when the grace period runs out.
    const pending = new Set(['http', 'workers']);
    const step = (name: string, work: Promise<void>) => work.finally(() => pending.delete(name));
    const timer = setTimeout(() => {
      steps.app.log.error({ graceMs: steps.graceMs, pending: [...pending], inFlight: steps.inFlight?.().slice(0, 20) }, 'drain took too long: exiting');
      exit(1);
    }, steps.graceMs);
    timer.unref();
    // The server's close closes the connections idle at that moment only; a keep-alive connection
    // whose request is answered later would hold the close until the keep-alive timeout (72 s),
    // past the grace period (seen in the failover drill's rolling restart). Close those as they go
    // idle; a connection with a request being answered is never touched.
    const idleSweep = setInterval(() => steps.app.server.closeIdleConnections(), 250);
    idleSweep.unref();
    try {
      const http = steps.app.close().finally(() => clearInterval(idleSweep));
      await Promise.all([step('http', http), step('workers', steps.stopWorkers())]);
      pending.add('database');
      await steps.close();
      pending.delete('database');
      clearTimeout(timer);
      exit(0);
    } catch (error) {
      steps.app.log.error(error, 'shutdown failed');
      exit(1);
    }
  };
}
