import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectHotspots } from '../src/hotspots/detect-hotspots.ts';
import { buildTree, complaintBody, places, type StaffFixture, staff, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';
import { seedComplaint } from './seed-complaints.ts';
import { dataOf, openFeed, type SseFeed } from './sse-client.ts';

const MINUTE = 60_000;

/**
 * Detection runs with an explicit `now`, over complaints placed around it. The default settings
 * apply except the office baseline, cut to 24 h through the API (settings are data).
 */
describe('hotspot alerts', () => {
  let h: Harness;
  let base: string;
  let p1: Tree;
  let p1b: Tree;
  let p2: Tree;
  let p2b: Tree;
  let admin: StaffFixture;
  let supervisor: StaffFixture;
  let foreignSupervisor: StaffFixture;
  let feed: SseFeed;
  let foreignFeed: SseFeed;
  let categoryId: number;
  const now = new Date();
  const ago = (minutes: number) => new Date(now.getTime() - minutes * MINUTE);

  beforeAll(async () => {
    h = await startHarness();
    base = await h.app.listen({ port: 0, host: '127.0.0.1' });
    const [first, second] = await places(h.db.pool);
    p1 = await buildTree(h.db.pool, first!);
    p1b = await buildTree(h.db.pool, first!);
    p2 = await buildTree(h.db.pool, second!);
    p2b = await buildTree(h.db.pool, second!);
    admin = await staff(h.db, h.config, 'national_admin');
    supervisor = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: first!.provinceId });
    foreignSupervisor = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: second!.provinceId });
    categoryId = (await h.db.pool.query<{ id: number }>('SELECT id FROM categories ORDER BY id LIMIT 1')).rows[0]!.id;
    const patched = await h.app.inject({ method: 'PATCH', url: '/api/v1/hotspots/settings/unit', headers: admin.headers, payload: { baselineHours: 24 } });
    expect(patched.statusCode).toBe(200);
    const db = h.db.pool;
    const seed = (tree: Tree, office: 0 | 1, at: Date, extra: { categoryId?: number; namedEmployee?: string } = {}) =>
      seedComplaint(db, { unit: tree.countyOffices[office], agencyId: tree.organisation.id, createdAt: at, ...extra });
    // P1 office A: quiet (one complaint yesterday), then six in the last hour → hot.
    await seed(p1, 0, ago(20 * 60));
    for (let i = 0; i < 6; i++) await seed(p1, 0, ago(5 + i * 8));
    // P1 office B: six in the last hour too, but it gets 60 a day (2.5 an hour expected) → not hot.
    for (let i = 0; i < 60; i++) await seed(p1, 1, ago(70 + i * 20));
    for (let i = 0; i < 6; i++) await seed(p1, 1, ago(5 + i * 8));
    // P1b office: four in the last hour, nothing before: unusual but under the minimum count → not hot.
    for (let i = 0; i < 4; i++) await seed(p1b, 0, ago(5 + i * 8));
    // P2: nine complaints of one category across three offices (4 + 4 + 1: no office is hot) → the category is hot.
    for (let i = 0; i < 4; i++) await seed(p2, 0, ago(3 + i * 10), { categoryId });
    for (let i = 0; i < 4; i++) await seed(p2, 1, ago(4 + i * 10), { categoryId });
    await seed(p2b, 1, ago(30), { categoryId });
    // P2b office: four complaints naming one employee in the hour → the employee is hot (the office, at 4, is not).
    for (let i = 0; i < 4; i++) await seed(p2b, 0, ago(6 + i * 10), { namedEmployee: 'رضا احمدی' });
    feed = await openFeed(`${base}/api/v1/live/events`, supervisor.headers);
    foreignFeed = await openFeed(`${base}/api/v1/live/events`, foreignSupervisor.headers);
    await feed.next((m) => m.event === 'ready');
    await foreignFeed.next((m) => m.event === 'ready');
  });
  afterAll(async () => {
    feed.close();
    foreignFeed.close();
    await h.close();
  });

  async function alerts(who: StaffFixture, query = '?open=true') {
    const res = await h.app.inject({ url: `/api/v1/hotspots${query}`, headers: who.headers });
    expect(res.statusCode).toBe(200);
    return res.json().items as {
      id: number;
      dimension: string;
      unitId: number | null;
      categoryId: number | null;
      namedEmployee: string | null;
      closedAt: string | null;
    }[];
  }

  it('raises alerts for the unusual rises only', async () => {
    const result = await detectHotspots(h.db, now);
    expect(result.scanned).toBe(true);
    const all = await alerts(admin);
    expect(result.opened.sort()).toEqual(all.map((a) => a.id).sort());
    const summary = all.map((a) => [a.dimension, a.unitId, a.categoryId, a.namedEmployee]);
    expect(summary).toEqual(
      expect.arrayContaining([
        ['unit', p1.countyOffices[0].id, null, null],
        ['category', null, categoryId, null],
        ['employee', p2b.countyOffices[0].id, null, 'رضا احمدی'],
      ]),
    );
    expect(all).toHaveLength(3);
  });

  it('tells the supervisors in scope, by outbox and on the live feed, and nobody else', async () => {
    const [officeAlert] = await alerts(supervisor);
    expect(officeAlert).toMatchObject({ dimension: 'unit', unitId: p1.countyOffices[0].id });
    expect((await alerts(supervisor)).length).toBe(1);
    expect((await alerts(foreignSupervisor)).map((a) => a.dimension).sort()).toEqual(['category', 'employee']);
    const messages = await h.db.pool.query<{ recipient: number }>(
      `SELECT recipient_user_id AS recipient FROM outbox WHERE template = 'hotspot_alert' AND delivery_key LIKE $1`,
      [`hotspot:${officeAlert!.id}:%`],
    );
    expect(messages.rows.map((r) => r.recipient)).toEqual([supervisor.id]);
    const live = await feed.next((m) => m.event === 'hotspot');
    expect(dataOf(live)).toMatchObject({ source: 'alert', id: officeAlert!.id, dimension: 'unit', unitId: p1.countyOffices[0].id, windowCount: 6 });
    // The foreign feed gets its own two alerts and never this one.
    await foreignFeed.next((m) => m.event === 'hotspot' && dataOf(m).dimension === 'employee');
    await foreignFeed.next((m) => m.event === 'hotspot' && dataOf(m).dimension === 'category');
    expect(foreignFeed.messages.some((m) => m.event === 'hotspot' && dataOf(m).id === officeAlert!.id)).toBe(false);
    // An office head sees alerts about their office, not the province-wide category one.
    const head = await staff(h.db, h.config, 'inspection_head', { unit: p2b.countyOffices[0] }, { inspectionHead: true });
    expect((await alerts(head)).map((a) => a.dimension)).toEqual(['employee']);
    // Responders see none.
    const responder = await staff(h.db, h.config, 'responder', { unit: p1.countyOffices[0] });
    expect((await h.app.inject({ url: '/api/v1/hotspots', headers: responder.headers })).statusCode).toBe(403);
  });

  it('does not repeat an alert while the rise lasts, and closes it when it ends', async () => {
    const before = (await h.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE template = 'hotspot_alert'`)).rows[0]!.n;
    const again = await detectHotspots(h.db, new Date(now.getTime() + 5 * MINUTE));
    expect(again.opened).toEqual([]);
    expect(again.closed).toEqual([]);
    const after = (await h.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE template = 'hotspot_alert'`)).rows[0]!.n;
    expect(after).toBe(before);
    const later = await detectHotspots(h.db, new Date(now.getTime() + 3 * 60 * MINUTE));
    expect(later.opened).toEqual([]);
    expect(later.closed).toHaveLength(3);
    expect(await alerts(admin)).toEqual([]);
    expect((await alerts(admin, '?open=false')).every((a) => a.closedAt !== null)).toBe(true);
  });
});

/**
 * The employee dimension end to end: complaints filed through intake name one person in several
 * spellings; one of them is escalated before the scan (it stays on the record of the office the
 * person works at). Detection runs at the real time, on a database of its own.
 */
describe('named employee hotspots, from intake', () => {
  let h: Harness;
  let p1: Tree;
  let p2: Tree;
  let supervisor: StaffFixture;
  let foreignSupervisor: StaffFixture;
  let head: StaffFixture;
  let leader: StaffFixture;

  beforeAll(async () => {
    h = await startHarness();
    const [first, second] = await places(h.db.pool);
    p1 = await buildTree(h.db.pool, first!);
    p2 = await buildTree(h.db.pool, second!);
    supervisor = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: first!.provinceId });
    foreignSupervisor = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: second!.provinceId });
    head = await staff(h.db, h.config, 'inspection_head', { unit: p1.countyOffices[0] }, { inspectionHead: true });
    leader = await staff(h.db, h.config, 'leader_senior', { unit: p1.countyOffices[0] });
    const file = async (tree: Tree, county: number, namedEmployee: string) => {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/complaints',
        payload: complaintBody(tree.organisation.id, tree.place.countyIds[county]!, { namedEmployee }),
      });
      expect(res.statusCode).toBe(201);
      return res.json().id as string;
    };
    // Four complaints about one man at office P1/0, in four spellings: hot (at most three are ordinary).
    const ids = [];
    for (const variant of ['آقای رضائی', 'رضايي', '  رضایی ', 'آقای رضایی']) ids.push(await file(p1, 0, variant));
    // The same surname at another office, and another person at the same office: subjects of their own.
    await file(p1, 1, 'آقای رضایی');
    await file(p1, 0, 'خانم کریمی');
    await file(p2, 0, 'آقای رضایی');
    // One of the four escalates to the directorate; the man still works at the office.
    const escalated = await h.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${ids[0]}/actions`,
      headers: supervisor.headers,
      payload: { action: 'escalate', reason: 'پیگیری در سطح استان لازم است.' },
    });
    expect(escalated.json().unit.id).toBe(p1.directorate.id);
  });
  afterAll(() => h.close());

  const alerts = async (who: StaffFixture) => {
    const res = await h.app.inject({ url: '/api/v1/hotspots?open=true&dimension=employee', headers: who.headers });
    expect(res.statusCode).toBe(200);
    return res.json().items as { id: number; unitId: number; namedEmployee: string; subjectKey: string; windowCount: number }[];
  };

  it('raises exactly one employee alert, for the office, seen by the supervisor in scope and not by another', async () => {
    const scan = await detectHotspots(h.db, new Date());
    const mine = await alerts(supervisor);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ unitId: p1.countyOffices[0].id, windowCount: 4, subjectKey: `${p1.countyOffices[0].id}:رضایی` });
    expect(['آقای رضائی', 'رضايي', 'رضایی', 'آقای رضایی']).toContain(mine[0]!.namedEmployee);
    expect(scan.opened).toContain(mine[0]!.id);
    expect(await alerts(foreignSupervisor)).toEqual([]);
    // The office's inspection head sees it; its leaders, who may not read named employees, do not.
    expect((await alerts(head)).map((a) => a.id)).toEqual([mine[0]!.id]);
    expect(await alerts(leader)).toEqual([]);
    // The alert's complaints: the name at the person's office, the escalated one included.
    const listed = await h.app.inject({
      url: `/api/v1/complaints?namedEmployee=${encodeURIComponent('رضایی')}&unitId=${p1.countyOffices[0].id}`,
      headers: supervisor.headers,
    });
    expect(listed.json().total).toBe(4);
    // The supervisor is told, without the name in the message.
    const { rows } = await h.db.pool.query<{ recipient: number; body: string }>(
      `SELECT recipient_user_id AS recipient, body FROM outbox WHERE template = 'hotspot_alert' AND delivery_key LIKE $1`,
      [`hotspot:${mine[0]!.id}:%`],
    );
    expect(rows.map((r) => r.recipient)).toEqual([supervisor.id]);
    expect(rows[0]!.body).toContain('کارمند');
    expect(rows[0]!.body).not.toContain('رضا');
  });

  it('a second scan while the rise lasts opens nothing new', async () => {
    const again = await detectHotspots(h.db, new Date());
    expect(again.opened).toEqual([]);
    expect(await alerts(supervisor)).toHaveLength(1);
  });

  it('a name taken off every complaint at the office is taken off its alert too; while one still names him it stands', async () => {
    const [alert] = await alerts(supervisor);
    const named = await h.db.pool.query<{ id: string }>(
      'SELECT id FROM complaints WHERE named_employee = $1 AND COALESCE(responsible_unit_id, unit_id) = $2 ORDER BY created_at',
      ['رضایی', p1.countyOffices[0].id],
    );
    expect(named.rows).toHaveLength(4);
    const clear = (id: string) =>
      h.app.inject({
        method: 'PUT',
        url: `/api/v1/complaints/${id}/named-employee`,
        headers: supervisor.headers,
        payload: { namedEmployee: null, reason: 'شهروندان شخص دیگری را نام برده بودند.' },
      });
    for (const row of named.rows.slice(0, 3)) expect((await clear(row.id)).statusCode).toBe(200);
    const standing = await h.db.pool.query('SELECT named_employee, subject_key, closed_at FROM hotspot_alerts WHERE id = $1', [alert!.id]);
    expect(standing.rows[0]).toMatchObject({ subject_key: `${p1.countyOffices[0].id}:رضایی`, closed_at: null });
    expect((await clear(named.rows[3]!.id)).statusCode).toBe(200);
    const erased = await h.db.pool.query('SELECT named_employee, subject_key, closed_at FROM hotspot_alerts WHERE id = $1', [alert!.id]);
    expect(erased.rows[0]).toMatchObject({ named_employee: null, subject_key: `erased:${alert!.id}`, closed_at: expect.any(Date) });
    expect(JSON.stringify((await h.db.pool.query(`SELECT * FROM hotspot_alerts WHERE dimension = 'employee'`)).rows)).not.toContain('رضا');
    // The same surname elsewhere is another person's subject and keeps its own counts.
    expect((await h.db.pool.query(`SELECT count(*)::int AS n FROM complaints WHERE named_employee = 'رضایی'`)).rows[0].n).toBe(2);
  });
});
