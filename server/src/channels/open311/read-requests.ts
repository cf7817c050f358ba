import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { STATUS_FA } from '../status-text.ts';
import { formatOf, Open311Error, STATUS_OPEN, send } from './format.ts';
import { LookupBudget } from './lookup-budget.ts';
import { findRequests, publicIdOfOpen311Token, type RequestFilter, type RequestRow } from './store.ts';

/**
 * GET requests (a list, one request) and tokens. A request is shown by its public id, never by
 * its tracking code (a secret that unlocks the citizen's one-time codes), and only when the
 * citizen agreed to a public listing and the complaint is not confidential — for a list and
 * for a lookup by id alike. Every id looked up is counted against the caller's budget.
 */
const PUBLIC_ID = /^[0-9a-f]{32}$/;
const MAX_IDS = 100;
const DAY = 86_400_000;

/** The standard's fields, with no personal data: no description, no contact, no typed address, coordinates to two decimals. */
function publicRequest(r: RequestRow) {
  const open = STATUS_OPEN.includes(r.status);
  return {
    service_request_id: r.publicId,
    status: open ? 'open' : 'closed',
    status_notes: `${STATUS_FA[r.status]}${r.unit && open && r.status !== 'received' ? ` — ${r.unit}` : ''}`,
    service_name: r.name ?? '',
    service_code: r.code ?? '',
    agency_responsible: r.unit ?? 'مرکز ۱۲۸',
    requested_datetime: r.createdAt.toISOString(),
    updated_datetime: r.updatedAt.toISOString(),
    expected_datetime: r.dueAt && open ? r.dueAt.toISOString() : '',
    // The division, not the citizen's own words: a typed address may be their home.
    address: [r.county, r.province].filter(Boolean).join('، '),
    ...(r.lat !== null && r.lng !== null ? { lat: Math.round(r.lat * 100) / 100, long: Math.round(r.lng * 100) / 100 } : {}),
  };
}

function commaList(value: string | undefined): string[] {
  return [
    ...new Set(
      (value ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

function dateParam(q: Record<string, string>, key: 'start_date' | 'end_date'): Date | undefined {
  if (!q[key]) return undefined;
  const time = Date.parse(q[key]);
  if (Number.isNaN(time)) throw new Open311Error(400, `${key} must be a w3c date-time`);
  return new Date(time);
}

/** The standard's window: the last 90 days before `now` when no dates are given, and never more than 90 days. */
function window(q: Record<string, string>, now: Date): { from: Date; to: Date } {
  const start = dateParam(q, 'start_date');
  const end = dateParam(q, 'end_date');
  const to = end ?? (start ? new Date(start.getTime() + 90 * DAY) : now);
  const from = start ?? new Date(to.getTime() - 90 * DAY);
  if (from > to) throw new Open311Error(400, 'start_date must be before end_date');
  if (to.getTime() - from.getTime() > 90 * DAY) throw new Open311Error(400, 'start_date and end_date may not span more than 90 days');
  return { from, to };
}

function statusFilter(raw: string | undefined): string[] | undefined {
  const wanted = commaList(raw);
  if (wanted.length === 0) return undefined;
  if (wanted.some((s) => s !== 'open' && s !== 'closed')) throw new Open311Error(400, 'status must be open, closed or both (comma-separated)');
  const closed = ['closed', 'rejected'];
  return [...(wanted.includes('open') ? STATUS_OPEN : []), ...(wanted.includes('closed') ? closed : [])];
}

export const open311ReadRequests: FastifyPluginAsync = async (app) => {
  const { db, config } = app.deps;
  const budget = new LookupBudget(config.publicRateLimit);
  const spend = (request: FastifyRequest, cost: number) => {
    if (!budget.spend(request.ip, cost)) {
      const seconds = budget.retryAfter(request.ip);
      throw new Open311Error(429, `too many lookups: at most ${config.publicRateLimit} request ids a minute; retry in ${seconds} s`, seconds);
    }
  };

  app.get<{ Params: { format: string }; Querystring: Record<string, string> }>('/requests.:format', { schema: { hide: true } }, async (request, reply) => {
    const format = formatOf(request.params.format);
    const q = request.query;
    const ids = commaList(q.service_request_id);
    let filter: RequestFilter;
    if (ids.length > 0) {
      // The standard: service_request_id overrides every other filter.
      if (ids.length > MAX_IDS) throw new Open311Error(400, `at most ${MAX_IDS} service_request_id values per request`);
      spend(request, ids.length);
      filter = { publicIds: ids.filter((id) => PUBLIC_ID.test(id)) };
    } else {
      spend(request, 1);
      const codes = commaList(q.service_code);
      const statuses = statusFilter(q.status);
      filter = { ...(codes.length > 0 ? { codes } : {}), ...(statuses ? { statuses } : {}), ...window(q, config.clock.now()) };
    }
    // A public listing tolerates a replica's few seconds of lag (db.reads, docs/configuration.md).
    const rows = await findRequests(db.reads, filter);
    return send(reply, format, 'service_requests', 'request', rows.map(publicRequest));
  });

  app.get<{ Params: { id: string; format: string } }>('/requests/:id.:format', { schema: { hide: true } }, async (request, reply) => {
    const format = formatOf(request.params.format);
    spend(request, 1);
    const id = request.params.id;
    // The app that filed it may ask at once: a miss on the replica is asked of the primary.
    let rows = PUBLIC_ID.test(id) ? await findRequests(db.reads, { publicIds: [id] }) : [];
    if (!rows[0] && PUBLIC_ID.test(id) && db.reads !== db.pool) rows = await findRequests(db.pool, { publicIds: [id] });
    if (!rows[0]) throw new Open311Error(404, 'service_request_id not found');
    return send(reply, format, 'service_requests', 'request', rows.map(publicRequest));
  });

  app.get<{ Params: { token: string; format: string } }>('/tokens/:token.:format', { schema: { hide: true } }, async (request, reply) => {
    const format = formatOf(request.params.format);
    spend(request, 1);
    // The token is the random complaint id handed to the app that filed it; it maps to the public id only.
    const token = request.params.token;
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(token)) throw new Open311Error(404, 'token not found');
    const publicId = await publicIdOfOpen311Token(db.pool, token);
    if (!publicId) throw new Open311Error(404, 'token not found');
    return send(reply, format, 'service_requests', 'request', [{ service_request_id: publicId, token }]);
  });
};
