import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTree, complaintBody, type Place, places, staff, type Tree } from './factories.ts';
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

async function fileOne(extra: Record<string, unknown> = {}) {
  const body = complaintBody(tree.organisation.id, place.countyIds[0]!, {
    contact: { phone: `0912${Math.floor(1_000_000 + Math.random() * 8_999_999)}`, name: 'زهرا احمدی' },
    ...extra,
  });
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: body });
  return { ...res.json(), phone: `+98${(body.contact as { phone: string }).phone.slice(1)}` } as { id: string; trackingCode: string; phone: string };
}

const otpFrom = (text: string) => (text.match(/[۰-۹]{6}/)?.[0] ?? '').replace(/[۰-۹]/g, (d) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(d)));
const toPersian = (s: string) => s.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!);

/** The ways people type, paste or dictate one code. */
function spellings(code: string): string[] {
  const [a, b, c] = [code.slice(0, 4), code.slice(4, 8), code.slice(8)];
  const arabic = (x: string) => x.replace(/\d/g, (d) => '٠١٢٣٤٥٦٧٨٩'[Number(d)]!);
  return [
    code,
    `${a} ${b} ${c}`,
    `${a}-${b}-${c}`,
    toPersian(`${a} ${b} ${c}`),
    toPersian(`${a}–${b}–${c}`),
    arabic(`${a}${b}${c}`),
    `\u200e${toPersian(`${a} ${b} ${c}`)}`, // copied from an SMS, with its direction mark
    ` ${toPersian(a)}\u00a0${b}_${arabic(c)} `,
  ];
}

describe('one code, any spelling, at every entry', () => {
  it('the public status, the one-time code, its verification, the full view, the IVR and the staff search all read it', async () => {
    const c = await fileOne();
    const auditor = await staff(h.db, h.config, 'auditor');
    let otpAsked = false;
    for (const typed of spellings(c.trackingCode)) {
      const at = encodeURIComponent(typed);
      const status = await h.app.inject({ url: `/api/v1/track/${at}` });
      expect(status.statusCode, typed).toBe(200);
      expect(status.json().trackingCode).toBe(c.trackingCode);
      const ivr = await h.app.inject({ url: `/api/v1/ivr/status/${at}`, headers: { accept: 'application/json' } });
      expect(ivr.statusCode, typed).toBe(200);
      expect(ivr.json().trackingCode).toBe(c.trackingCode);
      // The sentence read out groups the code 4-4-4 and keeps it left to right.
      expect(ivr.json().sentence).toContain(`\u200e${toPersian(`${c.trackingCode.slice(0, 4)} ${c.trackingCode.slice(4, 8)} ${c.trackingCode.slice(8)}`)}`);
      const found = await h.app.inject({ url: `/api/v1/complaints?trackingCode=${at}`, headers: auditor.headers });
      expect(found.statusCode, typed).toBe(200);
      expect(found.json().items.map((i: { id: string }) => i.id)).toEqual([c.id]);
      if (!otpAsked) {
        otpAsked = true;
        const otp = await h.app.inject({ method: 'POST', url: `/api/v1/track/${encodeURIComponent(spellings(c.trackingCode)[3]!)}/otp` });
        expect(otp.statusCode).toBe(200);
      }
    }
    // The one-time code's SMS names the code grouped 4-4-4, in Persian digits.
    const sms = h.sms.lastTo(c.phone)!.text;
    expect(sms).toContain(`\u200e${toPersian(`${c.trackingCode.slice(0, 4)} ${c.trackingCode.slice(4, 8)} ${c.trackingCode.slice(8)}`)}`);
    const verify = await h.app.inject({
      method: 'POST',
      url: `/api/v1/track/${encodeURIComponent(spellings(c.trackingCode)[6]!)}/otp/verify`,
      payload: { otp: toPersian(otpFrom(sms)) },
    });
    expect(verify.statusCode).toBe(200);
    const full = await h.app.inject({
      url: `/api/v1/track/${encodeURIComponent(spellings(c.trackingCode)[5]!)}/full`,
      headers: { authorization: `Bearer ${verify.json().token}` },
    });
    expect(full.statusCode).toBe(200);
  });

  it('a wrong code in any spelling is a 400 everywhere, never a 500', async () => {
    const c = await fileOne();
    const wrong = `${c.trackingCode.slice(0, 11)}${(Number(c.trackingCode[11]) + 1) % 10}`;
    const auditor = await staff(h.db, h.config, 'auditor');
    for (const typed of [toPersian(`${wrong.slice(0, 4)} ${wrong.slice(4, 8)} ${wrong.slice(8)}`), '۱۲۳۴', 'abc']) {
      const at = encodeURIComponent(typed);
      expect((await h.app.inject({ url: `/api/v1/track/${at}` })).statusCode).toBe(400);
      expect((await h.app.inject({ url: `/api/v1/ivr/status/${at}` })).statusCode).toBe(400);
      expect((await h.app.inject({ method: 'POST', url: `/api/v1/track/${at}/otp` })).statusCode).toBe(400);
      expect((await h.app.inject({ url: `/api/v1/complaints?trackingCode=${at}`, headers: auditor.headers })).statusCode).toBe(400);
    }
  });
});

describe('citizen tracking', () => {
  it('public status by code (also typed in Persian digits with dashes) carries no personal data', async () => {
    const c = await fileOne();
    const typed = toPersian(`${c.trackingCode.slice(0, 4)}-${c.trackingCode.slice(4, 8)}-${c.trackingCode.slice(8)}`);
    const res = await h.app.inject({ url: `/api/v1/track/${encodeURIComponent(typed)}` });
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json()).sort()).toEqual(['canRate', 'createdAt', 'dueAt', 'provinceNameFa', 'referredTo', 'status', 'trackingCode', 'updatedAt']);
    expect(res.body).not.toContain('احمدی');
    expect(res.body).not.toContain(c.phone.slice(3));
    expect(res.body).not.toContain('description');
  });

  it('the one-time code goes only to the complaint’s own phone, in Persian, masked in the reply', async () => {
    const c = await fileOne();
    const res = await h.app.inject({ method: 'POST', url: `/api/v1/track/${c.trackingCode}/otp` });
    expect(res.json().sentTo).toBe(`${c.phone.slice(0, 6)}***${c.phone.slice(-4)}`);
    const sms = h.sms.lastTo(c.phone)!;
    expect(sms.kind).toBe('otp');
    expect(sms.text).toMatch(/رمز یک‌بار مصرف/);
    expect(otpFrom(sms.text)).toMatch(/^\d{6}$/);
    const stored = await h.db.pool.query('SELECT code_hash FROM citizen_otps WHERE complaint_id = $1', [c.id]);
    expect(stored.rows[0].code_hash).not.toContain(otpFrom(sms.text));
  });

  it('without the OTP token the full view is refused', async () => {
    const c = await fileOne();
    const res = await h.app.inject({ url: `/api/v1/track/${c.trackingCode}/full` });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('citizen_token_required');
  });

  it('the employee a citizen names is in neither the public status nor the citizen’s own view', async () => {
    const c = await fileOne({ namedEmployee: 'آقای بهرامی' });
    const stored = await h.db.pool.query('SELECT named_employee FROM complaints WHERE id = $1', [c.id]);
    expect(stored.rows[0].named_employee).toBe('بهرامی');
    const status = await h.app.inject({ url: `/api/v1/track/${c.trackingCode}` });
    expect(status.statusCode).toBe(200);
    await h.app.inject({ method: 'POST', url: `/api/v1/track/${c.trackingCode}/otp` });
    const verify = await h.app.inject({
      method: 'POST',
      url: `/api/v1/track/${c.trackingCode}/otp/verify`,
      payload: { otp: otpFrom(h.sms.lastTo(c.phone)!.text) },
    });
    const full = await h.app.inject({ url: `/api/v1/track/${c.trackingCode}/full`, headers: { authorization: `Bearer ${verify.json().token}` } });
    expect(full.statusCode).toBe(200);
    const ivr = await h.app.inject({ url: `/api/v1/ivr/status/${c.trackingCode}` });
    expect(ivr.statusCode).toBe(200);
    for (const body of [status.body, full.body, ivr.body]) {
      expect(body).not.toContain('بهرامی');
      expect(body).not.toMatch(/namedEmployee|digest/);
    }
  });

  it('a token opens only its own complaint', async () => {
    const a = await fileOne();
    const b = await fileOne();
    await h.app.inject({ method: 'POST', url: `/api/v1/track/${a.trackingCode}/otp` });
    const verify = await h.app.inject({
      method: 'POST',
      url: `/api/v1/track/${a.trackingCode}/otp/verify`,
      payload: { otp: toPersian(otpFrom(h.sms.lastTo(a.phone)!.text)) },
    });
    const token = verify.json().token;
    expect((await h.app.inject({ url: `/api/v1/track/${a.trackingCode}/full`, headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
    expect((await h.app.inject({ url: `/api/v1/track/${b.trackingCode}/full`, headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
  });

  it('a code works once, and five wrong guesses burn it', async () => {
    const c = await fileOne();
    await h.app.inject({ method: 'POST', url: `/api/v1/track/${c.trackingCode}/otp` });
    const otp = otpFrom(h.sms.lastTo(c.phone)!.text);
    const wrongOtp = otp === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      const res = await h.app.inject({ method: 'POST', url: `/api/v1/track/${c.trackingCode}/otp/verify`, payload: { otp: wrongOtp } });
      expect(res.json().error.code).toBe('invalid_otp');
    }
    const right = await h.app.inject({ method: 'POST', url: `/api/v1/track/${c.trackingCode}/otp/verify`, payload: { otp } });
    expect(right.statusCode).toBe(401);
  });

  it('a used code cannot be used again', async () => {
    const c = await fileOne();
    await h.app.inject({ method: 'POST', url: `/api/v1/track/${c.trackingCode}/otp` });
    const otp = otpFrom(h.sms.lastTo(c.phone)!.text);
    expect((await h.app.inject({ method: 'POST', url: `/api/v1/track/${c.trackingCode}/otp/verify`, payload: { otp } })).statusCode).toBe(200);
    expect((await h.app.inject({ method: 'POST', url: `/api/v1/track/${c.trackingCode}/otp/verify`, payload: { otp } })).statusCode).toBe(401);
  });

  it('an expired code is refused', async () => {
    const c = await fileOne();
    await h.app.inject({ method: 'POST', url: `/api/v1/track/${c.trackingCode}/otp` });
    const otp = otpFrom(h.sms.lastTo(c.phone)!.text);
    await h.db.pool.query(`UPDATE citizen_otps SET expires_at = now() - interval '1 second' WHERE complaint_id = $1`, [c.id]);
    expect((await h.app.inject({ method: 'POST', url: `/api/v1/track/${c.trackingCode}/otp/verify`, payload: { otp } })).statusCode).toBe(401);
  });

  it('codes cannot be requested again within a minute', async () => {
    const c = await fileOne();
    expect((await h.app.inject({ method: 'POST', url: `/api/v1/track/${c.trackingCode}/otp` })).statusCode).toBe(200);
    const again = await h.app.inject({ method: 'POST', url: `/api/v1/track/${c.trackingCode}/otp` });
    expect(again.statusCode).toBe(429);
    expect(again.json().error.code).toBe('rate_limited');
    expect(h.sms.sent.filter((m) => m.to === c.phone)).toHaveLength(1);
  });

  it('a rating before any answer is refused and changes nothing', async () => {
    const c = await fileOne();
    await h.app.inject({ method: 'POST', url: `/api/v1/track/${c.trackingCode}/otp` });
    const token = (
      await h.app.inject({ method: 'POST', url: `/api/v1/track/${c.trackingCode}/otp/verify`, payload: { otp: otpFrom(h.sms.lastTo(c.phone)!.text) } })
    ).json().token;
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/v1/track/${c.trackingCode}/rating`,
      headers: { authorization: `Bearer ${token}` },
      payload: { satisfied: false },
    });
    expect(res.statusCode).toBe(409);
    const { rows } = await h.db.pool.query('SELECT status, dissatisfied_count FROM complaints WHERE id = $1', [c.id]);
    expect(rows[0]).toEqual({ status: 'referred', dissatisfied_count: 0 });
  });

  it('“not satisfied” names the failed quality indicators in the chain; an unknown indicator changes nothing', async () => {
    const c = await fileOne();
    const unitId = (await h.db.pool.query('SELECT unit_id FROM complaints WHERE id = $1', [c.id])).rows[0].unit_id;
    const leader = await staff(h.db, h.config, 'leader_county', { unit: { id: unitId } as never });
    const answered = await h.app.inject({
      method: 'POST',
      url: `/api/v1/complaints/${c.id}/actions`,
      headers: leader.headers,
      payload: { action: 'answer', text: 'کارمند جایگزین مستقر شد و کار شما انجام شد.' },
    });
    expect(answered.statusCode).toBe(200);
    await h.app.inject({ method: 'POST', url: `/api/v1/track/${c.trackingCode}/otp` });
    const token = (
      await h.app.inject({ method: 'POST', url: `/api/v1/track/${c.trackingCode}/otp/verify`, payload: { otp: otpFrom(h.sms.lastTo(c.phone)!.text) } })
    ).json().token;
    const rate = (payload: object) =>
      h.app.inject({ method: 'POST', url: `/api/v1/track/${c.trackingCode}/rating`, headers: { authorization: `Bearer ${token}` }, payload });
    const codes = (await h.db.pool.query('SELECT code FROM quality_indicators WHERE active ORDER BY code LIMIT 2')).rows.map((r) => r.code);

    const unknown = await rate({ satisfied: false, indicators: [codes[0], 'no_such_indicator'] });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error.code).toBe('unknown_indicator');
    const withSatisfied = await rate({ satisfied: true, indicators: [codes[0]] });
    expect(withSatisfied.statusCode).toBe(400);
    expect((await h.db.pool.query('SELECT status FROM complaints WHERE id = $1', [c.id])).rows[0].status).toBe('answered');

    const ok = await rate({ satisfied: false, indicators: [codes[1], codes[0], codes[1]] });
    expect(ok.statusCode).toBe(200);
    const event = await h.db.pool.query(`SELECT data FROM complaint_events WHERE complaint_id = $1 AND type = 'rated_not_satisfied'`, [c.id]);
    expect(event.rows[0].data.indicators).toEqual([...codes].sort());
    const verify = await h.app.inject({ url: `/api/v1/complaints/${c.id}/verify`, headers: (await staff(h.db, h.config, 'auditor')).headers });
    expect(verify.json()).toMatchObject({ valid: true, projectionMatches: true });
  });

  it('concurrent code requests send one SMS, not one each', async () => {
    const c = await fileOne();
    const replies = await Promise.all(Array.from({ length: 8 }, () => h.app.inject({ method: 'POST', url: `/api/v1/track/${c.trackingCode}/otp` })));
    expect(replies.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(h.sms.sent.filter((m) => m.to === c.phone)).toHaveLength(1);
  });
});
