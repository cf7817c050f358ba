import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTree, type Place, places, type StaffFixture, staff } from '../../server/test/factories.ts';
import { type Harness, startHarness } from '../../server/test/harness.ts';
import { ensureWebBuilt } from '../build.ts';
import { launchChromium } from './browser.ts';
import { horizontalOverflow, latinText } from './page-checks.ts';

/**
 * Issue 15, staff alerts (docs/staff-alerts.md), on a 360 px phone: a responder opens «اعلان‌ها»
 * from the menu, sends alerts to Bale with quiet hours 23:00–06:30 and breaches held too; after a
 * reload the page shows the same, the API returns it, and the page is Persian and fits.
 */
let h: Harness;
let base: string;
let browser: Browser;
let responder: StaffFixture;

beforeAll(async () => {
  await ensureWebBuilt();
  h = await startHarness();
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const address = h.app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const [place] = (await places(h.db.pool)) as [Place];
  const tree = await buildTree(h.db.pool, place, 'سازمان اعلان');
  responder = await staff(h.db, h.config, 'responder', { unit: tree.countyOffices[0] });
  // The factory's name carries the role's English key; the header shows the name.
  await h.db.pool.query(`UPDATE staff_users SET display_name = 'مریم پاسخگو' WHERE id = $1`, [responder.id]);
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

describe('a staff member’s alert settings on a phone', () => {
  it('sets the channel and quiet hours, keeps them after a reload, in Persian at 360 px', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'fa-IR' });
    // Generous: on a shared two-core machine a staff page has taken over 30 s.
    context.setDefaultTimeout(60_000);
    context.setDefaultNavigationTimeout(90_000);
    await context.addCookies([
      { name: 'foad_session', value: responder.token, url: base },
      { name: 'foad_staff', value: '1', url: base },
    ]);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${base}/staff`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    // Reached from the phone's menu, as every staff role's page is.
    await page.getByRole('button', { name: 'منو' }).click();
    await page.getByRole('navigation', { name: 'منو' }).getByRole('link', { name: 'اعلان‌ها' }).click();
    await page.getByRole('heading', { name: 'اعلان‌ها' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/staff/alerts');

    await page.getByRole('radio', { name: 'بله', exact: true }).check();
    await page.getByLabel('شناسهٔ گفتگو (عددی)').fill('۱۲۳۴۵۶۷۸۹');
    await page.getByRole('switch', { name: /^ساعت‌های آرام/ }).check();
    await page.getByRole('combobox', { name: 'از ساعت' }).click();
    await page.getByRole('option', { name: '۲۳:۰۰', exact: true }).click();
    await page.getByRole('combobox', { name: 'تا ساعت' }).click();
    await page.getByRole('option', { name: '۰۶:۳۰', exact: true }).click();
    await page.getByRole('switch', { name: /^گذشتن از مهلت/ }).uncheck();
    await page.getByRole('button', { name: 'ذخیره', exact: true }).click();
    await page.getByText('ذخیره شد.').waitFor();

    const res = await h.app.inject({ url: '/api/v1/notifications/settings', headers: responder.headers });
    expect(res.json()).toEqual({ channel: 'bale', address: '123456789', quietStart: '23:00', quietEnd: '06:30', urgentOverrides: false });

    await page.reload();
    await page.getByRole('heading', { name: 'اعلان‌ها' }).waitFor();
    await page.getByRole('combobox', { name: 'از ساعت' }).waitFor();
    expect(await page.getByRole('radio', { name: 'بله', exact: true }).isChecked()).toBe(true);
    expect(await page.getByLabel('شناسهٔ گفتگو (عددی)').inputValue()).toBe('۱۲۳۴۵۶۷۸۹');
    expect(await page.getByRole('switch', { name: /^ساعت‌های آرام/ }).isChecked()).toBe(true);
    expect(await page.getByRole('combobox', { name: 'از ساعت' }).inputValue()).toBe('۲۳:۰۰');
    expect(await page.getByRole('combobox', { name: 'تا ساعت' }).inputValue()).toBe('۰۶:۳۰');
    expect(await page.getByRole('switch', { name: /^گذشتن از مهلت/ }).isChecked()).toBe(false);
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: '/tmp/uifinish-alert-settings-360.png', fullPage: true });
    expect(await horizontalOverflow(page)).toEqual([]);
    expect(await latinText(page)).toEqual([]);

    // A wrong mobile number is refused in Persian and changes nothing.
    await page.getByRole('radio', { name: 'پیامک', exact: true }).check();
    await page.getByLabel('شمارهٔ همراه').fill('۱۲۳');
    await page.getByRole('button', { name: 'ذخیره', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'انجام نشد' }).waitFor();
    expect(await latinText(page)).toEqual([]);
    expect((await h.app.inject({ url: '/api/v1/notifications/settings', headers: responder.headers })).json().channel).toBe('bale');
    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);
});
