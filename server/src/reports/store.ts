import { param } from '../core/sql-param.ts';
import type { Queryable } from '../db/database.ts';
import { parseHistogram } from './histogram.ts';
import type { Counts } from './measures.ts';

/** One rollup row (a month × unit × manager × agency × province), with the unit's names. */
export interface RollupRow extends Counts {
  unitId: number;
  managerId: number;
  agencyId: number;
  provinceId: number;
  unitKind: string;
  unitNameFa: string;
  unitNameEn: string;
  agencyNameFa: string | null;
  agencyNameEn: string | null;
  /** The responsible manager's name (official cards only use it). */
  managerName: string | null;
}

const COUNT_COLUMNS = `r.received, r.open, r.answered, r.answered_in_sla AS "answeredInSla", r.rejected, r.first_actioned AS "firstActioned",
  r.breaches, r.breached, r.escalations, r.escalated, r.reopened, r.rated, r.satisfied, r.dissatisfied, r.no_rating AS "noRating",
  r.verified_phone AS "verifiedPhone", r.hist_first_action::text AS "histFirstAction", r.hist_answer::text AS "histAnswer"`;

/**
 * The rollup rows of some months inside a scope condition (from auth/scope.ts reportScope,
 * written against `u` = the responsible unit and `r` = the rollup row). Reads one small row per
 * unit and month — never the complaints.
 */
export async function loadRollups(db: Queryable, monthKeys: number[], scope: { sql: string; params: unknown[] }): Promise<RollupRow[]> {
  const params = [...scope.params];
  const { rows } = await db.query<RollupRow>(
    `SELECT r.unit_id AS "unitId", r.manager_id AS "managerId", r.agency_id AS "agencyId", r.province_id AS "provinceId",
            u.kind AS "unitKind", u.name_fa AS "unitNameFa", u.name_en AS "unitNameEn", a.name_fa AS "agencyNameFa", a.name_en AS "agencyNameEn",
            s.display_name AS "managerName", ${COUNT_COLUMNS}
     FROM report_rollups r JOIN units u ON u.id = r.unit_id LEFT JOIN units a ON a.id = r.agency_id LEFT JOIN staff_users s ON s.id = r.manager_id
     WHERE r.month_key = ANY(${param(params, monthKeys)}::int[]) AND r.received <> 0 AND (${scope.sql})`,
    params,
  );
  for (const row of rows) {
    row.histFirstAction = parseHistogram(row.histFirstAction);
    row.histAnswer = parseHistogram(row.histAnswer);
  }
  return rows;
}

/** One area rollup row (a month × agency × province). */
export interface AreaRollupRow extends Counts {
  agencyId: number;
  provinceId: number;
}

/**
 * Area rollups of some months, optionally in one province: what a country's or a province's
 * aggregates need. No join here: hashing the whole unit table for twenty agency names cost more
 * than reading the rows (see loadAreaAgencyNames, which goes out beside this read).
 */
export async function loadAreaRollups(db: Queryable, monthKeys: number[], provinceId: number | null): Promise<AreaRollupRow[]> {
  const { rows } = await db.query<AreaRollupRow>(
    `SELECT r.agency_id AS "agencyId", r.province_id AS "provinceId", ${COUNT_COLUMNS}
     FROM report_area_rollups r WHERE r.month_key = ANY($1::int[]) AND ($2::int IS NULL OR r.province_id = $2) AND r.received <> 0`,
    [monthKeys, provinceId],
  );
  for (const row of rows) {
    row.histFirstAction = parseHistogram(row.histFirstAction);
    row.histAnswer = parseHistogram(row.histAnswer);
  }
  return rows;
}

export interface IndicatorRollupRow {
  indicatorId: number;
  received: number;
  answeredInSla: number;
  rated: number;
  satisfied: number;
  dissatisfied: number;
  noRating: number;
}

export interface NamedRow {
  id: number;
  nameFa: string;
  nameEn: string;
}

/** Everything small a card needs besides the rollup rows. */
export interface CardContext {
  provinces: (NamedRow & { population: number | null })[];
  /** The quality-indicator catalogue, in display order. */
  indicators: { id: number; code: string; pillar: string; nameFa: string; nameEn: string; weight: number }[];
  /** Indicator rollups summed per indicator (null when not asked for). */
  indicatorRows: IndicatorRollupRow[] | null;
  /** Names of the agencies with area rollups in the months (empty when not asked for). */
  agencyNames: NamedRow[];
  /** Services delivered per unit: `months` tells whether every month was reported. */
  volumes: Map<number, { services: number; months: number }>;
}

/**
 * The card's small reads — provinces with population, the indicator catalogue, indicator
 * rollups, agency names, services delivered — in one statement: as five statements they cost
 * more in round trips and woken backends than in work (a fifth of a country's card, measured).
 * `areaProvince`/`indicatorProvince`: null for the whole country; `areaNames`, `indicators`:
 * whether the card needs them at all.
 */
export async function loadCardContext(
  db: Queryable,
  monthKeys: number[],
  options: { areaNames: boolean; areaProvince: number | null; indicators: boolean; indicatorProvince: number | null },
): Promise<CardContext> {
  const { rows } = await db.query<{
    provinces: CardContext['provinces'];
    indicators: CardContext['indicators'];
    indicatorRows: IndicatorRollupRow[] | null;
    agencyNames: NamedRow[] | null;
    volumes: { unitId: number; services: number; months: number }[] | null;
  }>(
    `SELECT
       (SELECT json_agg(json_build_object('id', id, 'nameFa', name_fa, 'nameEn', name_en, 'population', population) ORDER BY id) FROM provinces) AS provinces,
       (SELECT coalesce(json_agg(json_build_object('id', id, 'code', code, 'pillar', pillar, 'nameFa', name_fa, 'nameEn', name_en, 'weight', weight::float8)
                                 ORDER BY sort_order, id), '[]') FROM quality_indicators) AS indicators,
       CASE WHEN $4 THEN (SELECT coalesce(json_agg(json_build_object('indicatorId', indicator_id, 'received', received, 'answeredInSla', answered_in_sla,
                                   'rated', rated, 'satisfied', satisfied, 'dissatisfied', dissatisfied, 'noRating', no_rating)), '[]')
         FROM (SELECT indicator_id, sum(received)::int AS received, sum(answered_in_sla)::int AS answered_in_sla, sum(rated)::int AS rated,
                      sum(satisfied)::int AS satisfied, sum(dissatisfied)::int AS dissatisfied, sum(no_rating)::int AS no_rating
               FROM report_indicator_rollups WHERE month_key = ANY($1::int[]) AND ($5::int IS NULL OR province_id = $5) GROUP BY indicator_id) i)
       END AS "indicatorRows",
       CASE WHEN $2 THEN (SELECT json_agg(json_build_object('id', id, 'nameFa', name_fa, 'nameEn', name_en)) FROM units
         WHERE id IN (SELECT agency_id FROM report_area_rollups WHERE month_key = ANY($1::int[]) AND ($3::int IS NULL OR province_id = $3) AND received <> 0))
       END AS "agencyNames",
       (SELECT json_agg(json_build_object('unitId', unit_id, 'services', services, 'months', months))
        FROM (SELECT unit_id, sum(services) AS services, count(*) AS months FROM service_volumes WHERE month_key = ANY($1::int[]) GROUP BY unit_id) v) AS volumes`,
    [monthKeys, options.areaNames, options.areaProvince, options.indicators, options.indicatorProvince],
  );
  const row = rows[0]!;
  return {
    provinces: row.provinces ?? [],
    indicators: row.indicators,
    indicatorRows: row.indicatorRows,
    agencyNames: row.agencyNames ?? [],
    volumes: new Map((row.volumes ?? []).map((v) => [v.unitId, { services: v.services, months: v.months }])),
  };
}

/** Sets a unit's service volume of a month, stamped `now`. */
export async function upsertServiceVolume(db: Queryable, v: { unitId: number; monthKey: number; services: number; source: string }, now: Date): Promise<void> {
  await db.query(
    `INSERT INTO service_volumes (unit_id, month_key, services, source, updated_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (unit_id, month_key) DO UPDATE SET services = EXCLUDED.services, source = EXCLUDED.source, updated_at = EXCLUDED.updated_at`,
    [v.unitId, v.monthKey, v.services, v.source, now],
  );
}

/**
 * Moves committed complaint changes (appended as deltas by the rollup trigger) into the rollups;
 * one folder at a time across instances. Returns how many deltas it moved.
 */
export async function foldRollups(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT report_rollups_fold() AS n');
  return rows[0]!.n;
}

export interface EnforcementInForce {
  unitId: number;
  unitNameFa: string;
  managerId: number;
  managerName: string;
  kind: 'warning' | 'commendation' | 'dismissal';
  count: number;
}

export interface InspectionFindings {
  unitId: number;
  unitNameFa: string;
  indicatorId: number;
  indicatorCode: string;
  inspections: number;
  averageScore: number;
  minScore: number;
}

/**
 * What an official card adds besides the complaints: enforcement actions confirmed in the period
 * (not overturned on appeal) and field-inspection findings from visits in the period, for the units
 * in `scope` (a condition on alias `u`, the unit, and `x.province_id`).
 */
export async function loadAccountability(
  db: Queryable,
  from: Date,
  to: Date,
  scope: (params: unknown[]) => string,
): Promise<{ enforcement: EnforcementInForce[]; inspections: InspectionFindings[] }> {
  const actionParams: unknown[] = [from, to];
  const actionScope = scope(actionParams);
  const findingParams: unknown[] = [from, to];
  const findingScope = scope(findingParams);
  const [actions, findings] = await Promise.all([
    db.query<EnforcementInForce>(
      `SELECT x.unit_id AS "unitId", u.name_fa AS "unitNameFa", x.manager_id AS "managerId", s.display_name AS "managerName", x.kind, count(*)::int AS count
       FROM enforcement_actions x JOIN units u ON u.id = x.unit_id JOIN staff_users s ON s.id = x.manager_id
       WHERE x.status = 'confirmed' AND x.appeal_status IS DISTINCT FROM 'overturned' AND x.decided_at >= $1 AND x.decided_at < $2 AND ${actionScope}
       GROUP BY x.unit_id, u.name_fa, x.manager_id, s.display_name, x.kind ORDER BY x.unit_id, x.manager_id, x.kind`,
      actionParams,
    ),
    db.query<InspectionFindings>(
      `SELECT x.unit_id AS "unitId", u.name_fa AS "unitNameFa", q.id AS "indicatorId", q.code AS "indicatorCode", count(*)::int AS inspections,
              round(avg(f.score), 1)::float8 AS "averageScore", min(f.score)::int AS "minScore"
       FROM inspections x JOIN inspection_findings f ON f.inspection_id = x.id JOIN quality_indicators q ON q.id = f.indicator_id JOIN units u ON u.id = x.unit_id
       WHERE x.status = 'filed' AND x.visited_at >= $1 AND x.visited_at < $2 AND ${findingScope}
       GROUP BY x.unit_id, u.name_fa, q.id, q.code, q.sort_order ORDER BY x.unit_id, q.sort_order, q.id`,
      findingParams,
    ),
  ]);
  return { enforcement: actions.rows, inspections: findings.rows };
}

/** Recomputes every rollup from the complaints (repairs, bulk loads). */
export async function rebuildRollups(db: Queryable): Promise<void> {
  await db.query('SELECT report_rollups_rebuild()');
}

export interface CardVersion {
  id: number;
  periodKind: string;
  periodKey: string;
  audience: 'public' | 'official';
  version: number;
  note: string;
  publishedAt: string;
  supersededAt: string | null;
}

type CardVersionRow = Omit<CardVersion, 'publishedAt' | 'supersededAt'> & { publishedAt: Date; supersededAt: Date | null };
function toVersion(row: CardVersionRow): CardVersion {
  return { ...row, publishedAt: row.publishedAt.toISOString(), supersededAt: row.supersededAt?.toISOString() ?? null };
}

const VERSION_COLUMNS = `id, period_kind AS "periodKind", period_key AS "periodKey", audience, version, note, published_at AS "publishedAt",
  superseded_at AS "supersededAt"`;

/**
 * Freezes a report card: the current version (if any) is marked superseded and the new one
 * becomes current, in one transaction. Old versions are never changed otherwise.
 */
export async function insertCardVersion(
  tx: Queryable,
  v: { periodKind: string; periodKey: string; audience: 'public' | 'official'; content: unknown; note: string; publishedBy: number; at: Date },
): Promise<CardVersion> {
  // Serialise publications of the same card so two never take the same version number.
  await tx.query('SELECT pg_advisory_xact_lock(128012, hashtext($1))', [`${v.periodKey}:${v.audience}`]);
  const previous = await tx.query<{ version: number }>(
    'UPDATE report_card_versions SET superseded_at = $3 WHERE period_key = $1 AND audience = $2 AND superseded_at IS NULL RETURNING version',
    [v.periodKey, v.audience, v.at],
  );
  const version = (previous.rows[0]?.version ?? 0) + 1;
  const { rows } = await tx.query<CardVersionRow>(
    `INSERT INTO report_card_versions (period_kind, period_key, audience, version, content, note, published_at, published_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${VERSION_COLUMNS}`,
    [v.periodKind, v.periodKey, v.audience, version, JSON.stringify(v.content), v.note, v.at, v.publishedBy],
  );
  return toVersion(rows[0]!);
}

/** The versions of one card, newest first. */
export async function listCardVersions(db: Queryable, periodKey: string, audience: 'public' | 'official'): Promise<CardVersion[]> {
  const { rows } = await db.query<CardVersionRow>(
    `SELECT ${VERSION_COLUMNS} FROM report_card_versions WHERE period_key = $1 AND audience = $2 ORDER BY version DESC`,
    [periodKey, audience],
  );
  return rows.map(toVersion);
}

/** A published card's frozen content: the current version, or the one asked for. */
export async function getCardContent(
  db: Queryable,
  periodKey: string,
  audience: 'public' | 'official',
  version: number | null,
): Promise<{ version: CardVersion; content: unknown } | null> {
  const { rows } = await db.query<CardVersionRow & { content: unknown }>(
    `SELECT ${VERSION_COLUMNS}, content FROM report_card_versions WHERE period_key = $1 AND audience = $2
       AND (CASE WHEN $3::int IS NULL THEN superseded_at IS NULL ELSE version = $3 END)`,
    [periodKey, audience, version],
  );
  const row = rows[0];
  if (!row) return null;
  const { content, ...meta } = row;
  return { version: toVersion(meta), content };
}

/** Every current public card (the portal's index), newest period first. */
export async function listPublishedCards(db: Queryable): Promise<CardVersion[]> {
  const { rows } = await db.query<CardVersionRow>(
    `SELECT ${VERSION_COLUMNS} FROM report_card_versions WHERE audience = 'public' AND superseded_at IS NULL ORDER BY period_key DESC`,
  );
  return rows.map(toVersion);
}

/** Every current public card's content for one kind of period (the agency history), oldest first. */
export async function publishedContents(db: Queryable, periodKind: string): Promise<{ periodKey: string; version: number; content: unknown }[]> {
  const { rows } = await db.query<{ periodKey: string; version: number; content: unknown }>(
    `SELECT period_key AS "periodKey", version, content FROM report_card_versions
     WHERE audience = 'public' AND superseded_at IS NULL AND period_kind = $1 ORDER BY period_key`,
    [periodKind],
  );
  return rows;
}
