import { complaintScope, type StaffPrincipal } from '../core/scope.ts';
import type { Queryable } from '../db/database.ts';
import { AWAITING_STAFF_STATUSES } from '../domain/lifecycle.ts';

export interface OpenComplaintText {
  id: string;
  trackingCode: string;
  organisationId: number;
  organisationNameFa: string;
  unitNameFa: string | null;
  createdAt: string;
  description: string;
}

/**
 * Open complaints in the viewer's scope filed since `since`, with their organisation: what
 * incident suggestions cluster. Newest first, at most `limit` (an outage's hour fits many times).
 */
export async function openComplaintTexts(db: Queryable, user: StaffPrincipal, since: Date, limit: number): Promise<OpenComplaintText[]> {
  const params: unknown[] = [AWAITING_STAFF_STATUSES, since.toISOString(), limit];
  const { rows } = await db.query<OpenComplaintText>(
    `SELECT c.id, c.tracking_code AS "trackingCode", c.organisation_id AS "organisationId", o.name_fa AS "organisationNameFa",
            u.name_fa AS "unitNameFa", c.created_at AS "createdAt", c.description
       FROM complaints c
       JOIN units o ON o.id = c.organisation_id
       LEFT JOIN units u ON u.id = c.unit_id
      WHERE c.status = ANY($1::text[]) AND c.created_at >= $2 AND ${complaintScope(user, params)}
      ORDER BY c.created_at DESC
      LIMIT $3`,
    params,
  );
  return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt).toISOString() }));
}
