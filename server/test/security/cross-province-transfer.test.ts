import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUnit } from '../../src/agencies/manage-units.ts';
import type { Unit } from '../../src/agencies/store.ts';
import { buildTree, complaintBody, type Place, places, type StaffFixture, staff, type Tree, uniq } from '../factories.ts';
import { type Harness, startHarness } from '../harness.ts';

// Finding: staff could transfer a complaint to another province's office. Rule: only the 128
// centre or the national admin sends a complaint across provinces; the UPDATE carries the rule.
let h: Harness;
let tree: Tree;
let otherProvince: Place;
let farDirectorate: Unit;

beforeAll(async () => {
  h = await startHarness();
  const [here, there] = (await places(h.db.pool)) as [Place, Place];
  otherProvince = there;
  tree = await buildTree(h.db.pool, here);
  farDirectorate = await createUnit(h.db.pool, {
    code: `D2-${uniq()}`,
    parentId: tree.organisation.id,
    kind: 'provincial_directorate',
    nameFa: 'ادارهٔ کل استان دیگر',
    nameEn: '',
    provinceId: there.provinceId,
    countyId: null,
  });
});
afterAll(() => h.close());

async function fileOne(): Promise<string> {
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(tree.organisation.id, tree.place.countyIds[0]!) });
  return res.json().id;
}
const transfer = (who: StaffFixture, id: string, toUnitId: number) =>
  h.app.inject({
    method: 'POST',
    url: `/api/v1/complaints/${id}/actions`,
    headers: who.headers,
    payload: { action: 'transfer', toUnitId, reason: 'مربوط به استان دیگر است' },
  });
const state = async (id: string) =>
  (await h.db.pool.query('SELECT unit_id AS "unitId", last_seq AS "lastSeq" FROM complaints WHERE id = $1', [id])).rows[0] as {
    unitId: number;
    lastSeq: number;
  };

describe('transfers across provinces', () => {
  it('a provincial supervisor and an agency leader cannot send a complaint to another province; nothing is written', async () => {
    const supervisor = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: tree.place.provinceId });
    const leader = await staff(h.db, h.config, 'leader_senior', { unit: tree.organisation });
    const id = await fileOne();
    const before = await state(id);
    for (const who of [supervisor, leader]) {
      const res = await transfer(who, id, farDirectorate.id);
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().error.code).toBe('transfer_cross_province');
    }
    expect(await state(id)).toEqual(before);
    // Within the province the same people still transfer.
    expect((await transfer(leader, id, tree.countyOffices[1].id)).statusCode).toBe(200);
    // The national admin may send it to the other province.
    const admin = await staff(h.db, h.config, 'national_admin');
    const res = await transfer(admin, id, farDirectorate.id);
    expect(res.statusCode, res.body).toBe(200);
    expect((await state(id)).unitId).toBe(farDirectorate.id);
    expect(otherProvince.provinceId).not.toBe(tree.place.provinceId);
  });
});
