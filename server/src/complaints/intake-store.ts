import type { Unit } from '../agencies/store.ts';
import type { Queryable } from '../db/database.ts';
import type { StoredEvent } from '../domain/event-chain.ts';
import type { ComplaintState } from '../domain/lifecycle.ts';
import { EVENT_RECORD, eventsParameter } from '../events/store.ts';
import type { OutboxRow } from '../notifications/outbox.ts';
import { type TimerPlan, timerRows } from '../sla/plan.ts';
import type { NewComplaint } from './store.ts';

/** Everything intake must know about the references in a complaint, read in one round trip. */
export interface IntakeContext {
  /** The resolved place: null when the province (or the county in it) does not exist. */
  place: { provinceId: number; countyId: number | null } | null;
  agency: Unit | null;
  category: { id: number; urgent: boolean; answerHours: number; active: boolean } | null;
  service: { id: number; agencyId: number; active: boolean } | null;
  /** Routing candidates: active county offices / provincial directorates for the place in the agency's subtree. */
  candidates: Unit[];
}

const UNIT_JSON = `json_build_object('id', u.id, 'code', u.code, 'parentId', u.parent_id, 'kind', u.kind, 'nameFa', u.name_fa,
  'nameEn', u.name_en, 'provinceId', u.province_id, 'countyId', u.county_id, 'path', u.path, 'depth', u.depth,
  'active', u.active, 'inspectionHeadId', u.inspection_head_id)`;

/**
 * One query for the place, the agency, the category, the service and the routing candidates.
 * Intake is the hot path: reading these separately cost five round trips per complaint.
 */
export async function loadIntakeContext(
  db: Queryable,
  ref: {
    provinceId: number | null;
    countyId: number | null;
    agencyId: number | null;
    categoryId: number | null;
    serviceId: number | null;
  },
): Promise<IntakeContext> {
  const { rows } = await db.query<IntakeContext>({
    name: 'intake-context',
    text: `WITH place AS (
             SELECT p.id AS "provinceId", c.id AS "countyId"
             FROM provinces p LEFT JOIN counties c ON c.id = $2 AND c.province_id = p.id
             WHERE p.id = COALESCE($1::int, (SELECT province_id FROM counties WHERE id = $2))
               AND ($2::int IS NULL OR c.id IS NOT NULL)
           ), agency AS (SELECT * FROM units WHERE id = $3)
           SELECT
             (SELECT row_to_json(place) FROM place) AS place,
             (SELECT ${UNIT_JSON} FROM agency u) AS agency,
             (SELECT json_build_object('id', id, 'urgent', urgent, 'answerHours', answer_hours, 'active', active) FROM categories WHERE id = $4) AS category,
             (SELECT json_build_object('id', id, 'agencyId', agency_id, 'active', active) FROM services WHERE id = $5) AS service,
             COALESCE((SELECT json_agg(${UNIT_JSON}) FROM units u, agency a, place
               WHERE u.active AND u.path LIKE a.path || '%' AND u.id <> a.id
                 AND ((u.kind = 'county_office' AND u.county_id = place."countyId")
                   OR (u.kind = 'provincial_directorate' AND u.province_id = place."provinceId"))), '[]') AS candidates`,
    values: [ref.provinceId, ref.countyId, ref.agencyId, ref.categoryId, ref.serviceId],
  });
  return rows[0]!;
}

/**
 * Writes a new complaint in its final intake state — the row, the contact and its first events —
 * as ONE statement: atomic without BEGIN/COMMIT, and durable when it returns.
 */
export async function insertIntake(
  db: Queryable,
  c: NewComplaint,
  state: ComplaintState,
  unitPath: string | null,
  head: { seq: number; hash: string },
  contact: { phone: string; name: string | null; nationalId: string | null },
  events: StoredEvent[],
  sla: { policyId: number | null; firstActionDueAt: string | null; timers: TimerPlan[] },
  outbox: OutboxRow[],
): Promise<void> {
  await db.query({
    name: 'intake-write',
    text: `WITH complaint AS (
             INSERT INTO complaints (id, tracking_code, channel, status, agency_id, unit_id, unit_path, office_text, province_id,
               county_id, category_id, service_id, urgent, description, location_lat, location_lng, location_text, confidential,
               language, country, due_at, operator_id, idempotency_key, request_hash, last_seq, head_hash, created_at, updated_at,
               sla_policy_id, first_action_due_at, reply_channel, reply_address, named_employee, named_employee_text,
               named_employee_salt, case_of_id, phone_verified, share_identity, public_listing)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24,
               $25, $26, $27, $27, $32, $33, $36, $37, $38, $39, $40, $41, $42, $43, $44)
             RETURNING id
           ), contact AS (
             INSERT INTO complainant_contacts (complaint_id, phone, name, national_id) SELECT id, $28, $29, $30 FROM complaint
           ), timers AS (
             INSERT INTO sla_timers (complaint_id, kind, stage, fraction, fire_at, due_at, unit_id, later)
             SELECT complaint.id, t.kind, t.stage, t.fraction, t."fireAt", t."dueAt", t."unitId", t.later
             FROM complaint, jsonb_to_recordset($34::jsonb) AS t(kind text, stage text, fraction numeric, "fireAt" timestamptz, "dueAt" timestamptz, "unitId" int, later jsonb)
           ), messages AS (
             INSERT INTO outbox (complaint_id, event_seq, template, channel, recipient_user_id, recipient_address, language, body, sms_parts, delivery_key, next_attempt_at)
             SELECT complaint.id, r."eventSeq", r.template, r.channel, r."recipientUserId", r."recipientAddress", r.language, r.body, r."smsParts", r."deliveryKey",
                    COALESCE(r."sendAfter", now())
             FROM complaint, jsonb_to_recordset($35::jsonb) AS r("eventSeq" int, template text, channel text, "recipientUserId" int,
               "recipientAddress" text, language text, body text, "smsParts" int, "deliveryKey" text, "sendAfter" timestamptz)
           )
           INSERT INTO complaint_events (complaint_id, seq, type, actor_kind, actor_id, data, created_at, prev_hash, hash, key_id)
           SELECT complaint.id, e.seq, e.type, e.actor_kind, e.actor_id, e.data, e.created_at, e.prev_hash, e.hash, e.key_id
           FROM complaint, jsonb_to_recordset($31::jsonb) AS e(${EVENT_RECORD})`,
    values: [
      c.id,
      c.trackingCode,
      c.channel,
      state.status,
      state.agencyId,
      state.unitId,
      unitPath,
      c.officeText,
      c.provinceId,
      c.countyId,
      state.categoryId,
      c.serviceId,
      c.urgent,
      c.description,
      c.location?.lat ?? null,
      c.location?.lng ?? null,
      c.location?.text ?? null,
      c.confidential,
      c.language,
      c.country,
      state.dueAt,
      c.operatorId,
      c.idempotencyKey,
      c.requestHash,
      head.seq,
      head.hash,
      c.createdAt,
      contact.phone,
      contact.name,
      contact.nationalId,
      eventsParameter(events),
      sla.policyId,
      sla.firstActionDueAt,
      JSON.stringify(timerRows(sla.timers)),
      JSON.stringify(outbox),
      c.reply?.channel ?? null,
      c.reply?.address ?? null,
      c.namedEmployee?.key ?? null,
      c.namedEmployee?.text ?? null,
      c.namedEmployee?.salt ?? null,
      c.caseOfId,
      c.phoneVerified,
      c.shareIdentity,
      c.publicListing ?? false,
    ],
  });
}
