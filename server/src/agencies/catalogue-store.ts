import type { Queryable } from '../db/database.ts';

export interface Indicator {
  id: number;
  code: string;
  pillar: 'ease' | 'continuity' | 'dignity';
  nameFa: string;
  nameEn: string;
  sortOrder: number;
  active: boolean;
  /** Weight of the indicator in its pillar's score (report cards). */
  weight: number;
}
export interface Category {
  id: number;
  code: string;
  nameFa: string;
  nameEn: string;
  descriptionFa: string;
  descriptionEn: string;
  indicatorId: number;
  indicatorCode: string;
  urgent: boolean;
  answerHours: number;
  sortOrder: number;
  active: boolean;
  /** Closure with evidence: staff cannot answer without attaching a photo from the office. */
  answerNeedsEvidence: boolean;
}
export interface Service {
  id: number;
  agencyId: number;
  code: string;
  nameFa: string;
  nameEn: string;
  active: boolean;
}

const CATEGORY_COLUMNS = `c.id, c.code, c.name_fa AS "nameFa", c.name_en AS "nameEn", c.description_fa AS "descriptionFa",
  c.description_en AS "descriptionEn", c.indicator_id AS "indicatorId", i.code AS "indicatorCode", c.urgent,
  c.answer_hours AS "answerHours", c.sort_order AS "sortOrder", c.active, c.answer_needs_evidence AS "answerNeedsEvidence"`;

export async function listIndicators(db: Queryable): Promise<Indicator[]> {
  const { rows } = await db.query<Indicator>(
    `SELECT id, code, pillar, name_fa AS "nameFa", name_en AS "nameEn", sort_order AS "sortOrder", active, weight::float8 AS weight
     FROM quality_indicators ORDER BY sort_order, id`,
  );
  return rows;
}

export async function listCategories(db: Queryable, includeInactive = false): Promise<Category[]> {
  const { rows } = await db.query<Category>(
    `SELECT ${CATEGORY_COLUMNS} FROM categories c JOIN quality_indicators i ON i.id = c.indicator_id
     ${includeInactive ? '' : 'WHERE c.active'} ORDER BY c.sort_order, c.id`,
  );
  return rows;
}

export async function getCategory(db: Queryable, id: number): Promise<Category | null> {
  const { rows } = await db.query<Category>(`SELECT ${CATEGORY_COLUMNS} FROM categories c JOIN quality_indicators i ON i.id = c.indicator_id WHERE c.id = $1`, [
    id,
  ]);
  return rows[0] ?? null;
}

export interface NewIndicator {
  code: string;
  pillar: Indicator['pillar'];
  nameFa: string;
  nameEn: string;
  sortOrder: number;
}
export async function insertIndicator(db: Queryable, i: NewIndicator): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    'INSERT INTO quality_indicators (code, pillar, name_fa, name_en, sort_order) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [i.code, i.pillar, i.nameFa, i.nameEn, i.sortOrder],
  );
  return rows[0]!.id;
}

export interface NewCategory {
  code: string;
  nameFa: string;
  nameEn: string;
  descriptionFa: string;
  descriptionEn: string;
  indicatorId: number;
  urgent: boolean;
  answerHours: number;
  sortOrder: number;
}
export async function insertCategory(db: Queryable, c: NewCategory): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO categories (code, name_fa, name_en, description_fa, description_en, indicator_id, urgent, answer_hours, sort_order)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [c.code, c.nameFa, c.nameEn, c.descriptionFa, c.descriptionEn, c.indicatorId, c.urgent, c.answerHours, c.sortOrder],
  );
  return rows[0]!.id;
}

/** The national centre reconfigures an indicator (its pillar, names, order, weight, or retires it). Null when absent. */
export async function updateIndicator(
  db: Queryable,
  id: number,
  change: Partial<Pick<Indicator, 'pillar' | 'nameFa' | 'nameEn' | 'sortOrder' | 'active' | 'weight'>>,
): Promise<Indicator | null> {
  const { rowCount } = await db.query(
    `UPDATE quality_indicators SET pillar = COALESCE($2, pillar), name_fa = COALESCE($3, name_fa), name_en = COALESCE($4, name_en),
       sort_order = COALESCE($5, sort_order), active = COALESCE($6, active), weight = COALESCE($7, weight) WHERE id = $1`,
    [id, change.pillar ?? null, change.nameFa ?? null, change.nameEn ?? null, change.sortOrder ?? null, change.active ?? null, change.weight ?? null],
  );
  if (rowCount !== 1) return null;
  return (await listIndicators(db)).find((i) => i.id === id) ?? null;
}

/**
 * Maps a category to another indicator (or renames, retires it). Complaints already classified
 * keep the indicator they were counted under; new ones follow the new mapping.
 */
export async function updateCategory(
  db: Queryable,
  id: number,
  change: {
    indicatorId?: number | undefined;
    nameFa?: string | undefined;
    nameEn?: string | undefined;
    active?: boolean | undefined;
    answerNeedsEvidence?: boolean | undefined;
  },
): Promise<Category | null> {
  const { rowCount } = await db.query(
    `UPDATE categories SET indicator_id = COALESCE($2, indicator_id), name_fa = COALESCE($3, name_fa), name_en = COALESCE($4, name_en),
       active = COALESCE($5, active), answer_needs_evidence = COALESCE($6, answer_needs_evidence) WHERE id = $1`,
    [id, change.indicatorId ?? null, change.nameFa ?? null, change.nameEn ?? null, change.active ?? null, change.answerNeedsEvidence ?? null],
  );
  return rowCount === 1 ? getCategory(db, id) : null;
}

/** Whether every code names an active quality indicator (a citizen's "what failed" list). */
export async function activeIndicatorCodesExist(db: Queryable, codes: string[]): Promise<boolean> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM quality_indicators WHERE active AND code = ANY($1::text[])', [codes]);
  return rows[0]!.n === codes.length;
}

export async function indicatorExists(db: Queryable, id: number): Promise<boolean> {
  return (await db.query('SELECT 1 FROM quality_indicators WHERE id = $1', [id])).rowCount === 1;
}

export async function listServices(db: Queryable, agencyId?: number): Promise<Service[]> {
  const { rows } = await db.query<Service>(
    `SELECT id, agency_id AS "agencyId", code, name_fa AS "nameFa", name_en AS "nameEn", active FROM services
     WHERE active AND ($1::int IS NULL OR agency_id = $1) ORDER BY name_fa`,
    [agencyId ?? null],
  );
  return rows;
}

export async function getService(db: Queryable, id: number): Promise<Service | null> {
  const { rows } = await db.query<Service>(
    'SELECT id, agency_id AS "agencyId", code, name_fa AS "nameFa", name_en AS "nameEn", active FROM services WHERE id = $1',
    [id],
  );
  return rows[0] ?? null;
}

export async function insertService(db: Queryable, s: { agencyId: number; code: string; nameFa: string; nameEn: string }): Promise<number> {
  const { rows } = await db.query<{ id: number }>('INSERT INTO services (agency_id, code, name_fa, name_en) VALUES ($1, $2, $3, $4) RETURNING id', [
    s.agencyId,
    s.code,
    s.nameFa,
    s.nameEn,
  ]);
  return rows[0]!.id;
}
