import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openPostgres } from '../src/db/database.ts';
import { type App, buildApp } from '../src/http/app.ts';
import { MemoryProvider } from '../src/notifications/provider.ts';
import { sweepOnce } from '../src/sla/sweeper-worker.ts';
import { buildTree, complaintBody, places, staff, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';
import { makeStageDue } from './sla-timers.ts';
import { dataOf, openFeed, type SseFeed } from './sse-client.ts';

/**
 * Two app instances on one database. On a PostgreSQL server each instance has its own pool and
 * its own LISTEN connection, so an event committed through A reaches B only via NOTIFY; on PGlite
 * (one session per process) both share the engine and its in-process notifications.
 */
describe('live feed across instances', () => {
  let h: Harness;
  let second: { app: App; db: Database };
  let urlA: string;
  let urlB: string;
  let p1: Tree;
  let p2: Tree;
  const feeds: SseFeed[] = [];

  beforeAll(async () => {
    h = await startHarness();
    const url = (h.db.pool as unknown as { options: { connectionString?: string } }).options.connectionString;
    const dbB = h.db.kind === 'postgres' && url ? await openPostgres(url, 4) : h.db;
    const appB = await buildApp({ config: h.config, db: dbB, notifications: new MemoryProvider() });
    second = { app: appB, db: dbB };
    urlA = await h.app.listen({ port: 0, host: '127.0.0.1' });
    urlB = await appB.listen({ port: 0, host: '127.0.0.1' });
    const [first, other] = await places(h.db.pool);
    p1 = await buildTree(h.db.pool, first!);
    p2 = await buildTree(h.db.pool, other!);
  });

  afterAll(async () => {
    for (const f of feeds) f.close();
    await second.app.close();
    if (second.db !== h.db) await second.db.close();
    await h.close();
  });

  async function feed(base: string, headers: Record<string, string>) {
    const f = await openFeed(`${base}/api/v1/live/events`, headers);
    feeds.push(f);
    await f.next((m) => m.event === 'ready');
    return f;
  }

  async function file(tree: Tree, index = 0) {
    const body = complaintBody(tree.organisation.id, tree.place.countyIds[index]!);
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: body });
    expect(res.statusCode).toBe(201);
    return { ...(res.json() as { id: string; trackingCode: string }), body };
  }

  it('refuses a feed without a session, and a sixth open feed of one user', async () => {
    const res = await fetch(`${urlB}/api/v1/live/events`);
    expect(res.status).toBe(401);
    const auditor = await staff(h.db, h.config, 'auditor');
    const open = [];
    for (let i = 0; i < 5; i++) open.push(await feed(urlA, auditor.headers));
    const sixth = await fetch(`${urlA}/api/v1/live/events`, { headers: auditor.headers });
    expect(sixth.status).toBe(429);
    // Closing one frees a place (the server notices the closed connection).
    open[0]!.close();
    const again = await (async function retry(): Promise<SseFeed> {
      try {
        return await feed(urlA, auditor.headers);
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return retry();
      }
    })();
    expect(again.messages[0]!.event).toBe('ready');
  });

  it('an event committed through instance A reaches a subscriber on B; an out-of-scope viewer gets nothing', async () => {
    const supervisor = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: p1.place.provinceId });
    const outsider = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: p2.place.provinceId });
    const inB = await feed(urlB, supervisor.headers);
    const outB = await feed(urlB, outsider.headers);
    const outA = await feed(urlA, outsider.headers);

    const inScope = await file(p1);
    const seen = await inB.next((m) => m.event === 'complaint_new' && dataOf(m).complaintId === inScope.id);
    const data = dataOf(seen);
    expect(data).toMatchObject({ source: 'complaint', type: 'received', trackingCode: inScope.trackingCode, provinceId: p1.place.provinceId });
    // The referral (a state change) follows; neither carries personal data or free text.
    await inB.next((m) => m.event === 'state_change' && dataOf(m).complaintId === inScope.id && dataOf(m).type === 'referred');
    const sent = inB.messages.map((m) => m.data).join('\n');
    expect(sent).not.toContain(inScope.body.description);
    expect(sent).not.toContain(inScope.body.contact.phone.slice(-7));

    // A later complaint in the outsider's province is the sentinel: once it has arrived on both
    // instances, the earlier out-of-scope events would have arrived before it (batches are sent in commit order).
    const sentinel = await file(p2);
    for (const f of [outB, outA]) {
      await f.next((m) => m.event === 'complaint_new' && dataOf(m).complaintId === sentinel.id);
      expect(f.messages.some((m) => m.event !== 'ready' && dataOf(m).complaintId === inScope.id)).toBe(false);
    }
    // And the supervisor of the first province never gets the second province's complaint.
    const later = await file(p1, 1);
    await inB.next((m) => dataOf(m).complaintId === later.id);
    expect(inB.messages.some((m) => m.event !== 'ready' && dataOf(m).complaintId === sentinel.id)).toBe(false);
  });

  it('a unit head follows only their subtree, and sees state changes made by staff', async () => {
    const head = await staff(h.db, h.config, 'inspection_head', { unit: p1.countyOffices[0] }, { inspectionHead: true });
    const otherHead = await staff(h.db, h.config, 'inspection_head', { unit: p1.countyOffices[1] }, { inspectionHead: true });
    const mine = await feed(urlB, head.headers);
    const theirs = await feed(urlB, otherHead.headers);
    const complaint = await file(p1, 0);
    await mine.next((m) => dataOf(m).complaintId === complaint.id && dataOf(m).type === 'referred');
    const responder = await staff(h.db, h.config, 'responder', { unit: p1.countyOffices[0] });
    const assign = await h.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${complaint.id}/actions`,
      headers: head.headers,
      payload: { action: 'assign', assigneeId: responder.id },
    });
    expect(assign.statusCode).toBe(200);
    const assigned = await mine.next((m) => dataOf(m).complaintId === complaint.id && dataOf(m).type === 'assigned');
    expect(dataOf(assigned)).toMatchObject({ status: 'assigned', data: { assigneeId: responder.id } });
    const sentinel = await file(p1, 1);
    await theirs.next((m) => dataOf(m).complaintId === sentinel.id);
    expect(theirs.messages.some((m) => m.event !== 'ready' && dataOf(m).complaintId === complaint.id)).toBe(false);
  });

  it('resumes from Last-Event-ID with what was missed while disconnected', async () => {
    const supervisor = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: p1.place.provinceId });
    const first = await feed(urlA, supervisor.headers);
    const before = await file(p1);
    await first.next((m) => dataOf(m).complaintId === before.id && dataOf(m).type === 'referred');
    const lastId = first.lastId()!;
    first.close();
    const missed = await file(p1, 1);
    const resumed = await openFeed(`${urlB}/api/v1/live/events`, { ...supervisor.headers, 'last-event-id': lastId });
    feeds.push(resumed);
    const got = await resumed.next((m) => m.event === 'complaint_new' && dataOf(m).complaintId === missed.id);
    expect(got.id).not.toBe(lastId);
    const ready = await resumed.next((m) => m.event === 'ready');
    expect(dataOf(ready).resumed).toBe(true);
    expect(resumed.messages.some((m) => m.event !== 'ready' && dataOf(m).complaintId === before.id)).toBe(false);
  });

  it('SLA warnings, breaches and escalations fired by the sweeper on A reach the feed on B', async () => {
    const supervisor = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: p1.place.provinceId });
    const directorateHead = await staff(h.db, h.config, 'inspection_head', { unit: p1.directorate }, { inspectionHead: true });
    const supervisorFeed = await feed(urlB, supervisor.headers);
    const complaint = await file(p1);
    const due = (stage: string) => makeStageDue(h.db.pool, complaint.id, 'answer', stage);
    await due('warning');
    await sweepOnce(h.db, { settings: { publicUrl: h.config.publicUrl } });
    const warning = await supervisorFeed.next((m) => m.event === 'warning' && dataOf(m).complaintId === complaint.id);
    expect(dataOf(warning).data).toMatchObject({ kind: 'answer' });
    // The directorate's head starts following before the breach moves the complaint up to them.
    const headFeed = await feed(urlB, directorateHead.headers);
    await due('breach');
    await sweepOnce(h.db, { settings: { publicUrl: h.config.publicUrl } });
    await supervisorFeed.next((m) => m.event === 'breach' && dataOf(m).complaintId === complaint.id);
    const escalation = await supervisorFeed.next((m) => m.event === 'escalation' && dataOf(m).complaintId === complaint.id);
    expect(dataOf(escalation)).toMatchObject({ unitId: p1.directorate.id, data: { fromUnitId: p1.countyOffices[0].id, toUnitId: p1.directorate.id } });
    // Scope is the complaint's place now: the directorate sees the breach and escalation that brought it there.
    await headFeed.next((m) => m.event === 'breach' && dataOf(m).complaintId === complaint.id);
    await headFeed.next((m) => m.event === 'escalation' && dataOf(m).complaintId === complaint.id);
  });
});
