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

const EVENT_PAYLOAD = `jsonb_build_object('id', e.id, 'type', e.type, 'at', e.created_at, 'data', e.data, 'complaintId', c.id,
  'trackingCode', c.tracking_code, 'status', c.status, 'unitId', c.unit_id, 'agencyId', c.agency_id, 'provinceId', c.province_id,
  'countyId', c.county_id, 'categoryId', c.category_id, 'urgent', c.urgent)`;

const ALERT_PAYLOAD = `jsonb_build_object('id', a.id, 'at', a.opened_at, 'dimension', a.dimension, 'unitId', a.unit_id,
  'provinceId', a.province_id, 'categoryId', a.category_id, 'windowCount', a.window_count, 'expected', a.expected)`;

/**
 * The announced events each viewer may see, read back by id in ONE query for all of them: the
 * rows are loaded once, and each viewer's scope (the complaint's *current* place: a complaint
 * transferred away is no longer the viewer's to follow) is a condition in the query, one branch
 * per viewer, so an out-of-scope event never leaves the database for that viewer. Returns the
 * events per viewer, in the order given.
 */
export async function liveEventsForViewers(db: Queryable, users: StaffPrincipal[], eventIds: number[], alertIds: number[]): Promise<LiveEvent[][]> {
  const out: LiveEvent[][] = users.map(() => []);
  if (users.length === 0 || eventIds.length + alertIds.length === 0) return out;
  const params: unknown[] = [eventIds, LIVE_EVENT_TYPES, alertIds];
  const branches = users.flatMap((user, i) => [
    `SELECT ${i} AS viewer, 'e' AS source, c.id, c.payload FROM ev c WHERE ${complaintScope(user, params)}`,
    `SELECT ${i} AS viewer, 'a' AS source, a.id, a.payload FROM al a WHERE ${alertScope(user, params)}`,
  ]);
  const { rows } = await db.query<{ viewer: number; source: 'e' | 'a'; payload: Record<string, unknown> }>(
    `WITH ev AS (
       SELECT e.id, ${EVENT_PAYLOAD} AS payload, c.unit_path, c.province_id, c.assignee_id
       FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id
       WHERE e.id = ANY($1::bigint[]) AND e.type = ANY($2::text[])
     ), al AS (
       SELECT a.id, ${ALERT_PAYLOAD} AS payload, a.unit_path, a.province_id, a.dimension FROM hotspot_alerts a WHERE a.id = ANY($3::int[])
     )
     ${branches.join('\n     UNION ALL ')}
     ORDER BY viewer, source DESC, id`,
    params,
  );
  for (const row of rows) {
    const p = row.payload;
    out[row.viewer]!.push(
      row.source === 'e'
        ? toComplaintEvent({ ...(p as unknown as EventRow), at: new Date(p.at as string) })
        : toAlertEvent({ ...(p as unknown as Omit<LiveAlertEvent, 'source' | 'type' | 'at'>), at: new Date(p.at as string) }),
    );
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
