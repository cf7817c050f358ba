import type { Queryable } from '../db/database.ts';
import type { Period } from './periods.ts';
import type { UnitPeriodStats } from './report-card-source.ts';

/** Counts per unit and period: arrivals in complaint_events (with the verified ones) and misses in sla_breaches. */
export async function breachStats(db: Queryable, periods: Period[]): Promise<UnitPeriodStats[]> {
  const { rows } = await db.query<UnitPeriodStats>(
    `WITH periods AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS p(key text, "from" timestamptz, "to" timestamptz)),
     arrivals AS (
       SELECT p.key, COALESCE((e.data->>'toUnitId')::int, (e.data->>'unitId')::int) AS unit_id, count(DISTINCT e.complaint_id)::int AS n,
         count(DISTINCT e.complaint_id) FILTER (WHERE c.phone_verified)::int AS verified
       FROM complaint_events e JOIN periods p ON e.created_at >= p."from" AND e.created_at < p."to"
         JOIN complaints c ON c.id = e.complaint_id
       WHERE e.type IN ('referred', 'transferred', 'escalated', 'rated_not_satisfied', 'objected')
       GROUP BY 1, 2),
     breaches AS (
       SELECT p.key, b.unit_id, count(*)::int AS n
       FROM sla_breaches b JOIN periods p ON b.breached_at >= p."from" AND b.breached_at < p."to"
       GROUP BY 1, 2)
     SELECT u.id AS "unitId", u.path AS "unitPath", u.province_id AS "provinceId", u.inspection_head_id AS "managerId",
            COALESCE(a.key, b.key) AS period, COALESCE(a.n, 0) AS complaints, COALESCE(b.n, 0) AS breaches,
            COALESCE(a.verified, 0) AS "verifiedComplaints"
     FROM arrivals a FULL JOIN breaches b ON b.key = a.key AND b.unit_id = a.unit_id
     JOIN units u ON u.id = COALESCE(a.unit_id, b.unit_id)
     ORDER BY u.id, period`,
    [JSON.stringify(periods.map((p) => ({ key: p.key, from: p.from.toISOString(), to: p.to.toISOString() })))],
  );
  return rows;
}
