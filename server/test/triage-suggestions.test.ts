import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Unit } from '../src/agencies/store.ts';
import { buildAgency, DEMO_AGENCIES, DEMO_PROVINCES } from '../src/seed/demo.ts';
import { mobile, type StaffFixture, staff } from './factories.ts';
import { type Harness, startHarness } from './harness.ts';

/**
 * Issue 15, "Triage that learns from operators": a complaint that arrives without a known office
 * gets a suggested organisation, office, category and urgency; the operator's referral is the
 * label the model learns from (at once in this instance, and in every refit from the events).
 */
let h: Harness;
let units: Map<string, Unit>;
let malayer: number;
let hamedan: number;
let operator: StaffFixture;
let qazvinSupervisor: StaffFixture;
let head: StaffFixture;

beforeAll(async () => {
  h = await startHarness();
  const { rows } = await h.db.pool.query<{ provinceId: number; provinceCode: string; nameFa: string; nameEn: string; counties: never }>(
    `SELECT p.id AS "provinceId", p.code AS "provinceCode", p.name_fa AS "nameFa", p.name_en AS "nameEn",
       json_agg(json_build_object('id', c.id, 'code', c.code, 'nameFa', c.name_fa, 'nameEn', c.name_en) ORDER BY c.name_fa) AS counties
     FROM provinces p JOIN counties c ON c.province_id = p.id WHERE p.name_fa = ANY($1) GROUP BY p.id ORDER BY p.id`,
    [DEMO_PROVINCES],
  );
  units = new Map();
  for (const spec of DEMO_AGENCIES) await buildAgency(h.db.pool, spec, null, rows, units);
  const hamedanRow = rows.find((r) => r.nameFa === 'همدان')!;
  hamedan = hamedanRow.provinceId;
  malayer = (hamedanRow.counties as { id: number; nameFa: string }[]).find((c) => c.nameFa === 'ملایر')!.id;
  operator = await staff(h.db, h.config, 'operator');
  qazvinSupervisor = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: rows.find((r) => r.nameFa === 'قزوین')!.provinceId });
  const office = [...units.values()].find((u) => u.nameFa === 'ادارهٔ برق ملایر')!;
  head = await staff(h.db, h.config, 'inspection_head', { unit: office }, { inspectionHead: true });
});
afterAll(() => h.close());

/** A web complaint that names no agency: it waits in the 128 triage queue. */
async function fileForTriage(description: string): Promise<string> {
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/complaints',
    payload: { channel: 'web', countyId: malayer, officeText: 'نمی‌دانم کدام اداره', description, contact: { phone: mobile() } },
  });
  expect(res.statusCode).toBe(201);
  expect(res.json().referredTo).toBeNull();
  return res.json().id;
}

type Suggestion = {
  organisations: { unit: Unit; probability: number }[];
  unit: Unit | null;
  categories: { code: string; probability: number; urgent: boolean }[];
  urgent: boolean | null;
  confidence: number;
  confident: boolean;
  examples: number;
};

async function suggestion(id: string, who: StaffFixture | null = operator) {
  return h.app.inject({ url: `/api/v1/complaints/${id}/triage`, headers: who?.headers ?? {} });
}

describe('suggestions on a complaint in the triage queue', () => {
  it('names the organisation, the office in the complaint’s county, the category and the urgency', async () => {
    const id = await fileForTriage('دو روزه برق خونمون قطعه هرچی زنگ میزنم به اداره برق کسی گوشی رو بر نمیداره');
    const res = await suggestion(id);
    expect(res.statusCode).toBe(200);
    const s: Suggestion = res.json();
    expect(s.organisations[0]!.unit.code).toBe('TAVANIR');
    expect(s.unit?.nameFa).toBe('ادارهٔ برق ملایر');
    expect(s.categories[0]!.code).toBe('phone_unanswered');
    expect(s.urgent).toBe(s.categories[0]!.urgent);
    expect(s.confidence).toBe(s.organisations[0]!.probability);
    expect(s.confident).toBe(s.confidence >= h.config.triageConfidence);
    expect(s.organisations.length).toBeLessThanOrEqual(3);
    // Probabilities are best first.
    expect(s.organisations.map((o) => o.probability)).toEqual([...s.organisations.map((o) => o.probability)].sort((a, b) => b - a));
  });

  it('is for the staff who triage, in their scope: anonymous 401, an inspection head 403, another province 404', async () => {
    const id = await fileForTriage('کارمند ثبت احوال ملایر میگه برو فردا بیا واسه کارت ملی، سه بار رفتم');
    expect((await suggestion(id, null)).statusCode).toBe(401);
    expect((await suggestion(id, head)).statusCode).toBe(403);
    const other = await suggestion(id, qazvinSupervisor);
    expect(other.statusCode).toBe(404);
    expect(other.json().error.code).toBe('complaint_not_found');
  });

  it('writes nothing: a suggestion leaves the complaint in the queue', async () => {
    const id = await fileForTriage('گاز خونه قطع شده اداره گاز میگه مامور نداریم');
    const before = await h.db.pool.query('SELECT count(*)::int AS n FROM complaint_events WHERE complaint_id = $1', [id]);
    expect((await suggestion(id)).statusCode).toBe(200);
    const after = await h.db.pool.query(
      'SELECT count(*)::int AS n, max(c.status) AS status FROM complaint_events e JOIN complaints c ON c.id = e.complaint_id WHERE e.complaint_id = $1',
      [id],
    );
    expect(after.rows[0].n).toBe(before.rows[0].n);
    expect(after.rows[0].status).toBe('received');
  });
});

describe('the citizen’s form', () => {
  it('suggests an office for a text before filing, with no personal data and nothing stored', async () => {
    const before = await h.db.pool.query('SELECT count(*)::int AS n FROM complaints');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/triage/suggest',
      payload: { text: 'آب خونمون گل آلوده به آبفا زنگ زدم گفتن مشکل از خودتونه', countyId: malayer },
    });
    expect(res.statusCode).toBe(200);
    const s: Suggestion = res.json();
    expect(s.organisations[0]!.unit.code).toBe('ABFA');
    expect(s.unit?.provinceId).toBe(hamedan);
    expect(Object.keys(s).sort()).toEqual(['categories', 'confidence', 'confident', 'examples', 'organisations', 'unit', 'urgent']);
    expect((await h.db.pool.query('SELECT count(*)::int AS n FROM complaints')).rows[0].n).toBe(before.rows[0].n);
  });

  it('refuses a short text, a county of another province and unknown fields with a 4xx', async () => {
    const post = (payload: unknown) => h.app.inject({ method: 'POST', url: '/api/v1/triage/suggest', payload: payload as object });
    expect((await post({ text: 'برق' })).statusCode).toBe(400);
    expect((await post({ text: 'برق خونمون قطعه زنگ زدم جواب ندادن', provinceId: 999_999 })).statusCode).toBe(422);
    expect((await post({ text: 'برق خونمون قطعه زنگ زدم جواب ندادن', phone: '09120000000' })).statusCode).toBe(400);
  });
});

describe('learning from the operators', () => {
  // A word the shipped texts never use, so only the operators' referrals can teach it.
  const novel = (n: number) => `برای گرفتن گواهی زرتاب شماره ${n} سه بار رفتم گفتن فردا بیا`;

  it('learns each referral at once and keeps it in every refit from the events', async () => {
    const ssaa = units.get('SSAA')!;
    const probe = await fileForTriage(novel(99));
    const ssaaProbability = (s: Suggestion) => s.organisations.find((o) => o.unit.code === 'SSAA')?.probability ?? 0;
    const before: Suggestion = (await suggestion(probe)).json();

    for (let i = 0; i < 6; i++) {
      const id = await fileForTriage(novel(i));
      const res = await h.app.inject({
        method: 'POST',
        url: `/api/v1/complaints/${id}/actions`,
        headers: operator.headers,
        payload: { action: 'refer', agencyId: ssaa.id },
      });
      expect(res.statusCode).toBe(200);
    }
    const online: Suggestion = (await suggestion(probe)).json();
    expect(ssaaProbability(online)).toBeGreaterThan(ssaaProbability(before));
    expect(online.examples).toBe(before.examples + 6);

    // A fresh model (what another instance or the nightly refit builds) reads the same labels from the events.
    await h.app.deps.triage!.retrain();
    const refit: Suggestion = (await suggestion(probe)).json();
    expect(refit.organisations[0]!.unit.code).toBe('SSAA');
    expect(refit.unit?.nameFa).toContain('ملایر');
    expect(refit.examples).toBe(before.examples + 6);
  });
});
