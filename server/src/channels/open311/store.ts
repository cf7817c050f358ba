import { param } from '../../core/sql-param.ts';
import type { Queryable } from '../../db/database.ts';
import type { STATUS_FA } from '../status-text.ts';

/** A complaint as GeoReport shows it: only what is public. */
export interface RequestRow {
  publicId: string;
  status: keyof typeof STATUS_FA;
  code: string | null;
  name: string | null;
  unit: string | null;
  county: string | null;
  province: string | null;
  createdAt: Date;
  updatedAt: Date;
  dueAt: Date | null;
  lat: number | null;
  lng: number | null;
}

const REQUEST_SQL = `SELECT c.public_id AS "publicId", c.status, ca.code, ca.name_fa AS name, u.name_fa AS unit, co.name_fa AS county,
      pr.name_fa AS province, c.created_at AS "createdAt", c.updated_at AS "updatedAt", c.due_at AS "dueAt",
      c.location_lat AS lat, c.location_lng AS lng
    FROM complaints c LEFT JOIN categories ca ON ca.id = c.category_id LEFT JOIN units u ON u.id = c.unit_id
      LEFT JOIN counties co ON co.id = c.county_id LEFT JOIN provinces pr ON pr.id = c.province_id
    WHERE c.public_listing AND NOT c.confidential`;

/** Which public requests to list: by public id (overrides the rest), or by service code, status and time window. */
export interface RequestFilter {
  publicIds?: string[];
  codes?: string[];
  statuses?: string[];
  from?: Date;
  to?: Date;
}

/** Public requests (listed by consent, never confidential), newest first, at most 1,000. */
export async function findRequests(db: Queryable, f: RequestFilter): Promise<RequestRow[]> {
  const params: unknown[] = [];
  const p = (v: unknown) => param(params, v);
  const where: string[] = [];
  if (f.publicIds) where.push(`c.public_id = ANY(${p(f.publicIds)}::text[])`);
  if (f.codes) where.push(`ca.code = ANY(${p(f.codes)}::text[])`);
  if (f.statuses) where.push(`c.status = ANY(${p(f.statuses)}::text[])`);
  if (f.from) where.push(`c.created_at >= ${p(f.from)}`);
  if (f.to) where.push(`c.created_at <= ${p(f.to)}`);
  const { rows } = await db.query<RequestRow>(`${REQUEST_SQL} AND ${where.join(' AND ')} ORDER BY c.created_at DESC LIMIT 1000`, params);
  return rows;
}

/** The public id of a complaint an Open311 app filed, by the token (the complaint id) it was given. */
export async function publicIdOfOpen311Token(db: Queryable, token: string): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>('SELECT public_id AS id FROM complaints WHERE id = $1 AND channel = $2', [token, 'open311']);
  return rows[0]?.id ?? null;
}

/** The public id of a complaint. */
export async function publicIdOf(db: Queryable, complaintId: string): Promise<string> {
  return (await db.query<{ id: string }>('SELECT public_id AS id FROM complaints WHERE id = $1', [complaintId])).rows[0]!.id;
}

/** The active Open311 app holding this API key hash, if any. */
export async function activeClient(db: Queryable, apiKeyHash: string): Promise<{ id: number } | undefined> {
  return (await db.query<{ id: number }>('SELECT id FROM open311_clients WHERE api_key_hash = $1 AND active', [apiKeyHash])).rows[0];
}

/** A province by its Persian name. */
export async function provinceIdByName(db: Queryable, nameFa: string): Promise<number | undefined> {
  return (await db.query<{ id: number }>('SELECT id FROM provinces WHERE name_fa = $1', [nameFa])).rows[0]?.id;
}
