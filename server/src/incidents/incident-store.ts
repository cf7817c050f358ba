import { complaintScope, type StaffPrincipal } from '../core/scope.ts';
import { param } from '../core/sql-param.ts';
import type { Queryable } from '../db/database.ts';
import type { IncidentPublicStatus } from '../domain/incident.ts';
import { AWAITING_STAFF_STATUSES } from '../domain/lifecycle.ts';

/** An incident row, as the use cases need it. */
export interface IncidentRow {
  id: number;
  organisationId: number;
  titleFa: string;
  publicStatus: IncidentPublicStatus;
  scopeUnitPath: string | null;
  scopeProvinceId: number | null;
  openedAt: Date;
  checkedUntil: Date;
  closedAt: Date | null;
}

const INCIDENT_COLUMNS = `i.id, i.organisation_id AS "organisationId", i.title_fa AS "titleFa", i.public_status AS "publicStatus",
  i.scope_unit_path AS "scopeUnitPath", i.scope_province_id AS "scopeProvinceId", i.opened_at AS "openedAt",
  i.checked_until AS "checkedUntil", i.closed_at AS "closedAt"`;

/**
 * The condition that an incident (alias `i`) is in a viewer's scope: one of its complaints, linked
 * now or before, is — the complaint rule in SQL, so out of scope is "not found".
 */
export function incidentScope(user: StaffPrincipal, params: unknown[]): string {
  return `EXISTS (SELECT 1 FROM incident_links l JOIN complaints c ON c.id = l.complaint_id
                   WHERE l.incident_id = i.id AND ${complaintScope(user, params)})`;
}

/** The organisation and status of each chosen complaint in the viewer's scope (ids out of scope are missing). */
export async function complaintsForIncident(
  db: Queryable,
  user: StaffPrincipal,
  ids: string[],
): Promise<{ id: string; organisationId: number | null; status: string; mergedIntoId: string | null; incidentId: number | null }[]> {
  const params: unknown[] = [ids];
  const { rows } = await db.query<{ id: string; organisationId: number | null; status: string; mergedIntoId: string | null; incidentId: number | null }>(
    `SELECT c.id, c.organisation_id AS "organisationId", c.status, c.merged_into_id AS "mergedIntoId",
            (SELECT l.incident_id FROM incident_links l WHERE l.complaint_id = c.id AND l.ended_at IS NULL) AS "incidentId"
       FROM complaints c WHERE c.id = ANY($1::uuid[]) AND ${complaintScope(user, params)}`,
    params,
  );
  return rows;
}

/** Writes a new open incident; returns its id. */
export async function insertIncident(
  db: Queryable,
  incident: { organisationId: number; titleFa: string; publicStatus: IncidentPublicStatus; scopeUnitPath: string | null; scopeProvinceId: number | null },
  openedBy: number,
  at: Date,
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO incidents (organisation_id, title_fa, public_status, scope_unit_path, scope_province_id, opened_by, opened_at, checked_until)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
    [incident.organisationId, incident.titleFa, incident.publicStatus, incident.scopeUnitPath, incident.scopeProvinceId, openedBy, at],
  );
  return rows[0]!.id;
}

/** Locks an incident for a change; with a viewer, only one in their scope. */
export async function lockIncident(db: Queryable, id: number, user: StaffPrincipal | null): Promise<IncidentRow | null> {
  const params: unknown[] = [id];
  const scope = user ? incidentScope(user, params) : 'TRUE';
  const { rows } = await db.query<IncidentRow>(`SELECT ${INCIDENT_COLUMNS} FROM incidents i WHERE i.id = $1 AND ${scope} FOR UPDATE`, params);
  return rows[0] ?? null;
}

/** Sets an open incident's public title and status. */
export async function updateIncidentRow(db: Queryable, id: number, titleFa: string, publicStatus: IncidentPublicStatus): Promise<void> {
  await db.query('UPDATE incidents SET title_fa = $2, public_status = $3 WHERE id = $1 AND closed_at IS NULL', [id, titleFa, publicStatus]);
}

/** The id of the complaint with this tracking code in the viewer's scope, or null. */
export async function complaintIdByCode(db: Queryable, user: StaffPrincipal, trackingCode: string): Promise<string | null> {
  const params: unknown[] = [trackingCode];
  const { rows } = await db.query<{ id: string }>(`SELECT c.id FROM complaints c WHERE c.tracking_code = $1 AND ${complaintScope(user, params)}`, params);
  return rows[0]?.id ?? null;
}

/** Records that a complaint is now in an incident (the partial unique index keeps it to one open incident). */
export async function insertLink(
  db: Queryable,
  incidentId: number,
  complaintId: string,
  how: 'opened' | 'arrival',
  by: number | null,
  at: Date,
): Promise<void> {
  await db.query('INSERT INTO incident_links (incident_id, complaint_id, how, linked_by, linked_at) VALUES ($1, $2, $3, $4, $5)', [
    incidentId,
    complaintId,
    how,
    by,
    at,
  ]);
}

/** Ends a complaint's current link to an incident; false when it has none. */
export async function endLink(db: Queryable, incidentId: number, complaintId: string, by: number, at: Date): Promise<boolean> {
  const result = await db.query(
    `UPDATE incident_links SET ended_at = $3, ended_how = 'unlinked', ended_by = $4
      WHERE incident_id = $1 AND complaint_id = $2 AND ended_at IS NULL`,
    [incidentId, complaintId, at, by],
  );
  return result.rowCount === 1;
}

/** The complaints linked to an incident now, in id order (the order they are locked in). */
export async function currentLinks(db: Queryable, incidentId: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    'SELECT complaint_id AS id FROM incident_links WHERE incident_id = $1 AND ended_at IS NULL ORDER BY complaint_id',
    [incidentId],
  );
  return rows.map((r) => r.id);
}

/** Closes an incident and ends its links. */
export async function closeIncidentRow(db: Queryable, id: number, answer: string, by: number, at: Date): Promise<void> {
  await db.query(`UPDATE incidents SET closed_at = $2, closed_by = $3, answer = $4, public_status = 'resolved' WHERE id = $1 AND closed_at IS NULL`, [
    id,
    at,
    by,
    answer,
  ]);
  await db.query(`UPDATE incident_links SET ended_at = $2, ended_how = 'closed', ended_by = $3 WHERE incident_id = $1 AND ended_at IS NULL`, [id, at, by]);
}

/** Open incident ids, oldest first (what the arrival check walks). */
export async function openIncidentIds(db: Queryable): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>('SELECT id FROM incidents WHERE closed_at IS NULL ORDER BY id');
  return rows.map((r) => r.id);
}

/** Locks an open incident for the arrival check, skipping one another instance holds. */
export async function claimOpenIncident(db: Queryable, id: number): Promise<IncidentRow | null> {
  const { rows } = await db.query<IncidentRow>(`SELECT ${INCIDENT_COLUMNS} FROM incidents i WHERE i.id = $1 AND i.closed_at IS NULL FOR UPDATE SKIP LOCKED`, [
    id,
  ]);
  return rows[0] ?? null;
}

/** Events that move a complaint to a unit, so perhaps to a new organisation. */
const ROUTING_EVENTS = ['referred', 'transferred', 'escalated', 'split_off', 'appeal_upheld', 'rated_not_satisfied', 'objected'];

/**
 * Complaints that may join an incident on arrival: awaiting staff at its organisation, filed or
 * routed there since `since`, inside the incident's scope, in no open incident and never unlinked from this one.
 */
export async function arrivalCandidates(db: Queryable, incident: IncidentRow, since: Date, limit: number): Promise<{ id: string; description: string }[]> {
  const params: unknown[] = [incident.organisationId, since, AWAITING_STAFF_STATUSES, incident.id, limit];
  const conditions: string[] = [];
  if (incident.scopeUnitPath !== null) conditions.push(`c.unit_path LIKE ${param(params, incident.scopeUnitPath)} || '%'`);
  if (incident.scopeProvinceId !== null) conditions.push(`c.province_id = ${param(params, incident.scopeProvinceId)}`);
  // Reached the organisation since `since`: filed then, or routed there then by a unit of work
  // (triage's `referred`, a transfer, an escalation…) — a complaint triaged hours after filing counts.
  const { rows } = await db.query<{ id: string; description: string }>(
    `SELECT c.id, c.description FROM complaints c
      WHERE c.organisation_id = $1 AND c.status = ANY($3::text[]) AND c.merged_into_id IS NULL
        AND (c.created_at >= $2 OR c.id IN (SELECT e.complaint_id FROM complaint_events e
                                             WHERE e.created_at >= $2 AND e.type = ANY(${param(params, ROUTING_EVENTS)}::text[])))
        AND NOT EXISTS (SELECT 1 FROM incident_links l WHERE l.complaint_id = c.id AND (l.ended_at IS NULL OR l.incident_id = $4))
        ${conditions.map((c) => `AND ${c}`).join(' ')}
      ORDER BY c.created_at DESC LIMIT $5`,
    params,
  );
  return rows;
}

/** The texts of an incident's linked complaints, newest first: what an arrival is compared with. */
export async function linkedTexts(db: Queryable, incidentId: number, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ description: string }>(
    `SELECT c.description FROM incident_links l JOIN complaints c ON c.id = l.complaint_id
      WHERE l.incident_id = $1 AND l.ended_at IS NULL ORDER BY l.linked_at DESC LIMIT $2`,
    [incidentId, limit],
  );
  return rows.map((r) => r.description);
}

/** Moves the arrival check's mark. */
export async function setCheckedUntil(db: Queryable, id: number, at: Date): Promise<void> {
  await db.query('UPDATE incidents SET checked_until = GREATEST(checked_until, $2) WHERE id = $1', [id, at]);
}
