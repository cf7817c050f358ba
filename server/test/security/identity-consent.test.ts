import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTree, complaintBody, type Place, places, type StaffFixture, staff, type Tree } from '../factories.ts';
import { type Harness, startHarness } from '../harness.ts';

/**
 * Issue 11, "identity goes to the agency only with the citizen's consent" (the real 128 since
 * 1 Aban 1404): off by default on every channel, the choice recorded in the chain, and the rule
 * enforced in SQL — the agency's own staff cannot read the contact without consent, the 128
 * centre and supervisors still can (audited).
 */
let h: Harness;
let place: Place;
let tree: Tree;
let head: StaffFixture;
let responder: StaffFixture;
let supervisor: StaffFixture;
let operator: StaffFixture;
let apiKey: string;

beforeAll(async () => {
  h = await startHarness();
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place, 'سازمان رضایت');
  head = await staff(h.db, h.config, 'inspection_head', { unit: tree.directorate }, { inspectionHead: true });
  responder = await staff(h.db, h.config, 'leader_senior', { unit: tree.directorate });
  supervisor = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: place.provinceId });
  operator = await staff(h.db, h.config, 'operator');
  const admin = await staff(h.db, h.config, 'national_admin');
  apiKey = (await h.app.inject({ method: 'POST', url: '/api/v1/admin/open311-keys', headers: admin.headers, payload: { name: 'اپ رضایت' } })).json().apiKey;
});
afterAll(() => h.close());

const file = async (extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/complaints',
    headers,
    payload: complaintBody(tree.organisation.id, place.countyIds[0]!, {
      contact: { phone: `0912${Math.floor(1_000_000 + Math.random() * 8_999_999)}`, name: 'مریم کاظمی' },
      ...extra,
    }),
  });
  expect(res.statusCode).toBe(201);
  return res.json() as { id: string; trackingCode: string };
};
const contact = (id: string, who: StaffFixture) =>
  h.app.inject({ url: `/api/v1/complaints/${id}/contact?purpose=${encodeURIComponent('پیگیری تلفنی')}`, headers: who.headers });
const consentOf = async (id: string) =>
  (
    await h.db.pool.query(
      `SELECT c.share_identity AS share, e.data->>'identityConsent' AS consent FROM complaints c
       JOIN complaint_events e ON e.complaint_id = c.id AND e.type = 'received' WHERE c.id = $1`,
      [id],
    )
  ).rows[0];
const views = async (id: string) =>
  (await h.db.pool.query(`SELECT count(*)::int AS n FROM complaint_events WHERE complaint_id = $1 AND type = 'contact_viewed'`, [id])).rows[0].n;

describe('identity consent', () => {
  it('is off by default (web form, operator’s call) and recorded in the chain either way', async () => {
    const web = await file();
    const call = await file({ channel: 'phone' }, operator.headers);
    const given = await file({ shareIdentity: true });
    expect(await consentOf(web.id)).toEqual({ share: false, consent: 'withheld' });
    expect(await consentOf(call.id)).toEqual({ share: false, consent: 'withheld' });
    expect(await consentOf(given.id)).toEqual({ share: true, consent: 'given' });
  });

  it('without consent the agency’s staff cannot read the contact, and nothing is written; the centre and supervisors can, audited', async () => {
    const c = await file();
    for (const who of [head, responder]) {
      const res = await contact(c.id, who);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('contact_not_shared');
      expect(res.body).not.toContain('کاظمی');
    }
    expect(await views(c.id)).toBe(0);
    for (const who of [supervisor, operator]) {
      const res = await contact(c.id, who);
      expect(res.statusCode).toBe(200);
      expect(res.json().name).toBe('مریم کاظمی');
    }
    expect(await views(c.id)).toBe(2);
  });

  it('with consent the agency’s inspection head may read it (audited); confidentiality still wins', async () => {
    const shared = await file({ shareIdentity: true });
    expect((await contact(shared.id, head)).statusCode).toBe(200);
    expect(await views(shared.id)).toBe(1);
    const confidential = await file({ shareIdentity: true, confidential: true });
    expect((await contact(confidential.id, head)).json().error.code).toBe('contact_confidential');
  });

  it('is decided in the database, not only in the application', async () => {
    const { rows } = await h.db.pool.query(
      `SELECT contact_readable('inspection_head', false, false) AS head_without, contact_readable('responder', true, false) AS responder_with,
              contact_readable('responder', true, true) AS confidential, contact_readable('provincial_supervisor', false, true) AS supervisor,
              contact_readable('operator', false, false) AS centre, contact_readable('auditor', true, false) AS auditor`,
    );
    expect(rows[0]).toEqual({ head_without: false, responder_with: true, confidential: false, supervisor: true, centre: true, auditor: false });
  });

  it('Open311: off unless attribute[share_identity]=true', async () => {
    const post = (phone: string, extra: Record<string, string> = {}) =>
      h.app.inject({
        method: 'POST',
        url: '/open311/v2/requests.json',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          api_key: apiKey,
          service_code: 'absent_at_desk',
          description: 'کارمند باجهٔ دو پشت میز نیست و یک ساعت است منتظرم.',
          phone,
          'attribute[agency_id]': String(tree.organisation.id),
          'attribute[county_id]': String(place.countyIds[0]),
          address_id: String(place.countyIds[0]),
          ...extra,
        }).toString(),
      });
    // Found by the citizen's phone, not by what Open311 answers (its ids are another helper's work).
    const idOf = async (phone: string) =>
      (await h.db.pool.query('SELECT complaint_id AS id FROM complainant_contacts WHERE phone = $1', [`+98${phone.slice(1)}`])).rows[0].id as string;
    expect((await post('09121117001')).statusCode).toBe(200);
    expect((await post('09121117002', { 'attribute[share_identity]': 'true' })).statusCode).toBe(200);
    const quiet = await idOf('09121117001');
    const shared = await idOf('09121117002');
    expect(await consentOf(quiet)).toEqual({ share: false, consent: 'withheld' });
    expect(await consentOf(shared)).toEqual({ share: true, consent: 'given' });
  });
});
