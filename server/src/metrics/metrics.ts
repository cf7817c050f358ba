import { createServer, type Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import client from 'prom-client';
import type { Database } from '../db/database.ts';

/**
 * The process's Prometheus metrics. Request and process figures are this instance's own; the
 * queue figures (deadlines due, outbox, dead letters, rollup deltas, complaints filed) are read
 * from the database at scrape time, so they are the same on every instance: alert on max().
 */
export interface Metrics {
  registry: client.Registry;
  /** Adds the per-route request histogram and the live-feed client gauge to an app. */
  instrument(app: FastifyInstance): void;
  /** The SLA sweeper's hook: one committed batch's size and the lag of its oldest deadline. */
  sweepBatch(batch: { claimed: number; lagSeconds: number | null }): void;
}

export function createMetrics(db: Database): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'foad_' }); // event-loop lag, heap, GC, CPU
  const requests = new client.Histogram({
    name: 'foad_http_request_duration_seconds',
    help: 'HTTP requests by route pattern, method and status; _count gives the rate',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const liveClients = new client.Gauge({ name: 'foad_live_feed_clients', help: 'Open live-feed (SSE) streams on this instance', registers: [registry] });
  new client.Gauge({
    name: 'foad_db_pool_connections',
    help: 'Database pool: total, idle, and requests waiting for a connection',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      this.set({ state: 'total' }, db.pool.totalCount);
      this.set({ state: 'idle' }, db.pool.idleCount);
      this.set({ state: 'waiting' }, db.pool.waitingCount);
    },
  });
  const batchSizes = new client.Histogram({
    name: 'foad_sla_sweep_batch_size',
    help: 'Due timers claimed per committed sweeper batch (this instance); batches at the limit mean a backlog',
    buckets: [1, 5, 10, 25, 50, 100, 150, 200, 400],
    registers: [registry],
  });
  const batchLag = new client.Histogram({
    name: 'foad_sla_sweep_lag_seconds',
    help: 'Per sweeper batch: seconds from its oldest deadline to the moment the batch fired it',
    buckets: [0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  new client.Gauge({
    name: 'foad_db_replica_lag_seconds',
    help: 'Replay lag of the read replica at its last check (absent without DATABASE_REPLICA_URL; -1 when unreachable)',
    registers: [registry],
    collect() {
      const state = db.readRouting?.state();
      if (state) this.set(state.lagSeconds ?? -1);
    },
  });
  new client.Gauge({
    name: 'foad_db_reads',
    help: 'Stale-tolerant reads per pool since start (replica, primary, and replica failures answered by the primary)',
    labelNames: ['pool'] as const,
    registers: [registry],
    collect() {
      const counts = db.readRouting?.counts;
      if (!counts) return;
      this.set({ pool: 'replica' }, counts.replica);
      this.set({ pool: 'primary' }, counts.primary);
      this.set({ pool: 'fallback' }, counts.fallbacks);
    },
  });
  dbGauges(db, registry);
  return {
    registry,
    sweepBatch(batch) {
      batchSizes.observe(batch.claimed);
      if (batch.lagSeconds !== null) batchLag.observe(batch.lagSeconds);
    },
    instrument(app) {
      // Callback hooks (no promise per request): they run on every request.
      app.addHook('onRequest', (request, reply, done) => {
        if (request.url.startsWith('/api/v1/live/events')) {
          liveClients.inc();
          reply.raw.once('close', () => liveClients.dec());
        }
        done();
      });
      app.addHook('onResponse', (request, reply, done) => {
        const route = request.routeOptions.url ?? 'unmatched';
        if (route !== '/metrics') requests.observe({ route, method: request.method, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
        done();
      });
    },
  };
}

interface QueueSnapshot {
  due: number;
  lag: number;
  fired: number;
  outbox: { channel: string; depth: number; oldest: number | null; dead: number }[];
  filed: { channel: string; n: number }[];
  deltas: number;
}

/** The queue figures in one round of queries per scrape, shared by the gauges that show them. */
function queueReader(db: Database): () => Promise<QueueSnapshot> {
  let inFlight: Promise<QueueSnapshot> | null = null;
  const read = async (): Promise<QueueSnapshot> => {
    const [timers, outbox, filed, deltas] = await Promise.all([
      db.pool.query<{ due: number; lag: number | null; fired: number }>(
        `SELECT count(*) FILTER (WHERE fired_at IS NULL AND fire_at <= now())::int AS due,
                extract(epoch FROM now() - min(fire_at) FILTER (WHERE fired_at IS NULL AND fire_at <= now()))::float8 AS lag,
                count(*) FILTER (WHERE fired_at > now() - interval '1 minute')::int AS fired
           FROM sla_timers WHERE fired_at IS NULL OR fired_at > now() - interval '1 minute'`,
      ),
      db.pool.query<QueueSnapshot['outbox'][number]>(
        `SELECT channel, count(*) FILTER (WHERE status IN ('pending', 'sending'))::int AS depth,
                extract(epoch FROM now() - min(created_at) FILTER (WHERE status IN ('pending', 'sending')))::float8 AS oldest,
                count(*) FILTER (WHERE status = 'dead')::int AS dead
           FROM outbox WHERE status <> 'sent' GROUP BY channel`,
      ),
      db.pool.query<{ channel: string; n: number }>(
        `SELECT channel, count(*)::int AS n FROM complaints WHERE created_at > now() - interval '5 minutes' GROUP BY channel`,
      ),
      db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM report_rollup_deltas'),
    ]);
    const t = timers.rows[0];
    return { due: t?.due ?? 0, lag: t?.lag ?? 0, fired: t?.fired ?? 0, outbox: outbox.rows, filed: filed.rows, deltas: deltas.rows[0]?.n ?? 0 };
  };
  return () => {
    inFlight ??= read().finally(() => {
      inFlight = null;
    });
    return inFlight;
  };
}

/** Gauges read from the database at scrape time; a failed read counts an error and leaves them out. */
function dbGauges(db: Database, registry: client.Registry): void {
  const snapshot = queueReader(db);
  const errors = new client.Counter({ name: 'foad_metrics_scrape_errors_total', help: 'Scrapes whose database read failed', registers: [registry] });
  const gauge = (name: string, help: string, labelNames: string[], fill: (g: client.Gauge, s: QueueSnapshot) => void) =>
    new client.Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        try {
          fill(this, await snapshot());
        } catch {
          if (name === 'foad_sla_deadlines_due') errors.inc();
        }
      },
    });
  gauge('foad_sla_deadlines_due', 'SLA timers whose fire time has passed and that have not fired', [], (g, s) => g.set(s.due));
  gauge('foad_sla_sweeper_lag_seconds', 'Age of the oldest due SLA timer not yet fired (0 when none)', [], (g, s) => g.set(s.lag));
  gauge('foad_sla_timers_fired_last_minute', 'SLA timers fired in the last minute (sweeper throughput)', [], (g, s) => g.set(s.fired));
  gauge('foad_outbox_depth', 'Outbox messages pending or sending, per provider channel', ['channel'], (g, s) => {
    for (const row of s.outbox) g.set({ channel: row.channel }, row.depth);
  });
  gauge('foad_outbox_oldest_age_seconds', 'Age of the oldest undelivered outbox message, per provider channel', ['channel'], (g, s) => {
    for (const row of s.outbox) g.set({ channel: row.channel }, row.oldest ?? 0);
  });
  gauge('foad_outbox_dead_letters', 'Outbox messages given up on (status dead), per provider channel', ['channel'], (g, s) => {
    for (const row of s.outbox) g.set({ channel: row.channel }, row.dead);
  });
  gauge('foad_complaints_filed_last_5m', 'Complaints filed in the last five minutes, per channel', ['channel'], (g, s) => {
    for (const row of s.filed) g.set({ channel: row.channel }, row.n);
  });
  gauge('foad_rollup_deltas_pending', 'Report rollup deltas not yet folded (fold lag)', [], (g, s) => g.set(s.deltas));
}

/** `/metrics` on the app behind a bearer token (METRICS_TOKEN). */
export function metricsRoute(app: FastifyInstance, metrics: Metrics, token: string): void {
  app.get('/metrics', { schema: { hide: true }, logLevel: 'warn' }, async (request, reply) => {
    if (request.headers.authorization !== `Bearer ${token}`)
      return reply.status(401).send({ error: { code: 'unauthorized', message: 'metrics token required' } });
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}

/** `/metrics` on a port of its own (METRICS_PORT), for a scraper on a private network. */
export function serveMetrics(metrics: Metrics, host: string, port: number): Promise<Server> {
  const server = createServer(async (request, response) => {
    if (request.url !== '/metrics') {
      response.writeHead(404).end();
      return;
    }
    const body = await metrics.registry.metrics();
    response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(body);
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve(server)));
}
