import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMonthPartition, monthPartitions } from '../src/partitions/store.ts';
import { type Harness, startHarness } from './harness.ts';

/**
 * Found by the restore drill: on a fresh database the partition worker made the current month
 * while intake was writing, and an INSERT that had read the partition map before the ATTACH
 * waited for the DEFAULT partition's lock, then wrote there after it — where the DEFAULT's new
 * bound refused the row (23514), and intake answered 400. Three sessions replay that order.
 */
const ym = (d: Date) => `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
const thisMonth = () => new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1));

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

async function waiting(relations: string[]): Promise<number> {
  const { rows } = await h.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND relation = ANY($1::regclass[])', [
    relations,
  ]);
  return rows[0]!.n;
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the sessions never reached the order under test');
}

// PGlite is one session: no second writer can wait on a lock there.
describe.skipIf(!process.env.TEST_DATABASE_URL)('making the current month while it is written (PostgreSQL: three sessions)', () => {
  it('a row written during the ATTACH lands in the new partition, not refused', async () => {
    expect(await monthPartitions(h.db.pool, 'outbox')).toEqual([]); // a fresh database: only the DEFAULT partition
    const holder = await h.db.pool.connect();
    const writer = await h.db.pool.connect();
    try {
      // 1. Someone reads the DEFAULT partition: the maker will wait for its lock there.
      await holder.query('BEGIN');
      await holder.query('SELECT 1 FROM outbox_default LIMIT 1');
      const making = createMonthPartition(h.db, { table: 'outbox', column: 'created_at' }, thisMonth(), new Date());
      await until(async () => (await waiting(['outbox_default'])) === 1);
      // 2. Intake writes a message of this month meanwhile.
      const writing = writer
        .query<{ p: string }>(
          `INSERT INTO outbox (template, channel, recipient_address, body, delivery_key, status)
           VALUES ('t', 'sms', '+989121234567', 'متن', 'race:' || gen_random_uuid(), 'pending') RETURNING tableoid::regclass::text AS p`,
        )
        .then(
          (r) => r.rows[0]!.p,
          (error: Error) => `refused: ${error.message}`,
        );
      await until(async () => (await waiting(['outbox', 'outbox_default'])) === 2);
      // 3. The reader finishes; the maker attaches the month and the writer goes on.
      await holder.query('COMMIT');
      expect(await making).toBe(true);
      expect(await writing).toBe(`outbox_p${ym(thisMonth())}`);
    } finally {
      holder.release();
      writer.release();
    }
  });
});
