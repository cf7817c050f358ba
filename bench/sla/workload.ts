import type pg from 'pg';
import { normalizePersianText } from '../../server/src/domain/persian-text.ts';
import { COMPLAINTS, LEAD_SECONDS, WINDOW_SECONDS } from './settings.ts';

// ── The workload: N complaints, each with one breach timer inside the window ───────────────

export const DESCRIPTIONS = [
  'ساعت ۱۰ صبح به اداره مراجعه کردم؛ کارمند باجهٔ ۳ پشت میز نبود و کسی هم جایش نبود. یک ساعت است منتظرم.',
  'سه هفته است برای یک امضا مرا از این میز به آن میز می‌فرستند و هر بار می‌گویند فردا بیایید.',
  'سامانهٔ نوبت‌دهی از صبح قطع است و هیچ کاری انجام نمی‌شود؛ به مراجعان هم توضیحی نمی‌دهند.',
  'کارمند با من بی‌احترامی کرد و پرونده‌ام را بدون هیچ توضیحی پس داد.',
];

export interface Office {
  id: number;
  path: string;
  agencyId: number;
  provinceId: number;
  countyId: number;
}

export interface Workload {
  offices: Office[];
  categoryId: number;
  policyId: number;
  /** The bench's breach timers are the ids from first to last (the demo seed's come before, escalations add more after). */
  firstTimerId: number;
  lastTimerId: number;
  /** The first deadline (ms since the epoch); the others follow evenly over the window. */
  windowStart: number;
}

/** Complaint i's id, the same expression in every statement so the rows join up without a round trip. */
export const ID = `md5('foad-sla-bench-' || i)::uuid`;

/**
 * Writes the complaints set-based: complaints, contacts, first events, then the timers (due from
 * `windowStart`). Each statement is one INSERT … SELECT over generate_series(1, N).
 */
export async function loadComplaints(pool: pg.Pool): Promise<Workload> {
  // Every demo county office, with its directorate's parent as the agency (where routing sends complaints).
  const offices = (
    await pool.query<Office>(
      `SELECT u.id, u.path, d.parent_id AS "agencyId", u.province_id AS "provinceId", u.county_id AS "countyId"
       FROM units u JOIN units d ON d.id = u.parent_id
       WHERE u.kind = 'county_office' AND u.active AND d.kind = 'provincial_directorate' ORDER BY u.id`,
    )
  ).rows;
  if (offices.length === 0) throw new Error('no county offices in the demo seed');
  const urgent = (
    await pool.query<{ categoryId: number; policyId: number }>(
      `SELECT c.id AS "categoryId", p.id AS "policyId" FROM categories c
       JOIN sla_policies p ON p.category_id = c.id AND p.agency_id IS NULL AND p.superseded_at IS NULL
       WHERE c.active AND c.urgent ORDER BY c.sort_order, c.id LIMIT 1`,
    )
  ).rows[0];
  if (!urgent) throw new Error('no active policy for an urgent seed category');
  const placeArrays = [
    offices.map((o) => o.id),
    offices.map((o) => o.path),
    offices.map((o) => o.agencyId),
    offices.map((o) => o.provinceId),
    offices.map((o) => o.countyId),
  ];
  // Complaint i goes to office i mod the number of offices.
  const at = (n: number) => `($${n}::${n === 2 ? 'text' : 'int'}[])[1 + i % ${offices.length}]`;
  const series = `FROM generate_series(1, ${COMPLAINTS}) AS i`;
  const filedAt = `now() - interval '3 hours'`;

  await pool.query(
    `INSERT INTO complaints (id, tracking_code, channel, status, agency_id, unit_id, unit_path, office_text, province_id, county_id,
       category_id, urgent, description, confidential, language, country, last_seq, head_hash, created_at, updated_at, sla_policy_id)
     SELECT ${ID}, '8' || lpad(i::text, 11, '0'), 'web', 'referred', ${at(3)}, ${at(1)}, ${at(2)}, NULL, ${at(4)}, ${at(5)},
       $6, true, ($8::text[])[1 + i % 4], false, 'fa', 'IR', 1, md5('foad-sla-e1-' || i) || md5('foad-sla-e1b-' || i),
       ${filedAt}, ${filedAt}, $7
     ${series}`,
    [...placeArrays, urgent.categoryId, urgent.policyId, DESCRIPTIONS.map(normalizePersianText)],
  );
  await pool.query(`INSERT INTO complainant_contacts (complaint_id, phone) SELECT ${ID}, '+98912' || lpad((i % 10000000)::text, 7, '0') ${series}`);
  await pool.query(
    `INSERT INTO complaint_events (complaint_id, seq, type, actor_kind, actor_id, data, created_at, prev_hash, hash)
     SELECT c.id, 1, 'received', 'citizen', NULL,
       jsonb_build_object('trackingCode', c.tracking_code, 'channel', 'web', 'agencyId', c.agency_id, 'officeText', NULL,
         'provinceId', c.province_id, 'countyId', c.county_id, 'categoryId', c.category_id, 'serviceId', NULL, 'urgent', true,
         'description', c.description, 'location', NULL, 'confidential', false, 'language', 'fa', 'country', 'IR'),
       c.created_at, $1, c.head_hash
     ${series} JOIN complaints c ON c.id = ${ID}`,
    ['0'.repeat(64)],
  );

  // The timers, and the complaints' own deadline (the timer's, as the referral would have set it),
  // in one statement; the window starts a fixed lead from here, whatever the seeding took.
  const windowStart = Date.now() + LEAD_SECONDS * 1000;
  const fireAt = `$1::timestamptz + ((i - 1) * ${WINDOW_SECONDS * 1000}::float8 / ${COMPLAINTS}) * interval '1 millisecond'`;
  const { rows } = await pool.query<{ first: number; last: number }>(
    `WITH t AS (
       INSERT INTO sla_timers (complaint_id, kind, stage, fraction, fire_at, due_at, unit_id)
       SELECT ${ID}, 'answer', 'breach', 1, ${fireAt}, ${fireAt}, ($2::int[])[1 + i % ${offices.length}] ${series}
       RETURNING id, complaint_id, due_at),
     c AS (UPDATE complaints c SET due_at = t.due_at FROM t WHERE c.id = t.complaint_id)
     SELECT min(id)::int AS first, max(id)::int AS last FROM t`,
    [new Date(windowStart), placeArrays[0]],
  );
  // As a long-running database would be: statistics known, the bulk load's dead rows gone.
  await pool.query('VACUUM ANALYZE complaints, complainant_contacts, complaint_events, sla_timers');
  return { offices, categoryId: urgent.categoryId, policyId: urgent.policyId, firstTimerId: rows[0]!.first, lastTimerId: rows[0]!.last, windowStart };
}
