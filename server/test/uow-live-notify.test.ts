import { afterAll, beforeAll, expect, it } from 'vitest';
import { LIVE_CHANNEL } from '../src/events/unit-of-work.ts';
import { buildTree, complaintBody, type Place, places, type StaffFixture, staff, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

/*
 * Naming an employee and reading a contact append events that change no lifecycle state. They
 * go through the unit of work like every other command, so each commit sends the one live
 * NOTIFY carrying its event ids (a PostgreSQL server: a LISTEN connection of its own; PGlite:
 * the engine's in-process notification).
 */
let h: Harness;
let tree: Tree;
let place: Place;
let operator: StaffFixture;
const heard: string[] = [];
let stop: () => Promise<void>;

beforeAll(async () => {
  h = await startHarness();
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place);
  operator = await staff(h.db, h.config, 'operator');
  stop = await h.db.listen(LIVE_CHANNEL, (payload) => heard.push(payload));
}, 120_000);
afterAll(async () => {
  await stop();
  await h.close();
});

async function file(): Promise<string> {
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(tree.organisation.id, place.countyIds[0]!) });
  expect(res.statusCode).toBe(201);
  return res.json().id;
}

async function lastEvent(id: string): Promise<{ id: number; type: string }> {
  const { rows } = await h.db.pool.query('SELECT id, type FROM complaint_events WHERE complaint_id = $1 ORDER BY seq DESC LIMIT 1', [id]);
  return { id: Number(rows[0].id), type: rows[0].type };
}

/** Waits until a notification names `eventId` (the payload is 'e' and comma-separated ids). */
async function heardOf(eventId: number): Promise<string[]> {
  const names = (p: string) => p.startsWith('e') && p.slice(1).split(',').map(Number).includes(eventId);
  for (let i = 0; i < 200 && !heard.some(names); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  return heard.filter(names);
}

it('naming an employee sends the one live notification with its event', async () => {
  const id = await file();
  const res = await h.app.inject({
    method: 'PUT',
    url: `/api/v1/complaints/${id}/named-employee`,
    headers: operator.headers,
    payload: { namedEmployee: 'آقای رضائی' },
  });
  expect(res.statusCode).toBe(200);
  const event = await lastEvent(id);
  expect(event.type).toBe('employee_named');
  expect(await heardOf(event.id)).toEqual([`e${event.id}`]);
}, 60_000);

it('a contact read audited in the chain sends the one live notification; a repeat in the hour sends none', async () => {
  const id = await file();
  const read = () => h.app.inject({ url: `/api/v1/complaints/${id}/contact?purpose=call`, headers: operator.headers });
  expect((await read()).statusCode).toBe(200);
  const event = await lastEvent(id);
  expect(event.type).toBe('contact_viewed');
  expect(await heardOf(event.id)).toEqual([`e${event.id}`]);
  const before = heard.length;
  expect((await read()).statusCode).toBe(200);
  expect(await lastEvent(id)).toEqual(event);
  // A later complaint's intake notification is the sentinel: the repeat read, had it notified, came before it.
  const later = await file();
  await heardOf((await lastEvent(later)).id);
  const { rows } = await h.db.pool.query('SELECT id FROM complaint_events WHERE complaint_id = $1', [later]);
  const laterIds = new Set(rows.map((r: { id: number }) => Number(r.id)));
  expect(
    heard
      .slice(before)
      .flatMap((p) => p.slice(1).split(',').map(Number))
      .every((n) => laterIds.has(n)),
  ).toBe(true);
}, 60_000);
