import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/database.ts';
import { generateTrackingCode } from '../src/domain/tracking-code.ts';
import { buildTree, complaintBody, type Place, places, staff, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

/**
 * Migration 041: complaints and the other high-churn tables name reference rows (categories,
 * counties, provinces, units, services, SLA policies, indicators, staff) without foreign keys, so
 * that intake takes no FOR KEY SHARE lock on the same hot rows (MultiXacts, issue 14). The
 * guarantee stays: reference rows are never deleted or re-keyed, and a write that names a row
 * that does not exist fails as a foreign key violation would.
 */
let h: Harness;
let db: Database;
let tree: Tree;
let place: Place;
let filed: string;
let staffId: number;

const REFERENCE_TABLES = ['categories', 'counties', 'provinces', 'units', 'services', 'sla_policies', 'quality_indicators', 'staff_users'];

/** Rejects with the SQLSTATE of a foreign key violation (and the dropped key's name, when given). */
async function refused(work: Promise<unknown>, constraint?: string) {
  const error = (await work.then(
    () => null,
    (e: unknown) => e,
  )) as { code?: string; constraint?: string } | null;
  expect(error, 'the statement should have been refused').not.toBeNull();
  expect(error!.code).toBe('23503');
  if (constraint) expect(error!.constraint).toBe(constraint);
}

/** Inserts a copy of complaint `id` (new id, public id, tracking code and key) with `changes` applied. */
function copyComplaint(id: string, changes: Record<string, unknown>, on: Pick<pg.Pool, 'query'> = db.pool) {
  const fresh = {
    id: randomUUID(),
    public_id: randomUUID().replace(/-/g, ''),
    tracking_code: generateTrackingCode(),
    idempotency_key: `copy-${randomUUID()}`,
    ...changes,
  };
  return on.query(
    `INSERT INTO complaints SELECT * FROM jsonb_populate_record(NULL::complaints, (SELECT to_jsonb(c) FROM complaints c WHERE c.id = $1) || $2::jsonb)`,
    [id, JSON.stringify(fresh)],
  );
}

const count = async (sql: string) => (await db.pool.query<{ n: number }>(sql)).rows[0]!.n;

beforeAll(async () => {
  h = await startHarness();
  db = h.db;
  [place] = (await places(db.pool)) as [Place];
  tree = await buildTree(db.pool, place);
  const category = (await db.pool.query<{ id: number }>('SELECT id FROM categories WHERE active ORDER BY id LIMIT 1')).rows[0]!.id;
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/complaints',
    payload: complaintBody(tree.organisation.id, place.countyIds[0]!, { categoryId: category }),
  });
  expect(res.statusCode).toBe(201);
  filed = (res.json() as { id: string }).id;
  staffId = (await staff(db, h.config, 'national_admin')).id;
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('reference rows named without foreign keys', () => {
  it('the high-churn tables hold no foreign key to a reference table', async () => {
    const { rows } = await db.pool.query<{ name: string }>(
      `SELECT conname AS name FROM pg_constraint
       WHERE contype = 'f' AND conrelid::regclass::text IN ('complaints', 'complaint_events', 'sla_timers', 'sla_breaches', 'outbox', 'staff_notifications')
         AND confrelid::regclass::text = ANY($1)`,
      [REFERENCE_TABLES],
    );
    expect(rows).toEqual([]);
  });

  it('a reference row named by a complaint can be neither deleted nor re-keyed', async () => {
    const { rows } = await db.pool.query<Record<string, number>>(
      'SELECT category_id, county_id, province_id, unit_id, agency_id, sla_policy_id FROM complaints WHERE id = $1',
      [filed],
    );
    const named = rows[0]!;
    const targets: [string, number][] = [
      ['categories', named.category_id!],
      ['counties', named.county_id!],
      ['provinces', named.province_id!],
      ['units', named.unit_id!],
      ['units', named.agency_id!],
      ['staff_users', staffId],
    ];
    if (named.sla_policy_id) targets.push(['sla_policies', named.sla_policy_id]);
    for (const [table, id] of targets) {
      expect(id, `${table} id`).toBeTypeOf('number');
      await refused(db.pool.query(`DELETE FROM ${table} WHERE id = $1`, [id]));
      await refused(db.pool.query(`UPDATE ${table} SET id = id + 1000000 WHERE id = $1`, [id]));
      expect(await count(`SELECT count(*)::int AS n FROM ${table} WHERE id = ${Number(id)}`)).toBe(1);
    }
    // Every reference table refuses, whatever the row: one without complaints too.
    for (const table of REFERENCE_TABLES) {
      const any = (await db.pool.query<{ id: number }>(`SELECT id FROM ${table} ORDER BY id DESC LIMIT 1`)).rows[0];
      if (!any) continue; // services and indicators may be empty in the template; the triggers are the same function
      await refused(db.pool.query(`DELETE FROM ${table} WHERE id = $1`, [any.id]));
    }
    // Other columns still change (deactivating is how a reference row goes away).
    await db.pool.query('UPDATE categories SET active = active WHERE id = $1', [named.category_id]);
  });

  it('a complaint cannot name a missing category, county, province, unit, policy or staff member', async () => {
    const before = await count('SELECT count(*)::int AS n FROM complaints');
    await copyComplaint(filed, {}); // the copy itself is fine: only the named row below makes it fail
    await refused(copyComplaint(filed, { category_id: 987_654 }), 'complaints_category_id_fkey');
    await refused(copyComplaint(filed, { county_id: 987_654 }), 'complaints_county_id_fkey');
    await refused(copyComplaint(filed, { province_id: 987_654 }), 'complaints_province_id_fkey');
    await refused(copyComplaint(filed, { unit_id: 987_654 }), 'complaints_unit_id_fkey');
    await refused(copyComplaint(filed, { agency_id: 987_654 }), 'complaints_agency_id_fkey');
    await refused(copyComplaint(filed, { sla_policy_id: 987_654 }), 'complaints_sla_policy_id_fkey');
    await refused(copyComplaint(filed, { operator_id: 987_654 }), 'complaints_operator_id_fkey');
    await refused(db.pool.query('UPDATE complaints SET category_id = 987654 WHERE id = $1', [filed]), 'complaints_category_id_fkey');
    await refused(db.pool.query('UPDATE complaints SET assignee_id = 987654 WHERE id = $1', [filed]), 'complaints_assignee_id_fkey');
    expect(await count('SELECT count(*)::int AS n FROM complaints')).toBe(before + 1);
    // Intake checks the category against the catalogue first, and answers in the citizen's terms.
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/complaints',
      payload: complaintBody(tree.organisation.id, place.countyIds[0]!, { categoryId: 987_654 }),
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ error: { code: 'unknown_category' } });
    expect(await count('SELECT count(*)::int AS n FROM complaints')).toBe(before + 1);

    // The other high-churn tables: timers and breaches name units, the outbox and events staff.
    await refused(
      db.pool.query(
        `INSERT INTO sla_timers (complaint_id, kind, stage, fraction, fire_at, due_at, unit_id) VALUES ($1, 'answer', 'warning', 0.5, now(), now(), 987654)`,
        [filed],
      ),
      'sla_timers_unit_id_fkey',
    );
    await refused(
      db.pool.query(
        `INSERT INTO outbox (complaint_id, event_seq, template, channel, recipient_user_id, language, body, delivery_key)
         VALUES ($1, 1, 'staff_new_referral', 'web', 987654, 'fa', 'x', $2)`,
        [filed, `test-${randomUUID()}`],
      ),
      'outbox_recipient_user_id_fkey',
    );
    await refused(
      db.pool.query(
        `INSERT INTO complaint_events (complaint_id, seq, type, actor_kind, actor_id, data, created_at, prev_hash, hash)
         VALUES ($1, 99, 'note_added', 'staff', 987654, '{}', now(), repeat('0', 64), repeat('1', 64))`,
        [filed],
      ),
      'complaint_events_actor_id_fkey',
    );
  });

  // A second session is what shows the missing lock; PGlite has one session.
  it.skipIf(!process.env.TEST_DATABASE_URL)('intake does not lock the category it names (no FOR KEY SHARE)', async () => {
    const other = new pg.Client({ connectionString: (db.pool as unknown as { options: { connectionString: string } }).options.connectionString });
    await other.connect();
    try {
      const category = (await db.pool.query<{ category_id: number }>('SELECT category_id FROM complaints WHERE id = $1', [filed])).rows[0]!.category_id;
      await other.query('BEGIN');
      await other.query('SELECT id FROM categories WHERE id = $1 FOR UPDATE', [category]); // conflicts with FOR KEY SHARE
      const client = await db.pool.connect();
      try {
        await client.query("SET lock_timeout = '3s'");
        await copyComplaint(filed, {}, client); // a foreign key check would wait here and time out (55P03)
      } finally {
        await client.query('RESET lock_timeout');
        client.release();
      }
      await other.query('ROLLBACK');
    } finally {
      await other.end();
    }
  });
});
