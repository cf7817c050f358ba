import type { Queryable } from '../db/database.ts';

/** Incidents on a report card: one outage counts once as a cause, its complaints beside it. */
export interface IncidentCounts {
  /** Incidents opened in the period. */
  incidents: number;
  /** Complaints handled as part of them (linked and not unlinked). */
  linkedComplaints: number;
  organisations: { id: number; nameFa: string; incidents: number; linkedComplaints: number }[];
}

/**
 * Incidents opened in [from, to) and their linked complaints, per organisation. `scope` gives the
 * report scope on the complaint's unit (alias `u`) and province (`c.province_id`): an official
 * counts the incidents and complaints of their scope; the public card counts all.
 */
export async function loadIncidentCounts(db: Queryable, from: Date, to: Date, scope: (params: unknown[]) => string): Promise<IncidentCounts> {
  const params: unknown[] = [from, to];
  const condition = scope(params);
  const { rows } = await db.query<{ id: number; nameFa: string; incidents: number; linkedComplaints: number }>(
    `SELECT o.id, o.name_fa AS "nameFa", count(DISTINCT i.id)::int AS incidents, count(*)::int AS "linkedComplaints"
       FROM incidents i
       JOIN units o ON o.id = i.organisation_id
       JOIN incident_links l ON l.incident_id = i.id AND l.ended_how IS DISTINCT FROM 'unlinked'
       JOIN complaints c ON c.id = l.complaint_id
       JOIN units u ON u.id = c.unit_id
      WHERE i.opened_at >= $1 AND i.opened_at < $2 AND ${condition}
      GROUP BY o.id, o.name_fa
      ORDER BY incidents DESC, o.id`,
    params,
  );
  return {
    incidents: rows.reduce((s, r) => s + r.incidents, 0),
    linkedComplaints: rows.reduce((s, r) => s + r.linkedComplaints, 0),
    organisations: rows,
  };
}
