import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyComplaintChain } from '../src/complaints/verify-complaint-chain.ts';
import { seedDemo } from '../src/seed/demo.ts';
import { ensureHeads, generateHistory } from '../src/seed/demo-history.ts';
import { type Harness, startHarness } from './harness.ts';

/** Issue 12: the demo shows real report cards on the first start, from a history that is deterministic and consistent. */
const NOW = new Date('2025-06-25T08:00:00Z'); // 4 Tir 1404: the five finished months are 1403-11 … 1404-03
let h: Harness;
let result: Awaited<ReturnType<typeof seedDemo>>;

beforeAll(async () => {
  h = await startHarness();
  result = await seedDemo(h.db, 'demo-password-128', 'http://localhost:3128', { history: { months: 5, seed: 128, minComplaints: 10, now: NOW } });
}, 900_000);
afterAll(() => h.close());

describe('demo history', () => {
  it('files a few thousand complaints in every county of Hamedan, with answers, breaches and ratings', async () => {
    expect(result?.history?.complaints).toBeGreaterThan(2000);
    expect(result?.history?.complaints).toBeLessThan(8000);
    const { rows } = await h.db.pool.query<{ missing: number }>(
      `SELECT count(*)::int AS missing FROM counties k JOIN provinces p ON p.id = k.province_id
       WHERE p.name_fa = 'همدان' AND NOT EXISTS (SELECT 1 FROM complaints c WHERE c.county_id = k.id AND c.created_at < $1::timestamptz - interval '7 days')`,
      [NOW],
    );
    expect(rows[0]!.missing).toBe(0);
    const mix = (
      await h.db.pool.query<{ answered: number; breached: number; satisfied: number; dissatisfied: number; rejected: number }>(
        `SELECT count(*) FILTER (WHERE answered_at IS NOT NULL)::int AS answered, count(*) FILTER (WHERE breach_count > 0)::int AS breached,
                count(*) FILTER (WHERE outcome = 'satisfied')::int AS satisfied, count(*) FILTER (WHERE dissatisfied_count > 0)::int AS dissatisfied,
                count(*) FILTER (WHERE status = 'rejected')::int AS rejected FROM complaints`,
      )
    ).rows[0]!;
    for (const n of Object.values(mix)) expect(n).toBeGreaterThan(20);
  });

  it('every seeded complaint’s hash chain verifies and its row is the projection of its events', async () => {
    const { rows } = await h.db.pool.query<{ id: string }>('SELECT id FROM complaints');
    const broken: unknown[] = [];
    for (const { id } of rows) {
      const report = (await verifyComplaintChain(h.db.pool, id))!;
      if (!(report.valid && report.projectionMatches && report.headMatches)) broken.push(report);
    }
    expect(broken).toEqual([]);
    // Thousands of chains, two reads each: minutes on embedded PGlite.
  }, 600_000);

  it('the trigger-kept rollups equal a rebuild from the complaints', async () => {
    const snapshot = async () => {
      await h.db.pool.query('SELECT report_rollups_fold()');
      const units = await h.db.pool.query('SELECT * FROM report_rollups WHERE received <> 0 ORDER BY month_key, unit_id, manager_id, agency_id, province_id');
      const areas = await h.db.pool.query('SELECT * FROM report_area_rollups WHERE received <> 0 ORDER BY month_key, agency_id, province_id');
      return { units: units.rows, areas: areas.rows };
    };
    const before = await snapshot();
    await h.db.transaction((tx) => tx.query('SELECT report_rollups_rebuild()'));
    expect(await snapshot()).toEqual(before);
  });

  it('the finished months are published: the portal lists them and their cards score every organisation', async () => {
    expect(result?.history?.published).toEqual(['1403-11', '1403-12', '1404-01', '1404-02', '1404-03']);
    const list = (await h.app.inject({ url: '/api/v1/public/report-cards' })).json();
    expect(list.items.map((i: { periodKey: string }) => i.periodKey).sort()).toEqual(result?.history?.published);
    const card = (await h.app.inject({ url: '/api/v1/public/report-cards/1404-03' })).json();
    expect(card.agencies.length).toBe(10);
    for (const a of card.agencies) expect(a.measures.score).not.toBeNull();
    const hamedan = card.provinces.find((p: { nameFa: string }) => p.nameFa === 'همدان');
    expect(hamedan.measures.enoughData).toBe(true);
    const map = await h.app.inject({ url: '/api/v1/public/map/1404-03' });
    expect(map.statusCode).toBe(200);
  });

  it('is deterministic: the same seed gives the same complaints, events and hashes', async () => {
    const { rows } = await h.db.pool.query('SELECT * FROM units ORDER BY id');
    const units = rows.map((r) => ({ ...r, parentId: r.parent_id, inspectionHeadId: r.inspection_head_id }));
    const tree = await ensureHeads(h.db.pool, units);
    const categories = (await h.db.pool.query('SELECT id, code FROM categories')).rows;
    const places = (
      await h.db.pool.query(
        `SELECT p.id AS "provinceId", p.code AS "provinceCode", p.name_fa AS "nameFa",
                json_agg(json_build_object('id', c.id, 'code', c.code, 'nameFa', c.name_fa) ORDER BY c.name_fa) AS counties
         FROM provinces p JOIN counties c ON c.province_id = p.id WHERE p.name_fa IN ('همدان', 'قزوین') GROUP BY p.id ORDER BY p.id`,
      )
    ).rows;
    const input = {
      now: NOW,
      months: 5,
      seed: 128,
      places,
      organisations: ['MOH', 'SSO', 'INTA', 'SSAA', 'MOE', 'TAVANIR', 'ABFA', 'NIGC', 'MRUD', 'NOCR'],
      categories,
    };
    const a = generateHistory(input, tree);
    const b = generateHistory(input, tree);
    expect(a.length).toBe(result?.history?.complaints);
    expect(b.map((g) => [g.id, g.trackingCode, g.final.hash])).toEqual(a.map((g) => [g.id, g.trackingCode, g.final.hash]));
    const stored = await h.db.pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM complaints WHERE id = ANY($1::uuid[]) AND head_hash = ANY($2::text[])',
      [a.map((g) => g.id), a.map((g) => g.final.hash)],
    );
    expect(stored.rows[0]!.n).toBe(a.length);
  });

  it('seeds only an empty database', async () => {
    expect(await seedDemo(h.db, 'demo-password-128', 'http://localhost:3128', { history: { months: 5, seed: 128, minComplaints: 10, now: NOW } })).toBeNull();
  });
});
