import { toGregorian } from 'jalaali-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodOf } from '../src/enforcement/periods.ts';
import { breachStatsSource, type ReportCardSource } from '../src/enforcement/report-card-source.ts';
import { runRulesByHand, runScheduledMonths } from '../src/enforcement/run-rules.ts';
import { retryDelayMs } from '../src/enforcement/schedule.ts';
import { startEnforcementScheduler } from '../src/enforcement/scheduler.ts';
import { buildTree, places, type StaffFixture, staff, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';
import { seedBreach, seedComplaint } from './seed-complaints.ts';

const H = 3_600_000;
/** The Jalali months these tests walk through, with the number of (all late) complaints office A had in each. */
const MONTHS: [string, number][] = [
  ['1403-10', 2],
  ['1403-11', 3],
  ['1403-12', 4],
  ['1404-01', 5],
  ['1404-02', 6],
  ['1404-03', 7],
  ['1404-04', 8],
  ['1404-05', 9],
];
/** A Jalali month's bounds, from its key (through the 15th of the month, Tehran morning). */
const endOf = (key: string) => {
  const [y, m] = key.split('-').map(Number) as [number, number];
  const g = toGregorian(y, m, 15);
  const p = periodOf(new Date(Date.UTC(g.gy, g.gm - 1, g.gd, 6)));
  expect(p.key).toBe(key);
  return p;
};

/**
 * The monthly schedule against a real database, on an injected clock: each test moves `now` and
 * ticks. Rules are data: the warning rule is set to one month with one complaint, so office A,
 * late on every complaint, gets a warning for every month the rules run for — and its evidence
 * carries that month's own count, showing which month it is about.
 */
describe('enforcement schedule: the rules run themselves each Jalali month', () => {
  let h: Harness;
  let now = new Date('2025-03-21T10:00:00Z');
  const clock = { now: () => now };
  let tree: Tree;
  let admin: StaffFixture;
  let headA: StaffFixture;
  let source: ReportCardSource;
  const settings = () => ({ settleHours: h.config.enforcementSettleHours, replyDays: 7, clock });
  const tick = (from: ReportCardSource = source) => runScheduledMonths(h.db, from, settings());
  const scheduled = async () =>
    (
      await h.db.pool.query<{ id: number; period: string; status: string; attempt: number; asOf: Date; created: number | null; error: string | null }>(
        `SELECT id, period, status, attempt, as_of AS "asOf", created, error FROM enforcement_runs WHERE trigger = 'schedule' ORDER BY id`,
      )
    ).rows;
  const warnings = async () =>
    (
      await h.db.pool.query<{ period: string; complaints: number; proposedAt: Date }>(
        `SELECT period, (evidence->'periods'->0->>'complaints')::int AS complaints, proposed_at AS "proposedAt"
         FROM enforcement_actions WHERE manager_id = $1 AND kind = 'warning' ORDER BY id`,
        [headA.id],
      )
    ).rows;

  beforeAll(async () => {
    h = await startHarness({ ENFORCEMENT_SETTLE_HOURS: '24' }, { clock });
    // Rules judge an office against its peers (the funnel): beside office A, every month, a large
    // office without an inspection head that missed none of its 1,000 deadlines.
    const counted = breachStatsSource(h.db.pool);
    source = {
      unitPeriodStats: async (periods) => [
        ...(await counted.unitPeriodStats(periods)),
        ...periods.map((p) => ({ unitId: -1, unitPath: '/-1/', provinceId: null, managerId: null, period: p.key, complaints: 1000, breaches: 0 })),
      ],
    };
    const [place] = await places(h.db.pool);
    tree = await buildTree(h.db.pool, place!);
    admin = await staff(h.db, h.config, 'national_admin');
    headA = await staff(h.db, h.config, 'inspection_head', { unit: tree.countyOffices[0] }, { inspectionHead: true });
    for (const [key, n] of MONTHS) {
      const p = endOf(key);
      const mid = new Date((p.from.getTime() + p.to.getTime()) / 2);
      for (let i = 0; i < n; i++) {
        const c = await seedComplaint(h.db.pool, { unit: tree.countyOffices[0], agencyId: tree.organisation.id, createdAt: mid });
        await seedBreach(h.db.pool, { complaintId: c.id, unit: tree.countyOffices[0], managerId: headA.id, at: mid });
      }
    }
    // The run by hand (the HTTP route counts from the database) judges Dey 1403: there, a real
    // peer office without an inspection head answered 70 complaints in time, so office A's 2 late
    // of 2 lie above the 99.8% funnel limit.
    const dey = endOf('1403-10');
    for (let i = 0; i < 70; i++) {
      await seedComplaint(h.db.pool, {
        unit: tree.countyOffices[1],
        agencyId: tree.organisation.id,
        createdAt: new Date((dey.from.getTime() + dey.to.getTime()) / 2),
      });
    }
    const patch = (code: string, payload: object) =>
      h.app.inject({ method: 'PATCH', url: `/api/v1/enforcement/rules/${code}`, headers: admin.headers, payload });
    expect((await patch('breach_rate_warning', { periods: 1, minComplaints: 1 })).statusCode).toBe(200);
    expect((await patch('top_decile_commendation', { active: false })).statusCode).toBe(200);
    expect((await patch('repeated_severe_dismissal', { active: false })).statusCode).toBe(200);
  });
  afterAll(() => h.close());

  it('a first start runs only the newest ended month; Esfand 1403 (30 days, leap year) has not ended on 1 Farvardin’s morning + settle', async () => {
    now = new Date('2025-03-21T10:00:00Z'); // 1 Farvardin 1404, 13:30 Tehran: Esfand ended 13.5 h ago
    const outcomes = await tick();
    expect(outcomes.map((o) => [o.period, o.created, o.error])).toEqual([['1403-11', 1, null]]);
    expect(await scheduled()).toEqual([
      { id: expect.any(Number), period: '1403-11', status: 'done', attempt: 1, asOf: endOf('1403-11').to, created: 1, error: null },
    ]);
    expect((await warnings()).map((w) => [w.period, w.complaints])).toEqual([['1403-11', 3]]);
  });

  it('before the month’s end + settle delay nothing runs; after it the month runs once and its suggestions exist', async () => {
    const due = new Date(endOf('1403-12').to.getTime() + 24 * H);
    expect(due.toISOString()).toBe('2025-03-21T20:30:00.000Z'); // 2 Farvardin 1404, 00:00 Tehran
    now = new Date(due.getTime() - 60_000);
    expect(await tick()).toEqual([]);
    now = new Date(due.getTime() + 60_000);
    expect((await tick()).map((o) => [o.period, o.created])).toEqual([['1403-12', 1]]);
    expect(await tick()).toEqual([]);
    const esfand = (await warnings()).filter((w) => w.period === '1403-12');
    expect(esfand).toEqual([{ period: '1403-12', complaints: 4, proposedAt: now }]);
    expect((await scheduled()).filter((r) => r.period === '1403-12')).toHaveLength(1);
  });

  it('two instances’ workers ticking together run the month once', async () => {
    now = new Date(endOf('1404-01').to.getTime() + 26 * H);
    // Hold the first worker inside its run until the other has ticked (or also got inside: the bug).
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let inside = 0;
    const gated: ReportCardSource = {
      async unitPeriodStats(periods) {
        inside++;
        if (inside >= 2) release();
        await released;
        return source.unitPeriodStats(periods);
      },
    };
    const ran: string[] = [];
    const errors: unknown[] = [];
    const start = () =>
      startEnforcementScheduler(h.db, gated, { settleHours: 24, replyDays: 7, clock, onRun: (r) => ran.push(r.period), onError: (e) => errors.push(e) });
    const [first, second] = [start(), start()];
    await Promise.all([first.stop().finally(release), second.stop().finally(release)]);
    expect(errors).toEqual([]);
    expect(ran).toEqual(['1404-01']);
    expect(inside).toBe(1);
    expect((await scheduled()).filter((r) => r.period === '1404-01').map((r) => [r.status, r.created])).toEqual([['done', 1]]);
    expect((await warnings()).filter((w) => w.period === '1404-01')).toHaveLength(1);
  });

  it('a restarted worker does not repeat a done month', async () => {
    now = new Date(now.getTime() + 3 * H);
    let reads = 0;
    const counting: ReportCardSource = {
      unitPeriodStats: (periods) => {
        reads++;
        return source.unitPeriodStats(periods);
      },
    };
    const before = await scheduled();
    const worker = startEnforcementScheduler(h.db, counting, { settleHours: 24, replyDays: 7, clock });
    await worker.stop();
    expect(reads).toBe(0);
    expect(await scheduled()).toEqual(before);
  });

  it('after a downtime across two month ends, both months are caught up in order, each as of its own end', async () => {
    now = new Date(endOf('1404-03').to.getTime() + 80 * H); // 4 Tir 1404: Ordibehesht and Khordad are owed
    const outcomes = await tick();
    expect(outcomes.map((o) => [o.period, o.created])).toEqual([
      ['1404-02', 1],
      ['1404-03', 1],
    ]);
    const rows = (await scheduled()).filter((r) => r.period >= '1404-02');
    expect(rows.map((r) => [r.period, r.asOf])).toEqual([
      ['1404-02', endOf('1404-02').to],
      ['1404-03', endOf('1404-03').to],
    ]);
    expect(rows[0]!.id).toBeLessThan(rows[1]!.id);
    // Each month's suggestion carries that month's own numbers (6 and 7 complaints).
    expect((await warnings()).filter((w) => w.period >= '1404-02').map((w) => [w.period, w.complaints])).toEqual([
      ['1404-02', 6],
      ['1404-03', 7],
    ]);
  });

  it('a failing run is recorded, visible in the runs list, and retried after a backoff', async () => {
    now = new Date(endOf('1404-04').to.getTime() + 25 * H);
    const failedAt = now;
    let calls = 0;
    const flaky: ReportCardSource = {
      unitPeriodStats: async (periods) => {
        calls++;
        if (calls === 1) throw new Error('report source unreachable');
        return source.unitPeriodStats(periods);
      },
    };
    expect(await tick(flaky)).toEqual([{ runId: expect.any(Number), period: '1404-04', created: null, error: 'report source unreachable' }]);
    const listed = (await h.app.inject({ url: '/api/v1/enforcement/runs', headers: admin.headers })).json();
    expect(listed.items[0]).toMatchObject({ period: '1404-04', trigger: 'schedule', status: 'failed', attempt: 1, error: 'report source unreachable' });
    expect(listed.schedule.next).toEqual({ period: '1404-04', dueAt: new Date(failedAt.getTime() + retryDelayMs(1)).toISOString(), retry: true });
    now = new Date(failedAt.getTime() + retryDelayMs(1) - 60_000);
    expect(await tick(flaky)).toEqual([]);
    now = new Date(failedAt.getTime() + retryDelayMs(1));
    expect((await tick(flaky)).map((o) => [o.period, o.created, o.error])).toEqual([['1404-04', 1, null]]);
    expect((await scheduled()).filter((r) => r.period === '1404-04').map((r) => [r.attempt, r.status, r.error])).toEqual([
      [1, 'failed', 'report source unreachable'],
      [2, 'done', null],
    ]);
  });

  it('a run left “running” by an instance that died holds its month until its lease ends, then is retried', async () => {
    const due = new Date(endOf('1404-05').to.getTime() + 24 * H);
    await h.db.pool.query(
      `INSERT INTO enforcement_runs (period, trigger, as_of, attempt, status, started_at) VALUES ('1404-05', 'schedule', $1, 1, 'running', $2)`,
      [endOf('1404-05').to, due],
    );
    now = new Date(due.getTime() + 30 * 60_000);
    expect(await tick()).toEqual([]);
    now = new Date(due.getTime() + H + 60_000);
    expect(await tick()).toEqual([]); // marked abandoned now; retried after the backoff
    expect((await scheduled()).filter((r) => r.period === '1404-05').map((r) => r.status)).toEqual(['failed']);
    now = new Date(now.getTime() + retryDelayMs(1));
    expect((await tick()).map((o) => [o.period, o.created])).toEqual([['1404-05', 1]]);
  });

  it('catches up at most the last three months after a long downtime', async () => {
    now = new Date('2026-03-25T00:00:00Z'); // 5 Farvardin 1405: Shahrivar…Esfand 1404 are owed
    expect((await tick()).map((o) => o.period)).toEqual(['1404-10', '1404-11', '1404-12']);
    expect((await scheduled()).map((r) => r.period).filter((p) => p >= '1404-06' && p <= '1404-09')).toEqual([]);
  });

  it('a run by hand is recorded with who ran it; a failed one too', async () => {
    const asOf = new Date('2025-02-01T00:00:00Z'); // in Bahman 1403: evaluates Dey 1403
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/enforcement/evaluate', headers: admin.headers, payload: { asOf: asOf.toISOString() } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.period).toBe('1403-10');
    expect(body.created).toHaveLength(1);
    const row = await h.db.pool.query('SELECT trigger, requested_by, period, status, created, as_of, started_at FROM enforcement_runs WHERE id = $1', [
      body.runId,
    ]);
    expect(row.rows).toEqual([{ trigger: 'manual', requested_by: admin.id, period: '1403-10', status: 'done', created: 1, as_of: asOf, started_at: now }]);
    const adminUser = {
      id: admin.id,
      username: 'a',
      displayName: 'a',
      role: 'national_admin' as const,
      unitId: null,
      unitPath: null,
      provinceId: null,
      language: 'fa' as const,
    };
    const broken: ReportCardSource = {
      unitPeriodStats: async () => {
        throw new Error('no numbers');
      },
    };
    await expect(runRulesByHand(h.db, broken, { user: adminUser, asOf, replyDays: 7, clock })).rejects.toThrow('no numbers');
    const failed = await h.db.pool.query(`SELECT status, error FROM enforcement_runs WHERE trigger = 'manual' ORDER BY id DESC LIMIT 1`);
    expect(failed.rows).toEqual([{ status: 'failed', error: 'no numbers' }]);
  });

  it('the runs list and the next due time are for national scope only', async () => {
    const get = (who?: StaffFixture) => h.app.inject({ url: '/api/v1/enforcement/runs?limit=5', ...(who ? { headers: who.headers } : {}) });
    const ok = await get(admin);
    expect(ok.statusCode).toBe(200);
    const farvardin1405 = periodOf(now);
    expect(ok.json().schedule).toEqual({
      enabled: true,
      settleHours: 24,
      catchUpMonths: 3,
      next: { period: farvardin1405.key, dueAt: new Date(farvardin1405.to.getTime() + 24 * H).toISOString(), retry: false },
    });
    expect(ok.json().items).toHaveLength(5);
    expect(ok.json().items[0]).toMatchObject({ trigger: 'manual', status: 'failed', requestedBy: admin.id });
    const nationalAuditor = await staff(h.db, h.config, 'auditor');
    expect((await get(nationalAuditor)).statusCode).toBe(200);
    const provinceId = tree.place.provinceId;
    for (const who of [await staff(h.db, h.config, 'provincial_supervisor', { provinceId }), await staff(h.db, h.config, 'auditor', { provinceId }), headA]) {
      const res = await get(who);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
    }
    expect((await get()).statusCode).toBe(401);
  });
});
