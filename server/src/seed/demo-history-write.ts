import type { Unit } from '../agencies/store.ts';
import type { Database, Queryable } from '../db/database.ts';
import { parsePeriod } from '../domain/jalali-periods.ts';
import { EVENT_RECORD, eventsParameter } from '../events/store.ts';
import { publishReportCard } from '../reports/publish-report-card.ts';
import { ensureHeads, type Generated, generateHistory, type HistoryPlace, historyMonths, type Tree } from './demo-history.ts';

/** The demo history's shape: finished months before now, the PRNG seed, the card's minimum group size. */
export interface HistoryOptions {
  months: number;
  seed: number;
  minComplaints: number;
  now?: Date;
}

/**
 * Past months of complaints about every demo organisation in every county, then each finished
 * month's report card published by the national admin, so the portal, rankings and map show
 * real cards on the first start.
 */
export async function seedHistory(
  db: Database,
  units: Unit[],
  where: HistoryPlace[],
  organisations: string[],
  options: HistoryOptions,
): Promise<{ complaints: number; published: string[] }> {
  const now = options.now ?? new Date();
  const categories = (
    await db.pool.query<{ id: number; code: string; indicatorId: number | null }>('SELECT id, code, indicator_id AS "indicatorId" FROM categories')
  ).rows;
  const stories = await db.transaction(async (tx) => {
    const tree = await ensureHeads(tx, units);
    const generated = generateHistory({ now, months: options.months, seed: options.seed, places: where, organisations, categories }, tree);
    await writeHistory(tx, generated, tree, new Map(categories.map((c) => [c.id, c.indicatorId])));
    return generated.length;
  });
  const admin = (
    await db.pool.query<{ id: number; username: string; displayName: string }>(
      `SELECT id, username, display_name AS "displayName" FROM staff_users WHERE role = 'national_admin' ORDER BY id LIMIT 1`,
    )
  ).rows[0]!;
  const user = { ...admin, role: 'national_admin' as const, unitId: null, unitPath: null, provinceId: null, language: 'fa' as const };
  const published: string[] = [];
  for (const key of historyMonths(now, options.months).past) {
    await publishReportCard(db, { period: parsePeriod(key)!, user, note: '', minComplaints: options.minComplaints, now });
    published.push(key);
  }
  return { complaints: stories, published };
}

/**
 * Writes the history in a few statements per 500 complaints: each complaint as its story ended,
 * with its chained events, contact and breaches. The responsibility columns are filled as the
 * responsibility trigger would have on the way (the office it was referred to and that office's
 * head; escalations and reopenings leave it there), and the rollups are rebuilt set-based at the
 * end — the documented equivalent of the per-row triggers (migration 012), which are off for
 * these statements. Nothing reaches the live feed (history is not news): only the unit of work
 * announces events since migration 037 dropped the per-row trigger. Call inside a transaction.
 */
export async function writeHistory(db: Queryable, stories: Generated[], tree: Tree, indicatorOf: Map<number, number | null>): Promise<void> {
  const triggers = ['complaints_responsibility', 'complaints_report_rollup_insert', 'complaints_report_rollup_update'];
  await db.query(`ALTER TABLE complaints ${triggers.map((t) => `DISABLE TRIGGER ${t}`).join(', ')}`);
  for (let i = 0; i < stories.length; i += 500) {
    const batch = stories.slice(i, i + 500);
    const rows = batch.map((g) => complaintRow(g, tree, indicatorOf));
    await insertComplaints(db, rows);
    await insertEvents(db, batch);
    await insertBreaches(db, batch);
  }
  await db.query(`ALTER TABLE complaints ${triggers.map((t) => `ENABLE TRIGGER ${t}`).join(', ')}`);
  await db.query('SELECT report_rollups_rebuild()');
}

/** One complaint as its story ended, with the responsibility columns the trigger would have set. */
function complaintRow(g: Generated, tree: Tree, indicatorOf: Map<number, number | null>) {
  const v = g.final;
  const office = tree.byId.get(g.officeId)!;
  return {
    id: g.id,
    tracking_code: g.trackingCode,
    status: v.state.status,
    agency_id: v.state.agencyId,
    unit_id: v.state.unitId,
    unit_path: v.unitPath,
    province_id: v.state.provinceId,
    county_id: v.state.countyId,
    category_id: v.state.categoryId,
    urgent: g.urgent,
    description: g.description,
    assignee_id: v.state.assigneeId,
    due_at: v.state.dueAt,
    answer: v.state.answer,
    answered_at: v.state.answeredAt,
    closed_at: v.state.closedAt,
    outcome: v.state.outcome,
    reopen_count: v.state.reopenCount,
    escalation_count: v.state.escalationCount,
    dissatisfied_count: v.state.dissatisfiedCount,
    last_seq: v.seq,
    head_hash: v.hash,
    created_at: g.createdAt.toISOString(),
    updated_at: v.updatedAt.toISOString(),
    first_action_at: v.firstActionAt?.toISOString() ?? null,
    breach_count: v.breachCount,
    responsible_unit_id: office.id,
    responsible_manager_id: office.inspectionHeadId,
    report_indicator_id: indicatorOf.get(g.categoryId) ?? null,
    organisation_id: g.organisationId,
    phone: g.phone,
  };
}

/** The complaints and their contacts, one statement per batch. */
async function insertComplaints(db: Queryable, rows: ReturnType<typeof complaintRow>[]): Promise<void> {
  await db.query(
    `WITH v AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS v(id uuid, tracking_code text, status text, agency_id int, unit_id int,
         unit_path text, province_id int, county_id int, category_id int, urgent boolean, description text, assignee_id int,
         due_at timestamptz, answer text, answered_at timestamptz, closed_at timestamptz, outcome text, reopen_count int,
         escalation_count int, dissatisfied_count int, last_seq int, head_hash text, created_at timestamptz, updated_at timestamptz,
         first_action_at timestamptz, breach_count int, responsible_unit_id int, responsible_manager_id int, report_indicator_id int,
         organisation_id int, phone text)),
     c AS (
       INSERT INTO complaints (id, tracking_code, channel, status, agency_id, unit_id, unit_path, province_id, county_id, category_id, urgent,
         description, assignee_id, due_at, answer, answered_at, closed_at, outcome, reopen_count, escalation_count, dissatisfied_count,
         last_seq, head_hash, created_at, updated_at, first_action_at, breach_count, responsible_unit_id, responsible_manager_id,
         report_indicator_id, organisation_id)
       SELECT id, tracking_code, 'web', status, agency_id, unit_id, unit_path, province_id, county_id, category_id, urgent,
         description, assignee_id, due_at, answer, answered_at, closed_at, outcome, reopen_count, escalation_count, dissatisfied_count,
         last_seq, head_hash, created_at, updated_at, first_action_at, breach_count, responsible_unit_id, responsible_manager_id,
         report_indicator_id, organisation_id
       FROM v RETURNING id)
     INSERT INTO complainant_contacts (complaint_id, phone) SELECT v.id, v.phone FROM v JOIN c ON c.id = v.id`,
    [JSON.stringify(rows)],
  );
}

/** The chained events of a batch, in order. */
async function insertEvents(db: Queryable, batch: Generated[]): Promise<void> {
  await db.query(
    `INSERT INTO complaint_events (complaint_id, seq, type, actor_kind, actor_id, data, created_at, prev_hash, hash, key_id)
     SELECT e.complaint_id, e.seq, e.type, e.actor_kind, e.actor_id, e.data, e.created_at, e.prev_hash, e.hash, e.key_id
     FROM jsonb_to_recordset($1::jsonb) AS e(complaint_id uuid, ${EVENT_RECORD}) ORDER BY e.complaint_id, e.seq`,
    [eventsParameter(batch.flatMap((g) => g.events))],
  );
}

/** The answer-deadline breaches of a batch, if any. */
async function insertBreaches(db: Queryable, batch: Generated[]): Promise<void> {
  const breaches = batch.flatMap((g) => g.breaches.map((b) => ({ ...b, complaintId: g.id })));
  if (breaches.length > 0) {
    await db.query(
      `INSERT INTO sla_breaches (complaint_id, unit_id, manager_id, kind, due_at, breached_at, escalated_to)
       SELECT b."complaintId", b."unitId", b."managerId", 'answer', b."dueAt", b."breachedAt", b."escalatedTo"
       FROM jsonb_to_recordset($1::jsonb) AS b("complaintId" uuid, "unitId" int, "managerId" int, "dueAt" timestamptz, "breachedAt" timestamptz, "escalatedTo" int)`,
      [JSON.stringify(breaches)],
    );
  }
}
