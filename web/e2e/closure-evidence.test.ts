import type { BrowserContext } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintBody, mobile, type Place, type StaffFixture, staff, type Tree } from '../../server/test/factories.ts';
import type { Harness } from '../../server/test/harness.ts';
import { horizontalOverflow, latinText } from './page-checks.ts';
import { type BrowserApp, phoneContext, placeWithTree, startBrowserApp } from './setup.ts';

/**
 * Closure with evidence (docs/design.md) in a real browser at 360 px: an admin marks a category
 * «پاسخ با مستند» on the catalogue page; the office head's answer without evidence is refused in
 * Persian; with a photo uploaded and chosen it goes through; the citizen, after the one-time code,
 * sees the evidence under the answer.
 */
const latin = (text: string) => text.replace(/[۰-۹]/g, (d) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(d))).replace(/\D/g, '');
const ANSWER = 'باجهٔ ۲ اکنون دو کارمند دارد و صف کوتاه شده است.';

let app: BrowserApp;
let h: Harness;
let base: string;
let place: Place;
let tree: Tree;
let admin: StaffFixture;
let head: StaffFixture;
let category: { id: number; nameFa: string };
let complaint: { id: string; trackingCode: string; phone: string };

beforeAll(async () => {
  app = await startBrowserApp();
  ({ h, base } = app);
  ({ place, tree } = await placeWithTree(h, 'سازمان مستند'));
  admin = await staff(h.db, h.config, 'national_admin');
  head = await staff(h.db, h.config, 'inspection_head', { unit: tree.countyOffices[0] }, { inspectionHead: true });
  // The factory's names carry the role's English key; the header shows the name.
  await h.db.pool.query(`UPDATE staff_users SET display_name = 'کاربر آزمون' WHERE id = ANY($1)`, [[admin.id, head.id]]);
  category = (await h.db.pool.query(`SELECT id, name_fa AS "nameFa" FROM categories WHERE NOT answer_needs_evidence ORDER BY id LIMIT 1`)).rows[0];
  const phone = mobile();
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/complaints',
    payload: complaintBody(tree.organisation.id, place.countyIds[0]!, { categoryId: category.id, contact: { phone, name: 'مریم رضایی' } }),
  });
  expect(res.statusCode, res.body).toBe(201);
  complaint = { ...res.json(), phone: `+98${phone.slice(1)}` };
}, 300_000);

afterAll(() => app?.close());

const phone = (who?: StaffFixture): Promise<BrowserContext> => phoneContext(app, who);

describe('closure with evidence in the browser', () => {
  it('an admin marks the category «پاسخ با مستند» on the catalogue page', async () => {
    const context = await phone(admin);
    const page = await context.newPage();
    await page.goto(`${base}/staff/admin`);
    await page.getByRole('tab', { name: /انواع شکایت و شاخص‌ها/ }).click();
    const row = page.getByRole('table', { name: 'انواع شکایت' }).getByRole('row').filter({ hasText: category.nameFa }).first();
    const toggle = row.getByRole('switch', { name: 'پاسخ با مستند' });
    // The switch shows the saved state: it turns on once the server has it.
    await toggle.click();
    await expect.poll(() => toggle.isChecked()).toBe(true);
    await expect
      .poll(async () => (await h.db.pool.query('SELECT answer_needs_evidence FROM categories WHERE id = $1', [category.id])).rows[0].answer_needs_evidence)
      .toBe(true);
    expect(await horizontalOverflow(page)).toEqual([]);
    await context.close();
  }, 300_000);

  it('the office head is refused without evidence, then answers with a photo', async () => {
    const context = await phone(head);
    const page = await context.newPage();
    await page.goto(`${base}/staff/complaints/${complaint.id}`);
    await page.getByRole('tab', { name: 'پاسخ', exact: true }).click();
    await page.getByLabel('متن پاسخ به شهروند').fill(ANSWER);
    await page.getByRole('tabpanel').getByRole('button', { name: 'پاسخ', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'بدون مستند پذیرفته نمی‌شود' }).waitFor();
    expect((await h.db.pool.query('SELECT status FROM complaints WHERE id = $1', [complaint.id])).rows[0].status).not.toBe('answered');

    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#3a6' } })
      .jpeg()
      .toBuffer();
    await page.locator('input[type="file"]').setInputFiles({ name: 'fix.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.getByRole('button', { name: 'بارگذاری' }).click();
    const choice = page.getByTestId('evidence-choice');
    await choice.waitFor();
    await choice.check();
    await page.getByRole('tabpanel').getByRole('button', { name: 'پاسخ', exact: true }).click();
    await page.getByTestId('action-done').waitFor();
    const { rows } = await h.db.pool.query(`SELECT data FROM complaint_events WHERE complaint_id = $1 AND type = 'answered'`, [complaint.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].data.evidence).toHaveLength(1);
    expect(await horizontalOverflow(page)).toEqual([]);
    await context.close();
  }, 300_000);

  it('the citizen sees the evidence under the answer after the one-time code', async () => {
    const context = await phone();
    const page = await context.newPage();
    await page.goto(`${base}/track/${complaint.trackingCode}`);
    await page.getByRole('button', { name: 'فرستادن رمز یک‌بار مصرف' }).click();
    await expect.poll(() => h.sms.lastTo(complaint.phone)?.kind, { timeout: 30_000 }).toBe('otp');
    const otp = latin(h.sms.lastTo(complaint.phone)!.text.match(/[۰-۹]{6}/)![0]);
    await page.locator('input[autocomplete="one-time-code"]').first().click();
    await page.keyboard.type(otp);
    await page.getByRole('button', { name: 'تأیید' }).click();
    await page.getByTestId('answer').waitFor();
    expect(await page.getByTestId('answer').textContent()).toBe(ANSWER);
    const evidence = page.getByTestId('answer-evidence');
    await evidence.waitFor();
    // The photo itself, loaded through the citizen's token.
    const img = evidence.getByRole('img');
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    await page.waitForLoadState('networkidle');
    // The same photo in the attachments list below loads too.
    const photos = page.getByTestId('attachment').getByRole('img');
    expect(await photos.count()).toBe(2);
    await expect.poll(() => photos.evaluateAll((els) => els.map((el) => (el as HTMLImageElement).naturalWidth > 0))).toEqual([true, true]);
    await page.screenshot({ path: '/tmp/uifinish-evidence-track-360.png', fullPage: true });
    expect(await horizontalOverflow(page)).toEqual([]);
    // The factory's agency names carry Latin ids (a random suffix, the county's number): test data, not the page's words.
    expect((await latinText(page)).filter((text) => !text.includes('سازمان مستند'))).toEqual([]);
    await context.close();
  }, 300_000);
});
