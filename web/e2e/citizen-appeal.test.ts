import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTree, complaintBody, mobile, type Place, places, type StaffFixture, staff, type Tree } from '../../server/test/factories.ts';
import { type Harness, startHarness } from '../../server/test/harness.ts';
import { ensureWebBuilt } from '../build.ts';
import { launchChromium } from './browser.ts';

/**
 * The citizen's appeal on a 360 px phone: the «درخواست تجدیدنظر» button shows only where the
 * API allows it (answered at the top of the agency, not appealed before), and sends the appeal.
 */
const latin = (text: string) => text.replace(/[۰-۹]/g, (d) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(d))).replace(/\D/g, '');

let h: Harness;
let base: string;
let browser: Browser;
let place: Place;
let tree: Tree;
let admin: StaffFixture;
let countyHead: StaffFixture;
let topHead: StaffFixture;

beforeAll(async () => {
  await ensureWebBuilt();
  h = await startHarness();
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const address = h.app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  [place] = (await places(h.db.pool)) as [Place];
  tree = await buildTree(h.db.pool, place);
  admin = await staff(h.db, h.config, 'national_admin');
  countyHead = await staff(h.db, h.config, 'inspection_head', { unit: tree.countyOffices[0] }, { inspectionHead: true });
  topHead = await staff(h.db, h.config, 'inspection_head', { unit: tree.ministry }, { inspectionHead: true });
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function act(id: string, who: StaffFixture, payload: Record<string, unknown>) {
  const res = await h.app.inject({ method: 'POST', url: `/api/v1/complaints/${id}/actions`, headers: who.headers, payload });
  expect(res.statusCode, res.body).toBe(200);
}

/** A complaint answered at the county office, or (top) moved to the ministry and answered there. */
async function answered(top: boolean) {
  const phone = mobile();
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/complaints',
    payload: complaintBody(tree.organisation.id, place.countyIds[0]!, { contact: { phone, name: 'مریم رضایی' } }),
  });
  const c = res.json() as { id: string; trackingCode: string };
  if (top) await act(c.id, admin, { action: 'transfer', toUnitId: tree.ministry.id, reason: 'رسیدگی در ستاد' });
  await act(c.id, top ? topHead : countyHead, { action: 'answer', text: 'پاسخ دستگاه به شکایت' });
  return { ...c, phone: `+98${phone.slice(1)}` };
}

/** Opens the tracking page on a 360 px phone and passes the one-time code. */
async function openWithCode(c: { trackingCode: string; phone: string }): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await page.goto(`${base}/track/${c.trackingCode}`);
  await page.getByRole('button', { name: 'فرستادن رمز یک‌بار مصرف' }).click();
  await expect.poll(() => h.sms.lastTo(c.phone)?.kind, { timeout: 30_000 }).toBe('otp');
  const otp = latin(h.sms.lastTo(c.phone)!.text.match(/[۰-۹]{6}/)![0]);
  await page.locator('input[autocomplete="one-time-code"]').first().click();
  await page.keyboard.type(otp);
  await page.getByRole('button', { name: 'تأیید' }).click();
  await page.getByTestId('answer').waitFor({ timeout: 30_000 });
  return page;
}

const overflows = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);

describe('the citizen’s appeal on a phone', () => {
  it('below the top of the agency there is no appeal button', async () => {
    const page = await openWithCode(await answered(false));
    await page.getByRole('radio', { name: 'راضی نیستم' }).waitFor();
    expect(await page.getByRole('button', { name: 'درخواست تجدیدنظر' }).count()).toBe(0);
    await page.context().close();
  }, 120_000);

  it('at the top it appears, sends the appeal once, and is gone afterwards', async () => {
    const c = await answered(true);
    const page = await openWithCode(c);
    const button = page.getByRole('button', { name: 'درخواست تجدیدنظر' });
    await button.waitFor();
    expect(await overflows(page)).toBe(false);
    await button.click();
    await page.getByLabel('درخواست تجدیدنظر نزد ناظر استان').fill('پاسخ ستاد هم مشکل را حل نکرد.');
    expect(await overflows(page)).toBe(false);
    await page.getByRole('button', { name: 'ثبت درخواست تجدیدنظر' }).click();
    await page.getByText('در تجدیدنظر نزد ناظر استان').first().waitFor({ timeout: 30_000 });
    expect(await page.getByRole('button', { name: 'درخواست تجدیدنظر' }).count()).toBe(0);
    const row = await h.db.pool.query('SELECT status FROM complaints WHERE id = $1', [c.id]);
    expect(row.rows[0].status).toBe('appealed');
    // No English on the Persian page.
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).not.toMatch(/[A-Za-z]{3,}/);
    await page.context().close();
  }, 120_000);
});
