import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTree, complaintBody, type Place, places, staff, type Tree } from '../factories.ts';
import { type Harness, startHarness } from '../harness.ts';

// Finding: every audited contact read appended an event without limit (908 on one complaint).
let h: Harness;
let tree: Tree;

beforeAll(async () => {
  h = await startHarness();
  const [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place);
});
afterAll(() => h.close());

async function fileOne(): Promise<string> {
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(tree.organisation.id, tree.place.countyIds[0]!) });
  return res.json().id;
}
const viewed = async (id: string) =>
  (await h.db.pool.query(`SELECT count(*)::int AS n FROM complaint_events WHERE complaint_id = $1 AND type = 'contact_viewed'`, [id])).rows[0].n;

describe('audited contact reads are collapsed and throttled', () => {
  it('repeated reads by one reader within the hour make one event, counted; past 20 the read is refused', async () => {
    const operator = await staff(h.db, h.config, 'operator');
    const id = await fileOne();
    const statuses = [];
    for (let i = 0; i < 21; i++) statuses.push((await h.app.inject({ url: `/api/v1/complaints/${id}/contact`, headers: operator.headers })).statusCode);
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(200));
    expect(statuses[20]).toBe(429);
    expect(await viewed(id)).toBe(1);
    const { rows } = await h.db.pool.query('SELECT reads FROM contact_read_counts WHERE complaint_id = $1 AND reader_id = $2', [id, operator.id]);
    expect(rows).toEqual([{ reads: 20 }]);
  });

  it('each reader is recorded, and a new hour records the reader again', async () => {
    const [a, b] = [await staff(h.db, h.config, 'operator'), await staff(h.db, h.config, 'national_admin')];
    const id = await fileOne();
    for (const who of [a, a, b, b]) expect((await h.app.inject({ url: `/api/v1/complaints/${id}/contact`, headers: who.headers })).statusCode).toBe(200);
    expect(await viewed(id)).toBe(2);
    await h.db.pool.query(`UPDATE contact_read_counts SET hour = hour - interval '1 hour' WHERE complaint_id = $1`, [id]);
    expect((await h.app.inject({ url: `/api/v1/complaints/${id}/contact`, headers: a.headers })).statusCode).toBe(200);
    expect(await viewed(id)).toBe(3);
  });

  it('a reader harvesting many complaints is refused past 200 an hour', async () => {
    const operator = await staff(h.db, h.config, 'operator');
    const ids = [await fileOne(), await fileOne()];
    // Earlier reads this hour, as if 199 other complaints had been opened.
    await h.db.pool.query(`INSERT INTO contact_read_counts (complaint_id, reader_id, hour, reads) VALUES ($1, $2, date_trunc('hour', now()), 199)`, [
      ids[0],
      operator.id,
    ]);
    expect((await h.app.inject({ url: `/api/v1/complaints/${ids[1]}/contact`, headers: operator.headers })).statusCode).toBe(200);
    const refused = await h.app.inject({ url: `/api/v1/complaints/${ids[1]}/contact`, headers: operator.headers });
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('rate_limited');
  });
});
