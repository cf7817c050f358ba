import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTree, places, staff, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';
import { seedBreach, seedComplaint } from './seed-complaints.ts';

const MINUTE = 60_000;

/** The start of today in Asia/Tehran, computed apart from the server's SQL. */
function tehranDayStart(now: Date): Date {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tehran', year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  return new Date(`${parts.year}-${parts.month}-${parts.day}T00:00:00+03:30`); // Iran has kept +03:30 all year since 2022
}

describe('live dashboard on a hand-built set', () => {
  let h: Harness;
  let p1: Tree;
  let p2: Tree;
  const now = new Date();
  const ago = (minutes: number) => new Date(now.getTime() - minutes * MINUTE);
  const ahead = (minutes: number) => new Date(now.getTime() + minutes * MINUTE);
  const dayStart = tehranDayStart(now);
  const today = (d: Date) => (d >= dayStart ? 1 : 0);

  beforeAll(async () => {
    h = await startHarness();
    const [first, second] = await places(h.db.pool);
    p1 = await buildTree(h.db.pool, first!);
    p2 = await buildTree(h.db.pool, second!);
    const [officeA, officeB] = p1.countyOffices;
    const agency = p1.organisation.id;
    const db = h.db.pool;
    // Office A: ok (10 min ago), warned (30 min ago), breached before (5 h ago); office B: overdue (3 h ago), answered (26 h ago).
    await seedComplaint(db, { unit: officeA, agencyId: agency, createdAt: ago(10), dueAt: ahead(120) });
    const warned = await seedComplaint(db, { unit: officeA, agencyId: agency, createdAt: ago(30), dueAt: ahead(60) });
    await db.query(
      `INSERT INTO sla_timers (complaint_id, kind, stage, fraction, fire_at, due_at, unit_id, fired_at) VALUES ($1, 'answer', 'warning', 0.5, $2, $3, $4, $2)`,
      [warned.id, ago(5), ahead(60), officeA.id],
    );
    const breachedBefore = await seedComplaint(db, { unit: officeA, agencyId: agency, createdAt: ago(300), dueAt: ahead(300), breachCount: 1 });
    await seedComplaint(db, { unit: officeB, agencyId: agency, createdAt: ago(180), dueAt: ago(60) });
    await seedComplaint(db, { unit: officeB, agencyId: agency, createdAt: ago(26 * 60), status: 'answered' });
    await seedBreach(db, { complaintId: breachedBefore.id, unit: officeA, managerId: null, at: ago(20) });
    await seedBreach(db, { complaintId: breachedBefore.id, unit: officeA, managerId: null, at: ago(25 * 60) });
    // Another province.
    await seedComplaint(db, { unit: p2.countyOffices[0], agencyId: p2.organisation.id, createdAt: ago(5), dueAt: ahead(100) });
  });
  afterAll(() => h.close());

  async function dashboard(headers: Record<string, string>, query = '') {
    const res = await h.app.inject({ url: `/api/v1/live/dashboard${query}`, headers });
    expect(res.statusCode).toBe(200);
    return res.json();
  }

  it('counts the province supervisor’s whole province and nothing else', async () => {
    const supervisor = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: p1.place.provinceId });
    const d = await dashboard(supervisor.headers);
    expect(d.complaints).toEqual({ lastHour: 2, today: today(ago(10)) + today(ago(30)) + today(ago(300)) + today(ago(180)) });
    expect(d.open).toEqual({ total: 4, ok: 1, warned: 1, breached: 2 });
    expect(d.breaches).toEqual({ lastHour: 1, today: today(ago(20)) });
    expect(d.provinces.map((p: { provinceId: number }) => p.provinceId)).toEqual([p1.place.provinceId]);
    expect(d.provinces[0]).toMatchObject({ open: 4, breachedOpen: 2, value: d.complaints.today });
    expect(d.busiestAgencies).toEqual([{ agencyId: p1.organisation.id, nameFa: p1.organisation.nameFa, complaintsToday: d.complaints.today, open: 4 }]);
    expect(new Date(d.today.start).getTime()).toBe(dayStart.getTime());
  });

  it('a county office head sees only that office', async () => {
    const head = await staff(h.db, h.config, 'inspection_head', { unit: p1.countyOffices[1] }, { inspectionHead: true });
    const d = await dashboard(head.headers, '?measure=breached_open');
    expect(d.complaints.lastHour).toBe(0);
    expect(d.open).toEqual({ total: 1, ok: 0, warned: 0, breached: 1 });
    expect(d.breaches).toEqual({ lastHour: 0, today: 0 });
    expect(d.provinces[0]).toMatchObject({ provinceId: p1.place.provinceId, value: 1 });
  });

  it('the national centre sees both provinces, the map coloured by the chosen measure', async () => {
    const admin = await staff(h.db, h.config, 'national_admin');
    const d = await dashboard(admin.headers, '?measure=open');
    expect(d.complaints.lastHour).toBe(3);
    expect(d.open.total).toBe(5);
    const byId = new Map(d.provinces.map((p: { provinceId: number; value: number }) => [p.provinceId, p.value]));
    expect(byId.get(p1.place.provinceId)).toBe(4);
    expect(byId.get(p2.place.provinceId)).toBe(1);
    expect(d.busiestAgencies[0].agencyId).toBe(p1.organisation.id);
  });

  it('refuses an unknown measure and an anonymous caller', async () => {
    const admin = await staff(h.db, h.config, 'national_admin');
    expect((await h.app.inject({ url: '/api/v1/live/dashboard?measure=nope', headers: admin.headers })).statusCode).toBe(400);
    expect((await h.app.inject({ url: '/api/v1/live/dashboard' })).statusCode).toBe(401);
  });
});
