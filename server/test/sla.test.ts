import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyComplaintChain } from '../src/complaints/verify-complaint-chain.ts';
import { openPostgres } from '../src/db/database.ts';
import { addClockMinutes, type Clock } from '../src/domain/business-clock.ts';
import { loadCalendar } from '../src/sla/store.ts';
import { sweepOnce } from '../src/sla/sweeper-worker.ts';
import { buildTree, complaintBody, type Place, places, type StaffFixture, staff, type Tree, urgentCategory } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';
import { makeStageDue } from './sla-timers.ts';

let h: Harness;
let place: Place;
let tree: Tree;
let countyHead: StaffFixture;
let directorateHead: StaffFixture;
let supervisor: StaffFixture;
let categoryId: number;

beforeAll(async () => {
  h = await startHarness();
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place);
  countyHead = await staff(h.db, h.config, 'inspection_head', { unit: tree.countyOffices[0] }, { inspectionHead: true });
  directorateHead = await staff(h.db, h.config, 'inspection_head', { unit: tree.directorate }, { inspectionHead: true });
  await staff(h.db, h.config, 'inspection_head', { unit: tree.organisation }, { inspectionHead: true });
  supervisor = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: place.provinceId });
  categoryId = (await urgentCategory(h.db.pool)).id;
});
afterAll(() => h.close());

const settings = () => ({ publicUrl: h.config.publicUrl });

async function file(extra: Record<string, unknown> = {}): Promise<string> {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/complaints',
    payload: complaintBody(tree.organisation.id, place.countyIds[0]!, { categoryId, ...extra }),
  });
  expect(res.statusCode).toBe(201);
  return res.json().id;
}

interface Stage {
  kind: string;
  stage: string;
  fraction: number;
  fireAt: string;
}

/**
 * Moves a complaint's pending stages of a kind/stage into the past, as if the time had come —
 * and so the stages of that clock before them. Each clock keeps one pending row (its next stage)
 * with the stages after it in `later`.
 */
async function due(id: string, kind: string, stage: string) {
  await makeStageDue(h.db.pool, id, kind, stage);
}

/** Moves a complaint's pending clocks (of a kind, or all) back in time, as if the server had been down. */
async function shiftBack(ids: string[], interval: string, kind: string | null = null) {
  await h.db.pool.query(
    `UPDATE sla_timers SET fire_at = fire_at - $2::interval,
       later = (SELECT coalesce(jsonb_agg(jsonb_set(l, '{fireAt}', to_jsonb((l->>'fireAt')::timestamptz - $2::interval)) ORDER BY n), '[]'::jsonb)
                FROM jsonb_array_elements(later) WITH ORDINALITY AS x(l, n))
     WHERE complaint_id = ANY($1::uuid[]) AND fired_at IS NULL AND ($3::text IS NULL OR kind = $3)`,
    [ids, interval, kind],
  );
}

/** A complaint's pending stages, each clock's row and the stages after it, in deadline order. */
async function schedule(id: string): Promise<Stage[]> {
  const { rows } = await h.db.pool.query<Stage & { later: Stage[] }>(
    `SELECT kind, stage, fraction::float8 AS fraction, fire_at AS "fireAt", later FROM sla_timers WHERE complaint_id = $1 AND fired_at IS NULL ORDER BY fire_at`,
    [id],
  );
  return rows.flatMap((r) => [
    { kind: r.kind, stage: r.stage, fraction: r.fraction, fireAt: new Date(r.fireAt).toISOString() },
    ...r.later.map((l) => ({ kind: l.kind, stage: l.stage, fraction: Number(l.fraction), fireAt: new Date(l.fireAt).toISOString() })),
  ]);
}

async function eventTypes(id: string): Promise<string[]> {
  return (await h.db.pool.query<{ type: string }>('SELECT type FROM complaint_events WHERE complaint_id = $1 ORDER BY seq', [id])).rows.map((r) => r.type);
}

async function sweepAll() {
  let total = 0;
  for (;;) {
    const { claimed, fired } = await sweepOnce(h.db, { settings: settings() });
    total += fired;
    if (claimed === 0) return total;
  }
}

describe('SLA clocks', () => {
  it('intake starts a first-action and an answer clock with warnings at 50% and 80%', async () => {
    const id = await file();
    // Two rows, one per clock (its next stage), each carrying the stages after it.
    const pending = await h.db.pool.query('SELECT kind, stage FROM sla_timers WHERE complaint_id = $1 ORDER BY kind', [id]);
    expect(pending.rows).toEqual([
      { kind: 'answer', stage: 'warning' },
      { kind: 'first_action', stage: 'warning' },
    ]);
    const rows = (await schedule(id)).sort((a, b) => a.kind.localeCompare(b.kind) || a.fraction - b.fraction);
    expect(rows.map((r) => `${r.kind}:${r.stage}:${r.fraction}`)).toEqual([
      'answer:warning:0.5',
      'answer:warning:0.8',
      'answer:breach:1',
      'first_action:warning:0.5',
      'first_action:warning:0.8',
      'first_action:breach:1',
    ]);
    const c = (await h.db.pool.query('SELECT created_at, due_at, first_action_due_at FROM complaints WHERE id = $1', [id])).rows[0];
    const clock: Clock = { kind: 'business', calendar: await loadCalendar(h.db.pool, null) };
    expect(c.due_at).toEqual(addClockMinutes(c.created_at, 180, clock));
    expect(c.first_action_due_at).toEqual(addClockMinutes(c.created_at, 30, clock));
    expect(rows.find((r) => r.kind === 'answer' && r.fraction === 0.5)?.fireAt).toEqual(addClockMinutes(c.created_at, 90, clock).toISOString());
    expect(rows.find((r) => r.kind === 'answer' && r.fraction === 0.8)?.fireAt).toEqual(addClockMinutes(c.created_at, 144, clock).toISOString());
  });

  it('a warning tells the unit’s inspection head, in the chain and in the web inbox', async () => {
    const id = await file();
    await due(id, 'answer', 'warning');
    expect(await sweepAll()).toBe(2);
    expect((await eventTypes(id)).filter((t) => t === 'sla_warning')).toHaveLength(2);
    const { rows } = await h.db.pool.query(
      `SELECT recipient_user_id, template, body FROM outbox WHERE complaint_id = $1 AND template = 'staff_warning' ORDER BY id`,
      [id],
    );
    expect(rows.map((r) => r.recipient_user_id)).toEqual([countyHead.id, countyHead.id]);
    expect(rows.map((r) => r.body.match(/[۰-۹]+٪/)?.[0]).sort()).toEqual(['۵۰٪', '۸۰٪']);
    expect(await sweepAll()).toBe(0); // fired once only
  });

  it('a breach is recorded against the unit and its manager, escalates one level up and starts a new clock there', async () => {
    const id = await file();
    await due(id, 'first_action', 'breach');
    await sweepAll();
    const c = (await h.db.pool.query('SELECT unit_id, status, escalation_count, breach_count, due_at FROM complaints WHERE id = $1', [id])).rows[0];
    expect(c).toMatchObject({ unit_id: tree.directorate.id, status: 'referred', escalation_count: 1, breach_count: 1 });
    expect(c.due_at.getTime()).toBeGreaterThan(Date.now());
    expect((await eventTypes(id)).slice(-2)).toEqual(['sla_breached', 'escalated']);
    const breach = (await h.db.pool.query('SELECT unit_id, manager_id, kind, escalated_to FROM sla_breaches WHERE complaint_id = $1', [id])).rows;
    expect(breach).toEqual([{ unit_id: tree.countyOffices[0].id, manager_id: countyHead.id, kind: 'first_action', escalated_to: tree.directorate.id }]);
    const timers = (await h.db.pool.query('SELECT DISTINCT unit_id FROM sla_timers WHERE complaint_id = $1 AND fired_at IS NULL', [id])).rows;
    expect(timers).toEqual([{ unit_id: tree.directorate.id }]);
    const messages = (
      await h.db.pool.query(
        `SELECT template, recipient_user_id, recipient_address FROM outbox WHERE complaint_id = $1 AND template IN ('staff_escalated_in', 'staff_breach', 'citizen_referred') ORDER BY id`,
        [id],
      )
    ).rows;
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ template: 'staff_escalated_in', recipient_user_id: directorateHead.id }),
        expect.objectContaining({ template: 'staff_breach', recipient_user_id: countyHead.id }),
        expect.objectContaining({ template: 'staff_breach', recipient_user_id: supervisor.id }),
        expect.objectContaining({ template: 'citizen_referred', recipient_address: expect.stringMatching(/^\+98/) }),
      ]),
    );
    expect(await verifyComplaintChain(h.db.pool, id)).toMatchObject({ valid: true, projectionMatches: true });
  });

  it('escalates at every level: county office → directorate → organisation → ministry → national centre', async () => {
    const id = await file();
    const units: number[] = [];
    for (let level = 0; level < 4; level++) {
      await due(id, 'answer', 'breach');
      await sweepAll();
      units.push((await h.db.pool.query('SELECT unit_id FROM complaints WHERE id = $1', [id])).rows[0].unit_id);
    }
    expect(units).toEqual([tree.directorate.id, tree.organisation.id, tree.ministry.id, tree.ministry.id]);
    const breaches = (await h.db.pool.query('SELECT unit_id, escalated_to FROM sla_breaches WHERE complaint_id = $1 ORDER BY id', [id])).rows;
    expect(breaches.map((b) => b.escalated_to)).toEqual([tree.directorate.id, tree.organisation.id, tree.ministry.id, null]);
    const last = (await h.db.pool.query(`SELECT data FROM complaint_events WHERE complaint_id = $1 AND type = 'sla_breached' ORDER BY seq DESC LIMIT 1`, [id]))
      .rows[0];
    expect(last.data.toNationalCentre).toBe(true);
    expect(await verifyComplaintChain(h.db.pool, id)).toMatchObject({ valid: true, projectionMatches: true });
  });

  it('acting stops the first-action clock; answering stops all and opens the satisfaction window; silence closes it unrated', async () => {
    const id = await file();
    const responder = await staff(h.db, h.config, 'responder', { unit: tree.countyOffices[0] });
    await h.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${id}/actions`,
      headers: countyHead.headers,
      payload: { action: 'assign', assigneeId: responder.id },
    });
    const afterAssign = (await h.db.pool.query('SELECT kind FROM sla_timers WHERE complaint_id = $1 AND fired_at IS NULL', [id])).rows.map((r) => r.kind);
    expect(new Set(afterAssign)).toEqual(new Set(['answer']));
    expect((await h.db.pool.query('SELECT first_action_at FROM complaints WHERE id = $1', [id])).rows[0].first_action_at).not.toBeNull();
    await h.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${id}/actions`,
      headers: responder.headers,
      payload: { action: 'answer', text: 'کار شما انجام شد و به کارمند تذکر داده شد.' },
    });
    const afterAnswer = (await h.db.pool.query('SELECT kind, stage, fire_at FROM sla_timers WHERE complaint_id = $1 AND fired_at IS NULL', [id])).rows;
    expect(afterAnswer).toHaveLength(1);
    expect(afterAnswer[0]).toMatchObject({ kind: 'satisfaction', stage: 'expiry' });
    expect(afterAnswer[0].fire_at.getTime() - Date.now()).toBeGreaterThan(71 * 3_600_000);
    await due(id, 'satisfaction', 'expiry');
    await sweepAll();
    expect((await h.db.pool.query('SELECT status, outcome FROM complaints WHERE id = $1', [id])).rows[0]).toEqual({ status: 'closed', outcome: 'no_rating' });
  });

  it('a timer cancelled by a state change does not fire', async () => {
    const id = await file();
    await due(id, 'first_action', 'breach');
    const responder = await staff(h.db, h.config, 'responder', { unit: tree.countyOffices[0] });
    await h.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${id}/actions`,
      headers: countyHead.headers,
      payload: { action: 'assign', assigneeId: responder.id },
    });
    await sweepAll();
    expect(await eventTypes(id)).not.toContain('sla_breached');
  });
});

describe('the sweeper with several instances', () => {
  it('fires each due deadline exactly once with three sweepers at the same time', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(await file());
    for (const id of ids) for (const kind of ['first_action', 'answer']) await due(id, kind, 'warning');
    // Three instances: separate pools on the server; on PGlite they share the one session.
    const { url } = { url: h.db.kind === 'postgres' ? (h.db.pool as unknown as { options: { connectionString: string } }).options.connectionString : null };
    const instances = url ? await Promise.all([0, 1, 2].map(() => openPostgres(url, 4))) : [h.db, h.db, h.db];
    try {
      const results = await Promise.all(
        instances.map(async (db) => {
          let fired = 0;
          for (;;) {
            const r = await sweepOnce(db, { settings: settings(), batchSize: 7 });
            fired += r.fired;
            if (r.claimed === 0) return fired;
          }
        }),
      );
      expect(results.reduce((a, b) => a + b, 0)).toBe(ids.length * 4);
      const { rows } = await h.db.pool.query(
        `SELECT complaint_id, count(*)::int AS n FROM complaint_events WHERE complaint_id = ANY($1::uuid[]) AND type = 'sla_warning' GROUP BY complaint_id`,
        [ids],
      );
      expect(rows).toHaveLength(ids.length);
      expect(rows.every((r) => r.n === 4)).toBe(true);
      const outbox = await h.db.pool.query(`SELECT count(*)::int AS n FROM outbox WHERE complaint_id = ANY($1::uuid[]) AND template = 'staff_warning'`, [ids]);
      expect(outbox.rows[0].n).toBe(ids.length * 4);
    } finally {
      if (url) await Promise.all(instances.map((db) => db.close()));
    }
  });

  it('fires a batch of complaints in one round: in deadline order, the escalation cancels the old unit’s later deadlines, every chain verifies', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await file());
    // Down for three days: every deadline at the county office has passed.
    await shiftBack(ids, '3 days');
    const round = await sweepOnce(h.db, { settings: settings(), batchSize: 500 });
    expect(round.fired).toBe(ids.length * 3); // two first-action warnings and its breach each; the answer clock went with the escalation
    expect(await sweepAll()).toBe(0);
    for (const id of ids) {
      expect((await eventTypes(id)).slice(1)).toEqual(['referred', 'sla_warning', 'sla_warning', 'sla_breached', 'escalated']);
      expect(await verifyComplaintChain(h.db.pool, id)).toMatchObject({ valid: true, projectionMatches: true, headMatches: true });
    }
    const { rows } = await h.db.pool.query(
      `SELECT c.id, c.breach_count, c.first_action_due_at > now() AS "newClock",
              (SELECT array_agg(DISTINCT t.unit_id) FROM sla_timers t WHERE t.complaint_id = c.id AND t.fired_at IS NULL) AS pending
       FROM complaints c WHERE c.id = ANY($1::uuid[])`,
      [ids],
    );
    expect(rows.every((r) => r.breach_count === 1 && r.newClock && r.pending.length === 1 && r.pending[0] === tree.directorate.id)).toBe(true);
  });

  it('a complaint that cannot fire does not hold back the rest of its batch', async () => {
    const [bad, good] = [await file(), await file()];
    // A state no breach can apply to (the lifecycle refuses to escalate an answered complaint).
    await h.db.pool.query(`UPDATE complaints SET status = 'answered', answer = 'x' WHERE id = $1`, [bad]);
    for (const id of [bad, good]) await due(id, 'first_action', 'breach');
    const errors: unknown[] = [];
    let fired = 0;
    for (;;) {
      const r = await sweepOnce(h.db, { settings: settings(), onError: (e) => errors.push(e) });
      fired += r.fired;
      if (r.claimed === 0) break;
    }
    expect(fired).toBe(3); // the good one's two warnings and its breach
    expect((await eventTypes(good)).slice(-2)).toEqual(['sla_breached', 'escalated']);
    expect(await eventTypes(bad)).not.toContain('sla_breached');
    expect(errors.length).toBeGreaterThan(0);
    const held = (await h.db.pool.query(`SELECT claimed_until > now() AS held FROM sla_timers WHERE complaint_id = $1 AND kind = 'first_action'`, [bad]))
      .rows[0];
    expect(held.held).toBe(true);
    await h.db.pool.query(`UPDATE sla_timers SET fired_at = now() WHERE complaint_id = $1`, [bad]); // out of the later tests' way
  });

  it('after a restart, deadlines missed while down fire at once', async () => {
    const id = await file();
    await shiftBack([id], '3 days', 'answer');
    await sweepAll();
    expect((await eventTypes(id)).filter((t) => t === 'sla_warning' || t === 'sla_breached')).toEqual(['sla_warning', 'sla_warning', 'sla_breached']);
  });
});

describe('versioned policies', () => {
  it('a complaint keeps the policy it was filed under when the policy changes', async () => {
    const admin = await staff(h.db, h.config, 'national_admin');
    const before = await file();
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/admin/sla-policies',
      headers: admin.headers,
      payload: { categoryId, clock: '24x7', firstActionMinutes: 60, answerMinutes: 240 },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ version: 2, clock: '24x7', answerMinutes: 240 });
    const after = await file();
    const { rows } = await h.db.pool.query(
      `SELECT c.id, p.version, p.answer_minutes, p.superseded_at IS NOT NULL AS superseded FROM complaints c JOIN sla_policies p ON p.id = c.sla_policy_id WHERE c.id = ANY($1::uuid[])`,
      [[before, after]],
    );
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId[before]).toMatchObject({ version: 1, answer_minutes: 180, superseded: true });
    expect(byId[after]).toMatchObject({ version: 2, answer_minutes: 240, superseded: false });
    const afterDue = (await h.db.pool.query('SELECT due_at, created_at FROM complaints WHERE id = $1', [after])).rows[0];
    expect(afterDue.due_at.getTime() - afterDue.created_at.getTime()).toBe(240 * 60_000);
  });

  it('an agency on its own calendar gets deadlines by that calendar', async () => {
    const admin = await staff(h.db, h.config, 'national_admin');
    const week = Object.fromEntries([0, 1, 2, 3, 4, 5, 6].map((d) => [String(d), [[0, 1440]]]));
    const cal = await h.app.inject({
      method: 'POST',
      url: '/api/v1/admin/calendars',
      headers: admin.headers,
      payload: { code: 'round-the-clock', nameFa: 'شبانه‌روزی', week },
    });
    expect(cal.statusCode).toBe(201);
    const other = await buildTree(h.db.pool, place);
    const put = await h.app.inject({
      method: 'PUT',
      url: `/api/v1/admin/units/${other.organisation.id}/calendar`,
      headers: admin.headers,
      payload: { calendarId: cal.json().id },
    });
    expect(put.statusCode).toBe(204);
    // A category whose policy is still the seed's 3 working hours (the test above changed the first one's).
    const disrespect = (await h.db.pool.query(`SELECT id FROM categories WHERE code = 'disrespect'`)).rows[0].id;
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/complaints',
      payload: complaintBody(other.organisation.id, place.countyIds[0]!, { categoryId: disrespect }),
    });
    const c = (await h.db.pool.query('SELECT created_at, due_at FROM complaints WHERE id = $1', [res.json().id])).rows[0];
    expect(c.due_at.getTime() - c.created_at.getTime()).toBe(180 * 60_000);
    const bad = await h.app.inject({
      method: 'POST',
      url: '/api/v1/admin/calendars',
      headers: admin.headers,
      payload: { code: 'broken', nameFa: 'خراب', week: { '1': [[600, 500]] } },
    });
    expect(bad.statusCode).toBe(400);
  });

  it('imports lunar holidays from a Jalali CSV, all rows or none', async () => {
    const admin = await staff(h.db, h.config, 'national_admin');
    const csv = (rows: string[]) =>
      h.app.inject({
        method: 'POST',
        url: '/api/v1/admin/holidays/import',
        headers: { ...admin.headers, 'content-type': 'text/csv' },
        payload: ['jalali_date,name_fa,kind', ...rows].join('\n'),
      });
    const bad = await csv(['1405/04/05,تاسوعای حسینی,lunar', '1405/07/31,روز ناموجود,lunar']);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.problems).toEqual([{ line: 3, reason: 'not a Jalali date: "1405/07/31"' }]);
    const ok = await csv(['۱۴۰۵/۰۴/۰۵,تاسوعای حسینی,lunar', '1405/04/06,عاشورای حسینی,lunar']);
    expect(ok.json()).toEqual({ imported: 2 });
    const list = await h.app.inject({ url: '/api/v1/admin/holidays?year=1405', headers: admin.headers });
    expect(list.json().items).toEqual(expect.arrayContaining([expect.objectContaining({ jalali: '1405-04-05', day: '2026-06-26', kind: 'lunar' })]));
  });
});
