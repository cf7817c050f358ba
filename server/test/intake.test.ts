import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTrackingCode } from '../src/domain/tracking-code.ts';
import { buildTree, complaintBody, type Place, places, staff, type Tree, urgentCategory } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

let h: Harness;
let place: Place;
let tree: Tree;

beforeAll(async () => {
  h = await startHarness();
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place);
});
afterAll(() => h.close());

async function count(table: string): Promise<number> {
  return (await h.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
}

function post(body: unknown, headers: Record<string, string> = {}) {
  return h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: body as object, headers });
}

describe('POST /api/v1/complaints', () => {
  it('answers 201 with a valid tracking code, the referral and the deadline', async () => {
    const category = await urgentCategory(h.db.pool);
    const before = Date.now();
    const res = await post(complaintBody(tree.organisation.id, place.countyIds[0]!, { categoryId: category.id }));
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['dueAt', 'id', 'referredTo', 'status', 'trackingCode']);
    expect(parseTrackingCode(body.trackingCode)).toBe(body.trackingCode);
    expect(body.status).toBe('referred');
    expect(body.referredTo).toEqual({ unitId: tree.countyOffices[0].id, name: tree.countyOffices[0].nameFa });
    // The deadline is 3 working hours on the urgent policy's business clock (never less than 3 wall hours).
    expect(new Date(body.dueAt).getTime() - before).toBeGreaterThanOrEqual(category.answerHours * 3_600_000 - 1000);
    const { rows } = await h.db.pool.query(
      `SELECT p.answer_minutes, p.clock, c.due_at, (SELECT count(*)::int FROM sla_timers t WHERE t.complaint_id = c.id) AS timers
       FROM complaints c JOIN sla_policies p ON p.id = c.sla_policy_id WHERE c.id = $1`,
      [body.id],
    );
    // One timer row per clock (first action, answer): its next stage, with the later ones in it.
    expect(rows[0]).toMatchObject({ answer_minutes: 180, clock: 'business', timers: 2 });
    expect(rows[0].due_at.toISOString()).toBe(body.dueAt);
  });

  it('routes to the provincial directorate when the county has no office of the agency', async () => {
    const { rows } = await h.db.pool.query<{ id: number }>('SELECT id FROM counties WHERE province_id = $1 ORDER BY id OFFSET 2 LIMIT 1', [place.provinceId]);
    const res = await post(complaintBody(tree.organisation.id, rows[0]!.id));
    expect(res.json().referredTo.unitId).toBe(tree.directorate.id);
  });

  it('routes to the directorate when only the province is given', async () => {
    const { countyId: _c, ...body } = complaintBody(tree.ministry.id, place.countyIds[0]!);
    const res = await post({ ...body, provinceId: place.provinceId });
    expect(res.json().referredTo.unitId).toBe(tree.directorate.id);
  });

  it('routes to the agency itself when it has nothing in that province', async () => {
    const other = (await places(h.db.pool))[1]!;
    const res = await post(complaintBody(tree.organisation.id, other.countyIds[0]!));
    expect(res.json().referredTo.unitId).toBe(tree.organisation.id);
  });

  it('leaves a complaint naming only an office for the operators’ triage', async () => {
    const { agencyId: _a, ...body } = complaintBody(tree.ministry.id, place.countyIds[0]!);
    const res = await post({ ...body, officeText: 'اداره دارايي شهرستان' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'received', referredTo: null, dueAt: null });
    const { rows } = await h.db.pool.query('SELECT office_text FROM complaints WHERE id = $1', [res.json().id]);
    expect(rows[0].office_text).toBe('اداره دارایی شهرستان');
  });

  it('writes the complaint, its contact and its events in one go, normalising Persian input', async () => {
    const res = await post({
      ...complaintBody(tree.organisation.id, place.countyIds[1]!),
      description: 'كارمند  پشت ميز نيست و   يك ساعت است منتظرم',
      contact: { phone: '۰۹۱۲ ۳۴۵ ۶۷۸۹', name: 'علي كريمي', nationalId: '۰۴۹۹۳۷۰۸۹۹' },
    });
    expect(res.statusCode).toBe(201);
    const id = res.json().id;
    const c = await h.db.pool.query('SELECT description, status, unit_id FROM complaints WHERE id = $1', [id]);
    expect(c.rows[0]).toMatchObject({ description: 'کارمند پشت میز نیست و یک ساعت است منتظرم', status: 'referred', unit_id: tree.countyOffices[1].id });
    const contact = await h.db.pool.query('SELECT phone, name, national_id FROM complainant_contacts WHERE complaint_id = $1', [id]);
    expect(contact.rows[0]).toEqual({ phone: '+989123456789', name: 'علی کریمی', national_id: '0499370899' });
    const events = await h.db.pool.query('SELECT seq, type FROM complaint_events WHERE complaint_id = $1 ORDER BY seq', [id]);
    expect(events.rows).toEqual([
      { seq: 1, type: 'received' },
      { seq: 2, type: 'referred' },
    ]);
    // personal data never goes into the event chain
    const data = await h.db.pool.query('SELECT data::text AS d FROM complaint_events WHERE complaint_id = $1', [id]);
    for (const row of data.rows) expect(row.d).not.toMatch(/989123456789|0499370899|کریمی/);
  });

  it('accepts a citizen abroad with an E.164 number and records the country', async () => {
    const res = await post({ ...complaintBody(tree.organisation.id, place.countyIds[0]!), contact: { phone: '+4915112345678' } });
    expect(res.statusCode).toBe(201);
    const { rows } = await h.db.pool.query('SELECT country FROM complaints WHERE id = $1', [res.json().id]);
    expect(rows[0].country).toBe('DE');
  });
});

describe('the employee a citizen names', () => {
  async function named(id: string) {
    const { rows } = await h.db.pool.query('SELECT named_employee AS key, named_employee_text AS text FROM complaints WHERE id = $1', [id]);
    return rows[0] as { key: string | null; text: string | null };
  }

  it('is optional, and recorded normalised for grouping with the citizen’s words kept', async () => {
    const without = await post(complaintBody(tree.organisation.id, place.countyIds[0]!));
    expect(await named(without.json().id)).toEqual({ key: null, text: null });
    const res = await post(complaintBody(tree.organisation.id, place.countyIds[0]!, { namedEmployee: '  آقاي   رضائي ' }));
    expect(res.statusCode).toBe(201);
    expect(await named(res.json().id)).toEqual({ key: 'رضایی', text: 'آقای رضائی' });
  });

  it('spelling variants of one person get one key', async () => {
    const keys = new Set<string | null>();
    for (const variant of ['آقای رضائی', 'رضايي', '  رضایی ', 'جناب آقای دکتر رضایی']) {
      const res = await post(complaintBody(tree.organisation.id, place.countyIds[0]!, { namedEmployee: variant }));
      expect(res.statusCode).toBe(201);
      keys.add((await named(res.json().id)).key);
    }
    expect([...keys]).toEqual(['رضایی']);
  });

  it('the chain holds a digest, not the name, and still proves the row', async () => {
    const res = await post(complaintBody(tree.organisation.id, place.countyIds[0]!, { namedEmployee: 'خانم فرهادی' }));
    const id = res.json().id;
    const events = await h.db.pool.query('SELECT type, data, data::text AS raw FROM complaint_events WHERE complaint_id = $1 ORDER BY seq', [id]);
    expect(events.rows[0].data.namedEmployeeDigest).toMatch(/^[0-9a-f]{64}$/);
    for (const row of events.rows) expect(row.raw).not.toContain('فرهادی');
    const auditor = await staff(h.db, h.config, 'national_admin');
    const verify = await h.app.inject({ url: `/api/v1/complaints/${id}/verify`, headers: auditor.headers });
    expect(verify.json()).toMatchObject({ valid: true, projectionMatches: true });
    // A name changed behind the chain's back is caught.
    await h.db.pool.query(`UPDATE complaints SET named_employee = 'دیگری', named_employee_text = 'دیگری' WHERE id = $1`, [id]);
    const tampered = await h.app.inject({ url: `/api/v1/complaints/${id}/verify`, headers: auditor.headers });
    expect(tampered.json()).toMatchObject({ valid: true, projectionMatches: false, mismatchedFields: ['namedEmployee'] });
  });

  it('an operator filing for a caller records it on the phone channel', async () => {
    const operator = await staff(h.db, h.config, 'operator');
    const res = await post(complaintBody(tree.organisation.id, place.countyIds[1]!, { channel: 'phone', namedEmployee: 'مسئول باجهٔ ۳' }), operator.headers);
    expect(res.statusCode).toBe(201);
    const { rows } = await h.db.pool.query('SELECT channel, operator_id, named_employee, named_employee_text FROM complaints WHERE id = $1', [res.json().id]);
    expect(rows[0]).toEqual({ channel: 'phone', operator_id: operator.id, named_employee: 'مسوولباجه3', named_employee_text: 'مسئول باجهٔ ۳' });
  });

  it('a bad name is refused with a bilingual error and nothing is written', async () => {
    const tables = ['complaints', 'complaint_events', 'complainant_contacts', 'outbox', 'sla_timers'];
    const before = await Promise.all(tables.map(count));
    for (const [namedEmployee, code] of [
      ['آقای', 'invalid_named_employee'],
      ['سرکار خانم', 'invalid_named_employee'],
      ['ر', 'invalid_named_employee'],
      ['  ', 'invalid_named_employee'],
      ['ب'.repeat(121), 'invalid_named_employee'],
      ['ب'.repeat(201), 'validation_failed'],
    ] as const) {
      const res = await post(complaintBody(tree.organisation.id, place.countyIds[0]!, { namedEmployee }));
      expect(res.statusCode).toBe(400);
      const error = res.json().error;
      expect(error.code).toBe(code);
      if (code === 'invalid_named_employee') {
        expect(error.messages.fa).toContain('کارمند');
        expect(error.messages.en).toContain('employee');
        expect(error.details).toMatchObject({ field: 'body.namedEmployee' });
      }
    }
    expect(await Promise.all(tables.map(count))).toEqual(before);
  });
});

describe('idempotency', () => {
  it('a retry with the same key returns the same complaint and writes nothing', async () => {
    const body = complaintBody(tree.organisation.id, place.countyIds[0]!);
    const first = await post(body, { 'idempotency-key': 'retry-key-00000001' });
    const complaints = await count('complaints');
    const events = await count('complaint_events');
    const second = await post(body, { 'idempotency-key': 'retry-key-00000001' });
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json()).toEqual(first.json());
    expect(await count('complaints')).toBe(complaints);
    expect(await count('complaint_events')).toBe(events);
  });

  it('the same key with a different body is refused', async () => {
    await post(complaintBody(tree.organisation.id, place.countyIds[0]!), { 'idempotency-key': 'retry-key-00000002' });
    const res = await post(complaintBody(tree.organisation.id, place.countyIds[1]!), { 'idempotency-key': 'retry-key-00000002' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('idempotency_key_reused');
  });

  it('ten concurrent retries make exactly one complaint', async () => {
    const body = complaintBody(tree.organisation.id, place.countyIds[0]!);
    const replies = await Promise.all(Array.from({ length: 10 }, () => post(body, { 'idempotency-key': 'concurrent-key-0001' })));
    expect(replies.every((r) => r.statusCode === 201)).toBe(true);
    expect(new Set(replies.map((r) => r.json().trackingCode)).size).toBe(1);
    const { rows } = await h.db.pool.query("SELECT count(*)::int AS n FROM complaints WHERE idempotency_key = 'web:concurrent-key-0001'");
    expect(rows[0].n).toBe(1);
  });

  it('keys are per channel: the same message id on two channels is two complaints', async () => {
    const a = await post({ ...complaintBody(tree.organisation.id, place.countyIds[0]!), channel: 'sms' }, { 'idempotency-key': 'msg-000000000042' });
    const b = await post({ ...complaintBody(tree.organisation.id, place.countyIds[0]!), channel: 'telegram' }, { 'idempotency-key': 'msg-000000000042' });
    expect(a.json().id).not.toBe(b.json().id);
  });
});

describe('reference data', () => {
  it('lists the 31 provinces with their counties', async () => {
    const res = await h.app.inject({ url: '/api/v1/divisions' });
    const items = res.json().items as { nameFa: string; counties: { nameFa: string }[] }[];
    expect(items.length).toBeGreaterThanOrEqual(2);
    const hamedan = items.find((p) => p.nameFa === 'همدان')!;
    expect(hamedan.counties.map((c) => c.nameFa)).toEqual(
      expect.arrayContaining(['همدان', 'ملایر', 'نهاوند', 'تویسرکان', 'کبودرآهنگ', 'اسدآباد', 'بهار', 'رزن', 'فامنین']),
    );
  });

  it('searches agencies by Persian name, whatever ی/ک the searcher types', async () => {
    const res = await h.app.inject({ url: `/api/v1/agencies?q=${encodeURIComponent('وزارت آزمايشي')}` });
    const ids = res.json().items.map((u: { id: number }) => u.id);
    expect(ids).toContain(tree.ministry.id);
    expect(ids).not.toContain(tree.directorate.id);
  });

  it('lists categories with their indicator and urgency, and the 8 indicators', async () => {
    const res = await h.app.inject({ url: '/api/v1/categories' });
    const body = res.json();
    expect(body.indicators).toHaveLength(8);
    expect(new Set(body.indicators.map((i: { pillar: string }) => i.pillar))).toEqual(new Set(['ease', 'continuity', 'dignity']));
    expect(body.items.some((c: { urgent: boolean; answerHours: number }) => c.urgent && c.answerHours === 3)).toBe(true);
  });

  it('serves the OpenAPI document built from the route schemas', async () => {
    const res = await h.app.inject({ url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/v1/complaints'].post.requestBody.content['application/json'].schema.properties.contact).toBeDefined();
    expect(doc.paths['/api/v1/track/{code}']).toBeDefined();
  });
});
