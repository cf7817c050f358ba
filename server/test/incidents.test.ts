import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyComplaintChain } from '../src/complaints/verify-complaint-chain.ts';
import { jalaliDateOf } from '../src/domain/jalali-periods.ts';
import { toPersianDigits } from '../src/domain/persian-text.ts';
import { formatTrackingCode } from '../src/domain/tracking-code.ts';
import { linkArrivals } from '../src/incidents/link-arrivals.ts';
import { buildTree, complaintBody, type Place, places, type StaffFixture, staff, type Tree } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

/**
 * Issue 15, "Incidents: one cause, many complaints": staff open an incident from a suggestion;
 * matching complaints that arrive later join it and their citizens are told; closing it answers
 * every linked complaint once, and each citizen rates their own case; staff can unlink one.
 */
const OUTAGE = [
  'سامانه پرداخت اینترنتی از صبح قطع است و نمی‌شود پرداخت کرد',
  'سامانه پرداخت اینترنتی از صبح قطعه نمیشه پرداخت کرد',
  'از صبح سامانهٔ پرداخت اینترنتی قطع است، نمی‌شود پرداخت کرد',
  'سامانه پرداخت اینترنتی از صبح امروز قطع است و پرداخت نمی‌شود',
];
const LATER = 'سامانۀ پرداخت اینترنتی از صبح قطع است؛ نمی‌شود پرداخت کرد';
const UNRELATED = 'نگهبان ورودی با مراجعه‌کنندگان بد رفتاری می‌کند و داد می‌زند.';
const TITLE = 'قطعی سامانهٔ پرداخت اینترنتی';
const ANSWER = 'سامانهٔ پرداخت از ساعت ۱۴ دوباره کار می‌کند؛ پرداخت‌های ناموفق تا سه روز برگشت داده می‌شود.';

let h: Harness;
let here: Place;
let tree: Tree;
let other: Tree;
let operator: StaffFixture;
let otherHead: StaffFixture;
let responder: StaffFixture;
const filed: { id: string; trackingCode: string; phone: string }[] = [];

async function file(agencyId: number, countyId: number, description: string) {
  const body = complaintBody(agencyId, countyId, { description });
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: body });
  expect(res.statusCode).toBe(201);
  return { id: res.json().id as string, trackingCode: res.json().trackingCode as string, phone: `+98${body.contact.phone.slice(1)}` };
}
const outboxTo = async (phone: string) =>
  (await h.db.pool.query<{ template: string; body: string }>('SELECT template, body FROM outbox WHERE recipient_address = $1 ORDER BY id', [phone])).rows;
const count = async (table: string) => Number((await h.db.pool.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);

async function citizenToken(code: string, phone: string): Promise<string> {
  expect((await h.app.inject({ method: 'POST', url: `/api/v1/track/${code}/otp` })).statusCode).toBe(200);
  const sms = h.sms.lastTo(phone)!;
  const otp = (sms.text.match(/[۰-۹]{6}/)?.[0] ?? '').replace(/[۰-۹]/g, (d) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(d)));
  const verified = await h.app.inject({ method: 'POST', url: `/api/v1/track/${code}/otp/verify`, payload: { otp } });
  expect(verified.statusCode).toBe(200);
  return verified.json().token;
}

/** Staff take a complaint out of an incident. */
function unlink(incident: number, complaintId: string, reason: string) {
  return h.app.inject({ method: 'POST', url: `/api/v1/incidents/${incident}/unlink`, headers: operator.headers, payload: { complaintId, reason } });
}

/** The citizen of `c` rates their answer, signed in with a one-time code sent to their phone. */
async function rate(c: { trackingCode: string; phone: string }, payload: { satisfied: boolean; comment?: string }) {
  return h.app.inject({
    method: 'POST',
    url: `/api/v1/track/${c.trackingCode}/rating`,
    headers: { authorization: `Bearer ${await citizenToken(c.trackingCode, c.phone)}` },
    payload,
  });
}

beforeAll(async () => {
  h = await startHarness();
  const [first, second] = await places(h.db.pool);
  here = first!;
  tree = await buildTree(h.db.pool, here);
  other = await buildTree(h.db.pool, second!);
  operator = await staff(h.db, h.config, 'operator');
  otherHead = await staff(h.db, h.config, 'inspection_head', { unit: other.directorate });
  responder = await staff(h.db, h.config, 'responder', { unit: tree.countyOffices[0] });
  for (const [i, text] of OUTAGE.entries()) filed.push(await file(tree.organisation.id, here.countyIds[i % 2]!, text));
}, 120_000);
afterAll(() => h.close());

let incidentId = 0;
let arrival: { id: string; trackingCode: string; phone: string };
let unlinked: { id: string; trackingCode: string; phone: string };

describe('incidents', () => {
  it('open from a suggestion: every complaint linked, in its chain, and each citizen told', async () => {
    const suggestion = (await h.app.inject({ url: '/api/v1/incidents/suggestions', headers: operator.headers })).json().items[0];
    expect(suggestion.count).toBe(OUTAGE.length);
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      headers: operator.headers,
      payload: { titleFa: TITLE, complaintIds: suggestion.complaints.map((c: { id: string }) => c.id) },
    });
    expect(res.statusCode).toBe(201);
    const incident = res.json();
    incidentId = incident.id;
    expect(incident).toMatchObject({ titleFa: TITLE, publicStatus: 'handling', organisation: { id: tree.organisation.id }, linkedCount: OUTAGE.length });
    expect(incident.complaints.map((c: { id: string }) => c.id).sort()).toEqual(filed.map((f) => f.id).sort());
    for (const f of filed) {
      const told = (await outboxTo(f.phone)).find((m) => m.template === 'citizen_incident_linked');
      expect(told?.body).toContain(TITLE);
      expect(told?.body).toContain('در حال رسیدگی');
      expect(await verifyComplaintChain(h.db.pool, f.id)).toMatchObject({ valid: true, projectionMatches: true, headMatches: true });
    }
    const listed = (await h.app.inject({ url: `/api/v1/incidents?complaintId=${filed[0]!.id}`, headers: operator.headers })).json().items;
    expect(listed.map((i: { id: number }) => i.id)).toEqual([incidentId]);
  });

  it('links a matching complaint as it arrives and tells its citizen; the public page shows the incident', async () => {
    arrival = await file(tree.organisation.id, here.countyIds[0]!, LATER);
    const unrelated = await file(tree.organisation.id, here.countyIds[0]!, UNRELATED);
    const elsewhere = await file(other.organisation.id, second().countyIds[0]!, LATER);
    expect((await linkArrivals(h.db, h.config, h.config.clock.now())).linked).toBe(1);
    expect((await linkArrivals(h.db, h.config, h.config.clock.now())).linked).toBe(0); // a second round links nothing twice
    const told = (await outboxTo(arrival.phone)).find((m) => m.template === 'citizen_incident_linked');
    expect(told?.body).toContain(TITLE);
    expect(told?.body).toContain('در حال رسیدگی');
    expect((await outboxTo(unrelated.phone)).map((m) => m.template)).not.toContain('citizen_incident_linked');
    expect((await outboxTo(elsewhere.phone)).map((m) => m.template)).not.toContain('citizen_incident_linked');
    const detail = (await h.app.inject({ url: `/api/v1/incidents/${incidentId}`, headers: operator.headers })).json();
    expect(detail.complaints.find((c: { id: string }) => c.id === arrival.id)).toMatchObject({ how: 'arrival' });
    const pub = (await h.app.inject({ url: `/api/v1/track/${arrival.trackingCode}` })).json();
    expect(pub.incident).toEqual({ titleFa: TITLE, publicStatus: 'handling', statusFa: 'در حال رسیدگی' });
    expect(JSON.stringify(pub)).not.toContain(arrival.phone.slice(3));
    expect((await h.app.inject({ url: `/api/v1/track/${unrelated.trackingCode}` })).json().incident).toBeUndefined();
    expect(await verifyComplaintChain(h.db.pool, arrival.id)).toMatchObject({ valid: true, projectionMatches: true });
  });

  it('refuses bad input with 400/409/422 and writes nothing', async () => {
    const before = { incidents: await count('incidents'), links: await count('incident_links'), events: await count('complaint_events') };
    const post = (payload: unknown) => h.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: operator.headers, payload: payload as object });
    expect((await post({ titleFa: 'کو', complaintIds: [filed[0]!.id] })).statusCode).toBe(400);
    expect((await post({ titleFa: TITLE, complaintIds: [] })).statusCode).toBe(400);
    expect((await post({ titleFa: TITLE, complaintIds: ['not-a-uuid'] })).statusCode).toBe(400);
    expect((await post({ titleFa: TITLE, complaintIds: [filed[0]!.id], extra: 1 })).statusCode).toBe(400);
    const fresh = await file(tree.organisation.id, here.countyIds[0]!, UNRELATED);
    const elsewhere = await file(other.organisation.id, second().countyIds[0]!, UNRELATED);
    const mixed = await post({ titleFa: TITLE, complaintIds: [fresh.id, elsewhere.id] });
    expect([mixed.statusCode, mixed.json().error.code]).toEqual([422, 'incident_mixed_organisations']);
    const taken = await post({ titleFa: TITLE, complaintIds: [fresh.id, filed[0]!.id] });
    expect([taken.statusCode, taken.json().error.code]).toEqual([409, 'complaint_in_incident']);
    const close = await h.app.inject({ method: 'POST', url: `/api/v1/incidents/${incidentId}/close`, headers: operator.headers, payload: { answer: 'کوتاه' } });
    expect(close.statusCode).toBe(400);
    const newEvents = 2 * 2; // the two complaints filed here: received + referred each
    expect({ incidents: await count('incidents'), links: await count('incident_links'), events: await count('complaint_events') }).toEqual({
      ...before,
      events: before.events + newEvents,
    });
  });

  it('keeps to scope: another agency gets 404, anonymous 401, a responder 403', async () => {
    expect((await h.app.inject({ url: `/api/v1/incidents/${incidentId}`, headers: otherHead.headers })).statusCode).toBe(404);
    expect((await h.app.inject({ url: '/api/v1/incidents', headers: otherHead.headers })).json().items).toEqual([]);
    const close = await h.app.inject({ method: 'POST', url: `/api/v1/incidents/${incidentId}/close`, headers: otherHead.headers, payload: { answer: ANSWER } });
    expect(close.statusCode).toBe(404);
    const unlink = await h.app.inject({
      method: 'POST',
      url: `/api/v1/incidents/${incidentId}/unlink`,
      headers: otherHead.headers,
      payload: { complaintId: filed[0]!.id, reason: 'موضوع دیگری است' },
    });
    expect(unlink.statusCode).toBe(404);
    const opened = await h.app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      headers: otherHead.headers,
      payload: { titleFa: TITLE, complaintIds: [filed[0]!.id] },
    });
    expect(opened.statusCode).toBe(404);
    expect((await h.app.inject({ url: `/api/v1/incidents/${incidentId}` })).statusCode).toBe(401);
    expect((await h.app.inject({ url: '/api/v1/incidents' })).statusCode).toBe(401);
    expect((await h.app.inject({ url: `/api/v1/incidents/${incidentId}`, headers: responder.headers })).statusCode).toBe(403);
  });

  it('unlinks a complaint: the event is recorded, it goes on alone and is not linked again', async () => {
    const target = await file(tree.organisation.id, here.countyIds[1]!, LATER);
    expect((await linkArrivals(h.db, h.config, h.config.clock.now())).linked).toBe(1);
    const res = await unlink(incidentId, target.id, 'شکایت دربارهٔ باجهٔ حضوری است');
    expect(res.statusCode).toBe(200);
    expect(res.json().complaints.find((c: { id: string }) => c.id === target.id)).toMatchObject({ endedHow: 'unlinked' });
    const timeline = await h.db.pool.query('SELECT type FROM complaint_events WHERE complaint_id = $1 ORDER BY seq', [target.id]);
    expect(timeline.rows.map((r) => r.type)).toEqual(['received', 'referred', 'incident_linked', 'incident_unlinked']);
    expect((await linkArrivals(h.db, h.config, h.config.clock.now())).linked).toBe(0);
    expect((await h.app.inject({ url: `/api/v1/incidents?complaintId=${target.id}`, headers: operator.headers })).json().items).toEqual([]);
    expect(await verifyComplaintChain(h.db.pool, target.id)).toMatchObject({ valid: true, projectionMatches: true });
    unlinked = target;
  });

  it('closes with one answer: every linked citizen gets it and rates their own case', async () => {
    const res = await h.app.inject({ method: 'POST', url: `/api/v1/incidents/${incidentId}/close`, headers: operator.headers, payload: { answer: ANSWER } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ publicStatus: 'resolved', answer: ANSWER, linkedCount: 5 });
    const linked = [...filed, arrival];
    for (const c of linked) {
      expect((await outboxTo(c.phone)).map((m) => m.template)).toContain('citizen_answered');
      expect(await verifyComplaintChain(h.db.pool, c.id)).toMatchObject({ valid: true, projectionMatches: true, headMatches: true });
    }
    // The unlinked one is not answered: it goes on as a normal complaint.
    expect((await outboxTo(unlinked.phone)).map((m) => m.template)).not.toContain('citizen_answered');
    const alone = (await h.app.inject({ url: `/api/v1/track/${unlinked.trackingCode}` })).json();
    expect(alone).toMatchObject({ status: 'referred' });
    expect(alone.incident).toBeUndefined();

    const satisfied = await rate(filed[0]!, { satisfied: true });
    expect(satisfied.json()).toEqual({ status: 'closed' });
    const unhappy = await rate(arrival, { satisfied: false, comment: 'هنوز پولم برنگشته' });
    expect(unhappy.json()).toEqual({ status: 'referred' });
    const pub = (await h.app.inject({ url: `/api/v1/track/${filed[1]!.trackingCode}` })).json();
    expect(pub).toMatchObject({ status: 'answered', canRate: true, incident: { publicStatus: 'resolved', statusFa: 'برطرف شد' } });
    const again = await h.app.inject({ method: 'POST', url: `/api/v1/incidents/${incidentId}/close`, headers: operator.headers, payload: { answer: ANSWER } });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'incident_closed']);
  });

  it('counts incidents and their complaints on the report card, apart, in scope', async () => {
    const { jy, jm } = jalaliDateOf(new Date());
    const period = `${jy}-${String(jm).padStart(2, '0')}`;
    const admin = await staff(h.db, h.config, 'national_admin');
    const card = (await h.app.inject({ url: `/api/v1/reports/cards/${period}`, headers: admin.headers })).json();
    // One cause, five complaints answered with it (the unlinked one is not counted).
    expect(card.incidents).toEqual({
      incidents: 1,
      linkedComplaints: 5,
      organisations: [{ id: tree.organisation.id, nameFa: tree.organisation.nameFa, incidents: 1, linkedComplaints: 5 }],
    });
    const outsider = await staff(h.db, h.config, 'leader_senior', { unit: other.organisation });
    const theirs = (await h.app.inject({ url: `/api/v1/reports/cards/${period}`, headers: outsider.headers })).json();
    expect(theirs.incidents).toEqual({ incidents: 0, linkedComplaints: 0, organisations: [] });
  });
});

/**
 * The rest of issue 15: staff change an open incident's public status (each citizen told once),
 * add a complaint by its tracking code, and a complaint that reaches the organisation only after
 * triage is linked on arrival too.
 */
const QUEUE = [
  'سامانه نوبت دهی اینترنتی بیمارستان از دیشب باز نمی‌شود و نوبت نمی‌دهد',
  'سامانهٔ نوبت‌دهی اینترنتی بیمارستان از دیشب باز نمیشه و نوبت نمیده',
  'از دیشب سامانه نوبت دهی اینترنتی بیمارستان باز نمی‌شود، نوبت نمی‌دهد',
];
const QUEUE_TITLE = 'اختلال سامانهٔ نوبت‌دهی اینترنتی';

describe('incidents: status, adding by hand, arrivals after triage', () => {
  let queueIncident: number;
  const members: { id: string; trackingCode: string; phone: string }[] = [];
  let triaged: { id: string; trackingCode: string; phone: string };
  const detail = async (id: number) => (await h.app.inject({ url: `/api/v1/incidents/${id}`, headers: operator.headers })).json();
  const patch = (payload: unknown, headers = operator.headers) =>
    h.app.inject({ method: 'PATCH', url: `/api/v1/incidents/${queueIncident}`, headers, payload: payload as object });
  const add = (trackingCode: string, headers = operator.headers) =>
    h.app.inject({ method: 'POST', url: `/api/v1/incidents/${queueIncident}/complaints`, headers, payload: { trackingCode } });
  const told = async (phone: string, template: string) => (await outboxTo(phone)).filter((m) => m.template === template);
  const snapshot = async () => ({
    incidents: (await h.db.pool.query('SELECT id, title_fa, public_status FROM incidents ORDER BY id')).rows,
    links: await count('incident_links'),
    events: await count('complaint_events'),
    outbox: await count('outbox'),
  });

  beforeAll(async () => {
    // Named only an office: it waits in the 128 triage queue, at no organisation, filed before the incident opens.
    const { agencyId: _a, ...body } = complaintBody(tree.organisation.id, here.countyIds[0]!, { description: QUEUE[0] });
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: { ...body, officeText: 'بیمارستان شهر' } });
    expect(res.statusCode).toBe(201);
    triaged = { id: res.json().id, trackingCode: res.json().trackingCode, phone: `+98${body.contact.phone.slice(1)}` };
    for (const text of QUEUE) members.push(await file(tree.organisation.id, here.countyIds[0]!, text));
    const opened = await h.app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      headers: operator.headers,
      payload: { titleFa: QUEUE_TITLE, complaintIds: members.map((m) => m.id), publicStatus: 'investigating' },
    });
    expect(opened.statusCode).toBe(201);
    queueIncident = opened.json().id;
  }, 120_000);

  it('changes the public status: each linked citizen told once, the chain records it, the public page shows it', async () => {
    const res = await patch({ publicStatus: 'handling' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ publicStatus: 'handling', titleFa: QUEUE_TITLE });
    for (const m of members) {
      const sms = await told(m.phone, 'citizen_incident_status');
      expect(sms).toHaveLength(1);
      expect(sms[0]!.body).toContain(QUEUE_TITLE);
      expect(sms[0]!.body).toContain('در حال رسیدگی');
      const types = (await h.db.pool.query('SELECT type FROM complaint_events WHERE complaint_id = $1 ORDER BY seq', [m.id])).rows.map((r) => r.type);
      expect(types.slice(-2)).toEqual(['incident_linked', 'incident_updated']);
      expect(await verifyComplaintChain(h.db.pool, m.id)).toMatchObject({ valid: true, projectionMatches: true, headMatches: true });
    }
    const pub = (await h.app.inject({ url: `/api/v1/track/${members[0]!.trackingCode}` })).json();
    expect(pub.incident).toEqual({ titleFa: QUEUE_TITLE, publicStatus: 'handling', statusFa: 'در حال رسیدگی' });

    // The same status again changes nothing; a new title alone is recorded but sends no SMS.
    const before = await snapshot();
    expect((await patch({ publicStatus: 'handling' })).statusCode).toBe(200);
    expect(await snapshot()).toEqual(before);
    const renamed = await patch({ titleFa: 'اختلال سامانهٔ نوبت‌دهی بیمارستان' });
    expect(renamed.json()).toMatchObject({ titleFa: 'اختلال سامانهٔ نوبت‌دهی بیمارستان', publicStatus: 'handling' });
    for (const m of members) expect(await told(m.phone, 'citizen_incident_status')).toHaveLength(1);
    expect((await h.app.inject({ url: `/api/v1/track/${members[1]!.trackingCode}` })).json().incident.titleFa).toBe('اختلال سامانهٔ نوبت‌دهی بیمارستان');
  });

  it('adds a complaint by its tracking code in Persian digits with spaces; its citizen is told', async () => {
    const lone = await file(tree.organisation.id, here.countyIds[1]!, UNRELATED);
    const typed = ` ${toPersianDigits(formatTrackingCode(lone.trackingCode))} `;
    const res = await add(typed);
    expect(res.statusCode).toBe(200);
    expect(res.json().complaints.find((c: { id: string }) => c.id === lone.id)).toMatchObject({ how: 'opened', endedAt: null });
    const sms = await told(lone.phone, 'citizen_incident_linked');
    expect(sms).toHaveLength(1);
    expect(sms[0]!.body).toContain('در حال رسیدگی');
    expect(await verifyComplaintChain(h.db.pool, lone.id)).toMatchObject({ valid: true, projectionMatches: true, headMatches: true });
    members.push(lone);
  });

  it('refuses bad input and other agencies, writing nothing', async () => {
    const before = await snapshot();
    const outsider = await file(other.organisation.id, second().countyIds[0]!, UNRELATED);
    const filedNow = await snapshot();
    const expectCode = async (res: Awaited<ReturnType<typeof add>>, status: number, code?: string) => {
      expect(res.statusCode).toBe(status);
      if (code) expect(res.json().error.code).toBe(code);
      expect(res.json().error.message).toBeTruthy();
    };
    await expectCode(await patch({}), 400);
    await expectCode(await patch({ publicStatus: 'resolved' }), 400);
    await expectCode(await patch({ titleFa: 'کو' }), 400);
    await expectCode(await patch({ publicStatus: 'investigating', extra: 1 }), 400);
    await expectCode(await add('123'), 400, 'invalid_tracking_code');
    await expectCode(await add(`${members[0]!.trackingCode.slice(0, 11)}${(Number(members[0]!.trackingCode[11]) + 1) % 10}`), 400, 'invalid_tracking_code');
    await expectCode(await add(outsider.trackingCode), 422, 'incident_mixed_organisations');
    await expectCode(await add(members[0]!.trackingCode), 409, 'complaint_in_incident');
    await expectCode(await patch({ publicStatus: 'investigating' }, otherHead.headers), 404, 'incident_not_found');
    await expectCode(await add(outsider.trackingCode, otherHead.headers), 404, 'incident_not_found');
    await expectCode(await patch({ publicStatus: 'investigating' }, responder.headers), 403);
    expect((await h.app.inject({ method: 'PATCH', url: `/api/v1/incidents/${queueIncident}`, payload: { publicStatus: 'investigating' } })).statusCode).toBe(
      401,
    );
    expect(await snapshot()).toEqual(filedNow);
    expect(filedNow.incidents).toEqual(before.incidents);
    expect((await detail(queueIncident)).publicStatus).toBe('handling');
  });

  it('links a complaint that reaches the organisation only after triage', async () => {
    expect((await linkArrivals(h.db, h.config, h.config.clock.now())).linked).toBe(0); // still in triage: at no organisation
    const category = (await h.db.pool.query('SELECT id FROM categories WHERE NOT urgent ORDER BY id LIMIT 1')).rows[0].id;
    const referred = await h.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${triaged.id}/actions`,
      headers: operator.headers,
      payload: { action: 'refer', agencyId: tree.organisation.id, categoryId: category },
    });
    expect(referred.json()).toMatchObject({ status: 'referred' });
    expect((await linkArrivals(h.db, h.config, h.config.clock.now())).linked).toBe(1);
    expect((await detail(queueIncident)).complaints.find((c: { id: string }) => c.id === triaged.id)).toMatchObject({ how: 'arrival', endedAt: null });
    expect(await told(triaged.phone, 'citizen_incident_linked')).toHaveLength(1);
    expect(await verifyComplaintChain(h.db.pool, triaged.id)).toMatchObject({ valid: true, projectionMatches: true, headMatches: true });
  });

  it('once closed, the status and the members no longer change', async () => {
    expect(
      (await h.app.inject({ method: 'POST', url: `/api/v1/incidents/${queueIncident}/close`, headers: operator.headers, payload: { answer: ANSWER } }))
        .statusCode,
    ).toBe(200);
    expect((await patch({ publicStatus: 'investigating' })).json().error.code).toBe('incident_closed');
    const late = await file(tree.organisation.id, here.countyIds[1]!, UNRELATED);
    expect((await add(late.trackingCode)).json().error.code).toBe('incident_closed');
  });
});

/**
 * The public page reads the incident from the complaint's own `shown_incident_id` (migration
 * 047), kept by the incident store: the newest link that is current or ended by the closing.
 */
describe("incidents: the public page's incident follows the links", () => {
  const SHOWN = `SELECT l.incident_id FROM incident_links l WHERE l.complaint_id = c.id AND (l.ended_at IS NULL OR l.ended_how = 'closed')
                  ORDER BY l.linked_at DESC, l.id DESC LIMIT 1`;
  const publicIncident = async (code: string) => (await h.app.inject({ url: `/api/v1/track/${code}` })).json().incident;
  const open = async (titleFa: string, complaintIds: string[]) => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: operator.headers, payload: { titleFa, complaintIds } });
    expect(res.statusCode).toBe(201);
    return res.json().id as number;
  };

  it('after an unlink from a later incident, shows the closed incident the complaint was answered with', async () => {
    const y = await file(tree.organisation.id, here.countyIds[0]!, 'آب آشامیدنی ساختمان اداره از دیروز قطع است و کسی پاسخگو نیست');
    expect(await publicIncident(y.trackingCode)).toBeUndefined();
    const first = await open('قطعی آب ساختمان اداره', [y.id]);
    expect(await publicIncident(y.trackingCode)).toMatchObject({ titleFa: 'قطعی آب ساختمان اداره', publicStatus: 'handling' });
    const closed = await h.app.inject({ method: 'POST', url: `/api/v1/incidents/${first}/close`, headers: operator.headers, payload: { answer: ANSWER } });
    expect(closed.statusCode).toBe(200);
    expect(await publicIncident(y.trackingCode)).toMatchObject({ titleFa: 'قطعی آب ساختمان اداره', publicStatus: 'resolved' });
    // The citizen is not satisfied: the complaint is open again and joins a new incident.
    const unhappy = await rate(y, { satisfied: false, comment: 'هنوز آب قطع است' });
    expect(unhappy.json()).toEqual({ status: 'referred' });
    const second = await open('قطعی دوبارهٔ آب ساختمان اداره', [y.id]);
    expect(await publicIncident(y.trackingCode)).toMatchObject({ titleFa: 'قطعی دوبارهٔ آب ساختمان اداره', publicStatus: 'handling' });
    const unlinked = await unlink(second, y.id, 'این شکایت دربارهٔ قطعی تازه نیست');
    expect(unlinked.statusCode).toBe(200);
    expect(await publicIncident(y.trackingCode)).toMatchObject({ titleFa: 'قطعی آب ساختمان اداره', publicStatus: 'resolved' });
  });

  it('agrees with the links for every complaint of this file', async () => {
    const { rows } = await h.db.pool.query<{ shown: number; differ: number }>(
      `SELECT count(*) FILTER (WHERE c.shown_incident_id IS NOT NULL)::int AS shown,
              count(*) FILTER (WHERE c.shown_incident_id IS DISTINCT FROM (${SHOWN}))::int AS differ FROM complaints c`,
    );
    expect(rows[0]!.shown).toBeGreaterThan(10);
    expect(rows[0]!.differ).toBe(0);
  });
});

function second(): Place {
  return other.place;
}
