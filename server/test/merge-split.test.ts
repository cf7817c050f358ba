import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPersianDigits } from '../src/domain/persian-text.ts';
import { formatTrackingCode } from '../src/domain/tracking-code.ts';
import { lockComplaint } from '../src/events/projection-store.ts';
import { commit } from '../src/events/unit-of-work.ts';
import { buildTree, complaintBody, mobile, type Place, places, type StaffFixture, staff, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

let h: Harness;
let place: Place;
let tree: Tree;
let other: Tree;
let head: StaffFixture;
let admin: StaffFixture;

beforeAll(async () => {
  h = await startHarness();
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place, 'سازمان ادغام');
  other = await buildTree(h.db.pool, place, 'سازمان جدا');
  head = await staff(h.db, h.config, 'inspection_head', { unit: tree.directorate }, { inspectionHead: true });
  admin = await staff(h.db, h.config, 'national_admin');
});
afterAll(() => h.close());

async function fileOne(t: Tree = tree, phone = mobile(), extra: Record<string, unknown> = {}) {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/complaints',
    payload: complaintBody(t.organisation.id, place.countyIds[0]!, { contact: { phone }, ...extra }),
  });
  expect(res.statusCode).toBe(201);
  return { ...(res.json() as { id: string; trackingCode: string }), phone: `+98${phone.slice(1)}` };
}

const events = async (id: string) =>
  (
    await h.db.pool.query<{ seq: number; type: string; data: Record<string, unknown> }>(
      'SELECT seq, type, data FROM complaint_events WHERE complaint_id = $1 ORDER BY seq',
      [id],
    )
  ).rows;
const outboxTo = async (address: string) =>
  (await h.db.pool.query<{ template: string; body: string }>('SELECT template, body FROM outbox WHERE recipient_address = $1 ORDER BY id', [address])).rows;
const verify = async (id: string) => (await h.app.inject({ url: `/api/v1/complaints/${id}/verify`, headers: admin.headers })).json();
const merge = (id: string, intoId: string, who: StaffFixture = head) =>
  h.app.inject({ method: 'POST', url: `/api/v1/complaints/${id}/merge`, headers: who.headers, payload: { intoId, reason: 'همان ماجرای باجهٔ ۲ است' } });
const split = (id: string, who: StaffFixture = head, repeatSeq?: number) =>
  h.app.inject({
    method: 'POST',
    url: `/api/v1/complaints/${id}/split`,
    headers: who.headers,
    payload: { reason: 'دو موضوع جداست', ...(repeatSeq ? { repeatSeq } : {}) },
  });

describe('merging duplicates by hand', () => {
  it('closes the duplicate as merged into the case, in both chains; its citizen is told and follows the case', async () => {
    const a = await fileOne();
    const b = await fileOne();
    const res = await merge(b.id, a.id);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'closed', outcome: 'merged', mergedIntoId: a.id, dueAt: null });
    expect(res.json().timeline.at(-1)).toMatchObject({ type: 'merged_into', actorId: head.id, data: { intoId: a.id, intoTrackingCode: a.trackingCode } });
    expect((await events(a.id)).at(-1)).toMatchObject({ type: 'duplicate_merged', data: { complaintId: b.id, trackingCode: b.trackingCode } });
    expect(await verify(a.id)).toMatchObject({ valid: true, projectionMatches: true, headMatches: true });
    expect(await verify(b.id)).toMatchObject({ valid: true, projectionMatches: true, headMatches: true });

    // B's citizen is told which case it joined, in Persian.
    const told = (await outboxTo(b.phone)).find((m) => m.template === 'citizen_merged');
    expect(told?.body).toContain(toPersianDigits(formatTrackingCode(a.trackingCode)));
    // B's clocks stop.
    const pending = `SELECT count(*)::int AS n FROM sla_timers WHERE complaint_id = $1 AND fired_at IS NULL`;
    expect((await h.db.pool.query(pending, [a.id])).rows[0].n).toBeGreaterThan(0);
    expect((await h.db.pool.query(pending, [b.id])).rows[0].n).toBe(0);

    // B's code resolves to A in public tracking.
    const tracked = (await h.app.inject({ url: `/api/v1/track/${b.trackingCode}` })).json();
    expect(tracked).toMatchObject({ status: 'closed', mergedInto: { trackingCode: a.trackingCode, status: 'referred' } });

    // A's news reaches B's citizen too.
    await h.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${a.id}/actions`,
      headers: head.headers,
      payload: { action: 'answer', text: 'باجه از امروز دو کارمند دارد و پیگیری شد.' },
    });
    expect((await outboxTo(a.phone)).map((m) => m.template)).toContain('citizen_answered');
    expect((await outboxTo(b.phone)).map((m) => m.template)).toContain('citizen_answered');

    // The same merge again changes nothing; into another case it is refused.
    const before = (await events(b.id)).length;
    const again = await merge(b.id, a.id);
    expect(again.statusCode).toBe(200);
    expect((await events(b.id)).length).toBe(before);
    expect((await events(a.id)).filter((e) => e.type === 'duplicate_merged')).toHaveLength(1);
    const c = await fileOne();
    expect((await merge(b.id, c.id)).statusCode).toBe(409);
  });

  it('needs both complaints in scope, a role that may merge, an open case and two different complaints', async () => {
    const a = await fileOne();
    const b = await fileOne();
    const elsewhere = await fileOne(other);
    const outsider = await staff(h.db, h.config, 'inspection_head', { unit: other.directorate });
    expect((await merge(b.id, a.id, outsider)).statusCode).toBe(404);
    expect((await merge(b.id, elsewhere.id)).statusCode).toBe(404);
    expect((await merge(elsewhere.id, b.id)).statusCode).toBe(404);
    const responder = await staff(h.db, h.config, 'responder', { unit: tree.directorate });
    expect((await merge(b.id, a.id, responder)).statusCode).toBe(403);
    expect((await merge(b.id, b.id)).statusCode).toBe(422);
    await h.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${a.id}/actions`,
      headers: head.headers,
      payload: { action: 'reject', reason: 'خارج از حوزه' },
    });
    const closed = await merge(b.id, a.id);
    expect(closed.statusCode).toBe(409);
    expect(closed.json().error.code).toBe('merge_target_closed');
    // Nothing of the refused merges was written.
    expect((await events(b.id)).map((e) => e.type)).not.toContain('merged_into');
    expect((await events(elsewhere.id)).map((e) => e.type)).not.toContain('duplicate_merged');
  });
});

describe('splitting', () => {
  it('undoes a merge: the duplicate reopens with its own code and a new clock, in both timelines', async () => {
    const a = await fileOne();
    const b = await fileOne();
    const dueBefore = (await h.app.inject({ url: `/api/v1/complaints/${b.id}`, headers: head.headers })).json().dueAt;
    await merge(b.id, a.id);
    const res = await split(b.id);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ trackingCode: b.trackingCode, status: 'referred', outcome: null, mergedIntoId: null, closedAt: null, reopenCount: 1 });
    expect(res.json().dueAt).not.toBeNull();
    expect(new Date(res.json().dueAt).getTime()).toBeGreaterThanOrEqual(new Date(dueBefore).getTime());
    expect(
      res
        .json()
        .timeline.map((e: { type: string }) => e.type)
        .slice(-2),
    ).toEqual(['merged_into', 'split_off']);
    expect((await events(a.id)).map((e) => e.type).slice(-2)).toEqual(['duplicate_merged', 'duplicate_split']);
    expect((await outboxTo(b.phone)).map((m) => m.template)).toContain('citizen_split');
    expect(await verify(b.id)).toMatchObject({ valid: true, projectionMatches: true });
    expect((await h.app.inject({ url: `/api/v1/track/${b.trackingCode}` })).json()).not.toHaveProperty('mergedInto');

    // A retry changes nothing; a complaint never merged cannot be split.
    const count = (await events(b.id)).length;
    expect((await split(b.id)).statusCode).toBe(200);
    expect((await events(b.id)).length).toBe(count);
    const lone = await split(a.id);
    expect(lone.statusCode).toBe(409);
    expect(lone.json().error.code).toBe('not_merged');
  });

  it('a complaint merged before triage splits back to triage', async () => {
    const a = await fileOne();
    const untriaged = await h.app.inject({
      method: 'POST',
      url: '/api/v1/complaints',
      payload: {
        channel: 'web',
        officeText: 'یک ادارهٔ نامعلوم',
        provinceId: place.provinceId,
        description: 'همان مشکل باجهٔ دو که کسی پشت آن نیست.',
        contact: { phone: mobile() },
      },
    });
    const b = untriaged.json() as { id: string; status: string };
    expect(b.status).toBe('received');
    expect((await merge(b.id, a.id, admin)).json()).toMatchObject({ status: 'closed', outcome: 'merged', unit: null });
    expect((await split(b.id, admin)).json()).toMatchObject({ status: 'received', unit: null, dueAt: null, outcome: null });
    expect(await verify(b.id)).toMatchObject({ valid: true, projectionMatches: true });
  });

  it('splits a repeat joined before issue 11 into a complaint of its own, with a new tracking code', async () => {
    const phone = mobile();
    const first = await fileOne(tree, phone);
    // Intake no longer joins repeats (a repeat is a complaint of its own, linked: see
    // test/security/intake-case-join-leak.test.ts); complaints joined before that still carry a
    // repeat_received event, written here the way the old intake wrote it.
    await h.db.transaction(async (tx) => {
      const c = (await lockComplaint(tx, first.id, null))!;
      const event = { type: 'repeat_received', data: { channel: 'web', description: 'این بار در بخش دیگر اداره هم پرونده‌ام گم شده است.', key: null } };
      await commit(tx, [{ from: c, actor: { kind: 'citizen', id: null }, events: [event] }], new Date());
    });
    const seq = (await events(first.id)).find((e) => e.type === 'repeat_received')!.seq;

    const res = await split(first.id, head, seq);
    expect(res.statusCode).toBe(200);
    const made = res.json();
    expect(made.id).not.toBe(first.id);
    expect(made.trackingCode).not.toBe(first.trackingCode);
    expect(made).toMatchObject({ status: 'referred', description: 'این بار در بخش دیگر اداره هم پرونده‌ام گم شده است.' });
    expect(made.dueAt).not.toBeNull();
    expect(made.timeline.map((e: { type: string }) => e.type)).toContain('split_from');
    expect((await events(first.id)).at(-1)).toMatchObject({ type: 'repeat_split', data: { seq, complaintId: made.id, trackingCode: made.trackingCode } });
    // The citizen is sent the new code.
    const received = (await outboxTo(first.phone)).filter((m) => m.template === 'citizen_received').map((m) => m.body);
    expect(received.some((body) => body.includes(toPersianDigits(formatTrackingCode(made.trackingCode))))).toBe(true);
    expect(await verify(made.id)).toMatchObject({ valid: true, projectionMatches: true });

    // A retry returns the same complaint; no second one is made.
    const again = await split(first.id, head, seq);
    expect(again.json().id).toBe(made.id);
    const { rows } = await h.db.pool.query(`SELECT count(*)::int AS n FROM complaint_events WHERE complaint_id = $1 AND type = 'repeat_split'`, [first.id]);
    expect(rows[0].n).toBe(1);
    // Not a repeat: nothing to split.
    expect((await split(first.id, head, 1)).statusCode).toBe(404);
  });
});
