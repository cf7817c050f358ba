import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { findSessionPrincipal } from '../auth/store.ts';
import { hashSecret } from '../auth/tokens.ts';
import { AppError } from '../core/errors.ts';
import { errors } from '../core/schemas.ts';
import { scopeKey } from '../core/scope.ts';
import { liveDashboard } from './dashboard.ts';
import { LiveHub, type LiveSubscriber } from './hub.ts';
import { DashboardQuery, DashboardReply, LiveEventsHeaders, LiveEventsQuery, LiveEventsReply } from './schema.ts';
import { type LiveCursor, type LiveEvent, liveHead } from './store.ts';

const KEEP_ALIVE_MS = 25_000;
/** Open feeds per user on one instance: enough for a few tabs, not for a runaway client. */
const MAX_STREAMS_PER_USER = 5;

function parseCursor(text: string | undefined): LiveCursor | null {
  const m = text?.match(/^([0-9]+)-([0-9]+)$/);
  return m ? { event: Number(m[1]), alert: Number(m[2]) } : null;
}

/** The SSE event name the web app listens for. */
function eventName(e: LiveEvent): string {
  if (e.source === 'alert') return 'hotspot';
  switch (e.type) {
    case 'received':
      return 'complaint_new';
    case 'sla_warning':
      return 'warning';
    case 'sla_breached':
      return 'breach';
    case 'escalated':
      return 'escalation';
    default:
      return 'state_change';
  }
}

/** Ends a stream and half-closes its socket (see the preClose hook in liveRoutes). */
function endStream(raw: ServerResponse): void {
  raw.end();
  raw.socket?.end();
}

/** The SSE id of a position: `event-alert`. */
const id = (c: LiveCursor) => `${c.event}-${c.alert}`;

/** A hub subscriber that writes `user`'s events to the stream and moves its position past each. */
function sseSubscriber(user: LiveSubscriber['user'], raw: ServerResponse, start: LiveCursor): { subscriber: LiveSubscriber; position: () => LiveCursor } {
  let position = start;
  const subscriber: LiveSubscriber = {
    user,
    cursor: position,
    send(events) {
      let text = '';
      for (const e of events) {
        position = e.source === 'complaint' ? { ...position, event: Math.max(position.event, e.id) } : { ...position, alert: Math.max(position.alert, e.id) };
        text += `id: ${id(position)}\nevent: ${eventName(e)}\ndata: ${JSON.stringify(e)}\n\n`;
      }
      raw.write(text);
    },
    reset(cursor) {
      position = cursor;
      raw.write(`id: ${id(position)}\nevent: reset\ndata: {}\n\n`);
    },
  };
  return { subscriber, position: () => position };
}

/** The dashboard numbers in the viewer's scope. */
const dashboardRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  app.get(
    '/live/dashboard',
    {
      schema: {
        tags: ['live'],
        summary: 'Live dashboard numbers in my scope: last hour, today (Asia/Tehran), open by SLA state, breaches, provinces for a map, busiest agencies',
        querystring: DashboardQuery,
        response: { 200: DashboardReply, ...errors(400, 401) },
      },
    },
    async (request) => {
      const user = await request.staff();
      return liveDashboard(db.reads, user, {
        measure: request.query.measure ?? 'complaints_today',
        limit: request.query.limit ?? 10,
        now: app.deps.config.clock.now(),
      });
    },
  );
};

/** Live monitoring: the server-sent events feed and the dashboard numbers, both in the viewer's scope. */
export const liveRoutes: FastifyPluginAsyncTypebox = async (app, opts) => {
  const { db, config } = app.deps;
  const hub = new LiveHub(db, { onError: (error) => app.log.error(error, 'live feed') });
  const streams = new Set<ServerResponse>();
  const perUser = new Map<number, number>();
  // Open streams never finish on their own: end them before the server waits for its connections.
  // The socket is half-closed after the last chunk: an ended stream's keep-alive connection
  // would otherwise hold the server's close open until the keep-alive timeout. A feed that
  // connects after this point (before the server stops listening) is ended at once, and the
  // LISTEN connection gets two seconds to close (the database's close ends it anyway).
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    for (const raw of streams) endStream(raw);
    await Promise.race([hub.stop(), new Promise((resolve) => setTimeout(resolve, 2_000).unref())]);
  });

  app.get(
    '/live/events',
    {
      schema: {
        tags: ['live'],
        summary: 'Live feed (server-sent events) of complaints, state changes, warnings, breaches, escalations and hotspot alerts in my scope',
        querystring: LiveEventsQuery,
        headers: LiveEventsHeaders,
        produces: ['text/event-stream'],
        response: { 200: LiveEventsReply, ...errors(401, 429) },
      },
    },
    async (request, reply) => {
      const user = await request.staff();
      const token = request.sessionToken()!;
      if ((perUser.get(user.id) ?? 0) >= MAX_STREAMS_PER_USER) throw new AppError('rate_limited', { openStreams: MAX_STREAMS_PER_USER });
      await hub.start();
      const resumeFrom = parseCursor(request.headers['last-event-id'] ?? request.query.lastEventId);
      const start = resumeFrom ?? (await liveHead(db.pool));
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      raw.write('retry: 3000\n\n');
      // Draining: the browser reconnects (through the balancer, to another instance) in 3 s.
      if (closing) return endStream(raw);
      streams.add(raw);
      perUser.set(user.id, (perUser.get(user.id) ?? 0) + 1);
      const { subscriber, position } = sseSubscriber(user, raw, start);
      // Subscribed and caught up before `ready`: whatever commits after it is sent.
      let closed = false;
      let unsubscribe = () => {};
      let keepAlive: NodeJS.Timeout | undefined;
      raw.on('close', () => {
        closed = true;
        clearInterval(keepAlive);
        unsubscribe();
        streams.delete(raw);
        const left = (perUser.get(user.id) ?? 1) - 1;
        if (left > 0) perUser.set(user.id, left);
        else perUser.delete(user.id);
      });
      // Always catch up from the starting position: an event committed between reading the head
      // and joining the fan-out would otherwise fall between the two.
      unsubscribe = await hub.subscribe(subscriber, true);
      if (closed) return unsubscribe();
      raw.write(`id: ${id(position())}\nevent: ready\ndata: ${JSON.stringify({ position: id(position()), resumed: resumeFrom !== null })}\n\n`);
      // A comment line keeps proxies from closing an idle stream; a signed-out or expired session ends it.
      keepAlive = setInterval(async () => {
        const still = await findSessionPrincipal(db.pool, hashSecret(token, config.secret), config.clock.now()).catch(() => null);
        // Signed out, expired, or moved to another unit or province: the client reconnects with its new scope.
        if (!still || scopeKey(still) !== scopeKey(user)) raw.end();
        else raw.write(': keep-alive\n\n');
      }, KEEP_ALIVE_MS);
      keepAlive.unref();
    },
  );
  await dashboardRoutes(app, opts);
};
