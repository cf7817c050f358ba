import { afterAll, beforeAll, expect, it } from 'vitest';
import { handleInboundSms } from '../src/channels/sms/inbound.ts';
import { ManualClock } from '../src/core/clock.ts';
import { buildTree, mobile, type Place, places, staff, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

/*
 * Intake by text and by Open311 files at the injected clock's time (core/clock.ts), as the web
 * form does: the complaint, its first event and its deadlines all read the clock, not the wall.
 */

let h: Harness;
let place: Place;
let tree: Tree;
let apiKey: string;
// Ahead of the wall clock, so a filing stamped with `new Date()` shows.
const clock = new ManualClock(new Date('2027-02-14T07:30:00Z'));

beforeAll(async () => {
  h = await startHarness();
  h.config.clock = clock;
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place);
  const admin = await staff(h.db, h.config, 'national_admin');
  apiKey = (await h.app.inject({ method: 'POST', url: '/api/v1/admin/open311-keys', headers: admin.headers, payload: { name: 'اپ شهروندی' } })).json().apiKey;
});
afterAll(() => h.close());

async function times(id: string) {
  const { rows } = await h.db.pool.query<{ created: Date; received: Date }>(
    `SELECT c.created_at AS created, e.created_at AS received FROM complaints c JOIN complaint_events e ON e.complaint_id = c.id AND e.seq = 1 WHERE c.id = $1`,
    [id],
  );
  return { created: rows[0]!.created.toISOString(), received: rows[0]!.received.toISOString() };
}

it('a text to 128 is filed at the clock’s time', async () => {
  clock.advance(3600_000);
  const result = await handleInboundSms(h.db, h.config, {
    from: mobile(),
    text: 'کارمند باجهٔ شمارهٔ ۲ از ساعت ۹ صبح پشت میز نیست.',
    messageId: `m-${Date.now()}`,
    via: 'http',
  });
  expect(result.kind).toBe('filed');
  const at = clock.now().toISOString();
  expect(await times((result as { complaintId: string }).complaintId)).toEqual({ created: at, received: at });
});

it('an Open311 request is filed at the clock’s time, with its deadlines counted from it', async () => {
  clock.advance(3600_000);
  const res = await h.app.inject({
    method: 'POST',
    url: '/open311/v2/requests.json',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      api_key: apiKey,
      service_code: 'absent_at_desk',
      description: 'کارمند باجهٔ دو پشت میز نیست و یک ساعت است منتظرم.',
      phone: mobile(),
      address_string: 'همدان، خیابان بوعلی',
      'attribute[agency_id]': String(tree.organisation.id),
      'attribute[county_id]': String(place.countyIds[0]),
    }).toString(),
  });
  expect(res.statusCode, res.body).toBe(200);
  const id: string = res.json()[0].token;
  const at = clock.now().toISOString();
  expect(await times(id)).toEqual({ created: at, received: at });
  const due = (await h.db.pool.query<{ due: Date }>('SELECT min(fire_at) AS due FROM sla_timers WHERE complaint_id = $1', [id])).rows[0]!.due;
  expect(due.getTime()).toBeGreaterThan(clock.now().getTime());
});
