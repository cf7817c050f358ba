import { alertScope, complaintScope, type StaffPrincipal } from '../core/scope.ts';
import type { Queryable } from '../db/database.ts';

/** The complaint events the live feed carries: new complaints, state changes, warnings, breaches, escalations. */
export const LIVE_EVENT_TYPES = [
  'received',
  'referred',
  'assigned',
  'started',
  'answered',
  'transferred',
  'rejected',
  'rated_satisfied',
  'rated_not_satisfied',
  'objected',
  'escalated',
  'closed_unrated',
  'repeat_received',
  'sla_warning',
  'sla_breached',
] as const;

/** Event data fields that are safe to pass on: ids, kinds and times, never free text (answers, reasons, notes). */
const SAFE_DATA_FIELDS = ['unitId', 'fromUnitId', 'toUnitId', 'agencyId', 'assigneeId', 'kind', 'fraction', 'dueAt', 'toNationalCentre'] as const;

export interface LiveComplaintEvent {
  source: 'complaint';
  id: number;
  type: (typeof LIVE_EVENT_TYPES)[number];
  at: string;
  complaintId: string;
  trackingCode: string;
  status: string;
  unitId: number | null;
  agencyId: number | null;
  provinceId: number | null;
  countyId: number | null;
  categoryId: number | null;
  urgent: boolean;
  data: Record<string, unknown>;
}

export interface LiveAlertEvent {
  source: 'alert';
  id: number;
  type: 'hotspot';
  at: string;
  dimension: string;
  unitId: number | null;
  provinceId: number | null;
  categoryId: number | null;
  windowCount: number;
  expected: number;
}

export type LiveEvent = LiveComplaintEvent | LiveAlertEvent;

/** Where a viewer's feed stands: the last complaint event id and the last alert id sent. */
export interface LiveCursor {
  event: number;
  alert: number;
}

interface EventRow {
  id: number;
  type: LiveComplaintEvent['type'];
  at: Date;
  data: Record<string, unknown>;
  complaintId: string;
  trackingCode: string;
  status: string;
  unitId: number | null;
  agencyId: number | null;
  provinceId: number | null;
  countyId: number | null;
  categoryId: number | null;
  urgent: boolean;
}

const EVENT_COLUMNS = `e.id, e.type, e.created_at AS at, e.data, c.id AS "complaintId", c.tracking_code AS "trackingCode", c.status,
  c.unit_id AS "unitId", c.agency_id AS "agencyId", c.province_id AS "provinceId", c.county_id AS "countyId", c.category_id AS "categoryId", c.urgent`;

const ALERT_COLUMNS = `a.id, a.opened_at AS at, a.dimension, a.unit_id AS "unitId", a.province_id AS "provinceId", a.category_id AS "categoryId",
  a.window_count AS "windowCount", a.expected`;

function toComplaintEvent(row: EventRow): LiveComplaintEvent {
  const data: Record<string, unknown> = {};
  for (const key of SAFE_DATA_FIELDS) if (row.data?.[key] !== undefined) data[key] = row.data[key];
  return { source: 'complaint', ...row, at: row.at.toISOString(), data };
}

function toAlertEvent(row: Omit<LiveAlertEvent, 'source' | 'type' | 'at'> & { at: Date }): LiveAlertEvent {
  return { source: 'alert', type: 'hotspot', ...row, at: row.at.toISOString() };
}

/**
 * The announced events a viewer may see, read back by id. The scope is part of the query (the
 * complaint's *current* place: a complaint transferred away is no longer the viewer's to follow).
 */
export async function liveEventsByIds(db: Queryable, user: StaffPrincipal, eventIds: number[], alertIds: number[]): Promise<LiveEvent[]> {
  const out: LiveEvent[] = [];
  if (eventIds.length) {
    const params: unknown[] = [eventIds, LIVE_EVENT_TYPES];
    const { rows } = await db.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id
       WHERE e.id = ANY($1::bigint[]) AND e.type = ANY($2::text[]) AND ${complaintScope(user, params)} ORDER BY e.id`,
      params,
    );
    out.push(...rows.map(toComplaintEvent));
  }
  if (alertIds.length) {
    const params: unknown[] = [alertIds];
    const { rows } = await db.query(
      `SELECT ${ALERT_COLUMNS} FROM hotspot_alerts a WHERE a.id = ANY($1::int[]) AND ${alertScope(user, params)} ORDER BY a.id`,
      params,
    );
    out.push(...rows.map(toAlertEvent));
  }
  return out;
}

/** What a viewer missed after a cursor (Last-Event-ID), oldest first, at most `limit` of each source. */
export async function liveEventsAfter(
  db: Queryable,
  user: StaffPrincipal,
  cursor: LiveCursor,
  limit: number,
): Promise<{ events: LiveEvent[]; truncated: boolean }> {
  const eventParams: unknown[] = [cursor.event, LIVE_EVENT_TYPES, limit + 1];
  const events = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id
     WHERE e.id > $1 AND e.type = ANY($2::text[]) AND ${complaintScope(user, eventParams)} ORDER BY e.id LIMIT $3`,
    eventParams,
  );
  const alertParams: unknown[] = [cursor.alert, limit + 1];
  const alerts = await db.query(
    `SELECT ${ALERT_COLUMNS} FROM hotspot_alerts a WHERE a.id > $1 AND ${alertScope(user, alertParams)} ORDER BY a.id LIMIT $2`,
    alertParams,
  );
  const truncated = events.rows.length > limit || alerts.rows.length > limit;
  return {
    events: [...events.rows.slice(0, limit).map(toComplaintEvent), ...alerts.rows.slice(0, limit).map(toAlertEvent)],
    truncated,
  };
}

/** The newest ids now: where a fresh feed starts, so a reconnect can resume from here. */
export async function liveHead(db: Queryable): Promise<LiveCursor> {
  const { rows } = await db.query<{ event: number | null; alert: number | null }>(
    'SELECT (SELECT max(id) FROM complaint_events) AS event, (SELECT max(id) FROM hotspot_alerts) AS alert',
  );
  return { event: rows[0]?.event ?? 0, alert: rows[0]?.alert ?? 0 };
}
