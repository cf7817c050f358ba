import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toPersianDigits } from '../../server/src/domain/persian-text.ts';
import { phonePhotoWithGps } from '../../server/test/attachment-fixtures.ts';
import { complaintBody, type StaffFixture, staff, type Tree } from '../../server/test/factories.ts';
import type { Harness } from '../../server/test/harness.ts';
import { type BrowserApp, phoneContext, placeWithTree, startBrowserApp } from './setup.ts';

/**
 * Issue 12, "Every page on a phone": inspectors work in the field on a phone. At 360 × 740 the
 * provincial group dispatches an inspection by tracking codes (typed with Persian digits and
 * spaces) and the inspector picked by name; the inspector opens the visit, takes a photo, scores
 * an indicator and files — each step saved, nothing wider than the screen.
 */
let app: BrowserApp;
let h: Harness;
let base: string;
let tree: Tree;
let dispatcher: StaffFixture;
let inspector: StaffFixture;
const codes: string[] = [];

beforeAll(async () => {
  app = await startBrowserApp({ DATA_DIR: `/tmp/foad-inspector-phone-${process.pid}` });
  ({ h, base } = app);
  const built = await placeWithTree(h);
  tree = built.tree;
  const place = built.place;
  dispatcher = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: place!.provinceId });
  inspector = await staff(h.db, h.config, 'provincial_supervisor', { provinceId: place!.provinceId });
  await h.db.pool.query('UPDATE staff_users SET display_name = $2 WHERE id = $1', [inspector.id, 'بازرس میدانی رضایی']);
  for (let i = 0; i < 2; i++) {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/complaints', payload: complaintBody(tree.organisation.id, place!.countyIds[0]!) });
    codes.push(res.json().trackingCode);
  }
});

afterAll(() => app?.close());

/** A phone signed in as `who` (the session cookie the sign-in page sets, and its readable hint). */
async function phoneAs(who: StaffFixture): Promise<{ context: BrowserContext; page: Page }> {
  const context = await phoneContext(app, who);
  return { context, page: await context.newPage() };
}

async function noOverflow(page: Page): Promise<void> {
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
}

async function inspectionRow(): Promise<{ id: number; status: string; photos: number; findings: { score: number }[] }> {
  const res = await h.app.inject({ url: '/api/v1/inspections', headers: dispatcher.headers });
  const item = res.json().items[0];
  return { id: item.id, status: item.status, photos: item.photos.length, findings: item.findings };
}

describe('an inspection on a phone', () => {
  it('is dispatched by tracking codes and the inspector’s name', async () => {
    const { context, page } = await phoneAs(dispatcher);
    await page.goto(`${base}/staff/inspections`);
    await page.getByRole('combobox', { name: 'بازرس' }).fill('رضایی');
    await page.getByRole('option', { name: 'بازرس میدانی رضایی' }).click();
    // As a person copies them from an SMS: grouped, in Persian digits.
    const typed = codes.map((c) => toPersianDigits(`${c.slice(0, 4)} ${c.slice(4, 8)} ${c.slice(8)}`)).join('\n');
    await page.getByRole('textbox', { name: /کد رهگیری شکایت‌های خوشه/ }).fill(typed);
    await page.getByRole('button', { name: 'اعزام برای این خوشه' }).click();
    await page.getByTestId('inspection-row').first().waitFor();
    await noOverflow(page);
    await context.close();
    const row = await inspectionRow();
    expect(row.status).toBe('dispatched');
  }, 240_000);

  it('is filed by the inspector: a photo, a score, a summary', async () => {
    const { context, page } = await phoneAs(inspector);
    await page.goto(`${base}/staff/inspections`);
    await page.getByTestId('inspection-row').first().getByRole('button').click();
    await page.getByText('عکس‌ها: ۰').waitFor();
    await page.locator('input[type=file]').setInputFiles({ name: 'site.jpg', mimeType: 'image/jpeg', buffer: await phonePhotoWithGps() });
    await page.getByRole('button', { name: 'بارگذاری' }).click();
    await page.getByText('عکس‌ها: ۱').waitFor();
    await noOverflow(page);

    const scoreInputs = page.locator('input[inputmode="numeric"]');
    // A Persian phone keyboard types Persian digits.
    await scoreInputs.first().fill('۲۰');
    await page.getByRole('textbox', { name: 'خلاصه' }).fill('باجه‌ها خالی بود و کسی پاسخگو نبود.');
    await page.getByRole('button', { name: 'ثبت یافته‌ها' }).click();
    await expect.poll(async () => (await inspectionRow()).status).toBe('filed');
    await noOverflow(page);
    await context.close();

    const row = await inspectionRow();
    expect(row.photos).toBe(1);
    expect(row.findings.length).toBeGreaterThan(1);
    expect(row.findings.map((f) => f.score)).toContain(20);
  }, 240_000);
});
