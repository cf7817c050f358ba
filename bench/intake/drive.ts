import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import type pg from 'pg';
import { percentile } from '../lib.ts';
import { CONNECTIONS } from './settings.ts';
import { complaintAt, requestBody, type Workload } from './workload.ts';

// ── Measurements ─────────────────────────────────────────────────────────────────────────────

export interface Measure {
  ok: number;
  failed: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

export function measure(latencies: number[], failed: number, seconds: number): Measure {
  const sorted = Float64Array.from(latencies).sort();
  return { ok: latencies.length, failed, seconds, perSecond: latencies.length / seconds, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

export interface HttpRun {
  measure: Measure;
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
}

/** Drives POST /api/v1/complaints for `seconds`; complaint numbers come from `next`. */
export function runHttp(base: string, seconds: number, w: Workload, next: () => number): Promise<HttpRun> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const started = performance.now();
    const instance = autocannon(
      {
        url: `${base}/api/v1/complaints`,
        connections: CONNECTIONS,
        duration: seconds,
        timeout: 30,
        requests: [
          {
            method: 'POST',
            path: '/api/v1/complaints',
            setupRequest: (request) => {
              const i = next();
              return {
                ...request,
                method: 'POST',
                headers: { ...request.headers, 'content-type': 'application/json', 'idempotency-key': `bench-h-${i}` },
                body: requestBody(complaintAt(w, i)),
              };
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        const elapsed = (performance.now() - started) / 1000;
        const statusCodes: Record<string, number> = {};
        for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = Number(stat.count);
        const total = Object.values(statusCodes).reduce((a, b) => a + b, 0);
        resolve({
          measure: measure(latencies, total - latencies.length + result.errors, elapsed),
          statusCodes,
          errors: result.errors,
          timeouts: result.timeouts,
        });
      },
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status === 201) latencies.push(ms);
    });
  });
}

export const hex64 = (tag: string, i: number) => tag + i.toString(16).padStart(63, '0');

/** The values of one raw complaint: the same agency, unit, county, category, text and phone as HTTP complaint `i`. */
function rawComplaint(w: Workload, i: number) {
  const c = complaintAt(w, i);
  const now = new Date();
  const trackingCode = `9${String(i).padStart(11, '0')}`;
  const dueAt = new Date(now.getTime() + c.category.answerHours * 3_600_000).toISOString();
  const description = w.stored[c.description]!;
  const { agency, unit, provinceId, countyId } = c.target;
  const received = {
    trackingCode,
    channel: 'web',
    agencyId: agency.id,
    officeText: null,
    provinceId,
    countyId,
    categoryId: c.category.id,
    serviceId: null,
    urgent: c.category.urgent,
    description,
    location: null,
    confidential: false,
    language: 'fa',
    country: 'IR',
  };
  const referred = { unitId: unit.id, agencyId: agency.id, categoryId: c.category.id, dueAt };
  return {
    i,
    id: randomUUID(),
    now,
    trackingCode,
    dueAt,
    description,
    c,
    agency,
    unit,
    provinceId,
    countyId,
    received,
    referred,
    phone: `+98${c.phone.slice(1)}`,
  };
}

type RawComplaint = ReturnType<typeof rawComplaint>;

/** The complaint row in its final `referred` state, its contact and its two events (precomputed hash strings). */
async function insertComplaint(client: pg.PoolClient, r: RawComplaint): Promise<void> {
  const genesis = '0'.repeat(64);
  const first = hex64('b', r.i);
  const head = hex64('c', r.i);
  await client.query(
    `INSERT INTO complaints (id, tracking_code, channel, status, agency_id, unit_id, unit_path, office_text, province_id, county_id,
       category_id, service_id, urgent, description, location_lat, location_lng, location_text, confidential, language, country,
       operator_id, idempotency_key, request_hash, due_at, last_seq, head_hash, created_at, updated_at)
     VALUES ($1, $2, 'web', 'referred', $3, $4, $5, NULL, $6, $7, $8, NULL, $9, $10, NULL, NULL, NULL, false, 'fa', 'IR',
       NULL, $11, $12, $13, 2, $14, $15, $15)`,
    [
      r.id,
      r.trackingCode,
      r.agency.id,
      r.unit.id,
      r.unit.path,
      r.provinceId,
      r.countyId,
      r.c.category.id,
      r.c.category.urgent,
      r.description,
      `web:bench-b-${r.i}`,
      hex64('a', r.i),
      r.dueAt,
      head,
      r.now,
    ],
  );
  await client.query('INSERT INTO complainant_contacts (complaint_id, phone, name, national_id) VALUES ($1, $2, NULL, NULL)', [r.id, r.phone]);
  await client.query(
    `INSERT INTO complaint_events (complaint_id, seq, type, actor_kind, actor_id, data, created_at, prev_hash, hash)
     VALUES ($1, 1, 'received', 'citizen', NULL, $2, $3, $4, $5), ($1, 2, 'referred', 'citizen', NULL, $6, $3, $5, $7)`,
    [r.id, JSON.stringify(r.received), r.now, genesis, first, JSON.stringify(r.referred), head],
  );
}

/** Intake also starts the SLA clocks and writes the messages its events cause: the same rows here. */
async function insertTimersAndOutbox(client: pg.PoolClient, r: RawComplaint): Promise<void> {
  const { id, dueAt, unit, trackingCode } = r;
  await client.query(
    `INSERT INTO sla_timers (complaint_id, kind, stage, fraction, fire_at, due_at, unit_id, later)
     SELECT $1, v.kind, 'warning', 0.5, $2::timestamptz, $2::timestamptz, $3,
       jsonb_build_array(jsonb_build_object('kind', v.kind, 'stage', 'warning', 'fraction', 0.8, 'fireAt', $2::timestamptz, 'dueAt', $2::timestamptz, 'unitId', $3::int),
                         jsonb_build_object('kind', v.kind, 'stage', 'breach', 'fraction', 1, 'fireAt', $2::timestamptz, 'dueAt', $2::timestamptz, 'unitId', $3::int))
     FROM (VALUES ('first_action'), ('answer')) AS v(kind)`,
    [id, dueAt, unit.id],
  );
  await client.query(
    `INSERT INTO outbox (complaint_id, event_seq, template, channel, recipient_user_id, recipient_address, language, body, sms_parts, delivery_key)
     VALUES ($1, 1, 'citizen_received', 'sms', NULL, $2, 'fa', $3, 2, $4)`,
    [id, r.phone, `شکایت شما در سامانهٔ ۱۲۸ ثبت شد. کد رهگیری: ${trackingCode}`, `${id}:1:citizen_received:citizen`],
  );
  if (unit.inspectionHeadId) {
    await client.query(
      `INSERT INTO outbox (complaint_id, event_seq, template, channel, recipient_user_id, recipient_address, language, body, sms_parts, delivery_key)
       VALUES ($1, 2, 'staff_new_referral', 'web', $2, NULL, 'fa', $3, NULL, $4)`,
      [id, unit.inspectionHeadId, `شکایت تازهٔ ${trackingCode} به ${unit.nameFa} ارجاع شد.`, `${id}:2:staff_new_referral:staff:${unit.inspectionHeadId}`],
    );
  }
}

/** One complaint as intake leaves it, written directly in one transaction: complaint row, contact, received + referred events, timers, outbox. */
export async function insertRaw(pool: pg.Pool, w: Workload, i: number): Promise<void> {
  const r = rawComplaint(w, i);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await insertComplaint(client, r);
    await insertTimersAndOutbox(client, r);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export async function runBaseline(pool: pg.Pool, seconds: number, w: Workload, next: () => number): Promise<{ measure: Measure; firstError: unknown }> {
  const latencies: number[] = [];
  let failed = 0;
  let firstError: unknown = null;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const i = next();
      const t0 = performance.now();
      try {
        await insertRaw(pool, w, i);
        latencies.push(performance.now() - t0);
      } catch (error) {
        failed++;
        firstError ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  return { measure: measure(latencies, failed, (performance.now() - started) / 1000), firstError };
}
