import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Unit } from '../../server/src/agencies/store.ts';
import { buildAgency, DEMO_AGENCIES } from '../../server/src/seed/demo.ts';
import { mobile } from '../../server/test/factories.ts';
import type { Harness } from '../../server/test/harness.ts';
import { type BrowserApp, createOperator, phoneContext, signInOperator, startBrowserApp } from './setup.ts';

/**
 * Issue 15, "Triage that learns from operators", in a real browser: a complaint whose citizen did
 * not know the office waits in the 128 queue; the operator opens it, sees the suggested office
 * and category, accepts the suggestion and refers — and the referral is what the model learns.
 */
let app: BrowserApp;
let h: Harness;
let base: string;
let operator: Awaited<ReturnType<typeof createOperator>>;
const units = new Map<string, Unit>();
let malayer = 0;

beforeAll(async () => {
  app = await startBrowserApp();
  ({ h, base } = app);
  const { rows } = await h.db.pool.query(
    `SELECT p.id AS "provinceId", p.code AS "provinceCode", p.name_fa AS "nameFa", p.name_en AS "nameEn",
       json_agg(json_build_object('id', c.id, 'code', c.code, 'nameFa', c.name_fa, 'nameEn', c.name_en)) AS counties
     FROM provinces p JOIN counties c ON c.province_id = p.id WHERE p.name_fa = 'همدان' GROUP BY p.id`,
  );
  for (const spec of DEMO_AGENCIES) await buildAgency(h.db.pool, spec, null, rows, units);
  malayer = rows[0].counties.find((c: { nameFa: string }) => c.nameFa === 'ملایر').id;
  operator = await createOperator(h, null);
});

afterAll(() => app?.close());

describe('the operator accepts a triage suggestion', () => {
  it('sees the suggested office and category, accepts, refers; the complaint goes to that office', async () => {
    const filed = await h.app.inject({
      method: 'POST',
      url: '/api/v1/complaints',
      payload: {
        channel: 'web',
        countyId: malayer,
        officeText: 'نمیدونم کدوم اداره',
        description: 'از دیروز برق کوچه ما قطعه هر چی زنگ میزنم به اداره برق کسی جواب نمیده',
        contact: { phone: mobile() },
      },
    });
    expect(filed.statusCode).toBe(201);
    const id: string = filed.json().id;

    const context = await app.browser.newContext({ viewport: { width: 1366, height: 900 } });
    // Generous: on a shared two-core machine a staff page with its sign-in has taken over 30 s.
    context.setDefaultTimeout(60_000);
    const page = await context.newPage();
    await signInOperator(page, base, operator);

    await page.goto(`${base}/staff/complaints/${id}`);
    await page.getByRole('tab', { name: 'ارجاع', exact: true }).click();
    const suggestion = page.getByTestId('triage-suggestion');
    await expect.poll(() => suggestion.textContent()).toContain('ادارهٔ برق ملایر');
    // Persian digits in the confidence, no Latin digits.
    expect(await suggestion.textContent()).not.toMatch(/[0-9]/);
    await suggestion.getByRole('button', { name: 'پذیرفتن پیشنهاد' }).click();
    await expect.poll(() => page.getByRole('textbox', { name: 'دستگاه اجرایی' }).inputValue()).toBe('ادارهٔ برق ملایر');
    await page.getByRole('tabpanel').getByRole('button', { name: 'ارجاع', exact: true }).click();
    await page.getByTestId('action-done').waitFor();
    await context.close();

    const office = [...units.values()].find((u) => u.nameFa === 'ادارهٔ برق ملایر')!;
    const { rows } = await h.db.pool.query(
      `SELECT c.status, c.unit_id AS "unitId", e.actor_kind AS actor
         FROM complaints c JOIN complaint_events e ON e.complaint_id = c.id AND e.type = 'referred'
        WHERE c.id = $1`,
      [id],
    );
    expect(rows).toEqual([{ status: 'referred', unitId: office.id, actor: 'staff' }]);
  }, 240_000);
});

describe('the citizen’s form', () => {
  it('offers the office the text is about in the chosen place, on a phone, asking nothing of staff sign-in', async () => {
    const context = await phoneContext(app);
    const page = await context.newPage();
    const asked: string[] = [];
    const consoleErrors: string[] = [];
    page.on('request', (r) => asked.push(new URL(r.url()).pathname));
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await page.goto(`${base}/file`);
    await page.getByRole('combobox', { name: 'استان', exact: true }).click();
    await page.getByRole('option', { name: 'همدان', exact: true }).click();
    await page.getByRole('combobox', { name: 'شهرستان', exact: true }).click();
    await page.getByRole('option', { name: 'ملایر', exact: true }).click();
    await page.getByRole('textbox', { name: 'شرح ماجرا' }).fill('برق خونه ما از دیشب قطعه و اداره برق جواب تلفن رو نمیده');
    const offer = page.getByTestId('form-suggestion');
    await expect.poll(() => offer.textContent()).toContain('ادارهٔ برق ملایر');
    await offer.getByRole('button', { name: 'همین اداره را انتخاب کن' }).click();
    await expect.poll(() => page.getByRole('textbox', { name: 'دستگاه اجرایی' }).inputValue()).toBe('ادارهٔ برق ملایر');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    expect(asked).not.toContain('/api/v1/auth/me');
    expect(consoleErrors).toEqual([]);
    await context.close();
  }, 240_000);
});
