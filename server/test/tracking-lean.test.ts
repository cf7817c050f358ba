import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getComplaint } from '../src/complaints/store.ts';
import { generateTrackingCode } from '../src/domain/tracking-code.ts';
import { buildTree, complaintBody, type Place, places, type StaffFixture, staff, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

/**
 * The public tracking lookup reads its few columns with a named prepared statement instead of
 * the staff detail's seven-table join. Its answer must be the one the join gave — built here
 * from `getComplaint` as the route used to — and still carry no personal data.
 */
let h: Harness;
let place: Place;
let tree: Tree;
let head: StaffFixture;

beforeAll(async () => {
  h = await startHarness();
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place);
  head = await staff(h.db, h.config, 'inspection_head', { unit: tree.countyOffices[0] }, { inspectionHead: true });
});
afterAll(() => h.close());

async function file(phone: string) {
  const body = complaintBody(tree.organisation.id, place.countyIds[0]!, { contact: { phone, name: 'مریم کاظمی' } });
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: body });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string; trackingCode: string };
}

/** What GET /track/:code answered before, from the full staff detail. */
async function asBefore(code: string) {
  const c = (await getComplaint(h.db.pool, { trackingCode: code }, null, h.config.clock.now()))!;
  let into = null;
  for (let next = c.mergedIntoId, hops = 0; next && hops < 10; hops++) {
    into = await getComplaint(h.db.pool, { id: next }, null, h.config.clock.now());
    next = into?.mergedIntoId ?? null;
  }
  return {
    trackingCode: c.trackingCode,
    status: c.status,
    referredTo: c.unit ? { name: c.unit.nameFa } : null,
    provinceNameFa: c.provinceNameFa,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
    dueAt: c.dueAt,
    canRate: c.status === 'answered',
    ...(into
      ? {
          mergedInto: {
            trackingCode: into.trackingCode,
            status: into.status,
            referredTo: into.unit ? { name: into.unit.nameFa } : null,
            dueAt: into.dueAt,
            canRate: into.status === 'answered',
          },
        }
      : {}),
  };
}

async function track(code: string) {
  const res = await h.app.inject({ url: `/api/v1/track/${code}` });
  expect(res.statusCode).toBe(200);
  return res;
}

describe('the lean public tracking lookup', () => {
  it('answers as the full detail did: referred, merged into another case, answered; no personal data', async () => {
    const a = await file('09121110001');
    const b = await file('09121110002');
    const c = await file('09121110003');
    const merged = await h.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${b.id}/merge`,
      headers: head.headers,
      payload: { intoId: a.id, reason: 'همان ماجرای باجهٔ ۲ است' },
    });
    expect(merged.statusCode).toBe(200);
    const answered = await h.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${c.id}/actions`,
      headers: head.headers,
      payload: { action: 'answer', text: 'پیگیری شد و کارمند باجه به کار برگشت.' },
    });
    expect(answered.statusCode).toBe(200);

    for (const code of [a.trackingCode, b.trackingCode, c.trackingCode]) {
      const res = await track(code);
      expect(res.json()).toEqual(await asBefore(code));
      expect(res.body).not.toContain('کاظمی');
      expect(res.body).not.toMatch(/9121110/);
      expect(res.body).not.toContain('کاربر'); // staff display names
    }
    expect((await track(b.trackingCode)).json()).toMatchObject({ status: 'closed', mergedInto: { trackingCode: a.trackingCode } });
    expect((await track(c.trackingCode)).json()).toMatchObject({ status: 'answered', canRate: true });
  });

  it('a rename here shows at once; one made by another instance within the cache minute', async () => {
    const a = await file('09121110005');
    const unitId = (await h.db.pool.query<{ unit_id: number }>('SELECT unit_id FROM complaints WHERE tracking_code = $1', [a.trackingCode])).rows[0]!.unit_id;
    const before = (await track(a.trackingCode)).json().referredTo.name as string;
    const admin = await staff(h.db, h.config, 'national_admin');
    const renamed = await h.app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/units/${unitId}`,
      headers: admin.headers,
      payload: { nameFa: 'ادارهٔ نام‌نو' },
    });
    expect(renamed.statusCode).toBe(200);
    expect((await track(a.trackingCode)).json().referredTo).toEqual({ name: 'ادارهٔ نام‌نو' });
    expect(before).not.toBe('ادارهٔ نام‌نو');

    // Another instance renames it: this process still shows its cached name, for at most a minute.
    await h.db.pool.query('UPDATE units SET name_fa = $2 WHERE id = $1', [unitId, 'ادارهٔ نام دیگر']);
    expect((await track(a.trackingCode)).json().referredTo).toEqual({ name: 'ادارهٔ نام‌نو' });
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 61_000 });
    try {
      expect((await track(a.trackingCode)).json().referredTo).toEqual({ name: 'ادارهٔ نام دیگر' });
    } finally {
      vi.useRealTimers();
    }
    expect((await track(a.trackingCode)).json()).toEqual(await asBefore(a.trackingCode));
  });

  it('the prepared statement is reused across lookups and an unknown code is still 404', async () => {
    const a = await file('09121110004');
    const first = (await track(a.trackingCode)).json();
    expect((await track(a.trackingCode)).json()).toEqual(first);
    expect((await h.app.inject({ url: `/api/v1/track/${generateTrackingCode()}` })).statusCode).toBe(404);
    expect((await h.app.inject({ url: '/api/v1/track/abc' })).statusCode).toBe(400);
  });
});
