import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redeemLinkCode } from '../../server/src/notifications/chat-link.ts';
import { type StaffFixture, staff } from '../../server/test/factories.ts';
import type { Harness } from '../../server/test/harness.ts';
import { horizontalOverflow, latinText } from './page-checks.ts';
import { type BrowserApp, phoneContext, placeWithTree, startBrowserApp } from './setup.ts';

/**
 * Issue 15, staff alerts (docs/staff-alerts.md), on a 360 px phone: a responder opens «اعلان‌ها»
 * from the menu, sends alerts to Bale with quiet hours 23:00–06:30 and breaches held too; after a
 * reload the page shows the same, the API returns it, and the page is Persian and fits.
 */
let app: BrowserApp;
let h: Harness;
let base: string;
let responder: StaffFixture;

beforeAll(async () => {
  app = await startBrowserApp({
    TELEGRAM_BOT_TOKEN: '111111:e2e-token',
    TELEGRAM_BOT_USERNAME: 'foad128_bot',
    BALE_BOT_TOKEN: '222222:e2e-token',
    BALE_BOT_USERNAME: 'foad128bot',
  });
  ({ h, base } = app);
  const { tree } = await placeWithTree(h, 'سازمان اعلان');
  responder = await staff(h.db, h.config, 'responder', { unit: tree.countyOffices[0] });
  // The factory's name carries the role's English key; the header shows the name.
  await h.db.pool.query(`UPDATE staff_users SET display_name = 'مریم پاسخگو' WHERE id = $1`, [responder.id]);
}, 300_000);

afterAll(() => app?.close());

describe('a staff member’s alert settings on a phone', () => {
  it('sets the channel and quiet hours, keeps them after a reload, in Persian at 360 px', async () => {
    const context = await phoneContext(app, responder);
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

  it('gives a one-time link code with the bots’ links; once the bot takes it the page shows the chat, at 360 px', async () => {
    const context = await phoneContext(app, responder);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${base}/staff/alerts`);
    await page.getByRole('heading', { name: 'اعلان‌ها' }).waitFor();
    await page.getByRole('button', { name: 'گرفتن کد اتصال' }).click();
    const code = (await page.locator('code').first().textContent())?.trim() ?? '';
    expect(code).toMatch(/^[A-Z2-9]{8}$/);
    expect(await page.getByRole('link', { name: 'باز کردن بات در تلگرام' }).getAttribute('href')).toBe(`https://t.me/foad128_bot?start=${code}`);
    expect(await page.getByRole('link', { name: 'باز کردن بات در بله' }).getAttribute('href')).toBe(`https://ble.ir/foad128bot?start=${code}`);
    // The expiry in Persian digits.
    expect(await page.getByText(/^تنها یک بار و تا /).textContent()).toMatch(/[۰-۹]/);
    await page.waitForLoadState('networkidle');
    await page.screenshot({ path: '/tmp/uifinish-alert-link-code-360.png', fullPage: true });
    expect(await horizontalOverflow(page)).toEqual([]);
    expect(await latinText(page)).toEqual([]);

    // The bot takes the code (tests of the bot itself: server/test/staff-alert-channels.test.ts); the page then shows the chat.
    expect(await redeemLinkCode(h.db, h.config.secret, { code, channel: 'telegram', chatId: '987654321' }, h.config.clock.now())).toBe(responder.id);
    await page.getByRole('button', { name: 'پیوند زدم؛ به‌روز کن' }).click();
    await expect.poll(() => page.getByRole('radio', { name: 'تلگرام', exact: true }).isChecked()).toBe(true);
    expect(await page.getByLabel('شناسهٔ گفتگو (عددی)').inputValue()).toBe('۹۸۷۶۵۴۳۲۱');
    expect(errors).toEqual([]);
    await context.close();
  }, 300_000);
});
