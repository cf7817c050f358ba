import type { NewComplaint } from '../complaints/store.ts';
import { complaintScope, type StaffPrincipal } from '../core/scope.ts';
import type { Queryable } from '../db/database.ts';
import type { StoredEvent } from '../domain/event-chain.ts';
import type { ComplaintState, Status } from '../domain/lifecycle.ts';
import type { NamedEmployee } from '../domain/named-employee.ts';
import type { OutboxRow } from '../notifications/outbox.ts';
import type { TimerRow } from '../sla/plan.ts';
import { EVENT_RECORD, eventsParameter } from './store.ts';

/*
 * The write side of the complaint row: lock it, move its projection and its chain head, always
 * conditional on the state and head a change was decided from. Every writer shares it (intake's
 * commands, the SLA sweeper, attachments, named employees), so it lives below them all, beside
 * the event chain it moves with; the staff read side stays in complaints/store.ts.
 */

/** The lifecycle state plus the chain head, locked for the rest of the transaction. */
export interface LockedComplaint extends ComplaintState {
  id: string;
  trackingCode: string;
  confidential: boolean;
  lastSeq: number;
  headHash: string;
  slaPolicyId: number | null;
  firstActionAt: string | null;
  unitPath: string | null;
}

const STATE_COLUMNS = `c.id, c.tracking_code AS "trackingCode", c.status, c.unit_id AS "unitId", c.agency_id AS "agencyId",
  c.category_id AS "categoryId", c.assignee_id AS "assigneeId", c.due_at AS "dueAt", c.answer, c.answered_at AS "answeredAt",
  c.closed_at AS "closedAt", c.outcome, c.reopen_count AS "reopenCount", c.escalation_count AS "escalationCount",
  c.dissatisfied_count AS "dissatisfiedCount", c.province_id AS "provinceId", c.county_id AS "countyId",
  c.confidential, c.last_seq AS "lastSeq", c.head_hash AS "headHash", c.sla_policy_id AS "slaPolicyId",
  c.first_action_at AS "firstActionAt", c.unit_path AS "unitPath", c.merged_into_id AS "mergedIntoId"`;

function isoState<T extends { dueAt: unknown; answeredAt: unknown; closedAt: unknown; firstActionAt: unknown }>(row: T): T {
  const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : (v as string | null));
  return { ...row, dueAt: iso(row.dueAt), answeredAt: iso(row.answeredAt), closedAt: iso(row.closedAt), firstActionAt: iso(row.firstActionAt) };
}

/**
 * Locks a complaint for a state change. With a principal, the scope is part of the query:
 * a complaint outside it is simply not found.
 */
export async function lockComplaint(db: Queryable, id: string, user: StaffPrincipal | null): Promise<LockedComplaint | null> {
  const params: unknown[] = [id];
  const scope = user ? complaintScope(user, params) : 'TRUE';
  const { rows } = await db.query<LockedComplaint>(`SELECT ${STATE_COLUMNS} FROM complaints c WHERE c.id = $1 AND ${scope} FOR UPDATE`, params);
  return rows[0] ? isoState(rows[0]) : null;
}

export async function lockComplaintByCode(db: Queryable, trackingCode: string): Promise<LockedComplaint | null> {
  const { rows } = await db.query<LockedComplaint>(`SELECT ${STATE_COLUMNS} FROM complaints c WHERE c.tracking_code = $1 FOR UPDATE`, [trackingCode]);
  return rows[0] ? isoState(rows[0]) : null;
}

/**
 * The rule for moving a complaint between provinces, as SQL on the row being updated: the new
 * unit ($5) is national (no province), or in the province the complaint is in now (its current
 * unit's, else its own place's). Only the 128 centre and the national admin may break it.
 */
const SAME_PROVINCE = `(
  (SELECT province_id FROM units WHERE id = $5) IS NULL
  OR COALESCE((SELECT province_id FROM units WHERE id = complaints.unit_id), complaints.province_id) IS NULL
  OR (SELECT province_id FROM units WHERE id = $5) = COALESCE((SELECT province_id FROM units WHERE id = complaints.unit_id), complaints.province_id))`;

/** Whether moving complaint `id` to unit `toUnitId` keeps it in its province (the rule above). */
export async function staysInProvince(db: Queryable, id: string, toUnitId: number): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 FROM complaints WHERE id = $1 AND ${SAME_PROVINCE.replaceAll('$5', '$2')}`, [id, toUnitId]);
  return rows.length === 1;
}

/** The SLA columns a change sets on the row (undefined: unchanged; the policy is kept once set). */
export interface SlaColumns {
  slaPolicyId?: number | null;
  firstActionDueAt?: string | null | undefined;
  firstActionAt?: string | undefined;
}

/**
 * Writes the new projection of a complaint, with its SLA columns. Conditional on the status and
 * chain head it was decided from, so a change decided on stale data touches nothing (returns
 * false). Fires the search-vector (005) and rollup-delta (014) triggers on `complaints`.
 */
export async function updateProjection(
  db: Queryable,
  id: string,
  from: { status: Status; lastSeq: number },
  state: ComplaintState,
  head: { seq: number; hash: string },
  at: Date,
  guard: { sameProvince: boolean } = { sameProvince: false },
  sla: SlaColumns = {},
): Promise<boolean> {
  const result = await db.query(
    `UPDATE complaints SET status = $4, unit_id = $5, unit_path = (SELECT path FROM units WHERE id = $5), agency_id = $6,
       category_id = $7, assignee_id = $8, due_at = $9, answer = $10, answered_at = $11, closed_at = $12, outcome = $13,
       reopen_count = $14, escalation_count = $15, dissatisfied_count = $16, last_seq = $17, head_hash = $18, updated_at = $19,
       urgent = CASE WHEN $7::int IS DISTINCT FROM category_id THEN COALESCE((SELECT urgent FROM categories WHERE id = $7), urgent) ELSE urgent END,
       province_id = $20, county_id = $21,
       merged_into_id = $22, sla_policy_id = COALESCE(sla_policy_id, $24),
       first_action_due_at = CASE WHEN $25 THEN $26::timestamptz ELSE first_action_due_at END,
       first_action_at = COALESCE(first_action_at, $27::timestamptz)
     WHERE id = $1 AND status = $2 AND last_seq = $3 AND (NOT $23::boolean OR ${SAME_PROVINCE})`,
    [
      id,
      from.status,
      from.lastSeq,
      state.status,
      state.unitId,
      state.agencyId,
      state.categoryId,
      state.assigneeId,
      state.dueAt,
      state.answer,
      state.answeredAt,
      state.closedAt,
      state.outcome,
      state.reopenCount,
      state.escalationCount,
      state.dissatisfiedCount,
      head.seq,
      head.hash,
      at,
      state.provinceId,
      state.countyId,
      state.mergedIntoId,
      guard.sameProvince,
      sla.slaPolicyId ?? null,
      sla.firstActionDueAt !== undefined,
      sla.firstActionDueAt ?? null,
      sla.firstActionAt ?? null,
    ],
  );
  return result.rowCount === 1;
}

/** Complaints this transaction has already locked (the sweeper locks a batch at once), by id. */
export async function readLockedComplaints(db: Queryable, ids: string[]): Promise<LockedComplaint[]> {
  const { rows } = await db.query<LockedComplaint>({
    name: 'complaints-read-locked',
    text: `SELECT ${STATE_COLUMNS} FROM complaints c WHERE c.id = ANY($1::uuid[])`,
    values: [ids],
  });
  return rows.map(isoState);
}

/** One complaint's new projection in a batch: what `updateProjection` writes, plus the SLA columns. */
export interface ProjectionWrite {
  id: string;
  from: { status: Status; lastSeq: number };
  state: ComplaintState;
  head: { seq: number; hash: string };
  at: string;
  /** False when only the chain head moves (a warning): `updated_at` stays. */
  stateChanged: boolean;
  /** Breaches recorded now, added to `breach_count`. */
  breaches: number;
  /** Set when the complaint had no policy yet (kept if it has one). */
  slaPolicyId: number | null;
  /** A new first-action deadline (undefined: unchanged). */
  firstActionDueAt?: string | null | undefined;
  firstActionAt?: string | undefined;
}

/**
 * Writes many projections in one statement, each conditional on the status and chain head it was
 * decided from, like `updateProjection`. Returns how many rows it wrote: fewer means a change
 * was decided on stale data, and the caller must roll back.
 */
export async function writeProjections(db: Queryable, rows: ProjectionWrite[]): Promise<number> {
  if (rows.length === 0) return 0;
  const values = rows.map((r) => ({
    id: r.id,
    fromStatus: r.from.status,
    fromSeq: r.from.lastSeq,
    ...r.state,
    lastSeq: r.head.seq,
    headHash: r.head.hash,
    at: r.at,
    stateChanged: r.stateChanged,
    breaches: r.breaches,
    slaPolicyId: r.slaPolicyId,
    setFirstActionDue: r.firstActionDueAt !== undefined,
    firstActionDueAt: r.firstActionDueAt ?? null,
    firstActionAt: r.firstActionAt ?? null,
  }));
  const result = await db.query({
    name: 'complaints-write-projections',
    text: `UPDATE complaints c SET status = v.status, unit_id = v."unitId", unit_path = u.path, agency_id = v."agencyId",
             category_id = v."categoryId", assignee_id = v."assigneeId", due_at = v."dueAt", answer = v.answer, answered_at = v."answeredAt",
             closed_at = v."closedAt", outcome = v.outcome, reopen_count = v."reopenCount", escalation_count = v."escalationCount",
             dissatisfied_count = v."dissatisfiedCount", last_seq = v."lastSeq", head_hash = v."headHash",
             updated_at = CASE WHEN v."stateChanged" THEN v.at ELSE c.updated_at END,
             province_id = v."provinceId", county_id = v."countyId", merged_into_id = v."mergedIntoId",
             urgent = CASE WHEN v."categoryId" IS DISTINCT FROM c.category_id THEN COALESCE((SELECT urgent FROM categories WHERE id = v."categoryId"), c.urgent)
                           ELSE c.urgent END, breach_count = c.breach_count + v.breaches,
             sla_policy_id = COALESCE(c.sla_policy_id, v."slaPolicyId"),
             first_action_due_at = CASE WHEN v."setFirstActionDue" THEN v."firstActionDueAt" ELSE c.first_action_due_at END,
             first_action_at = COALESCE(c.first_action_at, v."firstActionAt")
           FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, "fromStatus" text, "fromSeq" int, status text, "unitId" int, "agencyId" int,
             "categoryId" int, "assigneeId" int, "dueAt" timestamptz, answer text, "answeredAt" timestamptz, "closedAt" timestamptz,
             outcome text, "reopenCount" int, "escalationCount" int, "dissatisfiedCount" int, "lastSeq" int, "headHash" text,
             at timestamptz, "stateChanged" boolean, "provinceId" int, "countyId" int, "mergedIntoId" uuid, breaches int, "slaPolicyId" int,
             "setFirstActionDue" boolean, "firstActionDueAt" timestamptz, "firstActionAt" timestamptz)
           LEFT JOIN units u ON u.id = v."unitId"
           WHERE c.id = v.id AND c.status = v."fromStatus" AND c.last_seq = v."fromSeq"`,
    values: [JSON.stringify(values)],
  });
  return result.rowCount ?? 0;
}

/** The employee a complaint names (null: none). Read inside the transaction that locked the row. */
export async function getNamedEmployee(db: Queryable, id: string): Promise<NamedEmployee | null> {
  const { rows } = await db.query<{ key: string | null; text: string | null; salt: string | null }>(
    'SELECT named_employee AS key, named_employee_text AS text, named_employee_salt AS salt FROM complaints WHERE id = $1',
    [id],
  );
  const row = rows[0];
  return row?.key && row.text && row.salt ? { key: row.key, text: row.text, salt: row.salt } : null;
}

/** Writes the named employee with the chain head of its event, conditional on the head it was decided from. */
export async function writeNamedEmployee(
  db: Queryable,
  id: string,
  value: NamedEmployee | null,
  lastSeq: number,
  head: { seq: number; hash: string },
): Promise<boolean> {
  const result = await db.query(
    `UPDATE complaints SET named_employee = $3, named_employee_text = $4, named_employee_salt = $7, last_seq = $5, head_hash = $6
     WHERE id = $1 AND last_seq = $2`,
    [id, lastSeq, value?.key ?? null, value?.text ?? null, head.seq, head.hash, value?.salt ?? null],
  );
  return result.rowCount === 1;
}

/** Moves only the chain head (for events that change no state, such as an audited read). */
export async function updateHead(db: Queryable, id: string, lastSeq: number, head: { seq: number; hash: string }): Promise<boolean> {
  const result = await db.query('UPDATE complaints SET last_seq = $3, head_hash = $4 WHERE id = $1 AND last_seq = $2', [id, lastSeq, head.seq, head.hash]);
  return result.rowCount === 1;
}

/**
 * Sets the incident the complaint's public status shows (migration 047): the one of its newest
 * link that is current or was ended by the incident's closing. Called after every change to a
 * complaint's incident links, in the same transaction; closing an incident keeps its links shown.
 */
export async function refreshShownIncident(db: Queryable, complaintId: string): Promise<void> {
  await db.query(
    `UPDATE complaints c SET shown_incident_id = (SELECT l.incident_id FROM incident_links l
        WHERE l.complaint_id = c.id AND (l.ended_at IS NULL OR l.ended_how = 'closed') ORDER BY l.linked_at DESC, l.id DESC LIMIT 1)
      WHERE c.id = $1`,
    [complaintId],
  );
}

/** The path of a unit (null: none). */
export async function unitPathOf(db: Queryable, unitId: number | null): Promise<string | null> {
  if (unitId === null) return null;
  const { rows } = await db.query<{ path: string }>('SELECT path FROM units WHERE id = $1', [unitId]);
  return rows[0]?.path ?? null;
}

/** Open complaints referred to units in this subtree: their unit_path follows a moved unit. */
export async function refreshComplaintPaths(db: Queryable, unitPath: string): Promise<void> {
  await db.query(
    `UPDATE complaints c SET unit_path = u.path FROM units u
     WHERE c.unit_id = u.id AND u.path LIKE $1 || '%' AND c.unit_path IS DISTINCT FROM u.path`,
    [unitPath],
  );
}

/** The intake statement of insertComplaint: the complaint and everything it starts with, in one round trip. */
const INTAKE_WRITE = `WITH complaint AS (
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
           ), events AS (
             INSERT INTO complaint_events (complaint_id, seq, type, actor_kind, actor_id, data, created_at, prev_hash, hash, key_id)
             SELECT complaint.id, e.seq, e.type, e.actor_kind, e.actor_id, e.data, e.created_at, e.prev_hash, e.hash, e.key_id
             FROM complaint, jsonb_to_recordset($31::jsonb) AS e(${EVENT_RECORD})
             RETURNING id
           )
           -- The live notification of the unit of work, in the same statement (see announceEvents).
           SELECT pg_notify($45, 'e' || string_agg(id::text, ',' ORDER BY id)) FROM events`;

/**
 * Writes a new complaint in its final intake state — the row, the contact and its first events —
 * as ONE statement: atomic without BEGIN/COMMIT, and durable when it returns. The unit of work
 * (unit-of-work.ts) calls it; it fires the search-vector (005) and rollup-delta (014) triggers.
 */
export async function insertComplaint(
  db: Queryable,
  c: NewComplaint,
  state: ComplaintState,
  unitPath: string | null,
  head: { seq: number; hash: string },
  contact: { phone: string; name: string | null; nationalId: string | null },
  events: StoredEvent[],
  sla: { policyId: number | null; firstActionDueAt: string | null; timers: TimerRow[] },
  outbox: OutboxRow[],
  liveChannel: string,
): Promise<void> {
  await db.query({
    name: 'intake-write',
    text: INTAKE_WRITE,
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
      JSON.stringify(sla.timers),
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
      liveChannel,
    ],
  });
}

/** The case a complaint was merged into (null: none), read before locking both in id order. */
export async function mergedIntoOf(db: Queryable, id: string): Promise<string | null> {
  const { rows } = await db.query<{ mergedIntoId: string | null }>('SELECT merged_into_id AS "mergedIntoId" FROM complaints WHERE id = $1', [id]);
  return rows[0]?.mergedIntoId ?? null;
}
