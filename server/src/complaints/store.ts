import { complaintScope, type StaffPrincipal } from '../core/scope.ts';
import { param } from '../core/sql-param.ts';
import type { Queryable } from '../db/database.ts';
import { AWAITING_STAFF_STATUSES, type Status } from '../domain/lifecycle.ts';
import type { NamedEmployee } from '../domain/named-employee.ts';
import { searchForm } from '../domain/persian-text.ts';

export interface NewComplaint {
  id: string;
  trackingCode: string;
  channel: string;
  agencyId: number | null;
  officeText: string | null;
  provinceId: number | null;
  countyId: number | null;
  categoryId: number | null;
  serviceId: number | null;
  urgent: boolean;
  description: string;
  location: { lat: number; lng: number; text: string | null } | null;
  confidential: boolean;
  /** The citizen's consent to a public listing (Open311). */
  publicListing?: boolean;
  language: 'fa' | 'en';
  country: string;
  operatorId: number | null;
  idempotencyKey: string | null;
  requestHash: string | null;
  createdAt: Date;
  reply?: { channel: 'telegram' | 'bale'; address: string } | null;
  /** The employee the citizen named: the text inspectors read and the key hotspots group by. */
  namedEmployee?: NamedEmployee | null;
  /** The open case this complaint was linked to at intake (link-case.ts). */
  caseOfId: string | null;
  /** The phone was proved by who sent it, not only typed. */
  phoneVerified: boolean;
  /** The citizen agreed that the agency may see their name and phone. */
  shareIdentity: boolean;
}

export async function findByIdempotencyKey(db: Queryable, key: string): Promise<{ id: string; requestHash: string | null } | null> {
  const { rows } = await db.query<{ id: string; requestHash: string | null }>(
    'SELECT id, request_hash AS "requestHash" FROM complaints WHERE idempotency_key = $1',
    [key],
  );
  return rows[0] ?? null;
}

export interface ComplaintFilter {
  /** The injected clock's time, for `overdue` (core/clock.ts). */
  now: Date;
  status?: Status[] | undefined;
  agencyId?: number | undefined;
  unitId?: number | undefined;
  provinceId?: number | undefined;
  countyId?: number | undefined;
  categoryId?: number | undefined;
  channel?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  overdue?: boolean | undefined;
  assignedToMe?: boolean | undefined;
  escalated?: boolean | undefined;
  dissatisfied?: boolean | undefined;
  triage?: boolean | undefined;
  trackingCode?: string | undefined;
  /** The grouping key of a named employee (see domain/named-employee.ts). */
  namedEmployeeKey?: string | undefined;
  q?: string | undefined;
  sort: 'due' | 'newest' | 'oldest';
  limit: number;
  offset: number;
  /** Count up to this many (default LIST_COUNT_CAP). */
  countCap?: number | undefined;
}

export interface ComplaintListItem {
  id: string;
  trackingCode: string;
  status: Status;
  channel: string;
  urgent: boolean;
  confidential: boolean;
  agency: { id: number; nameFa: string } | null;
  unit: { id: number; nameFa: string } | null;
  officeText: string | null;
  provinceId: number | null;
  provinceNameFa: string | null;
  countyId: number | null;
  countyNameFa: string | null;
  categoryId: number | null;
  categoryNameFa: string | null;
  assigneeId: number | null;
  assigneeName: string | null;
  dueAt: string | null;
  overdue: boolean;
  createdAt: string;
  updatedAt: string;
  excerpt: string;
}

/** The condition "still awaiting staff" (alias `c`), its statuses appended to `params` as one array. */
function awaitingStaff(params: unknown[]): string {
  return `c.status = ANY(${param(params, [...AWAITING_STAFF_STATUSES])}::text[])`;
}

/**
 * How far the inbox counts: beyond it the page says "more than N". An exact count at a national
 * scope is a pass over every complaint in it (a million for a big province's supervisor).
 */
export const LIST_COUNT_CAP = 10_000;

/** The WHERE conditions of a staff list (alias `c`), the scope first; parameters appended to `params`. */
function listConditions(user: StaffPrincipal, f: ComplaintFilter, params: unknown[]): string {
  const where = [complaintScope(user, params)];
  const p = (value: unknown) => param(params, value);
  if (f.status?.length) where.push(`c.status = ANY(${p(f.status)}::text[])`);
  if (f.agencyId) where.push(`c.unit_path LIKE (SELECT path FROM units WHERE id = ${p(f.agencyId)}) || '%'`);
  // With a named employee, the unit is the person's office — where the complaint was referred, as the
  // hotspot detector counts it — so an escalated complaint still shows among that person's.
  if (f.unitId) where.push(f.namedEmployeeKey ? `COALESCE(c.responsible_unit_id, c.unit_id) = ${p(f.unitId)}` : `c.unit_id = ${p(f.unitId)}`);
  if (f.provinceId) where.push(`c.province_id = ${p(f.provinceId)}`);
  if (f.countyId) where.push(`c.county_id = ${p(f.countyId)}`);
  if (f.categoryId) where.push(`c.category_id = ${p(f.categoryId)}`);
  if (f.channel) where.push(`c.channel = ${p(f.channel)}`);
  if (f.from) where.push(`c.created_at >= ${p(f.from)}`);
  if (f.to) where.push(`c.created_at < ${p(f.to)}`);
  if (f.overdue) where.push(`${awaitingStaff(params)} AND c.due_at < ${p(f.now.toISOString())}::timestamptz`);
  if (f.assignedToMe) where.push(`c.assignee_id = ${p(user.id)}`);
  if (f.escalated) where.push('c.escalation_count > 0');
  if (f.dissatisfied) where.push('c.dissatisfied_count > 0');
  if (f.triage) where.push(`c.unit_id IS NULL AND c.status = 'received'`);
  if (f.trackingCode) where.push(`c.tracking_code = ${p(f.trackingCode)}`);
  if (f.namedEmployeeKey) where.push(`c.named_employee = ${p(f.namedEmployeeKey)}`);
  if (f.q) where.push(`c.search @@ websearch_to_tsquery('simple', ${p(searchForm(f.q))})`);
  return where.join(' AND ');
}

/**
 * A page of complaints in the user's scope, filtered and sorted in SQL, and how many there are —
 * counted up to `LIST_COUNT_CAP` (`totalCapped`: there are more). The page is chosen from the
 * complaints' own columns first (an index on the scope and the due date serves it, see migration
 * 046) and only its rows are joined; the count stops at the cap, so neither is a pass over a
 * national scope.
 */
export async function listComplaints(
  db: Queryable,
  user: StaffPrincipal,
  f: ComplaintFilter,
): Promise<{ total: number; totalCapped: boolean; items: ComplaintListItem[] }> {
  const params: unknown[] = [];
  const where = listConditions(user, f, params);
  const open = awaitingStaff(params);
  const now = param(params, f.now.toISOString());
  // The count has its own parameter list: a parameter the statement does not use has no type.
  const countParams: unknown[] = [];
  const countWhere = listConditions(user, f, countParams);
  const countCap = f.countCap ?? LIST_COUNT_CAP;
  const cap = param(countParams, countCap + 1);
  const order = { due: 'c.due_at ASC NULLS LAST, c.created_at', newest: 'c.created_at DESC', oldest: 'c.created_at ASC' }[f.sort];
  const limit = param(params, f.limit);
  const offset = param(params, f.offset);
  const [{ rows }, counted] = await Promise.all([
    db.query<ComplaintListItem>(
      `SELECT ${itemColumns(open, now)}
       FROM (SELECT c.* FROM complaints c WHERE ${where} ORDER BY ${order}, c.id LIMIT ${limit} OFFSET ${offset}) c
         ${ITEM_JOINS}
       ORDER BY ${order}, c.id`,
      params,
    ),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM complaints c WHERE ${countWhere} LIMIT ${cap}) x`, countParams),
  ]);
  const n = counted.rows[0]?.n ?? 0;
  return { total: Math.min(n, countCap), totalCapped: n > countCap, items: rows.map((item) => dates(item)) };
}

/** The names a list item's columns (itemColumns) read, joined to `complaints c`. */
const ITEM_JOINS = `LEFT JOIN provinces pr ON pr.id = c.province_id
  LEFT JOIN counties co ON co.id = c.county_id
  LEFT JOIN units a ON a.id = c.agency_id
  LEFT JOIN units u ON u.id = c.unit_id
  LEFT JOIN categories ca ON ca.id = c.category_id
  LEFT JOIN staff_users s ON s.id = c.assignee_id`;

/**
 * The columns of a list item (`ComplaintListItem`), shared by the inbox page and the one-complaint
 * read; `open` and `now` are the parameter placeholders of the awaiting-staff statuses and the clock.
 * Expects the aliases of ITEM_JOINS.
 */
function itemColumns(open: string, now: string): string {
  return `c.id, c.tracking_code AS "trackingCode", c.status, c.channel, c.urgent, c.confidential,
    CASE WHEN a.id IS NULL THEN NULL ELSE json_build_object('id', a.id, 'nameFa', a.name_fa) END AS agency,
    CASE WHEN u.id IS NULL THEN NULL ELSE json_build_object('id', u.id, 'nameFa', u.name_fa) END AS unit,
    c.office_text AS "officeText", c.province_id AS "provinceId", pr.name_fa AS "provinceNameFa",
    c.county_id AS "countyId", co.name_fa AS "countyNameFa", c.category_id AS "categoryId", ca.name_fa AS "categoryNameFa",
    c.assignee_id AS "assigneeId", s.display_name AS "assigneeName", c.due_at AS "dueAt",
    (${open} AND c.due_at < ${now}::timestamptz) AS overdue, c.created_at AS "createdAt", c.updated_at AS "updatedAt",
    left(c.description, 160) AS excerpt`;
}

function dates<T>(row: T): T {
  const out: Record<string, unknown> = { ...(row as Record<string, unknown>) };
  for (const [key, value] of Object.entries(out)) if (value instanceof Date) out[key] = value.toISOString();
  return out as T;
}

export interface ComplaintDetail extends ComplaintListItem {
  description: string;
  location: { lat: number; lng: number; text: string | null } | null;
  serviceId: number | null;
  language: 'fa' | 'en';
  country: string;
  answer: string | null;
  answeredAt: string | null;
  closedAt: string | null;
  outcome: string | null;
  reopenCount: number;
  escalationCount: number;
  dissatisfiedCount: number;
  operatorId: number | null;
  /** The case this complaint was merged into as a duplicate. */
  mergedIntoId: string | null;
  /** The phone was proved by who sent the complaint (operator's call, SMS sender, bot contact). */
  phoneVerified: boolean;
  /** The citizen agreed that the agency may see their name and phone. */
  shareIdentity: boolean;
  /** The employee the citizen named, as written; for inspection roles only (the route leaves it out for others). */
  namedEmployee: string | null;
  lastSeq: number;
  headHash: string;
}

/** One complaint, only if it is in the user's scope (null user: no scope, for citizen and system reads). */
export async function getComplaint(
  db: Queryable,
  by: { id: string } | { trackingCode: string },
  user: StaffPrincipal | null,
  now: Date,
): Promise<ComplaintDetail | null> {
  const params: unknown[] = ['id' in by ? by.id : by.trackingCode];
  const scope = user ? complaintScope(user, params) : 'TRUE';
  const open = awaitingStaff(params);
  // "Overdue" is the injected clock's business time, as in the list (listComplaints).
  const at = param(params, now);
  const { rows } = await db.query<ComplaintDetail & { lat: number | null; lng: number | null; locationText: string | null }>(
    `SELECT ${itemColumns(open, at)}, c.description, c.location_lat AS lat, c.location_lng AS lng,
       c.location_text AS "locationText", c.service_id AS "serviceId", c.language, c.country, c.answer,
       c.answered_at AS "answeredAt", c.closed_at AS "closedAt", c.outcome, c.reopen_count AS "reopenCount",
       c.escalation_count AS "escalationCount", c.dissatisfied_count AS "dissatisfiedCount", c.operator_id AS "operatorId",
       c.merged_into_id AS "mergedIntoId", c.phone_verified AS "phoneVerified", c.share_identity AS "shareIdentity", c.named_employee_text AS "namedEmployee", c.last_seq AS "lastSeq", c.head_hash AS "headHash"
     FROM complaints c
       ${ITEM_JOINS}
     WHERE ${'id' in by ? 'c.id = $1' : 'c.tracking_code = $1'} AND ${scope}`,
    params,
  );
  const row = rows[0];
  if (!row) return null;
  const { lat, lng, locationText, ...rest } = dates(row);
  return { ...rest, location: lat !== null && lng !== null ? { lat, lng, text: locationText } : null };
}

export async function getContact(db: Queryable, complaintId: string): Promise<{ phone: string; name: string | null; nationalId: string | null } | null> {
  const { rows } = await db.query<{ phone: string; name: string | null; nationalId: string | null }>(
    'SELECT phone, name, national_id AS "nationalId" FROM complainant_contacts WHERE complaint_id = $1',
    [complaintId],
  );
  return rows[0] ?? null;
}

/**
 * Who may be assigned a complaint held by `unitId`: active staff of that unit or a unit below it,
 * in a working role. The same rule checks an assignment (staff-actions.ts) and fills the picker.
 */
export const ASSIGNABLE_STAFF = `SELECT s.id, s.display_name AS "displayName", s.role, u.id AS "unitId", u.name_fa AS "unitNameFa"
  FROM staff_users s JOIN units u ON u.id = s.unit_id
  WHERE s.active AND s.role IN ('inspection_head', 'leader_senior', 'leader_middle', 'leader_county', 'responder')
    AND u.path LIKE (SELECT path FROM units WHERE id = $1) || '%'`;

export async function listAssignees(
  db: Queryable,
  unitId: number,
): Promise<{ id: number; displayName: string; role: string; unitId: number; unitNameFa: string }[]> {
  const { rows } = await db.query<{ id: number; displayName: string; role: string; unitId: number; unitNameFa: string }>(
    `${ASSIGNABLE_STAFF} ORDER BY u.path, s.display_name`,
    [unitId],
  );
  return rows;
}

/** Where a complaint's answers go besides SMS (a bot chat), as the citizen gave it. */
export async function replyOf(db: Queryable, id: string): Promise<{ replyChannel: 'telegram' | 'bale' | null; replyAddress: string | null }> {
  const { rows } = await db.query<{ replyChannel: 'telegram' | 'bale' | null; replyAddress: string | null }>(
    'SELECT reply_channel AS "replyChannel", reply_address AS "replyAddress" FROM complaints WHERE id = $1',
    [id],
  );
  return rows[0] ?? { replyChannel: null, replyAddress: null };
}

/** What a replayed intake answers with: the complaint as it is now. */
export async function intakeReplay(db: Queryable, id: string) {
  const { rows } = await db.query<{
    trackingCode: string;
    status: Status;
    unitId: number | null;
    name: string | null;
    dueAt: Date | null;
    linkedCase: { id: string; trackingCode: string } | null;
  }>(
    `SELECT c.tracking_code AS "trackingCode", c.status, c.unit_id AS "unitId", u.name_fa AS name, c.due_at AS "dueAt",
       CASE WHEN k.id IS NULL THEN NULL ELSE json_build_object('id', k.id, 'trackingCode', k.tracking_code) END AS "linkedCase"
     FROM complaints c LEFT JOIN units u ON u.id = c.unit_id LEFT JOIN complaints k ON k.id = c.case_of_id WHERE c.id = $1`,
    [id],
  );
  return rows[0]!;
}

/** An advisory lock class of its own for "this phone about this agency" (see link-case.ts). */
const CASE_LOCK = 128_011;

/**
 * Serialises submissions of one phone about one agency root for this transaction, then finds
 * its open case from the last `hours` (the oldest), if any.
 *
 * One phone has a handful of complaints, so they are found by the phone and the rest is a filter.
 * The agency test is `strpos(…) = 1`, not `LIKE 'prefix%'`, so that it cannot use the
 * `(unit_path, status)` index: with it, PostgreSQL planned an agency whose complaints its
 * statistics undercount (a young one) as a scan of that agency's whole subtree per contact row
 * (230 ms per intake at national size, found by the national bench).
 */
export async function findOpenCase(tx: Queryable, phone: string, agencyRoot: string | null, hours: number, now: Date): Promise<string | null> {
  await tx.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [CASE_LOCK, `${phone}|${agencyRoot ?? 'triage'}`]);
  const { rows } = await tx.query<{ id: string }>(
    `SELECT c.id FROM complainant_contacts cc JOIN complaints c ON c.id = cc.complaint_id
     WHERE cc.phone = $1 AND c.case_of_id IS NULL AND c.merged_into_id IS NULL
       AND c.status IN ('received', 'referred', 'assigned', 'in_progress')
       AND c.created_at > $4::timestamptz - make_interval(hours => $2)
       AND (($3::text IS NULL AND c.agency_id IS NULL) OR ($3::text IS NOT NULL AND strpos(c.unit_path, '/' || $3 || '/') = 1))
     ORDER BY c.created_at, c.id LIMIT 1`,
    [phone, hours, agencyRoot, now],
  );
  return rows[0]?.id ?? null;
}

/** The links of one complaint both ways (see link-case.ts `caseLinks`); `visible` limits the other side. */
export async function caseLinkRows(db: Queryable, params: unknown[], visible: string) {
  const { rows } = await db.query<{ id: string; trackingCode: string; up: boolean }>(
    `SELECT l.id, l.tracking_code AS "trackingCode", l.id = me.case_of_id AS up
     FROM complaints me JOIN complaints l ON l.id = me.case_of_id OR l.case_of_id = me.id
     WHERE me.id = $1 AND ${visible}
     ORDER BY l.created_at, l.id`,
    params,
  );
  return rows;
}
