import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSmsWebhook } from '../src/channels/sms/routes.ts';
import { buildTree, complaintBody, type Place, places, staff, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

const SECRET = 'test-webhook-secret-0123456789';
let h: Harness;
let place: Place;
let tree: Tree;
beforeAll(async () => {
  h = await startHarness({ SMS_WEBHOOK_SECRET: SECRET });
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place);
});
afterAll(() => h.close());

function inbound(body: Record<string, unknown>, options: { secret?: string; timestamp?: number } = {}) {
  const raw = JSON.stringify(body);
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  return h.app.inject({
    method: 'POST',
    url: '/api/v1/channels/sms/inbound',
    headers: {
      'content-type': 'application/json',
      'x-foad-timestamp': timestamp,
      'x-foad-signature': `sha256=${signSmsWebhook(options.secret ?? SECRET, timestamp, raw)}`,
    },
    payload: raw,
  });
}
const count = async (sql: string, params: unknown[] = []) => (await h.db.pool.query<{ n: number }>(sql, params)).rows[0]!.n;
const LONG = 'سلام. امروز صبح به ادارهٔ ثبت احوال ملایر رفتم؛ کارمند باجهٔ دو سر کار نبود و کسی هم جوابگو نبود. دو ساعت است منتظرم.';

describe('SMS webhook', () => {
  it('a signed text files a complaint for triage; the reply with the tracking code goes out by SMS', async () => {
    const res = await inbound({ from: '989121110001', text: LONG, messageId: 'gw-1001' });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ result: 'filed', trackingCode: expect.stringMatching(/^\d{12}$/) });
    const c = (
      await h.db.pool.query('SELECT id, channel, status, province_id, description FROM complaints WHERE tracking_code = $1', [res.json().trackingCode])
    ).rows[0];
    expect(c).toMatchObject({ channel: 'sms', status: 'received', province_id: null });
    expect(c.description).toContain('ثبت احوال ملایر');
    const out = (await h.db.pool.query(`SELECT template, recipient_address FROM outbox WHERE complaint_id = $1`, [c.id])).rows;
    expect(out).toEqual([{ template: 'citizen_received', recipient_address: '+989121110001' }]);
  });

  it('the same message delivered twice makes one complaint', async () => {
    const first = await inbound({ from: '09121110002', text: LONG, messageId: 'gw-1002' });
    const again = await inbound({ from: '09121110002', text: LONG, messageId: 'gw-1002' });
    expect(again.json().trackingCode).toBe(first.json().trackingCode);
    expect(await count(`SELECT count(*)::int AS n FROM complaints WHERE idempotency_key = 'sms:http:gw-1002'`)).toBe(1);
  });

  it('a text that is a tracking code (Persian digits, dashes) gets the status back', async () => {
    const filed = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(tree.organisation.id, place.countyIds[0]!) });
    const code: string = filed.json().trackingCode;
    const persian = `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!);
    const res = await inbound({ from: '09121110003', text: persian, messageId: 'gw-1003' });
    expect(res.json()).toMatchObject({ result: 'status', trackingCode: code });
    const reply = (await h.db.pool.query(`SELECT body, recipient_address FROM outbox WHERE delivery_key = 'http:gw-1003:status'`)).rows[0];
    expect(reply.recipient_address).toBe('+989121110003');
    expect(reply.body).toContain('ارجاع شده');
    expect(reply.body).toContain(tree.countyOffices[0].nameFa);
    // The reply groups the code 4-4-4 in Persian digits, kept left to right.
    const grouped = `\u200e${`${code.slice(0, 4)} ${code.slice(4, 8)} ${code.slice(8)}`.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!)}`;
    expect(reply.body).toContain(grouped);
  });

  it('a status command («پیگیری», «وضعیت», «کد رهگیری») before the code, in any spelling, is a status question, not a new complaint', async () => {
    const filed = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(tree.organisation.id, place.countyIds[0]!) });
    const code: string = filed.json().trackingCode;
    const persian = (x: string) => x.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!);
    const arabic = (x: string) => x.replace(/\d/g, (d) => '٠١٢٣٤٥٦٧٨٩'[Number(d)]!);
    const before = await count('SELECT count(*)::int AS n FROM complaints');
    const texts = [
      `پیگیری ${persian(`${code.slice(0, 4)} ${code.slice(4, 8)} ${code.slice(8)}`)}`,
      `وضعیت: ${arabic(code)}`,
      `کد رهگیری \u200e${persian(`${code.slice(0, 4)}–${code.slice(4, 8)}–${code.slice(8)}`)}`,
    ];
    for (const [i, text] of texts.entries()) {
      const res = await inbound({ from: '09121110013', text, messageId: `gw-cmd-${i}` });
      expect(res.json(), text).toMatchObject({ result: 'status', trackingCode: code });
    }
    expect(await count('SELECT count(*)::int AS n FROM complaints')).toBe(before);
    const wrong = `${code.slice(0, 11)}${(Number(code[11]) + 1) % 10}`;
    await inbound({ from: '09121110013', text: `پیگیری ${persian(wrong)}`, messageId: 'gw-cmd-wrong' });
    const reply = (await h.db.pool.query(`SELECT body FROM outbox WHERE delivery_key = 'http:gw-cmd-wrong:status'`)).rows[0];
    expect(reply.body).toContain('درست نیست');
    expect(await count('SELECT count(*)::int AS n FROM complaints')).toBe(before);
  });

  it('a short text gets the instructions, and no complaint', async () => {
    const before = await count('SELECT count(*)::int AS n FROM complaints');
    const res = await inbound({ from: '09121110004', text: 'سلام', messageId: 'gw-1004' });
    expect(res.json()).toEqual({ result: 'help' });
    expect(await count('SELECT count(*)::int AS n FROM complaints')).toBe(before);
    expect(await count(`SELECT count(*)::int AS n FROM outbox WHERE delivery_key = 'http:gw-1004:help'`)).toBe(1);
    // The instructions name the «کد» keyword, which sends a one-time code for the tracking page.
    const help = (await h.db.pool.query(`SELECT body FROM outbox WHERE delivery_key = 'http:gw-1004:help'`)).rows[0];
    expect(help.body).toContain('«کد» را بفرستید');
  });

  it('a bad or stale signature is refused and nothing is written', async () => {
    const before = await count('SELECT count(*)::int AS n FROM complaints');
    expect((await inbound({ from: '09121110005', text: LONG, messageId: 'gw-1005' }, { secret: 'wrong-secret' })).statusCode).toBe(401);
    expect((await inbound({ from: '09121110005', text: LONG, messageId: 'gw-1006' }, { timestamp: Math.floor(Date.now() / 1000) - 3600 })).statusCode).toBe(
      401,
    );
    const unsigned = await h.app.inject({
      method: 'POST',
      url: '/api/v1/channels/sms/inbound',
      payload: { from: '09121110005', text: LONG, messageId: 'gw-1007' },
    });
    expect(unsigned.statusCode).toBe(401);
    expect(await count('SELECT count(*)::int AS n FROM complaints')).toBe(before);
  });
});

describe('phone: operator screen-pop and IVR', () => {
  it('shows the caller’s earlier complaints to the operator, newest first', async () => {
    const operator = await staff(h.db, h.config, 'operator');
    const body = complaintBody(tree.organisation.id, place.countyIds[0]!, { contact: { phone: '09121110099' } });
    await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: body });
    await inbound({ from: '+989121110099', text: LONG, messageId: 'gw-1099' });
    const res = await h.app.inject({ url: `/api/v1/operator/callers/${encodeURIComponent('۰۹۱۲۱۱۱۰۰۹۹')}`, headers: operator.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json().phone).toBe('+989121110099');
    expect(res.json().complaints.map((c: { status: string }) => c.status)).toEqual(['received', 'referred']);
    const leader = await staff(h.db, h.config, 'leader_county', { unit: tree.countyOffices[0] });
    expect((await h.app.inject({ url: '/api/v1/operator/callers/09121110099', headers: leader.headers })).statusCode).toBe(403);
  });

  it('reads the status for an IVR as a Persian sentence or JSON', async () => {
    const filed = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(tree.organisation.id, place.countyIds[0]!) });
    const code = filed.json().trackingCode;
    const text = await h.app.inject({ url: `/api/v1/ivr/status/${code}` });
    expect(text.headers['content-type']).toMatch(/^text\/plain/);
    expect(text.body).toMatch(/^وضعیت شکایت \u200e[۰-۹]{4} [۰-۹]{4} [۰-۹]{4}: ارجاع شده/);
    const json = await h.app.inject({ url: `/api/v1/ivr/status/${code}?lang=en`, headers: { accept: 'application/json' } });
    expect(json.json()).toMatchObject({ trackingCode: code, status: 'referred', sentence: expect.stringContaining('referred') });
    expect((await h.app.inject({ url: '/api/v1/ivr/status/123' })).statusCode).toBe(400);
  });
});

describe('one case across channels', () => {
  const linkOf = async (trackingCode: string) =>
    (await h.db.pool.query(`SELECT id, case_of_id AS "caseOfId", phone_verified AS "phoneVerified" FROM complaints WHERE tracking_code = $1`, [trackingCode]))
      .rows[0];

  it('the same citizen about the same agency is linked to the open case: web, then phone via an operator, who is told the case', async () => {
    const operator = await staff(h.db, h.config, 'operator');
    const web = await h.app.inject({
      method: 'POST',
      url: '/api/v1/complaints',
      payload: complaintBody(tree.organisation.id, place.countyIds[0]!, { contact: { phone: '09121112000' } }),
    });
    expect(web.statusCode).toBe(201);
    const phone = await h.app.inject({
      method: 'POST',
      url: '/api/v1/complaints',
      headers: operator.headers,
      payload: {
        ...complaintBody(tree.organisation.id, place.countyIds[1]!, { contact: { phone: '+989121112000' } }),
        channel: 'phone',
        description: 'دوباره تماس گرفتم؛ هنوز کسی پشت باجه نیست.',
      },
    });
    // A complaint of its own (its own code); the operator, who is 128 staff, sees the link.
    expect(phone.statusCode).toBe(201);
    expect(phone.json().trackingCode).not.toBe(web.json().trackingCode);
    expect(phone.json().linkedCase).toEqual({ id: web.json().id, trackingCode: web.json().trackingCode });
    expect(await linkOf(phone.json().trackingCode)).toMatchObject({ caseOfId: web.json().id, phoneVerified: true });
    const events = (await h.db.pool.query(`SELECT type, data FROM complaint_events WHERE complaint_id = $1 ORDER BY seq`, [web.json().id])).rows;
    expect(events.at(-1)).toMatchObject({ type: 'repeat_linked', data: { channel: 'phone', complaintId: phone.json().id } });
  });

  it('a retry of the first request is still a replay, and another agency is a new case', async () => {
    const body = complaintBody(tree.organisation.id, place.countyIds[0]!, { contact: { phone: '09121112001' } });
    const first = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', headers: { 'idempotency-key': 'join-retry-0001' }, payload: body });
    const retry = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', headers: { 'idempotency-key': 'join-retry-0001' }, payload: body });
    expect(retry.statusCode).toBe(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.json().trackingCode).toBe(first.json().trackingCode);
    expect(await linkOf(first.json().trackingCode)).toMatchObject({ caseOfId: null });
    const other = await buildTree(h.db.pool, place);
    const elsewhere = await h.app.inject({
      method: 'POST',
      url: '/api/v1/complaints',
      payload: complaintBody(other.organisation.id, place.countyIds[0]!, { contact: { phone: '09121112001' } }),
    });
    expect(elsewhere.statusCode).toBe(201);
    expect(elsewhere.json().trackingCode).not.toBe(first.json().trackingCode);
    expect(await linkOf(elsewhere.json().trackingCode)).toMatchObject({ caseOfId: null });
  });

  it('a second text from the same number is linked to the open triage case; a closed case is not', async () => {
    const a = await inbound({ from: '09121112002', text: LONG, messageId: 'gw-2001' });
    const b = await inbound({ from: '09121112002', text: `${LONG} و هنوز هم منتظرم.`, messageId: 'gw-2002' });
    expect(b.json().trackingCode).not.toBe(a.json().trackingCode);
    expect(await linkOf(b.json().trackingCode)).toMatchObject({ caseOfId: (await linkOf(a.json().trackingCode)).id, phoneVerified: true });
    const again = await inbound({ from: '09121112002', text: `${LONG} و هنوز هم منتظرم.`, messageId: 'gw-2002' });
    expect(again.json().trackingCode).toBe(b.json().trackingCode);
    expect(
      await count(
        `SELECT count(*)::int AS n FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id WHERE c.tracking_code = $1 AND e.type = 'repeat_linked'`,
        [a.json().trackingCode],
      ),
    ).toBe(1);
    await h.db.pool.query(`UPDATE complaints SET status = 'rejected', outcome = 'rejected' WHERE tracking_code = ANY($1)`, [
      [a.json().trackingCode, b.json().trackingCode],
    ]);
    const fresh = await inbound({ from: '09121112002', text: LONG, messageId: 'gw-2003' });
    expect(await linkOf(fresh.json().trackingCode)).toMatchObject({ caseOfId: null });
  });
});

describe('similar complaints for the operator', () => {
  it('suggests open complaints about the office the caller means, most similar first', async () => {
    const operator = await staff(h.db, h.config, 'operator');
    const other = await buildTree(h.db.pool, place);
    const file = (agencyId: number, description: string) =>
      h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: { ...complaintBody(agencyId, place.countyIds[0]!), description } });
    const a = await file(other.organisation.id, 'دستگاه کارتخوان باجه خراب است و پول نقد هم نمی‌گیرند.');
    const b = await file(other.organisation.id, 'کارمند باجهٔ سه پشت میز نیست و کسی جوابگو نیست.');
    await file(tree.organisation.id, 'دستگاه کارتخوان این اداره هم خراب است.');
    const res = await h.app.inject({
      url: `/api/v1/operator/similar?agencyId=${other.organisation.id}&countyId=${place.countyIds[0]}&q=${encodeURIComponent('کارتخوان خراب')}`,
      headers: operator.headers,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().unit.id).toBe(other.countyOffices[0].id);
    expect(res.json().items.map((c: { id: string }) => c.id)).toEqual([a.json().id, b.json().id]);
  });
});
