import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import { parsePeriod, periodBounds } from '../../server/src/domain/jalali-periods.ts';

/**
 * A year of national data, set-based: an agency tree over the 31 provinces, then N complaints of
 * Jalali year 1404 in chunks (INSERT … SELECT over generate_series), each with its contact, its
 * events (~8.5 on average) and, while open, its answer deadline.
 *
 * Skew: a complaint's province is drawn by population (provinces.population: Tehran ~16%), its
 * county uniformly inside the province, its agency from a Zipf law over AGENCIES agencies (the
 * first takes ~30%). Open complaints are the recent ones: P(open) grows as t³ over the year
 * (t = 0 at Farvardin 1st, 1 at Esfand's end), scaled so that `openShare` of all are open.
 *
 * Bulk path, stated: the load runs with `session_replication_role = replica` (no per-row
 * triggers — neither the rollup, responsibility and full-text triggers nor the foreign-key
 * checks), the columns those triggers fill are written as they would write them, and
 * `report_rollups_rebuild()` fills the rollups afterwards. The big secondary indexes of
 * complaints and complaint_events are dropped before the load and rebuilt after from their
 * own definitions (pg_get_indexdef / pg_get_constraintdef), so the schema ends as the
 * migrations made it. The bulk events' hashes are unique placeholders linked prev → hash but
 * not computed with the chain key: only complaints filed through the app are verifiable.
 */

export const YEAR = parsePeriod('1404')!;
export const AGENCIES = 12;
/** Bulk tracking codes start with 1; codes the bench makes valid later start with 9, so they never collide. */
export const bulkCode = (g: string) => `(100000000000 + ${g})::text`;

export interface GenerateOptions {
  complaints: number;
  chunk: number;
  /** Fraction of complaints still open at the end of the year (1 M of 6 M: 1/6). */
  openShare: number;
  log?: (line: string) => void;
}

export interface GenerateTimings {
  treeSeconds: number;
  complaintsSeconds: number;
  indexSeconds: number;
  rollupSeconds: number;
  analyzeSeconds: number;
}

type Query = (text: string, values?: unknown[]) => Promise<pg.QueryResult>;

/** The agency tree (ministry → organisation → directorate per province → office per county), with inspection heads and the pick tables. */
async function buildTree(q: Query) {
  await q(
    `INSERT INTO units (id, code, kind, name_fa, name_en, name_search, path, depth)
     SELECT id, 'nat-m-' || g, 'ministry', 'وزارت ملی ' || g, 'National ministry ' || g, 'وزارت ملی ' || g, '/' || id || '/', 1
     FROM (SELECT nextval('units_id_seq') AS id, g FROM generate_series(1, $1) g) m`,
    [AGENCIES],
  );
  await q(
    `INSERT INTO units (id, code, parent_id, kind, name_fa, name_en, name_search, path, depth)
     SELECT nextval('units_id_seq'), 'nat-o-' || substr(m.code, 7), m.id, 'organisation', 'سازمان ملی ' || substr(m.code, 7),
            'National organisation ' || substr(m.code, 7), 'سازمان ملی', '', 2
     FROM units m WHERE m.code LIKE 'nat-m-%'`,
  );
  await q(`UPDATE units o SET path = m.path || o.id || '/' FROM units m WHERE o.parent_id = m.id AND o.code LIKE 'nat-o-%'`);
  await q(
    `INSERT INTO units (id, code, parent_id, kind, name_fa, name_en, name_search, province_id, path, depth)
     SELECT nextval('units_id_seq'), 'nat-d-' || o.id || '-' || p.id, o.id, 'provincial_directorate', 'ادارهٔ کل ' || o.id || ' ' || p.name_fa,
            '', 'اداره کل', p.id, '', 3
     FROM units o CROSS JOIN provinces p WHERE o.code LIKE 'nat-o-%'`,
  );
  await q(`UPDATE units d SET path = o.path || d.id || '/' FROM units o WHERE d.parent_id = o.id AND d.code LIKE 'nat-d-%'`);
  await q(
    `INSERT INTO units (id, code, parent_id, kind, name_fa, name_en, name_search, province_id, county_id, path, depth)
     SELECT nextval('units_id_seq'), 'nat-c-' || d.id || '-' || c.id, d.id, 'county_office', 'ادارهٔ ' || c.name_fa, '', 'اداره', c.province_id, c.id, d.path, 4
     FROM units d JOIN counties c ON c.province_id = d.province_id WHERE d.code LIKE 'nat-d-%'`,
  );
  await q(`UPDATE units SET path = path || id || '/' WHERE code LIKE 'nat-c-%'`);
  await q(
    `INSERT INTO staff_users (username, display_name, password_hash, role, unit_id)
     SELECT 'nhead-' || id, 'مسئول بازرسی ' || id, 'x', 'inspection_head', id FROM units WHERE code ~ '^nat-[dc]-'`,
  );
  await q(`UPDATE units u SET inspection_head_id = s.id FROM staff_users s WHERE s.unit_id = u.id AND u.code ~ '^nat-[dc]-'`);
  // Pick tables: 10,000 buckets by population for the province, 1,000 by Zipf (s = 1.1) for the agency.
  await q(
    `CREATE TABLE national_province_pick AS
     WITH p AS (SELECT id, sum(coalesce(population, 100000)) OVER (ORDER BY id)::float8 / sum(coalesce(population, 100000)) OVER () AS cum FROM provinces)
     SELECT b, (SELECT id FROM p WHERE p.cum > b / 10000.0 ORDER BY p.cum LIMIT 1) AS province_id FROM generate_series(0, 9999) b`,
  );
  await q(
    `CREATE TABLE national_agency_pick AS
     WITH a AS (SELECT k, sum(1 / k ^ 1.1) OVER (ORDER BY k) / sum(1 / k ^ 1.1) OVER () AS cum FROM generate_series(1, ${AGENCIES}) k)
     SELECT b, (SELECT k FROM a WHERE a.cum > b / 1000.0 ORDER BY a.cum LIMIT 1) AS agency_k FROM generate_series(0, 999) b`,
  );
  await q(
    `CREATE TABLE national_counties AS
     SELECT province_id, (row_number() OVER (PARTITION BY province_id ORDER BY id) - 1)::int AS k, id AS county_id,
            count(*) OVER (PARTITION BY province_id)::int AS n FROM counties`,
  );
  await q(
    `CREATE TABLE national_offices AS
     SELECT substr(m.code, 7)::int AS agency_k, u.county_id, u.id AS unit_id, u.path, o.id AS agency_id, u.province_id, u.inspection_head_id AS head_id
     FROM units u JOIN units d ON d.id = u.parent_id JOIN units o ON o.id = d.parent_id JOIN units m ON m.id = o.parent_id WHERE u.code LIKE 'nat-c-%'`,
  );
  await q(
    `CREATE TABLE national_categories AS
     SELECT (row_number() OVER (ORDER BY c.id) - 1)::int AS k, c.id AS category_id, c.indicator_id, c.urgent, c.answer_hours,
            (SELECT p.id FROM sla_policies p WHERE p.category_id = c.id AND p.agency_id IS NULL AND p.superseded_at IS NULL ORDER BY p.id LIMIT 1) AS policy_id,
            count(*) OVER ()::int AS n
     FROM categories c WHERE c.active`,
  );
  for (const t of [
    'national_province_pick (b)',
    'national_agency_pick (b)',
    'national_counties (province_id, k)',
    'national_offices (agency_k, county_id)',
    'national_categories (k)',
  ]) {
    await q(`CREATE UNIQUE INDEX ON ${t}`);
  }
}

/** Drops the big secondary indexes and unique constraints of the bulk tables; returns the statements that make them again. */
async function dropBulkIndexes(q: Query): Promise<string[]> {
  const { rows: constraints } = await q(
    `SELECT conrelid::regclass::text AS t, conname, pg_get_constraintdef(oid) AS def FROM pg_constraint
     WHERE conrelid IN ('complaint_events'::regclass, 'complaints'::regclass, 'complainant_contacts'::regclass, 'sla_timers'::regclass)
       AND contype = 'u'`,
  );
  const { rows: indexes } = await q(
    `SELECT indexname, indexdef FROM pg_indexes i
     WHERE tablename IN ('complaint_events', 'complaints', 'complainant_contacts', 'sla_timers') AND schemaname = 'public'
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`,
  );
  const remake: string[] = [];
  for (const c of constraints) {
    await q(`ALTER TABLE ${c.t} DROP CONSTRAINT ${c.conname}`);
    remake.push(`ALTER TABLE ${c.t} ADD CONSTRAINT ${c.conname} ${c.def}`);
  }
  for (const i of indexes) {
    await q(`DROP INDEX ${i.indexname}`);
    remake.push(i.indexdef);
  }
  return remake;
}

/** A bulk event's placeholder hash: unique, linked prev → hash, not computed with the chain key. */
const hash = (seq: string) => `md5(r.id::text || '/' || ${seq}) || md5(${seq} || '/' || r.id::text)`;

/** Each chunk row's events: received, referred, the escalation and the reopening (dissatisfied, objected) where the
 * counters say so, then the work; the last is what the status says. */
async function insertEvents(q: Query) {
  await q(
    `INSERT INTO complaint_events (complaint_id, seq, type, actor_kind, actor_id, data, created_at, prev_hash, hash)
     SELECT r.id, s.seq,
        CASE WHEN s.seq = 1 THEN 'received' WHEN s.seq = 2 THEN 'referred'
             WHEN s.seq = r.events AND r.status = 'closed' THEN 'closed' WHEN s.seq = r.events AND r.status = 'rejected' THEN 'rejected'
             WHEN s.seq = r.events AND r.status = 'answered' THEN 'answered'
             WHEN s.seq <= 2 + r.extra THEN (ARRAY['escalated', 'rated_not_satisfied', 'objected'])[s.seq - 1 - r.escalated]
             WHEN s.seq - r.extra = 3 THEN 'assigned' WHEN s.seq - r.extra = 4 THEN 'started'
             ELSE 'note_added' END,
        CASE WHEN s.seq = 1 THEN 'citizen' ELSE 'system' END, NULL,
        CASE WHEN s.seq = 1 THEN jsonb_build_object('trackingCode', ${bulkCode('r.g')}, 'channel', 'web', 'agencyId', r.agency_id,
                 'provinceId', r.province_id, 'countyId', r.county_id, 'categoryId', r.category_id, 'urgent', r.urgent, 'language', 'fa', 'country', 'IR')
             WHEN s.seq = 2 THEN jsonb_build_object('toUnitId', r.unit_id, 'agencyId', r.agency_id)
             ELSE jsonb_build_object('text', 'پیگیری شد') END,
        r.created_at + (s.seq - 1) * (r.answered_at - r.created_at) / r.events,
        CASE WHEN s.seq = 1 THEN repeat('0', 64) ELSE ${hash('(s.seq - 1)')} END, ${hash('s.seq')}
     FROM national_rows r CROSS JOIN LATERAL generate_series(1, r.events) AS s(seq)`,
  );
}

/** One chunk [from, to] of complaints, contacts, events and open deadlines. */
async function loadChunk(q: Query, from: number, to: number, o: GenerateOptions) {
  const { startsAt, endsAt } = periodBounds(YEAR);
  const spanSeconds = (endsAt.getTime() - startsAt.getTime()) / 1000;
  // Open with probability 6·openShare/... : t³ has mean 1/4, so P(open | t) = 4·openShare·t³ gives openShare overall.
  await q('DROP TABLE IF EXISTS national_chunk');
  await q(
    `CREATE TEMP TABLE national_chunk AS
     SELECT s.*, md5('foad-national-' || s.g)::uuid AS id,
            CASE WHEN s.r_open < 4 * $5::float8 * s.t ^ 3 THEN (CASE WHEN s.r_kind < 0.6 THEN 'referred' ELSE 'answered' END)
                 WHEN s.r_kind < 0.9 THEN 'closed' ELSE 'rejected' END AS status
     FROM (SELECT g, (g - 1 + random()) / $4::float8 AS t, $3::timestamptz + ((g - 1 + random()) / $4::float8) * $6::float8 * interval '1 second' AS created_at,
                  random() AS r_open, random() AS r_kind, random() AS r_events, random() AS r_time,
                  floor(random() * 10000)::int AS pb, random() AS r_county, floor(random() * 1000)::int AS ab, random() AS r_cat
           FROM generate_series($1::bigint, $2::bigint) g) s`,
    [from, to, startsAt, o.complaints, o.openShare, spanSeconds],
  );
  await q(
    `CREATE TEMP TABLE national_rows AS
     SELECT c.*, n.county_id, f.unit_id, f.path, f.agency_id, f.province_id, f.head_id, k.category_id, k.indicator_id, k.urgent, k.policy_id,
            CASE c.status WHEN 'closed' THEN 8 + floor(c.r_events * 4)::int WHEN 'rejected' THEN 5 WHEN 'answered' THEN 7
                          ELSE 2 + floor(c.r_events * 3)::int END + x.extra AS events, x.extra, x.escalated,
            c.created_at + (5 + c.r_time * c.r_time * 600) * interval '1 minute' AS acted_at,
            c.created_at + (60 + c.r_time * c.r_time * 9000) * interval '1 minute' AS answered_at
     FROM national_chunk c
       -- The complaints counted as escalated (5 %) and reopened (8 %) carry those events too.
       CROSS JOIN LATERAL (SELECT (c.r_time > 0.95)::int AS escalated, (c.r_time > 0.95)::int + 2 * (c.r_events > 0.92)::int AS extra) x
       JOIN national_province_pick pp ON pp.b = c.pb
       JOIN national_counties n ON n.province_id = pp.province_id AND n.k = floor(c.r_county * n.n)::int
       JOIN national_agency_pick ap ON ap.b = c.ab
       JOIN national_offices f ON f.agency_k = ap.agency_k AND f.county_id = n.county_id
       JOIN national_categories k ON k.k = floor(c.r_cat * k.n)::int`,
  );
  await q(
    `INSERT INTO complaints (id, tracking_code, channel, status, agency_id, unit_id, unit_path, province_id, county_id, category_id, urgent,
        description, search, answer, first_action_at, answered_at, closed_at, outcome, reopen_count, escalation_count, dissatisfied_count,
        breach_count, last_seq, head_hash, created_at, updated_at, due_at, sla_policy_id, responsible_unit_id, responsible_manager_id,
        report_indicator_id, organisation_id)
     SELECT r.id, ${bulkCode('r.g')}, (ARRAY['web', 'sms', 'app', 'phone', 'telegram', 'bale'])[1 + (r.g % 6)], r.status, r.agency_id, r.unit_id, r.path,
        r.province_id, r.county_id, r.category_id, r.urgent, d.text, to_tsvector('simple', d.text),
        CASE WHEN r.status IN ('answered', 'closed') THEN 'پاسخ اداره: موضوع بررسی و رسیدگی شد.' END,
        CASE WHEN r.status <> 'referred' OR r.r_kind < 0.3 THEN r.acted_at END,
        CASE WHEN r.status IN ('answered', 'closed') THEN r.answered_at END,
        CASE WHEN r.status IN ('closed', 'rejected') THEN r.answered_at + interval '3 days' END,
        CASE r.status WHEN 'closed' THEN (CASE WHEN r.r_kind < 0.6 THEN 'satisfied' ELSE 'no_rating' END) WHEN 'rejected' THEN 'rejected' END,
        (r.r_events > 0.92)::int, (r.r_time > 0.95)::int, (r.r_events > 0.92)::int, (r.r_time > 0.88)::int,
        r.events, ${hash('r.events')}, r.created_at, greatest(r.created_at, r.answered_at),
        CASE WHEN r.status = 'referred' THEN now() + (1 + r.r_time * 719) * interval '1 hour' END,
        r.policy_id, r.unit_id, r.head_id, r.indicator_id, r.agency_id
     FROM national_rows r
       JOIN (VALUES (0, 'ساعت ۱۰ صبح به اداره مراجعه کردم؛ کارمند باجه پشت میز نبود و یک ساعت منتظر ماندم.'),
                    (1, 'سه هفته است برای یک امضا مرا از این میز به آن میز می‌فرستند و هر بار می‌گویند فردا بیایید.'),
                    (2, 'سامانهٔ نوبت‌دهی از صبح قطع است و هیچ کاری انجام نمی‌شود؛ به مراجعان هم توضیحی نمی‌دهند.'),
                    (3, 'کارمند با من بی‌احترامی کرد و پرونده‌ام را بدون هیچ توضیحی پس داد.')) d(k, text) ON d.k = r.g % 4`,
  );
  await q(`INSERT INTO complainant_contacts (complaint_id, phone) SELECT r.id, '+98912' || lpad((r.g % 10000000)::text, 7, '0') FROM national_rows r`);
  await insertEvents(q);
  await q(
    `INSERT INTO sla_timers (complaint_id, kind, stage, fraction, fire_at, due_at, unit_id)
     SELECT r.id, 'answer', 'breach', 1, c.due_at, c.due_at, r.unit_id FROM national_rows r JOIN complaints c ON c.id = r.id WHERE r.status = 'referred'`,
  );
  await q('DROP TABLE national_rows');
}

/** Generates the whole data set; returns the phases' timings. */
export async function generateNational(client: pg.PoolClient, o: GenerateOptions): Promise<GenerateTimings> {
  const q: Query = (text, values) => client.query(text, values);
  const log = o.log ?? (() => undefined);
  let t = performance.now();
  await buildTree(q);
  const treeSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  await q(`SET maintenance_work_mem = '1GB'`);
  await q('SET synchronous_commit = off');
  const remake = await dropBulkIndexes(q);
  await q('SET session_replication_role = replica');
  try {
    for (let from = 1; from <= o.complaints; from += o.chunk) {
      const to = Math.min(o.complaints, from + o.chunk - 1);
      await loadChunk(q, from, to, o);
      log(`  ${to.toLocaleString('en')} of ${o.complaints.toLocaleString('en')} complaints (${((performance.now() - t) / 1000).toFixed(0)} s)`);
    }
  } finally {
    await q('SET session_replication_role = DEFAULT');
  }
  const complaintsSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  for (const statement of remake) {
    const s = performance.now();
    await q(statement);
    log(`  ${statement.slice(0, 90)}… ${((performance.now() - s) / 1000).toFixed(0)} s`);
  }
  const indexSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  await q('SELECT report_rollups_rebuild()');
  const rollupSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  await q('VACUUM ANALYZE complaints');
  await q('VACUUM ANALYZE complaint_events');
  await q('ANALYZE');
  const analyzeSeconds = (performance.now() - t) / 1000;
  return { treeSeconds, complaintsSeconds, indexSeconds, rollupSeconds, analyzeSeconds };
}

/** The shape the generator promises: per-province counts, events per complaint, open count. */
export async function dataShape(q: Query) {
  // The bulk complaints are those of the generated agencies (their tracking codes change when the bench samples them).
  const bulk = `agency_id IN (SELECT id FROM units WHERE code LIKE 'nat-o-%')`;
  const { rows } = await q(
    `SELECT (SELECT count(*)::int FROM complaints WHERE ${bulk}) AS complaints,
            (SELECT count(*)::bigint FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id WHERE c.${bulk}) AS events,
            (SELECT count(*)::int FROM complaints WHERE ${bulk} AND status NOT IN ('closed', 'rejected')) AS open,
            (SELECT count(*)::int FROM sla_timers WHERE fired_at IS NULL) AS "openTimers",
            (SELECT count(DISTINCT province_id)::int FROM complaints WHERE ${bulk}) AS provinces,
            (SELECT json_agg(x ORDER BY x.n DESC) FROM (SELECT p.name_en AS province, count(*)::int AS n FROM complaints c JOIN provinces p ON p.id = c.province_id
               WHERE c.${bulk} GROUP BY p.name_en) x) AS "byProvince",
            (SELECT json_agg(x ORDER BY x.n DESC) FROM (SELECT agency_id, count(*)::int AS n FROM complaints WHERE ${bulk} GROUP BY agency_id) x) AS "byAgency"`,
  );
  const r = rows[0];
  return {
    complaints: r.complaints as number,
    events: Number(r.events),
    open: r.open as number,
    openTimers: r.openTimers as number,
    provinces: r.provinces as number,
    byProvince: r.byProvince as { province: string; n: number }[],
    byAgency: r.byAgency as { agency_id: number; n: number }[],
  };
}
