import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '../../server/src/auth/create-staff.ts';
import { buildTree, complaintBody, type Place, places, type StaffFixture, staff, type Tree, uniq } from '../../server/test/factories.ts';
import { type Harness, startHarness } from '../../server/test/harness.ts';
import { ensureWebBuilt } from '../build.ts';
import { launchChromium } from './browser.ts';

/**
 * Issue 12 in a real browser, with the keyboard: a skip link first on every page, each menu link
 * one tab stop, the focus on the result after a form is sent (filing, the operator's call, a staff
 * action, a tracking lookup); tracking codes grouped 4-4-4 and accepted however typed; the
 * operator's form speaking to the operator and keeping the caller's history; the timeline
 * crediting routing to the system. Issue 13: the complaint page offers only the server's actions.
 */
let h: Harness;
let base: string;
let browser: Browser;
let tree: Tree;
let place: Place;
const users: Record<string, StaffFixture> = {};
let code = '';
let complaintId = '';
const CALLER = '09127654321';
const PASSWORD = 'a-long-test-password-128';
let leaderName = '';
const fa = (text: string) => text.replace(/[0-9]/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!);
const grouped = (c: string) => fa(c.replace(/(\d{4})(?=\d)/g, '$1 '));

beforeAll(async () => {
  await ensureWebBuilt();
  h = await startHarness();
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const address = h.app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place, 'دفتر کلید');
  users.operator = await staff(h.db, h.config, 'operator');
  users.head = await staff(h.db, h.config, 'inspection_head', { unit: tree.countyOffices[0] }, { inspectionHead: true });
  users.leaderCounty = await staff(h.db, h.config, 'leader_county', { unit: tree.countyOffices[0] });
  leaderName = `leader.${uniq()}`;
  await createStaff(h.db.pool, {
    username: leaderName,
    displayName: 'مدیر شهرستان (دفتر کلید)',
    password: PASSWORD,
    role: 'leader_county',
    unitId: tree.countyOffices[0].id,
    provinceId: null,
    language: 'fa',
  });
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/complaints',
    payload: { ...complaintBody(tree.organisation.id, place.countyIds[0]!), contact: { phone: CALLER } },
  });
  expect(res.statusCode).toBe(201);
  ({ id: complaintId, trackingCode: code } = res.json());
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function open(size: { width: number; height: number }, user?: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: size, locale: 'fa-IR' });
  context.setDefaultTimeout(60_000);
  context.setDefaultNavigationTimeout(90_000);
  if (user)
    await context.addCookies([
      { name: 'foad_session', value: users[user]!.token, url: base },
      { name: 'foad_staff', value: '1', url: base },
    ]);
  return { context, page: await context.newPage() };
}

async function settle(page: Page, path: string) {
  await page.goto(`${base}${path}`);
  await page.locator('h1').first().waitFor();
  await page.waitForLoadState('networkidle');
}

/** What has the keyboard's focus: its text, test id, or link target. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return { text: (el?.textContent ?? '').trim(), testid: el?.dataset.testid ?? '', href: el?.getAttribute('href') ?? '', id: el?.id ?? '' };
  });

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 740 };

describe('keyboard', () => {
  it('the first Tab on every page reaches «پرش به محتوا», and Enter moves the focus to the content', async () => {
    const { context, page } = await open(DESKTOP, 'operator');
    for (const path of ['/', '/file', `/track/${code}`, '/staff/operator', `/staff/complaints/${complaintId}`]) {
      await settle(page, path);
      await page.keyboard.press('Tab');
      expect((await focused(page)).text, path).toBe('پرش به محتوا');
      await page.keyboard.press('Enter');
      expect((await focused(page)).id, path).toBe('main');
    }
    await context.close();
  }, 180_000);

  it('each menu link is one tab stop on a wide screen; on a phone only the open menu has them, once', async () => {
    /** The console links the focus meets from the top of the page until it enters the content. */
    const linksBeforeContent = async (page: Page) => {
      await page.locator('body').focus();
      const stops: string[] = [];
      for (let i = 0; i < 30; i++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate(() => document.activeElement?.closest('#main') !== null)) break;
        const f = await focused(page);
        if (f.href.startsWith('/staff/')) stops.push(f.href);
      }
      return stops;
    };
    const menu = ['/staff/operator', '/staff/dashboard', '/staff/inbox', '/staff/follow-up', '/staff/incidents', '/staff/alerts'];
    const wide = await open(DESKTOP, 'operator');
    await settle(wide.page, '/staff/inbox');
    expect(await linksBeforeContent(wide.page)).toEqual(menu);
    await wide.context.close();

    const phone = await open(PHONE, 'operator');
    await settle(phone.page, '/staff/inbox');
    expect(await linksBeforeContent(phone.page)).toEqual([]);
    await phone.page.getByRole('button', { name: 'منو' }).click();
    await phone.page.getByRole('navigation', { name: 'منو' }).waitFor();
    expect(await linksBeforeContent(phone.page)).toEqual(menu);
    await phone.context.close();
  }, 180_000);

  it('a tracking lookup typed with Persian digits and dashes: the focus moves to the result, the code shown 4-4-4', async () => {
    const { context, page } = await open(PHONE);
    await settle(page, '/track');
    const typed = fa(`${code.slice(0, 4)}-${code.slice(4, 8)} ${code.slice(8)}`);
    await page.getByLabel('کد رهگیری ۱۲ رقمی').fill(typed);
    await page.keyboard.press('Enter');
    await page.getByTestId('track-result').waitFor();
    await expect.poll(async () => (await focused(page)).testid).toBe('track-result');
    const shown = page.getByTestId('track-code').locator('bdi');
    expect(await shown.textContent()).toBe(grouped(code));
    expect(await shown.getAttribute('dir')).toBe('ltr');
    // A link with the code dashed in Arabic-Indic digits opens the same complaint.
    const arabic = code.replace(/[0-9]/g, (d) => '٠١٢٣٤٥٦٧٨٩'[Number(d)]!);
    await settle(page, `/track/${arabic.slice(0, 4)}-${arabic.slice(4, 8)}-${arabic.slice(8)}`);
    expect(await page.getByTestId('track-code').locator('bdi').textContent()).toBe(grouped(code));
    await context.close();
  }, 120_000);

  it('a citizen files with the keyboard: the focus lands on the receipt', async () => {
    const { context, page } = await open(PHONE);
    await settle(page, '/file');
    await page.getByLabel('دستگاه را پیدا نمی‌کنم').check();
    await page.getByLabel('نام اداره همان‌طور که می‌شناسید').fill('یک ادارهٔ ناشناخته');
    const province = page.getByRole('combobox', { name: 'استان', exact: true });
    await province.fill((await h.db.pool.query('SELECT name_fa FROM provinces WHERE id = $1', [place.provinceId])).rows[0].name_fa);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByLabel('شرح ماجرا').fill('از صبح سه بار به باجه‌های مختلف فرستاده شدم و کسی پاسخ نداد.');
    await page.getByLabel('تلفن همراه').fill('۰۹۱۲۱۱۱۲۲۳۳');
    await page.getByLabel('شرح ماجرا').focus();
    await page.keyboard.press('Tab');
    // Submit from the keyboard: Enter in a text field sends the form.
    await page.getByLabel('تلفن همراه').press('Enter');
    await page.getByTestId('filed-heading').waitFor();
    expect((await focused(page)).testid).toBe('filed-heading');
    expect(await page.getByTestId('tracking-code').locator('bdi').textContent()).toMatch(/^[۰-۹]{4} [۰-۹]{4} [۰-۹]{4}$/);
    await context.close();
  }, 120_000);
});

describe('signing in', () => {
  it('lands on the role’s home page with the menu the server lists', async () => {
    const { context, page } = await open(PHONE);
    await settle(page, '/staff/login');
    await page.getByLabel('نام کاربری').fill(leaderName);
    await page.getByLabel('گذرواژه').fill(PASSWORD);
    await page.getByLabel('گذرواژه').press('Enter');
    await page.waitForURL(/\/staff\/inbox/);
    await page.getByRole('button', { name: 'منو' }).click();
    const menu = page.getByRole('navigation', { name: 'منو' });
    expect(await menu.getByRole('link').allTextContents()).toEqual(['کارتابل', 'پایش زنده', 'کارنامه‌ها', 'سابقهٔ من', 'اعلان‌ها']);
    // A page the server does not list for this role says so.
    await settle(page, '/staff/admin');
    expect(await page.locator('h1').first().textContent()).toBe('این صفحه برای نقش شما نیست.');
    await context.close();
  }, 120_000);
});

describe('the operator’s desk', () => {
  it('speaks to the operator, offers no "my location", keeps the caller’s history after filing, focuses the receipt', async () => {
    const { context, page } = await open(DESKTOP, 'operator');
    await settle(page, `/staff/operator?caller=${CALLER}`);
    const history = page.getByRole('heading', { name: 'سابقهٔ تماس‌گیرنده' }).locator('..');
    await history.getByText(grouped(code)).waitFor();
    const form = page.getByRole('form', { name: 'فرم ثبت شکایت' });
    expect(await form.getByText('نشانی محل را از تماس‌گیرنده بپرسید').count()).toBe(1);
    expect(await form.getByRole('button', { name: /مکان من/ }).count()).toBe(0);
    // Headings and labels about the caller, never "you".
    const headings = await form.locator('h2').allInnerTexts();
    expect(headings.join(' ')).toContain('تماس‌گیرنده');
    expect(headings.join(' ')).not.toMatch(/شما|دارید/);
    await page.getByLabel('دستگاه پیدا نشد').check();
    await page.getByLabel('نام اداره همان‌طور که تماس‌گیرنده می‌گوید').fill('ادارهٔ نامعلوم');
    const province = page.getByRole('combobox', { name: 'استان', exact: true });
    await province.fill((await h.db.pool.query('SELECT name_fa FROM provinces WHERE id = $1', [place.provinceId])).rows[0].name_fa);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByLabel('شرح ماجرا').fill('تماس‌گیرنده می‌گوید پروندهٔ بازنشستگی‌اش سه ماه است بی‌پاسخ مانده.');
    await page.getByRole('button', { name: 'ثبت شکایت تماس‌گیرنده' }).press('Enter');
    await page.getByTestId('filed-heading').waitFor();
    expect((await focused(page)).testid).toBe('filed-heading');
    const filed =
      (await page.getByTestId('tracking-code').getAttribute('data-code')) ?? (await page.getByTestId('tracking-code').locator('bdi').getAttribute('data-code'));
    // The caller's history is still there, now with the complaint just filed.
    await history.getByText(grouped(code)).waitFor();
    await history.getByText(grouped(filed!)).waitFor();
    await context.close();
  }, 180_000);

  it('a lookup typed with spaces opens the complaint with the focus on its code', async () => {
    const { context, page } = await open(DESKTOP, 'operator');
    await settle(page, '/staff/operator');
    await page.getByRole('tab', { name: 'جست‌وجوی کد رهگیری' }).click();
    await page.getByLabel('کد رهگیری', { exact: true }).fill(grouped(code));
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/staff\/complaints\//);
    await page.getByTestId('detail-code').waitFor();
    await expect.poll(async () => (await focused(page)).testid).toBe('detail-code');
    expect(await page.getByTestId('detail-code').textContent()).toBe(grouped(code));
    await context.close();
  }, 120_000);
});

describe('the complaint page', () => {
  it('credits the automatic referral to the system, not to the citizen', async () => {
    const { context, page } = await open(DESKTOP, 'head');
    await settle(page, `/staff/complaints/${complaintId}`);
    const referred = page.locator('[data-event="referred"] [data-testid="event-actor"]');
    expect(await referred.getAttribute('data-actor')).toBe('system');
    expect(await referred.textContent()).toContain('سامانه');
    expect(await referred.textContent()).not.toContain('شهروند');
    expect(await page.locator('[data-event="received"] [data-testid="event-actor"]').textContent()).toContain('شهروند');
    await context.close();
  }, 120_000);

  it('offers only the actions the server allows: a county manager has no transfer or reject', async () => {
    const tabs = async (user: string) => {
      const { context, page } = await open(DESKTOP, user);
      await settle(page, `/staff/complaints/${complaintId}`);
      const names = await page.getByRole('tab').allInnerTexts();
      await context.close();
      return names;
    };
    const head = await tabs('head');
    expect(head).toEqual(expect.arrayContaining(['انتقال', 'رد']));
    const county = await tabs('leaderCounty');
    expect(county).toEqual(expect.arrayContaining(['واگذاری', 'یادداشت', 'پاسخ']));
    expect(county).not.toContain('انتقال');
    expect(county).not.toContain('رد');
    expect(county).not.toContain('ارجاع به بالا');
  }, 120_000);

  it('after a staff action sent with the keyboard, the focus moves to what was done, with the timeline by role', async () => {
    const { context, page } = await open(DESKTOP, 'head');
    await settle(page, `/staff/complaints/${complaintId}`);
    await page.getByRole('tab', { name: 'یادداشت' }).click();
    await page.getByLabel('یادداشت (برای کارکنان)').fill('با ادارهٔ کل تماس گرفته شد.');
    await page.getByRole('button', { name: 'یادداشت', exact: true }).press('Enter');
    await page.getByTestId('action-done').waitFor();
    expect((await focused(page)).testid).toBe('action-done');
    const note = page.locator('[data-event="note_added"] [data-testid="event-actor"]');
    expect(await note.textContent()).toContain('مسئول بازرسی دستگاه');
    await context.close();
  }, 120_000);
});
