import * as OTPAuth from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Unit } from '../../server/src/agencies/store.ts';
import { createStaff } from '../../server/src/auth/create-staff.ts';
import { setTotp } from '../../server/src/auth/store.ts';
import { buildAgency, DEMO_AGENCIES } from '../../server/src/seed/demo.ts';
import { uniq } from '../../server/test/factories.ts';
import { type Harness, startHarness } from '../../server/test/harness.ts';
import { ensureWebBuilt } from '../build.ts';
import { launchChromium } from './browser.ts';

/**
 * Issue 12, "Finding the office", in a real browser: a spelling the old search missed finds the
 * county office, and picking it fills the province and county — on the citizen's form and on
 * the 128 operator's console (the same form), on a phone-sized screen.
 */
const PASSWORD = 'a-long-test-password-128';
let h: Harness;
let base: string;
let browser: Browser;
let operator = '';
/** The 128 operator signs in with TOTP (issue 11): enrolled here, a code typed on the second step. */
const TOTP_SECRET = new OTPAuth.Secret({ size: 20 }).base32;

beforeAll(async () => {
  await ensureWebBuilt();
  h = await startHarness();
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const address = h.app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const { rows } = await h.db.pool.query(
    `SELECT p.id AS "provinceId", p.code AS "provinceCode", p.name_fa AS "nameFa", p.name_en AS "nameEn",
       json_agg(json_build_object('id', c.id, 'code', c.code, 'nameFa', c.name_fa, 'nameEn', c.name_en)) AS counties
     FROM provinces p JOIN counties c ON c.province_id = p.id WHERE p.name_fa = 'همدان' GROUP BY p.id`,
  );
  const tavanir = DEMO_AGENCIES.find((a) => a.code === 'MOEN')!;
  await buildAgency(h.db.pool, tavanir, null, rows, new Map<string, Unit>());
  operator = `operator.${uniq()}`;
  const operatorId = await createStaff(h.db.pool, {
    username: operator,
    displayName: 'اپراتور',
    password: PASSWORD,
    role: 'operator',
    unitId: null,
    provinceId: null,
    language: 'fa',
  });
  await setTotp(h.db.pool, operatorId, TOTP_SECRET, true);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

/** Types a spelling with Arabic ي and no hamza, picks the office, and reads the place fields. */
async function pickOfficeAndReadPlace(page: Page): Promise<{ province: string; county: string }> {
  await page.getByRole('textbox', { name: 'دستگاه اجرایی' }).fill('اداره برق ملاير');
  await page.getByRole('option', { name: /ادارهٔ برق ملایر/ }).click();
  const province = page.getByRole('combobox', { name: 'استان', exact: true });
  const county = page.getByRole('combobox', { name: 'شهرستان', exact: true });
  await expect.poll(() => county.inputValue()).not.toBe('');
  return { province: await province.inputValue(), county: await county.inputValue() };
}

describe('finding the office fills the place', () => {
  it('on the citizen’s form, on a phone', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${base}/file`);
    expect(await pickOfficeAndReadPlace(page)).toEqual({ province: 'همدان', county: 'ملایر' });
    await context.close();
  });

  it('on the operator’s console', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    // Generous: on a shared two-core machine a staff page with its sign-in has taken over 30 s.
    context.setDefaultTimeout(60_000);
    const page = await context.newPage();
    await page.goto(`${base}/staff/login`);
    await page.getByLabel('نام کاربری').fill(operator);
    await page.getByLabel('گذرواژه').fill(PASSWORD);
    await page.getByRole('button', { name: 'ورود', exact: true }).click();
    const code = page.getByLabel('کد ورود دومرحله‌ای', { exact: true });
    await code.waitFor();
    await code.fill(new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(TOTP_SECRET), digits: 6, period: 30 }).generate());
    await page.getByRole('button', { name: 'ورود', exact: true }).click();
    // Signed in once the page leaves the sign-in form (/staff/login itself matches /staff/).
    await page.waitForURL((url) => url.pathname.startsWith('/staff/') && !url.pathname.endsWith('/login'));
    await page.goto(`${base}/staff/operator`);
    expect(await pickOfficeAndReadPlace(page)).toEqual({ province: 'همدان', county: 'ملایر' });
    await context.close();
  }, 240_000);
});
