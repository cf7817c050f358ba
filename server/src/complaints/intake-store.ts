import type { Unit } from '../agencies/store.ts';
import type { Queryable } from '../db/database.ts';

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
