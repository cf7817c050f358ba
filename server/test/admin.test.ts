import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTree, complaintBody, type Place, places, type StaffFixture, staff } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

let h: Harness;
let admin: StaffFixture;
let place: Place;
let hamedan: { id: number; code: string; counties: { id: number; code: string }[] };

beforeAll(async () => {
  h = await startHarness();
  admin = await staff(h.db, h.config, 'national_admin');
  [place] = (await places(h.db.pool)) as [Place];
  const divisions = (await h.app.inject({ url: '/api/v1/divisions' })).json().items;
  hamedan = divisions.find((p: { nameFa: string }) => p.nameFa === 'همدان');
});
afterAll(() => h.close());

const post = (url: string, payload: object) => h.app.inject({ method: 'POST', url, headers: admin.headers, payload });
const units = async () => (await h.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM units')).rows[0]!.n;

describe('agency tree administration', () => {
  it('creates a ministry, a directorate and a county office with their paths', async () => {
    const ministry = await post('/api/v1/admin/units', { code: 'MIN-A', kind: 'ministry', nameFa: 'وزارت نمونه', nameEn: 'Sample Ministry' });
    expect(ministry.statusCode).toBe(201);
    const directorate = await post('/api/v1/admin/units', {
      code: 'MIN-A-HM',
      kind: 'provincial_directorate',
      parentId: ministry.json().id,
      provinceId: hamedan.id,
      nameFa: 'ادارهٔ کل نمونهٔ همدان',
    });
    const county = hamedan.counties[0]!;
    const office = await post('/api/v1/admin/units', {
      code: 'MIN-A-HM-1',
      kind: 'county_office',
      parentId: directorate.json().id,
      countyId: county.id,
      nameFa: 'ادارهٔ نمونه',
    });
    expect(office.statusCode).toBe(201);
    expect(office.json()).toMatchObject({
      provinceId: hamedan.id,
      countyId: county.id,
      depth: 3,
      path: `/${ministry.json().id}/${directorate.json().id}/${office.json().id}/`,
    });
  });

  it('refuses a shape the four levels do not allow, and writes nothing', async () => {
    const before = await units();
    const bad = await post('/api/v1/admin/units', { code: 'BAD-1', kind: 'county_office', nameFa: 'دفتر بی‌پدر', countyId: hamedan.counties[0]!.id });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe('invalid_tree');
    const dup = await post('/api/v1/admin/units', { code: 'MIN-A', kind: 'ministry', nameFa: 'وزارت تکراری' });
    expect(dup.statusCode).toBe(409);
    expect(await units()).toBe(before);
  });

  it('moves a unit with its whole subtree, and open complaints follow', async () => {
    const tree = await buildTree(h.db.pool, place);
    const other = await buildTree(h.db.pool, place);
    const filed = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(tree.organisation.id, place.countyIds[0]!) });
    const moved = await h.app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/units/${tree.organisation.id}`,
      headers: admin.headers,
      payload: { parentId: other.ministry.id },
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().path).toBe(`/${other.ministry.id}/${tree.organisation.id}/`);
    const office = await h.db.pool.query('SELECT path, depth FROM units WHERE id = $1', [tree.countyOffices[0].id]);
    expect(office.rows[0]).toEqual({ path: `/${other.ministry.id}/${tree.organisation.id}/${tree.directorate.id}/${tree.countyOffices[0].id}/`, depth: 4 });
    const complaint = await h.db.pool.query('SELECT unit_path FROM complaints WHERE id = $1', [filed.json().id]);
    expect(complaint.rows[0].unit_path).toBe(office.rows[0].path);
    // The other ministry's senior leader now sees it.
    const senior = await staff(h.db, h.config, 'leader_senior', { unit: other.ministry });
    expect((await h.app.inject({ url: `/api/v1/complaints/${filed.json().id}`, headers: senior.headers })).statusCode).toBe(200);
  });

  it('refuses to move a unit under itself', async () => {
    const tree = await buildTree(h.db.pool, place);
    const res = await h.app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/units/${tree.organisation.id}`,
      headers: admin.headers,
      payload: { parentId: tree.directorate.id },
    });
    expect(res.statusCode).toBe(422);
  });

  it('deactivates a subtree: routing skips it', async () => {
    const tree = await buildTree(h.db.pool, place);
    const off = await post(`/api/v1/admin/units/${tree.countyOffices[0].id}/deactivate`, {});
    expect(off.json()).toEqual({ deactivated: 1 });
    const filed = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(tree.organisation.id, place.countyIds[0]!) });
    expect(filed.json().referredTo.unitId).toBe(tree.directorate.id);
    const whole = await post(`/api/v1/admin/units/${tree.organisation.id}/deactivate`, {});
    expect(whole.json()).toEqual({ deactivated: 3 });
    const refused = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(tree.organisation.id, place.countyIds[0]!) });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('unknown_agency');
  });

  it('sets a unit’s inspection head, who must work in that unit', async () => {
    const tree = await buildTree(h.db.pool, place);
    const head = await staff(h.db, h.config, 'inspection_head', { unit: tree.directorate });
    const outsider = await staff(h.db, h.config, 'inspection_head', { unit: tree.countyOffices[0] });
    const ok = await h.app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/units/${tree.directorate.id}`,
      headers: admin.headers,
      payload: { inspectionHeadId: head.id },
    });
    expect(ok.json().inspectionHeadId).toBe(head.id);
    const bad = await h.app.inject({
      method: 'PATCH',
      url: `/api/v1/admin/units/${tree.directorate.id}`,
      headers: admin.headers,
      payload: { inspectionHeadId: outsider.id },
    });
    expect(bad.statusCode).toBe(422);
  });

  it('only the national admin may change the tree', async () => {
    const supervisor = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: place.provinceId });
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/admin/units',
      headers: supervisor.headers,
      payload: { code: 'NOPE', kind: 'ministry', nameFa: 'وزارت' },
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('CSV import', () => {
  const csv = (rows: string[]) => ['code,parent_code,kind,name_fa,name_en,province_code,county_code', ...rows].join('\n');
  const importCsv = (body: string) =>
    h.app.inject({ method: 'POST', url: '/api/v1/admin/units/import', headers: { ...admin.headers, 'content-type': 'text/csv' }, payload: body });

  it('imports a whole tree in one go, parents before children', async () => {
    const county = hamedan.counties[1]!;
    const res = await importCsv(
      csv([
        'CSV-M,,ministry,وزارت فرهنگ,Ministry of Culture,,',
        'CSV-O,CSV-M,organisation,سازمان نمونه,,,',
        `CSV-D,CSV-O,provincial_directorate,اداره کل فرهنگ همدان,,${hamedan.code},`,
        `CSV-C,CSV-D,county_office,"اداره فرهنگ، شهرستان",,,${county.code}`,
      ]),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ created: 4, updated: 0 });
    const office = (await h.app.inject({ url: `/api/v1/agencies?q=${encodeURIComponent('اداره فرهنگ، شهرستان')}` })).json().items;
    expect(office).toHaveLength(1);
    expect(office[0]).toMatchObject({ kind: 'county_office', countyId: county.id, provinceId: hamedan.id, depth: 4 });
  });

  it('renames existing codes on a second import', async () => {
    const res = await importCsv(csv(['CSV-M,,ministry,وزارت فرهنگ و ارشاد اسلامی,Ministry of Culture and Islamic Guidance,,']));
    expect(res.json()).toEqual({ created: 0, updated: 1 });
  });

  it('all or nothing: one bad row imports nothing, and every problem has its line', async () => {
    const before = await units();
    const res = await importCsv(
      csv([
        'CSV2-M,,ministry,وزارت دوم,,,',
        'CSV2-D,CSV2-M,provincial_directorate,اداره کل بدون استان,,,',
        'CSV2-X,NOPE,organisation,سازمان یتیم,,,',
        'CSV2-Y,,planet,نوع ناشناخته,,,',
      ]),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_csv');
    expect(res.json().error.details.problems.map((p: { line: number }) => p.line)).toEqual([3, 4, 5]);
    expect(await units()).toBe(before);
  });

  it('rejects a file without the required columns', async () => {
    const res = await importCsv('name,foo\nx,y');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.reason).toMatch(/missing columns/);
  });
});

describe('catalogue', () => {
  it('adds an indicator and a category mapped to it', async () => {
    const indicator = await post('/api/v1/admin/indicators', { code: 'queue_management', pillar: 'ease', nameFa: 'مدیریت صف', nameEn: 'Queue management' });
    expect(indicator.statusCode).toBe(201);
    const category = await post('/api/v1/admin/categories', {
      code: 'long_queue',
      nameFa: 'صف طولانی',
      nameEn: 'Long queue',
      indicatorId: indicator.json().id,
      urgent: false,
      answerHours: 48,
    });
    expect(category.statusCode).toBe(201);
    expect(category.json()).toMatchObject({ indicatorCode: 'queue_management', urgent: false, answerHours: 48 });
    const bad = await post('/api/v1/admin/categories', {
      code: 'orphan_cat',
      nameFa: 'بی‌شاخص',
      nameEn: 'No indicator',
      indicatorId: 99999,
      urgent: true,
      answerHours: 3,
    });
    expect(bad.statusCode).toBe(422);
  });

  it('adds a service, and intake accepts it only for its own agency', async () => {
    const tree = await buildTree(h.db.pool, place);
    const other = await buildTree(h.db.pool, place);
    const service = await post('/api/v1/admin/services', { agencyId: tree.organisation.id, code: `SRV-${tree.organisation.id}`, nameFa: 'صدور گواهی' });
    expect(service.statusCode).toBe(201);
    const ok = await h.app.inject({
      method: 'POST',
      url: '/api/v1/complaints',
      payload: complaintBody(tree.organisation.id, place.countyIds[0]!, { serviceId: service.json().id }),
    });
    expect(ok.statusCode).toBe(201);
    const wrong = await h.app.inject({
      method: 'POST',
      url: '/api/v1/complaints',
      payload: complaintBody(other.organisation.id, place.countyIds[0]!, { serviceId: service.json().id }),
    });
    expect(wrong.json().error.code).toBe('unknown_service');
  });

  it('creates staff users whose role fits their scope', async () => {
    const tree = await buildTree(h.db.pool, place);
    const ok = await post('/api/v1/admin/users', {
      username: 'new.leader',
      displayName: 'راهبر تازه',
      password: 'long-enough-pass',
      role: 'leader_middle',
      unitId: tree.directorate.id,
    });
    expect(ok.statusCode).toBe(201);
    const noUnit = await post('/api/v1/admin/users', { username: 'bad.leader', displayName: 'راهبر', password: 'long-enough-pass', role: 'leader_middle' });
    expect(noUnit.statusCode).toBe(400);
    const dup = await post('/api/v1/admin/users', { username: 'new.leader', displayName: 'تکراری', password: 'long-enough-pass', role: 'operator' });
    expect(dup.statusCode).toBe(409);
    const list = await h.app.inject({ url: '/api/v1/admin/users?pageSize=200', headers: admin.headers });
    expect(list.json().items.map((u: { username: string }) => u.username)).toContain('new.leader');
    expect(JSON.stringify(list.json())).not.toMatch(/argon2/);
  });
});
