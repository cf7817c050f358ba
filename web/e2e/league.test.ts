import * as OTPAuth from 'otpauth';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completedPeriods } from '../../server/src/enforcement/periods.ts';
import { seedDemo } from '../../server/src/seed/demo.ts';
import { type Harness, startHarness } from '../../server/test/harness.ts';
import { seedComplaint } from '../../server/test/seed-complaints.ts';
import { ensureWebBuilt } from '../build.ts';
import { launchChromium } from './browser.ts';
import { horizontalOverflow, latinText } from './page-checks.ts';

/**
 * Issue 15, "Rankings that show their uncertainty", in a real browser on a phone: last month's
 * card, published, shows a funnel plot (ECharts, drawn from the API's curves) and a rank interval
 * beside each rank — on the staff report card and on the public portal, in Persian, at 360 px.
 */
const PASSWORD = 'a-long-test-password-128';
const TOTP_SECRET = new OTPAuth.Secret({ size: 20 }).base32;
const totpCode = () => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(TOTP_SECRET), digits: 6, period: 30 }).generate();
let h: Harness;
let base: string;
let browser: Browser;
let adminToken = '';

beforeAll(async () => {
  await ensureWebBuilt();
  h = await startHarness({ REPORT_MIN_COMPLAINTS: '2' });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const address = h.app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  await seedDemo(h.db, PASSWORD, undefined, { totpSecret: TOTP_SECRET });
  const db = h.db.pool;
  // Last month: offices of several organisations with different volumes and breaches.
  const [last] = completedPeriods(new Date(), 1);
  const mid = new Date((last!.from.getTime() + last!.to.getTime()) / 2);
  const units = (
    await db.query(`SELECT id, path, province_id AS "provinceId", county_id AS "countyId" FROM units WHERE kind = 'county_office' ORDER BY id LIMIT 8`)
  ).rows;
  for (const [i, unit] of units.entries()) {
    const agencyId = Number(String(unit.path).match(/\d+/)![0]);
    for (let n = 0; n < 3 + 2 * i; n++)
      await seedComplaint(db, { unit, agencyId, createdAt: mid, status: n % 2 ? 'closed' : 'answered', breachCount: n % (2 + i) === 0 ? 1 : 0 });
  }
  const login = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: PASSWORD, totp: totpCode() } });
  expect(login.statusCode).toBe(200);
  adminToken = login.json().token;
  const published = await h.app.inject({
    method: 'POST',
    url: `/api/v1/admin/report-cards/${last!.key}/publish`,
    headers: { authorization: `Bearer ${adminToken}` },
    payload: {},
  });
  expect(published.statusCode, published.body).toBeLessThan(300);
  browser = await launchChromium();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function onPhone(path: string, signedIn: boolean): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'fa-IR' });
  if (signedIn)
    await context.addCookies([
      { name: 'foad_session', value: adminToken, url: base },
      { name: 'foad_staff', value: '1', url: base },
    ]);
  context.setDefaultTimeout(60_000);
  context.setDefaultNavigationTimeout(90_000);
  const page = await context.newPage();
  await page.goto(`${base}${path}`);
  await page.locator('h1').first().waitFor();
  return page;
}

/** The funnel plot is drawn (an SVG with the points and curves), a rank interval is in the table, all in Persian. */
async function expectFunnelAndInterval(page: Page, shot: string) {
  const funnel = page.getByTestId('funnel-plot').first();
  await funnel.waitFor();
  await funnel.locator('svg path').first().waitFor();
  expect(await funnel.getByRole('img', { name: 'نمودار قیفی' }).count()).toBe(1);
  const interval = page.getByTestId('rank-interval').first();
  await interval.waitFor();
  expect(await interval.textContent()).toMatch(/به احتمال زیاد ([۰-۹]+ تا [۰-۹]+|همین)/);
  await page.waitForLoadState('networkidle');
  expect(await horizontalOverflow(page)).toEqual([]);
  expect(await latinText(page)).toEqual([]);
  await page.screenshot({ path: `/tmp/league-${shot}.png`, fullPage: false });
  await funnel.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `/tmp/league-${shot}-funnel.png` });
}

describe('funnel plot and rank intervals at 360 px', () => {
  it('on the staff report card', async () => {
    const page = await onPhone('/staff/reports', true);
    await expectFunnelAndInterval(page, 'staff');
    await page.context().close();
  }, 240_000);

  it('on the public portal', async () => {
    const page = await onPhone('/portal', false);
    await expectFunnelAndInterval(page, 'portal');
    await page.context().close();
  }, 240_000);
});
