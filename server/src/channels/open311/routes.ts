import { findProvinceFromCoordinate } from '@persian-tools/persian-tools';
import { XMLBuilder } from 'fast-xml-parser';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { listCategories } from '../../agencies/catalogue-store.ts';
import { hashSecret, newToken } from '../../auth/tokens.ts';
import { submitComplaint } from '../../complaints/submit-complaint.ts';
import { clientErrorOf } from '../../http/database-errors.ts';
import { AppError, ERRORS } from '../../http/errors.ts';

/**
 * Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) for third-party apps: services,
 * service definitions, requests (POST with an api_key, GET list and one) and tokens, in JSON or
 * XML by the path's extension, with the standard's field names and its error format
 * (`[{ code, description }]`). Services are our complaint categories; the agency and county
 * are the service's attributes (`attribute[agency_id]`, `attribute[county_id]`), else the
 * province comes from lat/long and the complaint waits for triage. Public reads carry no
 * personal data: no description, no contact, coordinates only to two decimals.
 */
type Format = 'json' | 'xml';
const xml = new XMLBuilder({ format: true, ignoreAttributes: true, suppressEmptyNode: true });
const STATUS_OPEN = ['received', 'referred', 'assigned', 'in_progress', 'answered'];

class Open311Error extends Error {
  constructor(
    readonly status: number,
    readonly description: string,
  ) {
    super(description);
  }
}

function send(reply: FastifyReply, format: Format, root: string, item: string, items: unknown[], status = 200) {
  if (format === 'xml')
    return reply
      .status(status)
      .type('text/xml; charset=utf-8')
      .send(`<?xml version="1.0" encoding="utf-8"?>\n${xml.build({ [root]: { [item]: items } })}`);
  return reply.status(status).type('application/json; charset=utf-8').send(items);
}

function formatOf(raw: string): Format {
  if (raw !== 'json' && raw !== 'xml') throw new Open311Error(404, 'format must be json or xml');
  return raw;
}

export const open311Routes: FastifyPluginAsync = async (app) => {
  const { db, config } = app.deps;
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
    return send(reply, format, 'errors', 'error', [{ code: status, description }], status);
  });

  app.get<{ Params: { format: string } }>('/services.:format', { schema: { hide: true } }, async (request, reply) => {
    const format = formatOf(request.params.format);
    const categories = await listCategories(db.pool);
    return send(
      reply,
      format,
      'services',
      'service',
      categories.map((c) => ({
        service_code: c.code,
        service_name: c.nameFa,
        description: c.descriptionFa,
        metadata: true,
        type: 'realtime',
        keywords: [c.nameEn, c.indicatorCode].join(','),
        group: c.urgent ? 'فوری' : 'عادی',
      })),
    );
  });

  app.get<{ Params: { code: string; format: string } }>('/services/:code.:format', { schema: { hide: true } }, async (request, reply) => {
    const format = formatOf(request.params.format);
    const category = (await listCategories(db.pool)).find((c) => c.code === request.params.code);
    if (!category) throw new Open311Error(404, 'service_code not found');
    const definition = {
      service_code: category.code,
      attributes: [
        {
          variable: true,
          code: 'agency_id',
          datatype: 'number',
          required: false,
          datatype_description: 'id from /api/v1/agencies',
          order: 1,
          description: 'The agency (unit) complained about',
        },
        {
          variable: true,
          code: 'county_id',
          datatype: 'number',
          required: false,
          datatype_description: 'id from /api/v1/divisions',
          order: 2,
          description: 'The county; else the province is taken from lat/long',
        },
        {
          variable: true,
          code: 'named_employee',
          datatype: 'string',
          required: false,
          datatype_description: '2–120 characters once titles (Mr, Dr, آقای…) are removed',
          order: 3,
          description: 'The name or position of the employee the complaint is about, if the citizen knows it; seen only by inspectors, never published',
        },
      ],
    };
    if (format === 'xml')
      return reply
        .type('text/xml; charset=utf-8')
        .send(
          `<?xml version="1.0" encoding="utf-8"?>\n${xml.build({ service_definition: { ...definition, attributes: { attribute: definition.attributes } } })}`,
        );
    return definition;
  });

  app.post<{ Params: { format: string }; Body: Record<string, string> }>('/requests.:format', { schema: { hide: true } }, async (request, reply) => {
    const format = formatOf(request.params.format);
    const b = request.body ?? {};
    const client = b.api_key
      ? (await db.pool.query<{ id: number }>('SELECT id FROM open311_clients WHERE api_key_hash = $1 AND active', [hashSecret(b.api_key, config.secret)]))
          .rows[0]
      : undefined;
    if (!client) throw new Open311Error(403, 'api_key is missing or not valid');
    const category = (await listCategories(db.pool)).find((c) => c.code === b.service_code);
    if (!category) throw new Open311Error(400, 'service_code is missing or not valid');
    if (!b.description || b.description.trim().length < 10) throw new Open311Error(400, 'description is required (10 characters or more)');
    if (!b.phone) throw new Open311Error(400, 'phone is required: the citizen is sent a tracking code and an answer by SMS');
    const lat = b.lat === undefined ? undefined : Number(b.lat);
    const lng = b.long === undefined ? undefined : Number(b.long);
    if (
      (lat !== undefined && !(lat >= -90 && lat <= 90)) ||
      (lng !== undefined && !(lng >= -180 && lng <= 180)) ||
      (lat === undefined) !== (lng === undefined)
    ) {
      throw new Open311Error(400, 'lat and long must be given together as valid coordinates');
    }
    const countyId = b['attribute[county_id]'] ? Number(b['attribute[county_id]']) : undefined;
    let provinceId: number | undefined;
    if (countyId === undefined && lat !== undefined && lng !== undefined) {
      const found = findProvinceFromCoordinate({ latitude: lat, longitude: lng });
      const row = found ? (await db.pool.query<{ id: number }>('SELECT id FROM provinces WHERE name_fa = $1', [found.fa])).rows[0] : undefined;
      provinceId = row?.id;
    }
    const agencyId = b['attribute[agency_id]'] ? Number(b['attribute[agency_id]']) : undefined;
    if (agencyId !== undefined && countyId === undefined && provinceId === undefined) {
      throw new Open311Error(400, 'a location is required: attribute[county_id], or lat/long inside Iran');
    }
    const name = [b.first_name, b.last_name].filter(Boolean).join(' ');
    const result = await submitComplaint(
      db,
      {
        channel: 'open311',
        ...(agencyId !== undefined ? { agencyId } : { officeText: (b.address_string || 'نامشخص (Open311)').slice(0, 200) }),
        ...(countyId !== undefined ? { countyId } : provinceId !== undefined ? { provinceId } : {}),
        categoryId: category.id,
        description: b.description,
        ...(lat !== undefined && lng !== undefined ? { location: { lat, lng, ...(b.address_string ? { text: b.address_string.slice(0, 300) } : {}) } } : {}),
        contact: { phone: b.phone, ...(name ? { name: name.slice(0, 120) } : {}) },
        ...(b['attribute[named_employee]'] ? { namedEmployee: b['attribute[named_employee]'] } : {}),
      },
      {
        actor: { kind: 'citizen', id: null },
        publicUrl: config.publicUrl,
        joinWindowHours: config.caseJoinHours,
        ...(b.device_id ? { idempotencyKey: `open311-${client.id}-${b.device_id}`.slice(0, 100) } : {}),
      },
    );
    return send(reply, format, 'service_requests', 'request', [
      {
        service_request_id: result.trackingCode,
        token: result.id,
        service_notice: result.referredTo ? `ارجاع به ${result.referredTo.name}` : 'در انتظار ارجاع توسط مرکز ۱۲۸',
        account_id: '',
      },
    ]);
  });

  const publicRequest = (r: {
    trackingCode: string;
    status: string;
    code: string | null;
    name: string | null;
    unit: string | null;
    createdAt: Date;
    updatedAt: Date;
    answer: string | null;
    lat: number | null;
    lng: number | null;
  }) => ({
    service_request_id: r.trackingCode,
    status: STATUS_OPEN.includes(r.status) ? 'open' : 'closed',
    status_notes: r.status,
    service_name: r.name ?? '',
    service_code: r.code ?? '',
    agency_responsible: r.unit ?? '128',
    requested_datetime: r.createdAt.toISOString(),
    updated_datetime: r.updatedAt.toISOString(),
    ...(r.lat !== null && r.lng !== null ? { lat: Math.round(r.lat * 100) / 100, long: Math.round(r.lng * 100) / 100 } : {}),
  });
  const REQUEST_SQL = `SELECT c.tracking_code AS "trackingCode", c.status, ca.code, ca.name_fa AS name, u.name_fa AS unit, c.created_at AS "createdAt",
      c.updated_at AS "updatedAt", c.answer, c.location_lat AS lat, c.location_lng AS lng
    FROM complaints c LEFT JOIN categories ca ON ca.id = c.category_id LEFT JOIN units u ON u.id = c.unit_id`;

  app.get<{ Params: { format: string }; Querystring: Record<string, string> }>('/requests.:format', { schema: { hide: true } }, async (request, reply) => {
    const format = formatOf(request.params.format);
    const q = request.query;
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    if (q.service_request_id)
      where.push(
        `c.tracking_code = ANY(${p(
          q.service_request_id
            .split(',')
            .map((s) => s.trim())
            .slice(0, 100),
        )}::text[])`,
      );
    if (q.service_code) where.push(`ca.code = ${p(q.service_code)}`);
    if (q.status === 'open') where.push(`c.status = ANY(${p(STATUS_OPEN)}::text[])`);
    else if (q.status === 'closed') where.push(`c.status IN ('closed', 'rejected')`);
    else if (q.status) throw new Open311Error(400, 'status must be open or closed');
    for (const [key, op] of [
      ['start_date', '>='],
      ['end_date', '<='],
    ] as const) {
      if (!q[key]) continue;
      if (Number.isNaN(Date.parse(q[key]))) throw new Open311Error(400, `${key} must be a w3c date-time`);
      where.push(`c.created_at ${op} ${p(new Date(q[key]))}`);
    }
    // The standard's default: the last 90 days, at most 1000 requests.
    if (!q.start_date && !q.end_date && !q.service_request_id) where.push(`c.created_at > now() - interval '90 days'`);
    const { rows } = await db.pool.query(`${REQUEST_SQL} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.created_at DESC LIMIT 1000`, params);
    return send(reply, format, 'service_requests', 'request', rows.map(publicRequest));
  });

  app.get<{ Params: { id: string; format: string } }>('/requests/:id.:format', { schema: { hide: true } }, async (request, reply) => {
    const format = formatOf(request.params.format);
    const { rows } = await db.pool.query(`${REQUEST_SQL} WHERE c.tracking_code = $1`, [request.params.id]);
    if (!rows[0]) throw new Open311Error(404, 'service_request_id not found');
    return send(reply, format, 'service_requests', 'request', rows.map(publicRequest));
  });

  app.get<{ Params: { token: string; format: string } }>('/tokens/:token.:format', { schema: { hide: true } }, async (request, reply) => {
    const format = formatOf(request.params.format);
    if (!/^[0-9a-f-]{36}$/.test(request.params.token)) throw new Open311Error(404, 'token not found');
    const { rows } = await db.pool.query<{ code: string }>('SELECT tracking_code AS code FROM complaints WHERE id = $1', [request.params.token]);
    if (!rows[0]) throw new Open311Error(404, 'token not found');
    return send(reply, format, 'service_requests', 'request', [{ service_request_id: rows[0].code, token: request.params.token }]);
  });
};

/** Creates an API key for a third-party app; the key is shown once, only its hash is kept. */
export async function createOpen311Client(db: { query: (text: string, values: unknown[]) => Promise<unknown> }, secret: string, name: string): Promise<string> {
  const key = newToken();
  await db.query('INSERT INTO open311_clients (name, api_key_hash) VALUES ($1, $2)', [name, hashSecret(key, secret)]);
  return key;
}
