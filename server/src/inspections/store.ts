import { AGENCY_ROLES } from '../core/roles.ts';
import { complaintScope, type StaffPrincipal, unitScope } from '../core/scope.ts';
import { param } from '../core/sql-param.ts';
import type { Queryable } from '../db/database.ts';

/** The photo types the upload pipeline stores (HEIC before 026 only: it cannot be re-encoded). */
export type PhotoType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/heic';

export interface Inspection {
  id: number;
  unitId: number;
  unitName: string;
  provinceId: number | null;
  inspectorId: number;
  inspectorName: string;
  dispatchedBy: number;
  dispatchedAt: Date;
  reason: 'cluster' | 'random';
  randomSeed: string | null;
  candidates: number | null;
  note: string | null;
  status: 'dispatched' | 'filed';
  visitedAt: Date | null;
  filedAt: Date | null;
  summary: string | null;
  complaintIds: string[];
  findings: { indicatorId: number; indicatorCode: string; score: number; notes: string }[];
  photos: { id: number; mediaType: PhotoType; bytes: number; sha256: string; uploadedAt: Date }[];
}

const SELECT = `SELECT i.id, i.unit_id AS "unitId", u.name_fa AS "unitName", i.province_id AS "provinceId", i.inspector_id AS "inspectorId",
  s.display_name AS "inspectorName", i.dispatched_by AS "dispatchedBy", i.dispatched_at AS "dispatchedAt", i.reason, i.random_seed AS "randomSeed",
  i.candidates, i.note, i.status, i.visited_at AS "visitedAt", i.filed_at AS "filedAt", i.summary,
  COALESCE((SELECT array_agg(ic.complaint_id::text ORDER BY ic.complaint_id) FROM inspection_complaints ic WHERE ic.inspection_id = i.id), '{}') AS "complaintIds",
  COALESCE((SELECT json_agg(json_build_object('indicatorId', f.indicator_id, 'indicatorCode', q.code, 'score', f.score, 'notes', f.notes) ORDER BY q.sort_order, q.id)
            FROM inspection_findings f JOIN quality_indicators q ON q.id = f.indicator_id WHERE f.inspection_id = i.id), '[]') AS findings,
  COALESCE((SELECT json_agg(json_build_object('id', p.id, 'mediaType', p.media_type, 'bytes', p.bytes, 'sha256', p.sha256, 'uploadedAt', p.uploaded_at) ORDER BY p.id)
            FROM inspection_photos p WHERE p.inspection_id = i.id), '[]') AS photos
  FROM inspections i JOIN units u ON u.id = i.unit_id JOIN staff_users s ON s.id = i.inspector_id`;

/**
 * Readers in scope, except that the office's own staff see an inspection only once it is filed:
 * a visit announced to the office in advance is no longer a surprise.
 */
function readScope(user: StaffPrincipal, params: unknown[]): string {
  const scope = unitScope(user, params, 'i');
  return AGENCY_ROLES.includes(user.role) ? `(${scope} AND i.status = 'filed')` : scope;
}

type Row = Omit<Inspection, 'photos'> & { photos: (Omit<Inspection['photos'][number], 'uploadedAt'> & { uploadedAt: string })[] };
const toInspection = (r: Row): Inspection => ({ ...r, photos: r.photos.map((p) => ({ ...p, uploadedAt: new Date(p.uploadedAt) })) });

/** Complaints the dispatcher may see, with where each one is now. */
export async function complaintsInScope(db: Queryable, user: StaffPrincipal, ids: string[]): Promise<{ id: string; unitId: number | null }[]> {
  const params: unknown[] = [ids];
  const { rows } = await db.query<{ id: string; unitId: number | null }>(
    `SELECT c.id, c.unit_id AS "unitId" FROM complaints c WHERE c.id = ANY($1::uuid[]) AND ${complaintScope(user, params)}`,
    params,
  );
  return rows;
}

/** The complaints with these tracking codes that the user may see (scope in SQL: one outside it is simply not returned). */
export async function complaintsByCodeInScope(
  db: Queryable,
  user: StaffPrincipal,
  codes: string[],
): Promise<{ id: string; trackingCode: string; unitId: number | null }[]> {
  const params: unknown[] = [codes];
  const { rows } = await db.query<{ id: string; trackingCode: string; unitId: number | null }>(
    `SELECT c.id, c.tracking_code AS "trackingCode", c.unit_id AS "unitId" FROM complaints c WHERE c.tracking_code = ANY($1::text[]) AND ${complaintScope(user, params)}`,
    params,
  );
  return rows;
}

/** The people the user may send on an inspection, by name (the same rule as eligibleInspector, for the user's province). */
export async function inspectorsFor(db: Queryable, user: StaffPrincipal): Promise<{ id: number; displayName: string; role: string }[]> {
  const { rows } = await db.query<{ id: number; displayName: string; role: string }>(
    `SELECT id, display_name AS "displayName", role FROM staff_users
     WHERE active AND (role = 'national_admin' OR (role IN ('provincial_supervisor', 'auditor') AND ($1::int IS NULL OR province_id IS NULL OR province_id = $1)))
     ORDER BY display_name, id`,
    [user.provinceId],
  );
  return rows;
}

/** Offices a random inspection may draw from: active county offices and provincial directorates in scope, by id. */
export async function randomCandidates(db: Queryable, user: StaffPrincipal, provinceId: number | null): Promise<number[]> {
  const params: unknown[] = [provinceId];
  const { rows } = await db.query<{ id: number }>(
    `SELECT a.id FROM (SELECT id, path AS unit_path, province_id, kind, active FROM units) a
     WHERE a.active AND a.kind IN ('county_office', 'provincial_directorate') AND ($1::int IS NULL OR a.province_id = $1) AND ${unitScope(user, params)}
     ORDER BY a.id`,
    params,
  );
  return rows.map((r) => r.id);
}

/** Who may inspect an office: the supervision group of its province, national auditors, the national centre. */
export async function eligibleInspector(db: Queryable, inspectorId: number, provinceId: number | null): Promise<boolean> {
  const { rowCount } = await db.query(
    `SELECT 1 FROM staff_users WHERE id = $1 AND active AND (
       role = 'national_admin' OR (role IN ('provincial_supervisor', 'auditor') AND (province_id IS NULL OR province_id = $2)))`,
    [inspectorId, provinceId],
  );
  return rowCount === 1;
}

export async function insertInspection(
  db: Queryable,
  i: {
    unit: { id: number; path: string; provinceId: number | null };
    inspectorId: number;
    dispatchedBy: number;
    reason: 'cluster' | 'random';
    randomSeed: string | null;
    candidates: number | null;
    note: string | null;
    complaintIds: string[];
    now: Date;
  },
): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO inspections (unit_id, unit_path, province_id, inspector_id, dispatched_by, dispatched_at, reason, random_seed, candidates, note)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
    [i.unit.id, i.unit.path, i.unit.provinceId, i.inspectorId, i.dispatchedBy, i.now, i.reason, i.randomSeed, i.candidates, i.note],
  );
  const id = rows[0]!.id;
  if (i.complaintIds.length) {
    await db.query('INSERT INTO inspection_complaints (inspection_id, complaint_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING', [
      id,
      i.complaintIds,
    ]);
  }
  return id;
}

/** One inspection, if the user is its inspector or a reader in scope. */
export async function findInspection(
  db: Queryable,
  id: number,
  user: StaffPrincipal,
  options: { readScope: boolean; forUpdate?: boolean },
): Promise<Inspection | null> {
  const params: unknown[] = [id, user.id];
  const scope = options.readScope ? readScope(user, params) : 'FALSE';
  const { rows } = await db.query<Row>(`${SELECT} WHERE i.id = $1 AND (i.inspector_id = $2 OR ${scope})${options.forUpdate ? ' FOR UPDATE OF i' : ''}`, params);
  return rows[0] ? toInspection(rows[0]) : null;
}

export interface InspectionFilter {
  unitId?: number | undefined;
  status?: 'dispatched' | 'filed' | undefined;
  mine?: boolean | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** Inspections in scope (or the user's own as inspector), newest first. */
export async function listInspections(db: Queryable, user: StaffPrincipal, f: InspectionFilter, mayRead: boolean, limit: number): Promise<Inspection[]> {
  const params: unknown[] = [user.id];
  const where = [f.mine || !mayRead ? 'i.inspector_id = $1' : `(i.inspector_id = $1 OR ${readScope(user, params)})`];
  const add = (sql: string, value: unknown) => where.push(sql.replace('?', param(params, value)));
  if (f.unitId) add('i.unit_id = ?', f.unitId);
  if (f.status) add('i.status = ?', f.status);
  if (f.from) add('i.dispatched_at >= ?', f.from);
  if (f.to) add('i.dispatched_at < ?', f.to);
  const { rows } = await db.query<Row>(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY i.dispatched_at DESC, i.id DESC LIMIT ${param(params, limit)}`, params);
  return rows.map(toInspection);
}

/** The active quality indicators (findings must cover each exactly once). */
export async function activeIndicatorIds(db: Queryable): Promise<number[]> {
  return (await db.query<{ id: number }>('SELECT id FROM quality_indicators WHERE active ORDER BY id')).rows.map((r) => r.id);
}

export async function saveFindings(
  db: Queryable,
  id: number,
  f: { visitedAt: Date; summary: string | null; findings: { indicatorId: number; score: number; notes: string }[]; now: Date },
): Promise<boolean> {
  const r = await db.query(`UPDATE inspections SET status = 'filed', filed_at = $2, visited_at = $3, summary = $4 WHERE id = $1 AND status = 'dispatched'`, [
    id,
    f.now,
    f.visitedAt,
    f.summary,
  ]);
  if (r.rowCount !== 1) return false;
  await db.query(
    `INSERT INTO inspection_findings (inspection_id, indicator_id, score, notes)
     SELECT $1, x."indicatorId", x.score, x.notes FROM jsonb_to_recordset($2::jsonb) AS x("indicatorId" int, score int, notes text)`,
    [id, JSON.stringify(f.findings)],
  );
  return true;
}

export async function insertPhoto(
  db: Queryable,
  p: { inspectionId: number; storageKey: string; mediaType: PhotoType; bytes: number; sha256: string; uploadedBy: number },
): Promise<{ id: number; uploadedAt: Date }> {
  const { rows } = await db.query<{ id: number; uploadedAt: Date }>(
    `INSERT INTO inspection_photos (inspection_id, storage_key, media_type, bytes, sha256, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING id, uploaded_at AS "uploadedAt"`,
    [p.inspectionId, p.storageKey, p.mediaType, p.bytes, p.sha256, p.uploadedBy],
  );
  return rows[0]!;
}

export async function photoKey(db: Queryable, inspectionId: number, photoId: number): Promise<{ storageKey: string; mediaType: PhotoType } | null> {
  const { rows } = await db.query<{ storageKey: string; mediaType: PhotoType }>(
    'SELECT storage_key AS "storageKey", media_type AS "mediaType" FROM inspection_photos WHERE id = $1 AND inspection_id = $2',
    [photoId, inspectionId],
  );
  return rows[0] ?? null;
}

export interface FindingsSummaryRow {
  unitId: number;
  unitName: string;
  indicatorId: number;
  indicatorCode: string;
  inspections: number;
  averageScore: number;
  minScore: number;
}

/**
 * Filed findings per office and quality indicator, visited in [from, to): what report cards read.
 * Scoped like every read about a unit.
 */
export async function findingsSummary(
  db: Queryable,
  user: StaffPrincipal,
  f: { unitId?: number | undefined; from: string; to: string },
): Promise<FindingsSummaryRow[]> {
  const params: unknown[] = [f.from, f.to, f.unitId ?? null];
  const { rows } = await db.query<FindingsSummaryRow>(
    `SELECT i.unit_id AS "unitId", u.name_fa AS "unitName", q.id AS "indicatorId", q.code AS "indicatorCode",
            count(*)::int AS inspections, round(avg(f.score), 1)::float8 AS "averageScore", min(f.score)::int AS "minScore"
     FROM inspections i JOIN inspection_findings f ON f.inspection_id = i.id JOIN quality_indicators q ON q.id = f.indicator_id JOIN units u ON u.id = i.unit_id
     WHERE i.status = 'filed' AND i.visited_at >= $1 AND i.visited_at < $2 AND ($3::int IS NULL OR i.unit_id = $3) AND ${unitScope(user, params, 'i')}
     GROUP BY i.unit_id, u.name_fa, q.id, q.code, q.sort_order ORDER BY i.unit_id, q.sort_order, q.id`,
    params,
  );
  return rows;
}
