import { complaintScope, type StaffPrincipal, unitScope } from '../core/scope.ts';
import { param } from '../core/sql-param.ts';
import type { Queryable } from '../db/database.ts';
import { AWAITING_STAFF_STATUSES } from '../domain/lifecycle.ts';

// Every query that counts open complaints passes AWAITING_STAFF_STATUSES as its second parameter.
const OPEN = 'c.status = ANY($2::text[])';
/** Open and past a deadline now, or breached one before (and escalated). */
const BREACHED = `(c.breach_count > 0 OR c.due_at <= $1 OR (c.first_action_at IS NULL AND c.first_action_due_at <= $1))`;
/** Open, not breached, and a warning has fired on a deadline still ahead. */
const WARNED = `EXISTS (SELECT 1 FROM sla_timers t WHERE t.complaint_id = c.id AND t.stage = 'warning' AND t.fired_at IS NOT NULL AND t.due_at > $1)`;
/** The start of the Asia/Tehran calendar day of $1. */
const DAY_START = `(date_trunc('day', $1::timestamptz AT TIME ZONE 'Asia/Tehran') AT TIME ZONE 'Asia/Tehran')`;

export interface DashboardCounts {
  dayStart: Date;
  complaints: { lastHour: number; today: number };
  open: { total: number; ok: number; warned: number; breached: number };
  breaches: { lastHour: number; today: number };
}

/** Breaches joined to the unit they are recorded against, so they are scoped by that unit (the complaint itself has moved up). */
const BREACHES = `(SELECT b.id, b.breached_at, u.path AS unit_path, u.province_id, u.id AS unit_id FROM sla_breaches b JOIN units u ON u.id = b.unit_id)`;

/** The headline numbers of the live dashboard, every one counted in the viewer's scope. */
export async function dashboardCounts(db: Queryable, user: StaffPrincipal, now: Date): Promise<DashboardCounts> {
  const p1: unknown[] = [now];
  const intake = await db.query<{ dayStart: Date; lastHour: number; today: number }>(
    `SELECT ${DAY_START} AS "dayStart",
            count(*) FILTER (WHERE c.created_at > $1::timestamptz - interval '1 hour' AND c.created_at <= $1)::int AS "lastHour",
            count(*) FILTER (WHERE c.created_at >= ${DAY_START} AND c.created_at <= $1)::int AS today
     FROM complaints c WHERE c.created_at >= LEAST(${DAY_START}, $1::timestamptz - interval '1 hour') AND ${complaintScope(user, p1)}`,
    p1,
  );
  const p2: unknown[] = [now, [...AWAITING_STAFF_STATUSES]];
  const open = await db.query<{ state: 'ok' | 'warned' | 'breached'; n: number }>(
    `SELECT state, count(*)::int AS n FROM (
       SELECT CASE WHEN ${BREACHED} THEN 'breached' WHEN ${WARNED} THEN 'warned' ELSE 'ok' END AS state
       FROM complaints c WHERE ${OPEN} AND ${complaintScope(user, p2)}) s GROUP BY state`,
    p2,
  );
  const p3: unknown[] = [now];
  const breaches = await db.query<{ lastHour: number; today: number }>(
    `SELECT count(*) FILTER (WHERE a.breached_at > $1::timestamptz - interval '1 hour')::int AS "lastHour",
            count(*) FILTER (WHERE a.breached_at >= ${DAY_START})::int AS today
     FROM ${BREACHES} a WHERE a.breached_at >= LEAST(${DAY_START}, $1::timestamptz - interval '1 hour') AND a.breached_at <= $1 AND ${unitScope(user, p3)}`,
    p3,
  );
  const byState = Object.fromEntries(open.rows.map((r) => [r.state, r.n])) as Record<string, number>;
  const ok = byState.ok ?? 0;
  const warned = byState.warned ?? 0;
  const breached = byState.breached ?? 0;
  return {
    dayStart: intake.rows[0]!.dayStart,
    complaints: { lastHour: intake.rows[0]!.lastHour, today: intake.rows[0]!.today },
    open: { total: ok + warned + breached, ok, warned, breached },
    breaches: breaches.rows[0]!,
  };
}

export interface ProvinceCounts {
  provinceId: number;
  nameFa: string;
  nameEn: string;
  population: number | null;
  complaintsToday: number;
  open: number;
  breachedOpen: number;
  breachesToday: number;
}

/** Per province, the numbers a map can be coloured by (only provinces with something in scope). */
export async function provinceCounts(db: Queryable, user: StaffPrincipal, now: Date): Promise<ProvinceCounts[]> {
  const p1: unknown[] = [now, [...AWAITING_STAFF_STATUSES]];
  const complaints = await db.query<Omit<ProvinceCounts, 'breachesToday'>>(
    `SELECT p.id AS "provinceId", p.name_fa AS "nameFa", p.name_en AS "nameEn", p.population,
            count(*) FILTER (WHERE c.created_at >= ${DAY_START} AND c.created_at <= $1)::int AS "complaintsToday",
            count(*) FILTER (WHERE ${OPEN})::int AS open,
            count(*) FILTER (WHERE ${OPEN} AND ${BREACHED})::int AS "breachedOpen"
     FROM complaints c JOIN provinces p ON p.id = c.province_id
     WHERE (c.created_at >= ${DAY_START} OR ${OPEN}) AND ${complaintScope(user, p1)}
     GROUP BY p.id ORDER BY p.id`,
    p1,
  );
  const p2: unknown[] = [now];
  const breaches = await db.query<{ provinceId: number; n: number }>(
    `SELECT a.province_id AS "provinceId", count(*)::int AS n FROM ${BREACHES} a
     WHERE a.breached_at >= ${DAY_START} AND a.breached_at <= $1 AND a.province_id IS NOT NULL AND ${unitScope(user, p2)} GROUP BY a.province_id`,
    p2,
  );
  const breachesBy = new Map(breaches.rows.map((r) => [r.provinceId, r.n]));
  const rows = complaints.rows.map((r) => ({ ...r, breachesToday: breachesBy.get(r.provinceId) ?? 0 }));
  // A province with breaches today but no complaint of today or open one still belongs on the map.
  const missing = [...breachesBy.keys()].filter((id) => !rows.some((r) => r.provinceId === id));
  if (missing.length) {
    const names = await db.query<{ provinceId: number; nameFa: string; nameEn: string; population: number | null }>(
      'SELECT id AS "provinceId", name_fa AS "nameFa", name_en AS "nameEn", population FROM provinces WHERE id = ANY($1::int[])',
      [missing],
    );
    for (const n of names.rows) rows.push({ ...n, complaintsToday: 0, open: 0, breachedOpen: 0, breachesToday: breachesBy.get(n.provinceId) ?? 0 });
  }
  return rows.sort((a, b) => a.provinceId - b.provinceId);
}

export interface AgencyCounts {
  agencyId: number;
  nameFa: string;
  complaintsToday: number;
  open: number;
}

/**
 * The organisations with the most complaints today in scope (ties: more open, then id): a
 * complaint counts for its organisation whichever node of it was picked or answers, so an
 * organisation is never listed beside its own offices.
 */
export async function busiestAgencies(db: Queryable, user: StaffPrincipal, now: Date, limit: number): Promise<AgencyCounts[]> {
  const params: unknown[] = [now, [...AWAITING_STAFF_STATUSES]];
  const scope = complaintScope(user, params);
  const { rows } = await db.query<AgencyCounts>(
    `SELECT u.id AS "agencyId", u.name_fa AS "nameFa",
            count(*) FILTER (WHERE c.created_at >= ${DAY_START} AND c.created_at <= $1)::int AS "complaintsToday",
            count(*) FILTER (WHERE ${OPEN})::int AS open
     FROM complaints c JOIN units u ON u.id = c.organisation_id
     WHERE (c.created_at >= ${DAY_START} OR ${OPEN}) AND ${scope}
     GROUP BY u.id ORDER BY "complaintsToday" DESC, open DESC, u.id LIMIT ${param(params, limit)}`,
    params,
  );
  return rows.filter((r) => r.complaintsToday > 0 || r.open > 0);
}
