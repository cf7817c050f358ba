import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dataShape, generateNational } from '../../bench/national/generate.ts';
import { type Database, openPostgres } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { seedReference } from '../src/seed/reference.ts';
import { seedSlaReference } from '../src/seed/sla.ts';

const serverUrl = inject('pgAdminUrl');
const DB_NAME = `foad_national_test_${process.pid}`;
const COMPLAINTS = 3000;

/** The index and unique-constraint definitions of the tables the bulk load drops and rebuilds. */
const INDEXES = `SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'
  AND tablename IN ('complaints', 'complaint_events', 'complainant_contacts', 'sla_timers') ORDER BY indexname`;

// bench:national runs only against a PostgreSQL server (bulk load with session_replication_role,
// pg_get_indexdef); this checks its generator at a tiny scale there. PGlite has no such bulk path.
describe.skipIf(!serverUrl)('bench:national generator (PostgreSQL only: the bench never runs on PGlite)', () => {
  let admin: pg.Client;
  let db: Database;
  let indexesBefore: string[];

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: serverUrl ?? undefined });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${DB_NAME}`);
    const url = new URL(serverUrl!);
    url.pathname = `/${DB_NAME}`;
    db = await openPostgres(url.toString(), 2);
    await migrate(db);
    await seedReference(db);
    await seedSlaReference(db);
    indexesBefore = (await db.pool.query<{ indexdef: string }>(INDEXES)).rows.map((r) => r.indexdef);
    const client = await db.pool.connect();
    try {
      await generateNational(client, { complaints: COMPLAINTS, chunk: 1000, openShare: 1 / 6 });
    } finally {
      client.release();
    }
  }, 600_000);

  afterAll(async () => {
    await db?.close();
    await admin?.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
    await admin?.end();
  });

  it('spreads complaints over all 31 provinces by population, with dominant agencies', async () => {
    const shape = await dataShape((text, values) => db.pool.query(text, values));
    expect(shape.complaints).toBe(COMPLAINTS);
    expect(shape.provinces).toBe(31);
    const counts = shape.byProvince.map((p) => p.n);
    // Tehran (~16% of the population) against the smallest provinces (< 1%): far from uniform.
    expect(shape.byProvince[0]!.province).toBe('Tehran');
    expect(counts[0]! / COMPLAINTS).toBeGreaterThan(0.12);
    expect(Math.max(...counts) / Math.min(...counts)).toBeGreaterThan(8);
    // Zipf over 12 agencies: the first takes ~30%, the last ~2%.
    expect(shape.byAgency[0]!.n / COMPLAINTS).toBeGreaterThan(0.25);
    expect(shape.byAgency[shape.byAgency.length - 1]!.n / COMPLAINTS).toBeLessThan(0.06);
  });

  it('writes ~8 events per complaint and leaves a sixth open, each open referral with its deadline', async () => {
    const shape = await dataShape((text, values) => db.pool.query(text, values));
    expect(shape.events / COMPLAINTS).toBeGreaterThan(7.5);
    expect(shape.events / COMPLAINTS).toBeLessThan(9);
    expect(shape.open / COMPLAINTS).toBeGreaterThan(0.13);
    expect(shape.open / COMPLAINTS).toBeLessThan(0.2);
    const { rows } = await db.pool.query<{ referred: number; timers: number; rollups: number; chained: number }>(
      `SELECT (SELECT count(*)::int FROM complaints WHERE status = 'referred') AS referred,
              (SELECT count(*)::int FROM sla_timers WHERE fired_at IS NULL AND fire_at > now()) AS timers,
              (SELECT coalesce(sum(received), 0)::int FROM report_rollups) AS rollups,
              (SELECT count(*)::int FROM complaints c JOIN complaint_events e ON e.complaint_id = c.id AND e.seq = c.last_seq AND e.hash = c.head_hash) AS chained`,
    );
    expect(rows[0]!.timers).toBe(rows[0]!.referred);
    expect(rows[0]!.rollups).toBe(COMPLAINTS);
    expect(rows[0]!.chained).toBe(COMPLAINTS);
  });

  it('leaves every index and unique constraint as the migrations made them', async () => {
    expect((await db.pool.query<{ indexdef: string }>(INDEXES)).rows.map((r) => r.indexdef)).toEqual(indexesBefore);
  });
});
