import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/harness.ts';
import { type Database, openPostgres } from './database.ts';
import { isReadOnly } from './retry.ts';

describe('which statements a lost connection may repeat', () => {
  it('reads only', () => {
    expect(isReadOnly('SELECT id FROM complaints WHERE tracking_code = $1')).toBe(true);
    expect(isReadOnly('  with x AS (SELECT 1) SELECT * FROM x')).toBe(true);
    expect(isReadOnly('SELECT id FROM outbox FOR UPDATE SKIP LOCKED')).toBe(false);
    expect(isReadOnly('WITH moved AS (UPDATE outbox SET status = $1 RETURNING id) SELECT * FROM moved')).toBe(false);
    expect(isReadOnly("SELECT pg_notify('foad_live', '1')")).toBe(false);
    expect(isReadOnly('INSERT INTO complaints DEFAULT VALUES')).toBe(false);
  });
});

// A failover as the pool sees it: the server ends our sessions (57P01, as a dying primary or
// HAProxy's shutdown-sessions does). PGlite runs in-process and has no connection to lose.
const server = process.env.TEST_DATABASE_URL;
describe.skipIf(!server)('the pool across a lost server connection', () => {
  let db: Database;
  let url: string;
  let drop: () => Promise<void>;
  let admin: pg.Client;
  beforeAll(async () => {
    const fresh = await testDatabase();
    await fresh.db.close();
    url = fresh.url!;
    drop = fresh.drop;
    db = await openPostgres(url, 2);
    admin = new pg.Client({ connectionString: server });
    await admin.connect();
  });
  afterAll(async () => {
    await db.close();
    await admin.end();
    await drop();
  });
  // Only this test's database, and only the statement marked (never the admin's own session).
  const killSessions = (marker: string) =>
    admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = $1 AND pid <> pg_backend_pid() AND query LIKE $2`,
      [new URL(url).pathname.slice(1), `%${marker}%`],
    );

  it('survives its session ending while a transaction holds the client between queries', async () => {
    const dbName = new URL(url).pathname.slice(1);
    const failed = await db
      .transaction(async (client) => {
        await client.query('SELECT 1');
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [dbName]);
        await new Promise((resolve) => setTimeout(resolve, 300)); // the FATAL arrives while no query runs
        await client.query('SELECT 2');
      })
      .then(
        () => null,
        (error: Error) => error,
      );
    expect(failed).toBeInstanceOf(Error); // the caller hears of it; the process did not crash
    expect((await db.pool.query<{ n: number }>('SELECT 3 AS n')).rows[0]!.n).toBe(3);
  });

  it('repeats a read whose connection died under it', async () => {
    const marker = `retry_${Date.now()}`;
    const read = db.pool.query<{ n: number }>(`SELECT 7 AS n, pg_sleep(0.5) /* ${marker} */`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await killSessions(marker);
    expect((await read).rows[0]!.n).toBe(7);
  });

  it('repeats a named read given as a query config (the public tracking lookup’s form)', async () => {
    const marker = `named_${Date.now()}`;
    const read = db.pool.query<{ n: number }>({ name: `retry_probe_${marker}`, text: `SELECT $1::int AS n, pg_sleep(0.5) /* ${marker} */`, values: [8] });
    await new Promise((resolve) => setTimeout(resolve, 200));
    await killSessions(marker);
    expect((await read).rows[0]!.n).toBe(8);
  });

  it('does not repeat a write whose connection died under it', async () => {
    await db.pool.query('CREATE TABLE IF NOT EXISTS retry_probe (n int)');
    const marker = `write_${Date.now()}`;
    const write = db.pool.query(`INSERT INTO retry_probe SELECT 1 FROM pg_sleep(0.5) /* ${marker} */`).then(
      () => null,
      (error: Error) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    await killSessions(marker);
    expect(await write).toBeInstanceOf(Error);
    expect((await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM retry_probe')).rows[0]!.n).toBe(0);
  });
});
