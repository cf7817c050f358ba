import { findProvinceFromCoordinate } from '@persian-tools/persian-tools';
import type { FastifyPluginAsync } from 'fastify';
import { listCategories } from '../../agencies/catalogue-store.ts';
import { hashSecret } from '../../auth/tokens.ts';
import { type IntakeInput, submitComplaint } from '../../complaints/submit-complaint.ts';
import type { Queryable } from '../../db/database.ts';
import { formatOf, Open311Error, send } from './format.ts';
import { activeClient, provinceIdByName, publicIdOf } from './store.ts';

type Body = Record<string, string | undefined>;

/** An optional positive integer id (a database integer), or a 400 naming the field. */
function idField(b: Body, key: string): number | undefined {
  const raw = b[key]?.trim();
  if (!raw) return undefined;
  if (!/^[0-9]{1,9}$/.test(raw) || Number(raw) < 1) throw new Open311Error(400, `${key} must be a positive whole number`);
  return Number(raw);
}

function coordinates(b: Body): { lat: number; lng: number } | undefined {
  const given = [b.lat, b.long].filter((v) => v !== undefined && v.trim() !== '');
  if (given.length === 0) return undefined;
  const lat = Number(b.lat);
  const lng = Number(b.long);
  if (given.length !== 2 || !(lat >= -90 && lat <= 90) || !(lng >= -180 && lng <= 180)) {
    throw new Open311Error(400, 'lat and long must be given together as valid WGS84 coordinates');
  }
  return { lat, lng };
}

/** The standard's optional fields we accept but cannot take, refused before anything is written. */
function refuseUnsupported(b: Body) {
  if (b.media_url?.trim()) {
    throw new Open311Error(
      400,
      'media_url is not accepted: files are not fetched from other servers. File the request without it, then upload the photo to POST /api/v1/complaints/{token}/attachments',
    );
  }
  if (b.email?.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(b.email.trim())) throw new Open311Error(400, 'email is not a valid address');
}

/** The province a point falls in, or undefined outside Iran (a citizen abroad). */
async function provinceAt(db: Queryable, point: { lat: number; lng: number }): Promise<number | undefined> {
  let found: { fa: string } | undefined;
  try {
    found = findProvinceFromCoordinate({ latitude: point.lat, longitude: point.lng });
  } catch {
    // persian-tools throws for a point in no province (abroad, at sea): no province, not a 500.
    return undefined;
  }
  if (!found) return undefined;
  return provinceIdByName(db, found.fa);
}

/**
 * POST requests with an api_key. GeoReport's location rule: lat/long, address_string or
 * address_id (here a county id from /api/v1/divisions). The answer carries the public id,
 * never the tracking code: the citizen gets that by SMS.
 */
export const open311PostRequest: FastifyPluginAsync = async (app) => {
  const { db, config } = app.deps;
  app.post<{ Params: { format: string }; Body: Body }>('/requests.:format', { schema: { hide: true } }, async (request, reply) => {
    const format = formatOf(request.params.format);
    const b = request.body ?? {};
    const client = b.api_key ? await activeClient(db.pool, hashSecret(b.api_key, config.secret)) : undefined;
    if (!client) throw new Open311Error(403, 'api_key is missing or not valid');
    const category = (await listCategories(db.pool)).find((c) => c.code === b.service_code);
    if (!category) throw new Open311Error(400, 'service_code is missing or not valid');
    if (!b.description || b.description.trim().length < 10) throw new Open311Error(400, 'description is required (10 characters or more)');
    if (!b.phone) throw new Open311Error(400, 'phone is required: the citizen is sent a tracking code and an answer by SMS');
    refuseUnsupported(b);
    const point = coordinates(b);
    const addressText = b.address_string?.trim().slice(0, 300) || undefined;
    const countyId = idField(b, 'attribute[county_id]') ?? idField(b, 'address_id');
    if (!point && !addressText && idField(b, 'address_id') === undefined) {
      throw new Open311Error(400, 'a location is required: lat and long, address_string, or address_id');
    }
    const agencyId = idField(b, 'attribute[agency_id]');
    const provinceId = countyId === undefined && point ? await provinceAt(db.pool, point) : undefined;
    if (agencyId !== undefined && countyId === undefined && provinceId === undefined) {
      throw new Open311Error(400, 'the agency needs a place in Iran: attribute[county_id] or address_id, or lat/long inside Iran');
    }
    const name = [b.first_name, b.last_name].filter(Boolean).join(' ');
    const input: IntakeInput = {
      channel: 'open311',
      ...(agencyId !== undefined ? { agencyId } : { officeText: (addressText ?? 'نامشخص (Open311)').slice(0, 200) }),
      ...(countyId !== undefined ? { countyId } : provinceId !== undefined ? { provinceId } : {}),
      categoryId: category.id,
      description: b.description,
      ...(point ? { location: { ...point, ...(addressText ? { text: addressText } : {}) } } : {}),
      contact: { phone: b.phone, ...(name ? { name: name.slice(0, 120) } : {}) },
      ...(b['attribute[named_employee]'] ? { namedEmployee: b['attribute[named_employee]'] } : {}),
      publicListing: b['attribute[public]'] === 'true',
      // Identity reaches the agency only with consent (default off): attribute[share_identity]=true.
      shareIdentity: b['attribute[share_identity]'] === 'true',
    };
    const result = await submitComplaint(db, input, {
      actor: { kind: 'citizen', id: null },
      publicUrl: config.publicUrl,
      // The filing's time is the injected clock's, as on the web form (core/clock.ts).
      clock: config.clock,
      joinWindowHours: config.caseJoinHours,
      ...(b.device_id ? { idempotencyKey: `open311-${client.id}-${b.device_id}`.slice(0, 100) } : {}),
    });
    const publicId = await publicIdOf(db.pool, result.id);
    return send(reply, format, 'service_requests', 'request', [
      {
        service_request_id: publicId,
        token: result.id,
        service_notice: result.referredTo ? `ارجاع به ${result.referredTo.name}` : 'در انتظار ارجاع توسط مرکز ۱۲۸',
        account_id: '',
      },
    ]);
  });
};
