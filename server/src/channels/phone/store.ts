import { complaintScope, type StaffPrincipal } from '../../core/scope.ts';
import type { Queryable } from '../../db/database.ts';
import { searchForm } from '../../domain/persian-text.ts';

/** The latest complaints (20) filed from a phone number, in the operator's scope. */
export async function complaintsByPhone(db: Queryable, user: StaffPrincipal, phoneE164: string) {
  const params: unknown[] = [phoneE164];
  const { rows } = await db.query<{ id: string; trackingCode: string; status: string; createdAt: Date; unitNameFa: string | null; excerpt: string }>(
    `SELECT c.id, c.tracking_code AS "trackingCode", c.status, c.created_at AS "createdAt", u.name_fa AS "unitNameFa", left(c.description, 160) AS excerpt
       FROM complaints c JOIN complainant_contacts cc ON cc.complaint_id = c.id LEFT JOIN units u ON u.id = c.unit_id
       WHERE cc.phone = $1 AND ${complaintScope(user, params)} ORDER BY c.created_at DESC LIMIT 20`,
    params,
  );
  return rows;
}

/**
 * The complaints a unit is working on (referred to it, not yet answered) from the last 30 days,
 * best match for the caller's words first: the operator checks for a duplicate before filing.
 */
export async function recentAtUnit(db: Queryable, user: StaffPrincipal, unitId: number, words: string, now: Date) {
  const params: unknown[] = [unitId, searchForm(words), now];
  const { rows } = await db.query<{ id: string; trackingCode: string; status: string; createdAt: Date; excerpt: string }>(
    `SELECT c.id, c.tracking_code AS "trackingCode", c.status, c.created_at AS "createdAt", left(c.description, 160) AS excerpt
       FROM complaints c
       WHERE c.unit_id = $1 AND c.status IN ('referred', 'assigned', 'in_progress') AND c.created_at > $3::timestamptz - interval '30 days'
         AND ${complaintScope(user, params)}
       ORDER BY CASE WHEN $2 = '' THEN 0 ELSE ts_rank(c.search, plainto_tsquery('simple', $2)) END DESC, c.created_at DESC
       LIMIT 10`,
    params,
  );
  return rows;
}
