import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUnit } from '../src/agencies/manage-units.ts';
import type { Unit } from '../src/agencies/store.ts';
import { completedPeriods } from '../src/enforcement/periods.ts';
import { buildTree, type Place, places, type StaffFixture, staff, type Tree, uniq } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';
import { seedBreach, seedComplaint } from './seed-complaints.ts';

/**
 * Honest league tables with synthetic numbers (issue 15). One organisation's county offices,
 * peers of one another, in Khordad 1404 (rollup rows written straight in, as the rollups would
 * hold them):
 *   - ten ordinary offices: 100 complaints, 80 answered in time, 50 rated, 40 satisfied, 10 not;
 *   - a small office: 10 complaints, 8 in time, but its 2 rated answers both dissatisfied
 *     (2 of 2: the raw score ranks it worst);
 *   - a large office: 1,000 complaints, 600 in time, 500 rated, 300 satisfied, 200 not — truly
 *     out of line (far outside the 99.8% limit on dissatisfaction).
 * And for enforcement, a last completed month of breaches: a large ordinary office (40
 * complaints, 2 late), a small one with 2 late of 2, a large one with 14 late of 20.
 */
describe('league tables: shrunk ranks, rank intervals, funnels, and warnings that need the funnel', () => {
  let h: Harness;
  let place: Place;
  let tree: Tree;
  let admin: StaffFixture;
  const peers: Unit[] = [];
  let small: Unit;
  let large: Unit;

  const office = (label: string) =>
    createUnit(h.db.pool, {
      code: `L-${uniq()}`,
      parentId: tree.directorate.id,
      kind: 'county_office',
      nameFa: `ادارهٔ ${label}`,
      nameEn: '',
      provinceId: place.provinceId,
      countyId: place.countyIds[0]!,
    });
  const rollup = (unit: Unit, c: { received: number; inSla: number; rated: number; satisfied: number; dissatisfied: number; reopened: number }) =>
    h.db.pool.query(
      `INSERT INTO report_rollups (month_key, unit_id, manager_id, agency_id, province_id, received, answered, answered_in_sla, first_actioned,
         escalated, escalations, reopened, rated, satisfied, dissatisfied)
       VALUES (140403, $1, 0, $2, $3, $4, $4, $5, $4, $6, $6, $6, $7, $8, $9)`,
      [unit.id, tree.organisation.id, place.provinceId, c.received, c.inSla, c.reopened, c.rated, c.satisfied, c.dissatisfied],
    );

  beforeAll(async () => {
    h = await startHarness();
    [place] = (await places(h.db.pool)) as [Place];
    tree = await buildTree(h.db.pool, place);
    admin = await staff(h.db, h.config, 'national_admin');
    for (let i = 0; i < 10; i++) {
      const unit = await office(`عادی ${i}`);
      peers.push(unit);
      await rollup(unit, { received: 100, inSla: 80, rated: 50, satisfied: 40, dissatisfied: 10, reopened: 5 });
    }
    small = await office('کوچک');
    await rollup(small, { received: 10, inSla: 8, rated: 2, satisfied: 0, dissatisfied: 2, reopened: 0 });
    large = await office('بزرگ');
    await rollup(large, { received: 1000, inSla: 600, rated: 500, satisfied: 300, dissatisfied: 200, reopened: 100 });
  });
  afterAll(() => h.close());

  type Flag = 'within' | 'high95' | 'high998' | 'low95' | 'low998';
  interface LeagueJson {
    shrunkScore: number;
    rank: number;
    rankLow: number;
    rankHigh: number;
    measures: { field: string; shrunk: number; flag: Flag; trials: number; events: number }[];
  }
  interface EntryJson {
    id: number;
    measures: { score: number; rank: number; peers: number; dissatisfactionRate: number };
    league: LeagueJson;
  }
  const officialCard = async () => {
    const reply = await h.app.inject({ url: '/api/v1/reports/cards/1404-03', headers: admin.headers });
    expect(reply.statusCode).toBe(200);
    return reply.json();
  };

  it('ranks by the shrunk score: the small office with 2 of 2 dissatisfied is not worst, the large one is', async () => {
    const card = await officialCard();
    const units = card.units as EntryJson[];
    const byId = new Map(units.map((u) => [u.id, u]));
    const s = byId.get(small.id)!;
    const l = byId.get(large.id)!;
    // Its raw score is the lowest of all…
    expect(Math.min(...units.map((u) => u.measures.score))).toBe(s.measures.score);
    // …but ranked by the score of the shrunk rates, the large office is last and the small one is not.
    expect(l.measures).toMatchObject({ rank: 12, peers: 12 });
    expect(s.measures.rank).toBeLessThan(12);
    const dissatisfaction = (e: EntryJson) => e.league.measures.find((m) => m.field === 'dissatisfactionRate')!;
    expect(dissatisfaction(s)).toMatchObject({ events: 2, trials: 2, flag: 'within' });
    expect(dissatisfaction(s).shrunk).toBeLessThan(0.5);
    expect(dissatisfaction(l)).toMatchObject({ events: 200, trials: 500, flag: 'high998' });
    // Rank intervals: the small office's is wide (it could be almost anywhere), the large one's is pinned at the bottom.
    expect(s.league.rankLow).toBeLessThanOrEqual(s.measures.rank);
    expect(s.league.rankHigh).toBeGreaterThanOrEqual(s.measures.rank);
    expect(s.league.rankHigh - s.league.rankLow).toBeGreaterThanOrEqual(5);
    expect(l.league).toMatchObject({ rank: 12, rankHigh: 12 });
    expect(l.league.rankLow).toBeGreaterThanOrEqual(11);
  });

  it('serves the funnel: points by volume and rate, limits around the peer mean that narrow with volume', async () => {
    const card = await officialCard();
    const funnel = (
      card.funnels as {
        level: string;
        field: string;
        peerMean: number;
        points: { id: number; trials: number; rate: number; flag: Flag }[];
        curve: { trials: number; upper95: number; upper998: number; lower95: number }[];
      }[]
    ).find((f) => f.level === 'unit' && f.field === 'dissatisfactionRate')!;
    expect(funnel.points).toHaveLength(12);
    expect(funnel.peerMean).toBeCloseTo(302 / 1002, 3);
    expect(funnel.points.find((p) => p.id === large.id)).toMatchObject({ trials: 500, rate: 0.4, flag: 'high998' });
    const first = funnel.curve[0]!;
    const last = funnel.curve.at(-1)!;
    expect(last.trials).toBe(500);
    expect(last.upper998).toBeGreaterThan(last.upper95);
    expect(first.upper95 - first.lower95).toBeGreaterThan(last.upper95 - last.lower95);
  });

  it('gives the same intervals on every rebuild (seeded by the period)', async () => {
    const strip = (card: { units: EntryJson[] }) => card.units.map((u) => [u.id, u.league]);
    expect(strip(await officialCard())).toEqual(strip(await officialCard()));
  });

  it('warns the large office truly above the 99.8% limit, not the small one with 2 late of 2', async () => {
    const asOf = new Date();
    const month = completedPeriods(asOf, 1)[0]!;
    const mid = new Date((month.from.getTime() + month.to.getTime()) / 2);
    const head = async (unit: Unit) => (await staff(h.db, h.config, 'inspection_head', { unit }, { inspectionHead: true })).id;
    const seed = async (unit: Unit, complaints: number, late: number) => {
      const managerId = await head(unit);
      for (let n = 0; n < complaints; n++) {
        const c = await seedComplaint(h.db.pool, { unit, agencyId: tree.organisation.id, createdAt: mid });
        if (n < late) await seedBreach(h.db.pool, { complaintId: c.id, unit, managerId, at: mid });
      }
      return managerId;
    };
    await seed(peers[0]!, 40, 2);
    const smallHead = await seed(small, 2, 2);
    const largeHead = await seed(large, 20, 14);
    // One month is enough here, and two complaints count: the raw rule would warn the small office (100% > 20%).
    const patched = await h.app.inject({
      method: 'PATCH',
      url: '/api/v1/enforcement/rules/breach_rate_warning',
      headers: admin.headers,
      payload: { periods: 1, minComplaints: 2 },
    });
    expect(patched.statusCode).toBe(200);
    const run = await h.app.inject({ method: 'POST', url: '/api/v1/enforcement/evaluate', headers: admin.headers, payload: { asOf: asOf.toISOString() } });
    expect(run.statusCode).toBe(200);
    const warnings = (run.json().created as { kind: string; managerId: number; id: number }[]).filter((c) => c.kind === 'warning');
    expect(warnings.map((w) => w.managerId)).toEqual([largeHead]);
    expect(warnings.map((w) => w.managerId)).not.toContain(smallHead);
    const action = (await h.app.inject({ url: `/api/v1/enforcement/actions/${warnings[0]!.id}`, headers: admin.headers })).json();
    expect(action.evidence.funnel).toMatchObject({ complaints: 20, breaches: 14, flag: 'high998' });
    expect(action.evidence.summaryFa).toContain('از ۲۰ شکایت ۱۴ مورد از مهلت گذشت (۷۰٫۰٪)');
    expect(action.evidence.summaryFa).toContain('نرخ تعدیل‌شده به روش بیز تجربی');
    expect(action.evidence.summaryFa).toContain('بالاتر از حد ۹۹٫۸٪');
  });
});
