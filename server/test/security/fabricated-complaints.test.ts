import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { breachStatsSource } from '../../src/enforcement/report-card-source.ts';
import { detectHotspots } from '../../src/hotspots/detect-hotspots.ts';
import { buildTree, complaintBody, type Place, places, type StaffFixture, staff, type Tree } from '../factories.ts';
import { type Harness, startHarness } from '../harness.ts';

/**
 * Issue 11, "fabricated complaints": anonymous intake could claim `channel: "phone"` and, five
 * times with the same named employee, open an employee hotspot alert that supervisors act on.
 * Channels are now proved by who sends, and the accountability tools say how many of their
 * complaints came from a proved phone.
 */
let h: Harness;
let place: Place;
let tree: Tree;
let operator: StaffFixture;
let admin: StaffFixture;

beforeAll(async () => {
  h = await startHarness();
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place, 'سازمان ساختگی');
  operator = await staff(h.db, h.config, 'operator');
  admin = await staff(h.db, h.config, 'national_admin');
  // The supervisor of the province hears of alerts there.
  await staff(h.db, h.config, 'provincial_supervisor', { provinceId: place.provinceId });
});
afterAll(() => h.close());

const file = async (extra: Record<string, unknown>, headers: Record<string, string> = {}, agency: Tree = tree) => {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/complaints',
    headers,
    payload: complaintBody(agency.organisation.id, place.countyIds[0]!, extra),
  });
  expect(res.statusCode).toBe(201);
  return (
    await h.db.pool.query('SELECT id, channel, operator_id AS "operatorId", phone_verified AS "phoneVerified" FROM complaints WHERE id = $1', [res.json().id])
  ).rows[0] as { id: string; channel: string; operatorId: number | null; phoneVerified: boolean };
};

describe('the channel is proved by who sends', () => {
  it('anonymous intake is the web form whatever channel it claims, with an unproved phone', async () => {
    for (const claimed of ['phone', 'sms', 'telegram', 'bale', 'open311', 'web']) {
      expect(await file({ channel: claimed })).toMatchObject({ channel: 'web', operatorId: null, phoneVerified: false });
    }
  });

  it('a signed-in operator’s call is the phone channel, with the caller id as a proved phone', async () => {
    expect(await file({ channel: 'web' }, operator.headers)).toMatchObject({ channel: 'phone', operatorId: operator.id, phoneVerified: true });
  });

  it('an SMS through the signed gateway webhook has the sender as a proved phone', async () => {
    const { handleInboundSms } = await import('../../src/channels/sms/inbound.ts');
    const filed = await handleInboundSms(
      h.db,
      { publicUrl: 'http://127.0.0.1:8128', clock: h.config.clock },
      { from: '09121118001', text: 'کارمند باجهٔ دو از صبح پشت میز نیست و کسی پاسخ نمی‌دهد.', messageId: 'fab-1', via: 'gateway' },
    );
    expect(filed.kind).toBe('filed');
    const row = (await h.db.pool.query('SELECT channel, phone_verified AS v FROM complaints WHERE id = $1', [(filed as { complaintId: string }).complaintId]))
      .rows[0];
    expect(row).toEqual({ channel: 'sms', v: true });
  });
});

describe('accountability tools say how many complaints rest on a proved phone', () => {
  it('five anonymous “phone” complaints naming one employee raise an alert that says only the operator’s one had a proved phone', async () => {
    for (let i = 0; i < 5; i++) await file({ channel: 'phone', namedEmployee: 'آقای ساختگی' });
    await file({ namedEmployee: 'آقای ساختگی' }, operator.headers);
    await detectHotspots(h.db, new Date());
    const res = await h.app.inject({ url: '/api/v1/hotspots?open=true&dimension=employee', headers: admin.headers });
    const alert = (res.json().items as { namedEmployee: string; windowCount: number; verifiedCount: number }[]).find((a) => a.namedEmployee.includes('ساختگی'));
    expect(alert).toMatchObject({ windowCount: 6, verifiedCount: 1 });
    const message = await h.db.pool.query(`SELECT body FROM outbox WHERE template = 'hotspot_alert' AND body LIKE '%کارمند نام‌برده%' ORDER BY id DESC LIMIT 1`);
    expect(message.rows[0]?.body).toContain('۱ مورد با تلفن تأییدشده');
  });

  it('enforcement evidence counts the proved-phone complaints of each unit and period', async () => {
    const fresh = await buildTree(h.db.pool, place, 'سازمان شواهد');
    const before = new Date(Date.now() - 60_000);
    await file({}, {}, fresh);
    await file({}, operator.headers, fresh);
    const stats = await breachStatsSource(h.db.pool).unitPeriodStats([{ key: 'now', from: before, to: new Date(Date.now() + 60_000) }]);
    const unit = stats.find((s) => s.unitId === fresh.countyOffices[0].id);
    expect(unit).toMatchObject({ complaints: 2, verifiedComplaints: 1 });
  });
});
