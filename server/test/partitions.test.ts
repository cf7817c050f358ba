import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchOnce } from '../src/notifications/dispatcher.ts';
import { MemoryProvider, WebInboxProvider } from '../src/notifications/provider.ts';
import { maintainPartitions } from '../src/partitions/maintain.ts';
import { createMonthPartition, monthPartitions } from '../src/partitions/store.ts';
import { buildTree, complaintBody, type Place, places, staff, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

let h: Harness;
let place: Place;
let tree: Tree;

beforeAll(async () => {
  h = await startHarness();
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place);
  await staff(h.db, h.config, 'inspection_head', { unit: tree.countyOffices[0] }, { inspectionHead: true });
});
afterAll(() => h.close());

const ym = (d: Date) => `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
const month = (add: number, at = new Date()) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + add, 1));

/** An outbox row written at `createdAt`, in `status`; returns its delivery key. */
async function message(createdAt: Date, status: 'pending' | 'sent' | 'dead'): Promise<string> {
  const key = `test:${Math.random()}`;
  await h.db.pool.query(
    `INSERT INTO outbox (template, channel, recipient_address, body, delivery_key, status, created_at, sent_at)
     VALUES ('t', 'sms', '+989121234567', 'متن', $1, $2, $3, CASE WHEN $2 = 'sent' THEN $3::timestamptz END)`,
    [key, status, createdAt.toISOString()],
  );
  return key;
}

async function partitionOf(key: string): Promise<string | null> {
  const { rows } = await h.db.pool.query<{ p: string }>('SELECT tableoid::regclass::text AS p FROM outbox WHERE delivery_key = $1', [key]);
  return rows[0]?.p ?? null;
}

describe('monthly partitions', () => {
  it('makes this month and the months ahead, and rows land in their month', async () => {
    const far = await message(month(1), 'pending');
    expect(await partitionOf(far)).toBe('outbox_default');
    const round = await maintainPartitions(h.db, { monthsAhead: 2, outboxRetentionMonths: 6 });
    for (const table of ['outbox', 'report_rollup_deltas', 'contact_read_counts']) {
      expect((await monthPartitions(h.db.pool, table as 'outbox')).map((p) => p.name)).toEqual([0, 1, 2].map((add) => `${table}_p${ym(month(add))}`));
    }
    expect(round.created).toHaveLength(9);
    // the row that waited in DEFAULT moved into its month when the month was made
    expect(await partitionOf(far)).toBe(`outbox_p${ym(month(1))}`);
    expect(await partitionOf(await message(new Date(), 'pending'))).toBe(`outbox_p${ym(month(0))}`);
    expect(await partitionOf(await message(month(7), 'pending'))).toBe('outbox_default');
    // a second round (or a second instance) finds nothing to do
    expect((await maintainPartitions(h.db, { monthsAhead: 2, outboxRetentionMonths: 6 })).created).toEqual([]);
  });

  it('intake → outbox → delivery works on the partitioned outbox', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(tree.organisation.id, place.countyIds[0]!) });
    expect(res.statusCode).toBe(201);
    const sms = new MemoryProvider();
    await dispatchOnce(h.db, { providers: { sms, web: new WebInboxProvider(h.db.pool) }, baseDelayMs: 1 });
    const { rows } = await h.db.pool.query<{ status: string; p: string }>('SELECT status, tableoid::regclass::text AS p FROM outbox WHERE complaint_id = $1', [
      res.json().id,
    ]);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row).toEqual({ status: 'sent', p: `outbox_p${ym(month(0))}` });
    expect(sms.sent.length).toBeGreaterThan(0);
    // the rollup delta and the contact-read audit land in this month's partitions too
    const deltas = await h.db.pool.query<{ p: string }>('SELECT DISTINCT tableoid::regclass::text AS p FROM report_rollup_deltas');
    for (const row of deltas.rows) expect(row.p).toBe(`report_rollup_deltas_p${ym(month(0))}`);
  });

  it('retention drops old months of delivered messages and keeps the undelivered ones', async () => {
    const old = month(-8);
    await createMonthPartition(h.db, { table: 'outbox', column: 'created_at' }, old, new Date());
    const sentOld = await message(new Date(old.getTime() + 86_400_000), 'sent');
    const pendingOld = await message(new Date(old.getTime() + 86_400_000), 'pending');
    const deadOld = await message(new Date(old.getTime() + 2 * 86_400_000), 'dead');
    // rows from before partitioning sit in DEFAULT: delivered old ones go, recent ones stay
    const sentInDefault = await message(month(-10), 'sent');
    const sentRecent = await message(month(-2), 'sent');
    expect(await partitionOf(sentOld)).toBe(`outbox_p${ym(old)}`);
    const round = await maintainPartitions(h.db, { monthsAhead: 2, outboxRetentionMonths: 6 });
    expect(round.dropped).toContain(`outbox_p${ym(old)}`);
    expect(round.removedMessages).toBe(2);
    expect(await partitionOf(sentOld)).toBeNull();
    expect(await partitionOf(sentInDefault)).toBeNull();
    expect(await partitionOf(pendingOld)).toBe('outbox_default');
    expect(await partitionOf(deadOld)).toBe('outbox_default');
    expect(await partitionOf(sentRecent)).toBe('outbox_default');
  });
  it('the next month is made ahead as time passes', async () => {
    // (last: a round in a later month drops this month's emptied rollup-delta partition)
    const later = month(1);
    await maintainPartitions(h.db, { monthsAhead: 2, outboxRetentionMonths: 0 }, later);
    expect((await monthPartitions(h.db.pool, 'outbox')).map((p) => p.name)).toContain(`outbox_p${ym(month(3))}`);
  });
});
