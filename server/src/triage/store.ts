import { UNIT_COLUMNS, type Unit } from '../agencies/store.ts';
import { complaintScope, type StaffPrincipal } from '../core/scope.ts';
import type { Queryable } from '../db/database.ts';
import type { TriageExample } from './model.ts';

/**
 * What this deployment's operators taught: every referral a staff member made from the triage
 * queue (a `referred` event by staff), labelled with the organisation above the office it went to
 * and the category given. Read from the chained events, so the labels cannot drift from what
 * happened and need no table of their own.
 */
export async function operatorLabels(db: Queryable): Promise<TriageExample[]> {
  const { rows } = await db.query<TriageExample>(`${STAFF_REFERRALS} ORDER BY e.id`);
  return rows;
}

/** Staff referrals as labels: the text, the organisation above the office, the category given. */
const STAFF_REFERRALS = `SELECT c.description AS text, o.code AS organisation, cat.code AS category
  FROM complaint_events e
  JOIN complaints c ON c.id = e.complaint_id
  JOIN units o ON o.id = unit_organisation((e.data->>'unitId')::int)
  LEFT JOIN categories cat ON cat.id = (e.data->>'categoryId')::int
  WHERE e.type = 'referred' AND e.actor_kind = 'staff'`;

/** The label of one complaint's latest staff referral (what an operator just chose). */
export async function latestOperatorLabel(db: Queryable, complaintId: string): Promise<TriageExample | null> {
  const { rows } = await db.query<TriageExample>(`${STAFF_REFERRALS} AND e.complaint_id = $1 ORDER BY e.seq DESC LIMIT 1`, [complaintId]);
  return rows[0] ?? null;
}

/** Active organisation-level units (ministries and affiliated organisations) by code. */
export async function organisationsByCode(db: Queryable, codes: string[]): Promise<Unit[]> {
  const { rows } = await db.query<Unit>(`SELECT ${UNIT_COLUMNS} FROM units WHERE code = ANY($1::text[]) AND kind IN ('ministry', 'organisation') AND active`, [
    codes,
  ]);
  return rows;
}

export interface TriageCategory {
  id: number;
  code: string;
  nameFa: string;
  nameEn: string;
  urgent: boolean;
}

/** Active categories by code. */
export async function categoriesByCode(db: Queryable, codes: string[]): Promise<TriageCategory[]> {
  const { rows } = await db.query<TriageCategory>(
    `SELECT id, code, name_fa AS "nameFa", name_en AS "nameEn", urgent FROM categories WHERE code = ANY($1::text[]) AND active`,
    [codes],
  );
  return rows;
}

/** A complaint waiting in the triage queue, if it lies in the viewer's scope: its text and place. */
export async function triageComplaint(
  db: Queryable,
  id: string,
  user: StaffPrincipal,
): Promise<{ description: string; provinceId: number | null; countyId: number | null; status: string } | null> {
  const params: unknown[] = [id];
  const { rows } = await db.query<{ description: string; provinceId: number | null; countyId: number | null; status: string }>(
    `SELECT c.description, c.province_id AS "provinceId", c.county_id AS "countyId", c.status
       FROM complaints c WHERE c.id = $1 AND ${complaintScope(user, params)}`,
    params,
  );
  return rows[0] ?? null;
}
