import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickIndex } from '../src/inspections/random-pick.ts';
import { phonePhotoWithGps } from './attachment-fixtures.ts';
import { buildTree, complaintBody, places, type StaffFixture, staff, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

describe('field inspections', () => {
  let h: Harness;
  let dataDir: string;
  let t1: Tree;
  let t2: Tree;
  let supervisor: StaffFixture;
  let foreignSupervisor: StaffFixture;
  let inspector: StaffFixture;
  let head: StaffFixture;
  let indicators: { id: number; code: string }[];
  let inspectionId: number;
  const complaintIds: string[] = [];
  const trackingCodes: string[] = [];
  let foreignCode: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'foad-inspections-'));
    h = await startHarness({ DATA_DIR: dataDir });
    const [p1, p2] = await places(h.db.pool);
    t1 = await buildTree(h.db.pool, p1!);
    t2 = await buildTree(h.db.pool, p2!);
    supervisor = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: p1!.provinceId });
    inspector = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: p1!.provinceId });
    foreignSupervisor = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: p2!.provinceId });
    head = await staff(h.db, h.config, 'inspection_head', { unit: t1.countyOffices[0] }, { inspectionHead: true });
    for (let i = 0; i < 3; i++) {
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(t1.organisation.id, t1.place.countyIds[0]!) });
      complaintIds.push(res.json().id);
      trackingCodes.push(res.json().trackingCode);
    }
    foreignCode = (await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(t2.organisation.id, t2.place.countyIds[0]!) })).json()
      .trackingCode;
    indicators = (await h.db.pool.query('SELECT id, code FROM quality_indicators WHERE active ORDER BY id')).rows;
  });
  afterAll(async () => {
    await h.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const post = (url: string, who: StaffFixture, payload: unknown) =>
    h.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: who.headers, payload: payload as object });

  it('dispatches an inspection of the office a cluster of complaints is about, and tells the inspector', async () => {
    const res = await post('/inspections', supervisor, { reason: 'cluster', complaintIds, inspectorId: inspector.id, note: 'سه شکایت در یک روز' });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ unitId: t1.countyOffices[0].id, reason: 'cluster', status: 'dispatched', inspectorId: inspector.id, randomSeed: null });
    expect(body.complaintIds).toEqual([...complaintIds].sort());
    inspectionId = body.id;
    // The office's own head does not learn of the visit before it is filed.
    expect((await h.app.inject({ url: `/api/v1/inspections/${inspectionId}`, headers: head.headers })).statusCode).toBe(404);
    expect((await h.app.inject({ url: '/api/v1/inspections', headers: head.headers })).json().items).toEqual([]);
    const told = await h.db.pool.query('SELECT template FROM outbox WHERE recipient_user_id = $1 AND delivery_key = $2', [
      inspector.id,
      `inspection:${inspectionId}:assigned`,
    ]);
    expect(told.rows).toEqual([{ template: 'inspection_assigned' }]);
  });

  it('takes the cluster by tracking codes in any spelling, and names a code not found in a Persian sentence', async () => {
    const persian = (x: string) => x.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!);
    const grouped = (c: string) => `${c.slice(0, 4)} ${c.slice(4, 8)} ${c.slice(8)}`;
    const [a, b, c] = trackingCodes as [string, string, string];
    const typed = [persian(grouped(a)), `${b.slice(0, 4)}-${b.slice(4, 8)}-${b.slice(8)}`, c.replace(/\d/g, (d) => '٠١٢٣٤٥٦٧٨٩'[Number(d)]!)];
    const ok = await post('/inspections', supervisor, { reason: 'cluster', trackingCodes: typed, inspectorId: inspector.id });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().complaintIds).toEqual([...complaintIds].sort());
    expect(ok.json().unitId).toBe(t1.countyOffices[0].id);

    // A code in another province is "not found", exactly like one that does not exist: scope is not disclosed.
    const before = (await h.db.pool.query('SELECT count(*)::int AS n FROM inspections')).rows[0].n;
    const foreign = await post('/inspections', supervisor, { reason: 'cluster', trackingCodes: [a, persian(grouped(foreignCode))], inspectorId: inspector.id });
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().error).toMatchObject({ code: 'inspection_code_not_found' });
    expect(foreign.json().error.message).toBe(
      `کد رهگیری \u200e${persian(grouped(foreignCode))} پیدا نشد؛ رقم‌ها را بررسی کنید (فقط شکایت‌های حوزهٔ شما پذیرفته می‌شود).`,
    );
    expect(foreign.json().error.messages.en).toContain(`Tracking code ${grouped(foreignCode)} was not found`);
    const wrong = `${a.slice(0, 11)}${(Number(a[11]) + 1) % 10}`;
    const missing = await post('/inspections', supervisor, { reason: 'cluster', trackingCodes: [persian(wrong)], inspectorId: inspector.id });
    expect(missing.json().error.message).toContain(`کد رهگیری \u200e${persian(grouped(wrong))} پیدا نشد`);
    expect(missing.json().error.message).not.toMatch(/body|complaintIds|trackingCodes|[A-Za-z0-9]/);
    expect((await h.db.pool.query('SELECT count(*)::int AS n FROM inspections')).rows[0].n).toBe(before);
  });

  it('lists the people a dispatcher may send, by name, in the dispatcher’s province only', async () => {
    const res = await h.app.inject({ url: '/api/v1/inspections/inspectors', headers: supervisor.headers });
    expect(res.statusCode).toBe(200);
    const ids = res.json().items.map((i: { id: number }) => i.id);
    expect(ids).toEqual(expect.arrayContaining([supervisor.id, inspector.id]));
    expect(ids).not.toContain(foreignSupervisor.id);
    expect(res.json().items.find((i: { id: number }) => i.id === inspector.id).displayName).toBeTruthy();
    expect((await h.app.inject({ url: '/api/v1/inspections/inspectors', headers: head.headers })).statusCode).toBe(403);
  });

  it('refuses complaints, offices and inspectors outside the dispatcher’s scope, and agency staff', async () => {
    expect((await post('/inspections', foreignSupervisor, { reason: 'cluster', complaintIds, inspectorId: foreignSupervisor.id })).statusCode).toBe(422);
    expect((await post('/inspections', supervisor, { reason: 'cluster', complaintIds, inspectorId: foreignSupervisor.id })).json().error.code).toBe(
      'invalid_inspector',
    );
    expect(
      (await post('/inspections', supervisor, { reason: 'cluster', complaintIds, unitId: t2.countyOffices[0].id, inspectorId: inspector.id })).json().error
        .code,
    ).toBe('invalid_inspection_target');
    expect((await post('/inspections', head, { reason: 'cluster', complaintIds, inspectorId: inspector.id })).statusCode).toBe(403);
  });

  it('draws a random office from a recorded seed, reproducibly', async () => {
    const res = await post('/inspections', supervisor, { reason: 'random', seed: 'azar-1405-draw', inspectorId: inspector.id });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    const pool = (
      await h.db.pool.query<{ id: number }>(
        `SELECT id FROM units WHERE active AND kind IN ('county_office', 'provincial_directorate') AND province_id = $1 ORDER BY id`,
        [t1.place.provinceId],
      )
    ).rows.map((r) => r.id);
    expect(body).toMatchObject({ reason: 'random', randomSeed: 'azar-1405-draw', candidates: pool.length });
    expect(body.unitId).toBe(pool[pickIndex('azar-1405-draw', pool.length)]);
  });

  it('takes photos from the inspector only, checked by their bytes', async () => {
    const JPEG = await phonePhotoWithGps();
    const upload = (who: StaffFixture, bytes: Buffer, type = 'image/jpeg') =>
      h.app.inject({ method: 'POST', url: `/api/v1/inspections/${inspectionId}/photos`, headers: { ...who.headers, 'content-type': type }, payload: bytes });
    const ok = await upload(inspector, JPEG);
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ mediaType: 'image/jpeg', bytes: expect.any(Number) });
    expect((await upload(inspector, Buffer.from('<svg onload=alert(1)>'), 'image/jpeg')).statusCode).toBe(415);
    expect((await upload(supervisor, JPEG)).statusCode).toBe(404);
    const back = await h.app.inject({ url: `/api/v1/inspections/${inspectionId}/photos/${ok.json().id}`, headers: supervisor.headers });
    expect(back.statusCode).toBe(200);
    expect(back.headers['content-type']).toBe('image/jpeg');
    // Re-encoded by the upload pipeline (security/inspection-photos.test.ts checks the metadata).
    expect(back.rawPayload.length).toBe(ok.json().bytes);
    expect((await h.app.inject({ url: `/api/v1/inspections/${inspectionId}/photos/${ok.json().id}`, headers: foreignSupervisor.headers })).statusCode).toBe(
      404,
    );
  });

  it('files findings against every quality indicator, once', async () => {
    const visitedAt = new Date().toISOString();
    const findings = indicators.map((q, i) => ({ indicatorId: q.id, score: 40 + i * 5, notes: i === 6 ? 'باجهٔ ۲ خالی بود' : '' }));
    const partial = await post(`/inspections/${inspectionId}/findings`, inspector, { visitedAt, findings: findings.slice(1) });
    expect(partial.json().error.code).toBe('findings_incomplete');
    expect((await post(`/inspections/${inspectionId}/findings`, supervisor, { visitedAt, findings })).statusCode).toBe(404);
    const filed = await post(`/inspections/${inspectionId}/findings`, inspector, { visitedAt, findings, summary: 'کارمند باجه غایب بود.' });
    expect(filed.statusCode).toBe(200);
    expect(filed.json()).toMatchObject({ status: 'filed', summary: 'کارمند باجه غایب بود.' });
    expect(filed.json().findings).toHaveLength(indicators.length);
    expect((await post(`/inspections/${inspectionId}/findings`, inspector, { visitedAt, findings })).json().error.code).toBe('inspection_filed');
    expect((await h.app.inject({ url: `/api/v1/inspections/${inspectionId}`, headers: head.headers })).json().status).toBe('filed');
  });

  it('findings are queryable per office and period for report cards, in scope', async () => {
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const url = `/api/v1/inspections/summary?unitId=${t1.countyOffices[0].id}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    const res = await h.app.inject({ url, headers: head.headers });
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    expect(items).toHaveLength(indicators.length);
    expect(items[0]).toMatchObject({ unitId: t1.countyOffices[0].id, inspections: 1 });
    expect(items.map((r: { averageScore: number }) => r.averageScore).sort((a: number, b: number) => a - b)[0]).toBe(40);
    expect((await h.app.inject({ url, headers: foreignSupervisor.headers })).json().items).toEqual([]);
    const list = await h.app.inject({ url: `/api/v1/inspections?unitId=${t1.countyOffices[0].id}&status=filed`, headers: supervisor.headers });
    expect(list.json().items.map((i: { id: number }) => i.id)).toEqual([inspectionId]);
    const mine = await h.app.inject({ url: '/api/v1/inspections?mine=true', headers: inspector.headers });
    expect(mine.json().items.length).toBe(3); // two clusters (by ids, by tracking codes) and the random one
  });
});
