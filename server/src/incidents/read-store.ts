import { complaintScope, type StaffPrincipal } from '../core/scope.ts';
import { param } from '../core/sql-param.ts';
import type { Queryable } from '../db/database.ts';
import type { IncidentPublicStatus } from '../domain/incident.ts';
import { incidentScope } from './incident-store.ts';

export interface IncidentSummary {
  id: number;
  titleFa: string;
  publicStatus: IncidentPublicStatus;
  organisation: { id: number; nameFa: string };
  openedAt: string;
  closedAt: string | null;
  answer: string | null;
  /** Complaints linked now (all of them while open; at closing, those it answered). */
  linkedCount: number;
}

export interface LinkedComplaint {
  id: string;
  trackingCode: string;
  status: string;
  createdAt: string;
  how: 'opened' | 'arrival';
  linkedAt: string;
  endedAt: string | null;
  endedHow: 'unlinked' | 'closed' | null;
}

const SUMMARY = `i.id, i.title_fa AS "titleFa", i.public_status AS "publicStatus",
  json_build_object('id', o.id, 'nameFa', o.name_fa) AS organisation, i.opened_at AS "openedAt", i.closed_at AS "closedAt", i.answer,
  (SELECT count(*)::int FROM incident_links l WHERE l.incident_id = i.id AND (l.ended_at IS NULL OR l.ended_how = 'closed')) AS "linkedCount"`;

type SummaryRow = Omit<IncidentSummary, 'openedAt' | 'closedAt'> & { openedAt: Date; closedAt: Date | null };
const iso = (r: SummaryRow): IncidentSummary => ({ ...r, openedAt: r.openedAt.toISOString(), closedAt: r.closedAt?.toISOString() ?? null });

/** Incidents in the viewer's scope, newest first: open, closed or both, optionally only the one holding a complaint. */
export async function listIncidents(
  db: Queryable,
  user: StaffPrincipal,
  filter: { state: 'open' | 'closed' | 'all'; complaintId?: string | undefined; limit: number },
): Promise<IncidentSummary[]> {
  const params: unknown[] = [];
  const conditions = [incidentScope(user, params)];
  if (filter.state === 'open') conditions.push('i.closed_at IS NULL');
  if (filter.state === 'closed') conditions.push('i.closed_at IS NOT NULL');
  if (filter.complaintId !== undefined) {
    conditions.push(
      `EXISTS (SELECT 1 FROM incident_links k WHERE k.incident_id = i.id AND k.ended_at IS NULL AND k.complaint_id = ${param(params, filter.complaintId)})`,
    );
  }
  const { rows } = await db.query<SummaryRow>(
    `SELECT ${SUMMARY} FROM incidents i JOIN units o ON o.id = i.organisation_id
      WHERE ${conditions.join(' AND ')} ORDER BY i.id DESC LIMIT ${param(params, filter.limit)}`,
    params,
  );
  return rows.map(iso);
}

/** One incident in the viewer's scope with the complaints of it they may see (linked now or before). */
export async function incidentDetail(db: Queryable, user: StaffPrincipal, id: number): Promise<(IncidentSummary & { complaints: LinkedComplaint[] }) | null> {
  const params: unknown[] = [id];
  const { rows } = await db.query<SummaryRow>(
    `SELECT ${SUMMARY} FROM incidents i JOIN units o ON o.id = i.organisation_id WHERE i.id = $1 AND ${incidentScope(user, params)}`,
    params,
  );
  if (!rows[0]) return null;
  const linkParams: unknown[] = [id];
  const links = await db.query<Omit<LinkedComplaint, 'createdAt' | 'linkedAt' | 'endedAt'> & { createdAt: Date; linkedAt: Date; endedAt: Date | null }>(
    `SELECT c.id, c.tracking_code AS "trackingCode", c.status, c.created_at AS "createdAt", l.how, l.linked_at AS "linkedAt",
            l.ended_at AS "endedAt", l.ended_how AS "endedHow"
       FROM incident_links l JOIN complaints c ON c.id = l.complaint_id
      WHERE l.incident_id = $1 AND ${complaintScope(user, linkParams)}
      ORDER BY l.ended_how NULLS FIRST, c.created_at`,
    linkParams,
  );
  return {
    ...iso(rows[0]),
    complaints: links.rows.map((r) => ({
      ...r,
      createdAt: r.createdAt.toISOString(),
      linkedAt: r.linkedAt.toISOString(),
      endedAt: r.endedAt?.toISOString() ?? null,
    })),
  };
}
