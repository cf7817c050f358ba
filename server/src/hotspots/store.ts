import { alertScope, type StaffPrincipal } from '../core/scope.ts';
import { param } from '../core/sql-param.ts';
import type { Queryable } from '../db/database.ts';
import type { HotspotSettings } from './poisson.ts';

export async function listSettings(db: Queryable): Promise<HotspotSettings[]> {
  const { rows } = await db.query<HotspotSettings>(
    `SELECT dimension, window_minutes AS "windowMinutes", baseline_hours AS "baselineHours", min_count AS "minCount",
            max_p_value AS "maxPValue", min_expected AS "minExpected", active FROM hotspot_settings ORDER BY dimension`,
  );
  return rows;
}

export async function updateSettings(db: Queryable, dimension: string, change: Partial<Omit<HotspotSettings, 'dimension'>>): Promise<boolean> {
  const r = await db.query(
    `UPDATE hotspot_settings SET window_minutes = COALESCE($2, window_minutes), baseline_hours = COALESCE($3, baseline_hours),
       min_count = COALESCE($4, min_count), max_p_value = COALESCE($5, max_p_value), min_expected = COALESCE($6, min_expected), active = COALESCE($7, active)
     WHERE dimension = $1`,
    [
      dimension,
      change.windowMinutes ?? null,
      change.baselineHours ?? null,
      change.minCount ?? null,
      change.maxPValue ?? null,
      change.minExpected ?? null,
      change.active ?? null,
    ],
  );
  return r.rowCount === 1;
}

/**
 * The office a named employee works at: the one the complaint was referred (or transferred) to.
 * An escalation moves the complaint up the tree, not the person, so it must not split their count.
 */
const EMPLOYEE_OFFICE = 'COALESCE(c.responsible_unit_id, c.unit_id)';

/** How each dimension names its subject, which unit it is about, the name it shows and which complaints count for it. */
const SUBJECTS: Record<HotspotSettings['dimension'], { key: string; unit: string; name: string; filter: string }> = {
  unit: { key: `c.unit_id::text`, unit: 'c.unit_id', name: 'NULL::text', filter: 'c.unit_id IS NOT NULL' },
  category: {
    key: `c.province_id::text || ':' || c.category_id::text`,
    unit: 'c.unit_id',
    name: 'NULL::text',
    filter: 'c.province_id IS NOT NULL AND c.category_id IS NOT NULL',
  },
  // Keyed by the normalised name (named_employee); the alert shows the way citizens wrote it most often.
  employee: {
    key: `${EMPLOYEE_OFFICE}::text || ':' || c.named_employee`,
    unit: EMPLOYEE_OFFICE,
    name: 'mode() WITHIN GROUP (ORDER BY c.named_employee_text)',
    filter: `${EMPLOYEE_OFFICE} IS NOT NULL AND c.named_employee IS NOT NULL`,
  },
};

export interface SubjectCounts {
  subjectKey: string;
  windowCount: number;
  /** Of the window's complaints, those whose phone was proved by who sent them (issue 11: not a typed claim). */
  verifiedCount: number;
  baselineCount: number;
  unitId: number | null;
  unitPath: string | null;
  provinceId: number | null;
  categoryId: number | null;
  namedEmployee: string | null;
}

/**
 * Counts per subject in the window (now − window, now] and the baseline before it, for subjects
 * with at least `minCount` in the window or with an open alert (to see whether it still lasts).
 */
export async function subjectCounts(db: Queryable, s: HotspotSettings, now: Date, openKeys: string[]): Promise<SubjectCounts[]> {
  const { key, unit, name, filter } = SUBJECTS[s.dimension];
  const { rows } = await db.query<SubjectCounts>(
    `WITH counts AS (
       SELECT ${key} AS subject_key,
              count(*) FILTER (WHERE c.created_at > $1::timestamptz - make_interval(mins => $2))::int AS window_count,
              count(*) FILTER (WHERE c.created_at > $1::timestamptz - make_interval(mins => $2) AND c.phone_verified)::int AS verified_count,
              count(*) FILTER (WHERE c.created_at <= $1::timestamptz - make_interval(mins => $2))::int AS baseline_count,
              min(${unit}) AS unit_id, min(c.province_id) AS province_id, min(c.category_id) AS category_id,
              ${name} AS named_employee
       FROM complaints c
       WHERE c.created_at > $1::timestamptz - make_interval(mins => $2) - make_interval(hours => $3) AND c.created_at <= $1 AND ${filter}
       GROUP BY 1)
     SELECT k.subject_key AS "subjectKey", k.window_count AS "windowCount", k.verified_count AS "verifiedCount", k.baseline_count AS "baselineCount",
            CASE WHEN $5 = 'category' THEN NULL ELSE k.unit_id END AS "unitId", CASE WHEN $5 = 'category' THEN NULL ELSE u.path END AS "unitPath",
            COALESCE(CASE WHEN $5 = 'category' THEN NULL ELSE u.province_id END, k.province_id) AS "provinceId",
            CASE WHEN $5 = 'category' THEN k.category_id END AS "categoryId", CASE WHEN $5 = 'employee' THEN k.named_employee END AS "namedEmployee"
     FROM counts k LEFT JOIN units u ON u.id = k.unit_id
     WHERE k.window_count >= $4 OR k.subject_key = ANY($6::text[])`,
    [now, s.windowMinutes, s.baselineHours, s.minCount, s.dimension, openKeys],
  );
  return rows;
}

export async function openAlertKeys(db: Queryable, dimension: string): Promise<Map<string, number>> {
  const { rows } = await db.query<{ id: number; subjectKey: string }>(
    'SELECT id, subject_key AS "subjectKey" FROM hotspot_alerts WHERE dimension = $1 AND closed_at IS NULL',
    [dimension],
  );
  return new Map(rows.map((r) => [r.subjectKey, r.id]));
}

/** Opens an alert unless one is open for the subject (another instance may have just opened it). */
export async function openAlert(
  db: Queryable,
  dimension: string,
  c: SubjectCounts,
  a: { expected: number; pValue: number },
  now: Date,
): Promise<number | null> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO hotspot_alerts (dimension, subject_key, unit_id, unit_path, province_id, category_id, named_employee, window_count, expected, p_value, opened_at,
       last_seen_at, peak_count, verified_count)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $8, $12)
     ON CONFLICT (dimension, subject_key) WHERE closed_at IS NULL DO NOTHING RETURNING id`,
    [dimension, c.subjectKey, c.unitId, c.unitPath, c.provinceId, c.categoryId, c.namedEmployee, c.windowCount, a.expected, a.pValue, now, c.verifiedCount],
  );
  return rows[0]?.id ?? null;
}

export async function touchAlert(db: Queryable, id: number, windowCount: number, now: Date, verifiedCount = 0): Promise<void> {
  // The verified count follows the peak: it says how much of the alert's strongest window rests on proved phones.
  await db.query(
    `UPDATE hotspot_alerts SET last_seen_at = $2, verified_count = CASE WHEN $3 > peak_count THEN $4 ELSE verified_count END,
       peak_count = GREATEST(peak_count, $3) WHERE id = $1`,
    [id, now, windowCount, verifiedCount],
  );
}

export async function closeAlert(db: Queryable, id: number, now: Date): Promise<void> {
  await db.query('UPDATE hotspot_alerts SET closed_at = $2 WHERE id = $1 AND closed_at IS NULL', [id, now]);
}

/** Who hears of an alert: the provincial supervisors of its province, or the national centre when it has none. */
export async function alertRecipients(db: Queryable, provinceId: number | null): Promise<number[]> {
  const { rows } = await db.query<{ id: number }>(
    `SELECT id FROM staff_users WHERE active AND (($1::int IS NOT NULL AND role = 'provincial_supervisor' AND province_id = $1) OR ($1::int IS NULL AND role = 'national_admin'))
     ORDER BY id`,
    [provinceId],
  );
  return rows.map((r) => r.id);
}

export interface HotspotAlert {
  id: number;
  dimension: HotspotSettings['dimension'];
  subjectKey: string;
  unitId: number | null;
  unitName: string | null;
  provinceId: number | null;
  categoryId: number | null;
  namedEmployee: string | null;
  windowCount: number;
  verifiedCount: number;
  expected: number;
  pValue: number;
  peakCount: number;
  openedAt: Date;
  lastSeenAt: Date;
  closedAt: Date | null;
}

/** Alerts in the user's scope, newest first. */
export async function listAlerts(
  db: Queryable,
  user: StaffPrincipal,
  f: { open?: boolean | undefined; dimension?: string | undefined },
  limit: number,
): Promise<HotspotAlert[]> {
  const params: unknown[] = [f.open ?? null, f.dimension ?? null];
  const scope = alertScope(user, params);
  const { rows } = await db.query<HotspotAlert>(
    `SELECT a.id, a.dimension, a.subject_key AS "subjectKey", a.unit_id AS "unitId", u.name_fa AS "unitName", a.province_id AS "provinceId",
            a.category_id AS "categoryId", a.named_employee AS "namedEmployee", a.window_count AS "windowCount",
            a.verified_count AS "verifiedCount", a.expected, a.p_value AS "pValue",
            a.peak_count AS "peakCount", a.opened_at AS "openedAt", a.last_seen_at AS "lastSeenAt", a.closed_at AS "closedAt"
     FROM hotspot_alerts a LEFT JOIN units u ON u.id = a.unit_id
     WHERE ($1::boolean IS NULL OR (a.closed_at IS NULL) = $1) AND ($2::text IS NULL OR a.dimension = $2) AND ${scope}
     ORDER BY a.opened_at DESC, a.id DESC LIMIT ${param(params, limit)}`,
    params,
  );
  return rows;
}

/** A lock id of its own so that, with several instances, one scan runs at a time (the others skip the round). */
const SCAN_LOCK = 128_129;

/** Takes the scan lock until the transaction ends, if no other instance holds it; false: skip this round. */
export async function tryLockScan(tx: Queryable): Promise<boolean> {
  const { rows } = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [SCAN_LOCK]);
  return rows[0]?.locked === true;
}

/**
 * A name taken off a complaint must not live on in hotspot alerts: when no complaint at the
 * person's office still names them, their alerts lose the name and the key (which spells it) and
 * are closed. While other complaints still name them, the alert stands on that evidence.
 */
export async function forgetEmployeeInAlerts(tx: Queryable, complaintId: string, oldKey: string, now: Date): Promise<void> {
  await tx.query(
    `WITH office AS (SELECT COALESCE(responsible_unit_id, unit_id) AS id FROM complaints WHERE id = $1)
     UPDATE hotspot_alerts a SET named_employee = NULL, subject_key = 'erased:' || a.id, closed_at = COALESCE(a.closed_at, $3)
     FROM office
     WHERE a.dimension = 'employee' AND a.subject_key = office.id::text || ':' || $2
       AND NOT EXISTS (SELECT 1 FROM complaints c WHERE c.named_employee = $2 AND COALESCE(c.responsible_unit_id, c.unit_id) = office.id)`,
    [complaintId, oldKey, now],
  );
}
