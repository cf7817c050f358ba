import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import exifr from 'exifr';
import * as OTPAuth from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setInspectionHead } from '../../server/src/agencies/store.ts';
import { createStaff } from '../../server/src/auth/create-staff.ts';
import { setTotp } from '../../server/src/auth/store.ts';
import { type Role, requiresTotp } from '../../server/src/core/roles.ts';
import { completedPeriods } from '../../server/src/enforcement/periods.ts';
import { phonePhotoWithGps } from '../../server/test/attachment-fixtures.ts';
import { buildTree, places, type Tree, uniq } from '../../server/test/factories.ts';
import { type Harness, startHarness } from '../../server/test/harness.ts';
import { ensureWebBuilt } from '../build.ts';
import { periodLabel } from '../src/periods.ts';
import { launchChromium } from './browser.ts';

/**
 * The whole journey in a real browser (Debian's Chromium through playwright-core) against the real
 * server and database: a citizen files → the inspection head assigns → a leader answers → the
 * citizen rates "not satisfied" → it reopens one level up; plus sign-in failures, a scope
 * violation, and axe-core on the main pages.
 */
const PASSWORD = 'a-long-test-password-128';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const digitsFa = (text: string) => text.replace(/[0-9]/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!);
/** A tracking code as the pages show it: 4-4-4 in Persian digits. */
const codeFa = (code: string) => digitsFa(code.replace(/(\d{4})(?=\d)/g, '$1 '));
const latin = (text: string) => text.replace(/[۰-۹]/g, (d) => String('۰۱۲۳۴۵۶۷۸۹'.indexOf(d))).replace(/\D/g, '');

let h: Harness;
let base: string;
let browser: Browser;
let tree: Tree;
let otherTree: Tree;
const users: Record<string, string> = {};
const roles: Record<string, Role> = {};
/** TOTP secrets of the users who have one (the admin enrols on the login page, in the browser). */
const totpSecrets: Record<string, string> = {};
/** The last TOTP time step each user signed in with (a step is spent once). */
const lastTotpStep: Record<string, number> = {};
let provinceNameFa = '';
let countyNameFa = '';
let categoryNameFa = '';

async function makeUser(key: string, role: Role, unitId: number | null, provinceId: number | null = null): Promise<number> {
  const username = `${key}.${uniq()}`;
  users[key] = username;
  roles[key] = role;
  const id = await createStaff(h.db.pool, { username, displayName: `کاربر ${key}`, password: PASSWORD, role, unitId, provinceId, language: 'fa' });
  if (requiresTotp(role) && key !== 'admin') {
    totpSecrets[key] = new OTPAuth.Secret({ size: 20 }).base32;
    await setTotp(h.db.pool, id, totpSecrets[key], true);
  }
  return id;
}

async function signIn(context: BrowserContext, key: string, password = PASSWORD): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${base}/staff/login`);
  await page.getByLabel('نام کاربری').fill(users[key]!);
  await page.getByLabel('گذرواژه').fill(password);
  await page.getByRole('button', { name: 'ورود', exact: true }).click();
  if (requiresTotp(roles[key]!) && password === PASSWORD) {
    // The second step: the code field appears (with a new secret shown, the first time for the admin).
    const field = page.getByLabel('کد ورود دومرحله‌ای', { exact: true });
    await field.waitFor();
    totpSecrets[key] ??= (await page.getByTestId('totp-secret').textContent())!.trim();
    // A code is accepted once (issue 11): a second sign-in in the same 30 s uses the next step's
    // code, which the server's ±1-step window accepts; past that, wait for the clock to catch up.
    let step = Math.floor(Date.now() / 30_000);
    if (lastTotpStep[key] !== undefined && step <= lastTotpStep[key]) step = lastTotpStep[key] + 1;
    const wait = (step - 1) * 30_000 - Date.now();
    if (wait > 0) await page.waitForTimeout(wait + 200);
    lastTotpStep[key] = step;
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(totpSecrets[key]), digits: 6, period: 30 });
    await field.fill(totp.generate({ timestamp: step * 30_000 }));
    await page.getByRole('button', { name: 'ورود', exact: true }).click();
  }
  return page;
}

/** Serious and critical accessibility violations axe-core finds on the page as it is now. */
async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through DevTools, not an inline <script>: the page's CSP (script-src 'self') refuses those.
  await page.evaluate(axeSource);
  const results = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(ctx: Document, options: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> };
      }
    ).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
}

async function pickOption(page: Page, label: string, option: string): Promise<void> {
  const input = page.getByRole('combobox', { name: label, exact: true });
  await input.click();
  await input.fill(option);
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** A county office says where: picking it fills the province and county. */
async function expectPlaceFilled(page: Page): Promise<void> {
  await expect.poll(() => page.getByRole('combobox', { name: 'شهرستان', exact: true }).inputValue()).toBe(countyNameFa);
  expect(await page.getByRole('combobox', { name: 'استان', exact: true }).inputValue()).toBe(provinceNameFa);
}

beforeAll(async () => {
  await ensureWebBuilt();
  h = await startHarness();
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const address = h.app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const [place, otherPlace] = await places(h.db.pool);
  tree = await buildTree(h.db.pool, place!, 'دفتر آزمون');
  otherTree = await buildTree(h.db.pool, otherPlace!, 'ادارهٔ دیگر');
  const office = tree.countyOffices[0];
  await setInspectionHead(h.db.pool, office.id, await makeUser('head', 'inspection_head', office.id), new Date());
  await makeUser('leader', 'leader_county', office.id);
  await setInspectionHead(h.db.pool, tree.directorate.id, await makeUser('upperHead', 'inspection_head', tree.directorate.id), new Date());
  await makeUser('stranger', 'inspection_head', otherTree.countyOffices[0].id);
  await makeUser('operator', 'operator', null);
  await makeUser('admin', 'national_admin', null);
  await makeUser('supervisor', 'provincial_supervisor', null, place!.provinceId);
  const names = await h.db.pool.query<{ province: string; county: string; category: string }>(
    `SELECT p.name_fa AS province, c.name_fa AS county, (SELECT name_fa FROM categories WHERE urgent ORDER BY sort_order LIMIT 1) AS category
     FROM counties c JOIN provinces p ON p.id = c.province_id WHERE c.id = $1`,
    [office.countyId],
  );
  ({ province: provinceNameFa, county: countyNameFa, category: categoryNameFa } = names.rows[0]!);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

describe('the web app in a real browser', () => {
  let trackingCode = '';
  let complaintId = '';

  it('a citizen files a complaint on a phone screen and sees the tracking code', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${base}/file`);
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await page.getByRole('textbox', { name: 'دستگاه اجرایی' }).fill('دفتر آزمون');
    await page.getByRole('option', { name: new RegExp(tree.countyOffices[0].nameFa) }).click();
    await expectPlaceFilled(page);
    await page.getByRole('radio', { name: new RegExp(`^${categoryNameFa}`) }).check();
    await page.getByLabel('شرح ماجرا').fill('کارمند باجهٔ شمارهٔ ۳ از ساعت ۹ سر کار نیامده و صف طولانی شده است.');
    // Optional, and the form says who sees it.
    const employee = page.getByLabel('نام یا سمت کارمند (اختیاری)');
    expect(await page.getByText('فقط بازرسان آن را می‌بینند').count()).toBe(1);
    await employee.fill('آقاي رضائي');
    await page.getByLabel('تلفن همراه').fill('۰۹۱۲۳۴۵۶۷۸۹');
    // A phone photo that still carries its GPS position and camera: it must be stored without them.
    await page
      .locator('input[type="file"]')
      .first()
      .setInputFiles({ name: 'IMG_2041.jpg', mimeType: 'image/jpeg', buffer: await phonePhotoWithGps() });
    await page.getByRole('button', { name: 'ثبت شکایت', exact: true }).click();
    const code = page.getByTestId('tracking-code');
    await code.waitFor();
    trackingCode = latin((await code.textContent()) ?? '');
    expect(trackingCode).toMatch(/^\d{12}$/);
    expect(await page.getByText(tree.countyOffices[0].nameFa).count()).toBeGreaterThan(0);
    const row = await h.db.pool.query('SELECT id, unit_id, status, channel, named_employee FROM complaints WHERE tracking_code = $1', [trackingCode]);
    expect(row.rows[0]).toMatchObject({ unit_id: tree.countyOffices[0].id, status: 'referred', channel: 'web', named_employee: 'رضایی' });
    complaintId = row.rows[0].id;
    await expect.poll(() => page.getByTestId('upload-result').textContent()).toContain('پیوست‌ها بارگذاری شد');
    const stored = await h.db.pool.query(`SELECT kind, mime FROM attachments WHERE complaint_id = $1`, [complaintId]);
    expect(stored.rows).toEqual([{ kind: 'image', mime: 'image/jpeg' }]);
    await context.close();
  });

  it('wrong passwords are refused with a Persian message and no session', async () => {
    const context = await browser.newContext();
    const page = await signIn(context, 'head', 'not-the-password');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('نام کاربری یا گذرواژه درست نیست');
    expect(page.url()).toContain('/staff/login');
    expect((await context.cookies()).filter((c) => c.name === 'foad_session')).toHaveLength(0);
    await context.close();
  });

  it('the inspection head finds it in the inbox and assigns it to the county leader', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await signIn(context, 'head');
    await page.waitForURL(/\/staff\/inbox/);
    const row = page.locator(`[data-testid="queue-row"][data-code="${trackingCode}"]`);
    await row.waitFor();
    expect(await row.locator('[data-sla]').first().getAttribute('data-sla')).toBe('ok');
    expect(await axeViolations(page)).toEqual([]);
    await row.getByRole('link').click();
    await page.getByTestId('detail-code').waitFor();
    // The citizen's photo is there, fetched through the scoped API, without GPS or camera data.
    const photo = page.getByTestId('attachment').locator('img');
    await photo.waitFor();
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const original = await page.request.get(
      `${base}/api/v1/complaints/${complaintId}/attachments/${(await h.db.pool.query('SELECT id FROM attachments WHERE complaint_id = $1', [complaintId])).rows[0].id}`,
    );
    expect(original.status()).toBe(200);
    expect(await exifr.gps(await original.body()).catch(() => undefined)).toBeUndefined();
    // The inspection head reads the employee the citizen named (as written), but may not change it.
    expect(await page.getByTestId('named-employee').textContent()).toContain('آقای رضائی');
    expect(await page.getByRole('heading', { name: 'کارمند نام‌برده' }).count()).toBe(0);
    await page.getByRole('tab', { name: 'واگذاری' }).click();
    await page.getByRole('combobox', { name: 'کارشناس', exact: true }).click();
    await page.getByRole('option', { name: /کاربر leader/ }).click();
    await page.getByRole('button', { name: 'واگذاری', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'انجام شد' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    const row2 = await h.db.pool.query('SELECT status, assignee_id FROM complaints WHERE id = $1', [complaintId]);
    expect(row2.rows[0].status).toBe('assigned');
    await context.close();
  });

  it('the inbox counts in Persian, and says «بیش از …» when the server stopped counting (issue 14)', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 780 } });
    const page = await signIn(context, 'head');
    await page.waitForURL(/\/staff\/inbox/);
    await page.locator(`[data-testid="queue-row"][data-code="${trackingCode}"]`).waitFor();
    const count = page.locator('[aria-live="polite"]').filter({ hasText: 'شکایت' });
    await expect.poll(() => count.textContent()).toMatch(/^[۰-۹٬]+ شکایت$/);
    // A national scope: the server counted up to its cap and says there are more.
    await page.route('**/api/v1/complaints?**', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...(await response.json()), total: 10_000, totalCapped: true } });
    });
    await page.reload();
    await expect.poll(() => count.textContent()).toBe('بیش از ۱۰٬۰۰۰ شکایت');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await context.close();
  });

  it('the leader answers it', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await signIn(context, 'leader');
    await page.waitForURL(/\/staff\/inbox/);
    await page.goto(`${base}/staff/complaints/${complaintId}`);
    await page.getByTestId('detail-code').waitFor();
    // A leader, who may be the person named or their colleague, does not see the name.
    expect(await page.getByTestId('named-employee').count()).toBe(0);
    expect(await page.getByText('رضائی').count()).toBe(0);
    await page.getByRole('tab', { name: 'پاسخ' }).click();
    await page.getByLabel('متن پاسخ به شهروند').fill('کارمند جایگزین از ساعت ۱۰ در باجه مستقر شد و صف رسیدگی شد. پوزش می‌خواهیم.');
    await page.getByRole('button', { name: 'پاسخ', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'انجام شد' }).waitFor();
    const row = await h.db.pool.query('SELECT status FROM complaints WHERE id = $1', [complaintId]);
    expect(row.rows[0].status).toBe('answered');
    await context.close();
  });

  it('the citizen reads the answer after a one-time code, rates “not satisfied”, and it reopens one level up', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const page = await context.newPage();
    await page.goto(`${base}/track/${trackingCode}`);
    await page.getByRole('button', { name: 'فرستادن رمز یک‌بار مصرف' }).click();
    await expect.poll(() => h.sms.lastTo('+989123456789')?.kind).toBe('otp');
    const otp = latin(h.sms.lastTo('+989123456789')!.text.match(/[۰-۹]{6}/)![0]);
    await page.locator('input[autocomplete="one-time-code"]').first().click();
    await page.keyboard.type(otp);
    await page.getByRole('button', { name: 'تأیید' }).click();
    await page.getByTestId('answer').waitFor();
    expect(await page.getByTestId('answer').textContent()).toContain('کارمند جایگزین');
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('radio', { name: 'راضی نیستم' }).check();
    const indicator = (await h.db.pool.query('SELECT code, name_fa FROM quality_indicators WHERE active ORDER BY sort_order LIMIT 1')).rows[0];
    await page.getByRole('checkbox', { name: indicator.name_fa }).check();
    await page.getByRole('button', { name: 'ثبت نظر' }).click();
    await page.getByText('ارجاع‌شده به دستگاه').first().waitFor();
    const row = await h.db.pool.query('SELECT status, unit_id, dissatisfied_count FROM complaints WHERE id = $1', [complaintId]);
    expect(row.rows[0]).toMatchObject({ status: 'referred', unit_id: tree.directorate.id, dissatisfied_count: 1 });
    const rated = await h.db.pool.query(`SELECT data FROM complaint_events WHERE complaint_id = $1 AND type = 'rated_not_satisfied'`, [complaintId]);
    expect(rated.rows[0].data.indicators).toEqual([indicator.code]);
    await context.close();
  });

  it('the upper level sees it; staff of another agency cannot open it', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const upper = await signIn(context, 'upperHead');
    await upper.waitForURL(/\/staff\/inbox/);
    await upper.locator(`[data-testid="queue-row"][data-code="${trackingCode}"]`).waitFor();
    await context.close();

    const other = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const stranger = await signIn(other, 'stranger');
    await stranger.waitForURL(/\/staff\/inbox/);
    expect(await stranger.locator(`[data-code="${trackingCode}"]`).count()).toBe(0);
    await stranger.goto(`${base}/staff/complaints/${complaintId}`);
    await expect.poll(() => stranger.getByRole('alert').textContent()).toContain('شکایتی با این مشخصات پیدا نشد');
    expect(await stranger.getByTestId('detail-code').count()).toBe(0);
    await other.close();
  });

  it('a 128 operator takes a call: caller pre-filled from the URL, earlier complaints beside the form; the same matter is a new complaint linked to the open case', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await signIn(context, 'operator');
    await page.waitForURL(/\/staff\/operator/);
    await page.goto(`${base}/staff/operator?caller=09123456789`);
    await page.getByText(codeFa(trackingCode)).first().waitFor();
    expect(await page.getByLabel('تلفن همراه').inputValue()).toBe('09123456789');
    await page.getByRole('textbox', { name: 'دستگاه اجرایی' }).fill('دفتر آزمون');
    await page.getByRole('option', { name: new RegExp(tree.countyOffices[0].nameFa) }).click();
    await expectPlaceFilled(page);
    await pickOption(page, 'نوع شکایت', `${categoryNameFa} — فوری`);
    await page.getByLabel('شرح ماجرا').fill('تماس‌گیرنده می‌گوید باجهٔ پذیرش از صبح بسته است و کسی پاسخ نمی‌دهد.');
    // Identity consent: off until the caller agrees (issue 11).
    expect(await page.getByRole('checkbox', { name: /تماس‌گیرنده رضایت می‌دهد/ }).isChecked()).toBe(false);
    await page.getByRole('button', { name: 'ثبت شکایت تماس‌گیرنده', exact: true }).click();
    // Same caller, same office, within the join window: a complaint of its own (its own code),
    // linked to the caller's open case — which the operator, as 128 staff, is shown.
    await page.getByText('شکایت تماس‌گیرنده ثبت شد').waitFor();
    const repeat = latin((await page.getByTestId('tracking-code').textContent()) ?? '');
    expect(repeat).not.toBe(trackingCode);
    expect(latin((await page.getByTestId('linked-case').textContent()) ?? '')).toContain(trackingCode);
    const linked = await h.db.pool.query('SELECT case_of_id, phone_verified, share_identity FROM complaints WHERE tracking_code = $1', [repeat]);
    expect(linked.rows[0]).toEqual({ case_of_id: complaintId, phone_verified: true, share_identity: false });

    // A new caller: a new complaint, on the phone channel, with the operator recorded.
    await page.goto(`${base}/staff/operator?caller=09351112233`);
    await page.getByText('شکایت پیشینی ندارد.').waitFor();
    await page.getByRole('textbox', { name: 'دستگاه اجرایی' }).fill('دفتر آزمون');
    await page.getByRole('option', { name: new RegExp(tree.countyOffices[0].nameFa) }).click();
    await expectPlaceFilled(page);
    await page.getByLabel('شرح ماجرا').fill('تماس‌گیرنده دوم: کارمند پذیرش به جای پاسخ، مراجعه را به هفتهٔ بعد موکول کرد.');
    await page.getByLabel('نام یا سمت کارمند (اختیاری)').fill('خانم مسئول پذیرش');
    await page.getByRole('button', { name: 'ثبت شکایت تماس‌گیرنده', exact: true }).click();
    await page.getByText('شکایت تماس‌گیرنده ثبت شد').waitFor();
    const fresh = latin((await page.getByTestId('tracking-code').textContent()) ?? '');
    const row = await h.db.pool.query('SELECT channel, operator_id, named_employee, named_employee_text FROM complaints WHERE tracking_code = $1', [fresh]);
    expect(row.rows[0].channel).toBe('phone');
    expect(row.rows[0].operator_id).not.toBeNull();
    expect(row.rows[0]).toMatchObject({ named_employee: 'مسوولپذیرش', named_employee_text: 'خانم مسئول پذیرش' });

    // The operator corrects the name on the first complaint; a correction asks for a reason and goes into the chain.
    await page.goto(`${base}/staff/complaints/${complaintId}`);
    await page.getByRole('heading', { name: 'کارمند نام‌برده' }).waitFor();
    await page.getByLabel('نام یا سمت کارمند', { exact: true }).fill('آقای رضایی‌نژاد');
    await page.getByLabel('دلیل اصلاح').fill('شهروند در تماس دوباره نام کامل را گفت.');
    await page.getByRole('button', { name: 'ثبت', exact: true }).click();
    await expect.poll(() => page.getByTestId('named-employee').textContent()).toContain('آقای رضایی‌نژاد');
    const corrected = await h.db.pool.query(
      `SELECT c.named_employee, (SELECT type FROM complaint_events e WHERE e.complaint_id = c.id ORDER BY seq DESC LIMIT 1) AS last FROM complaints c WHERE c.id = $1`,
      [complaintId],
    );
    expect(corrected.rows[0]).toEqual({ named_employee: 'رضایینژاد', last: 'employee_named' });
    expect(await axeViolations(page)).toEqual([]);

    // The next caller about the same office sees that open complaint suggested beside the form.
    await page.goto(`${base}/staff/operator?caller=09351112244`);
    await page.getByRole('textbox', { name: 'دستگاه اجرایی' }).fill('دفتر آزمون');
    await page.getByRole('option', { name: new RegExp(tree.countyOffices[0].nameFa) }).click();
    await expectPlaceFilled(page);
    await page.getByLabel('شرح ماجرا').fill('کارمند پذیرش مراجعه را به هفتهٔ بعد موکول کرد.');
    await page.getByRole('heading', { name: 'شکایت‌های باز مشابه' }).waitFor();
    await page.getByText(codeFa(fresh)).first().waitFor();
    await context.close();
  });

  it('the live dashboard updates without reload when a complaint is filed', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await signIn(context, 'supervisor');
    await page.waitForURL(/\/staff\/dashboard/);
    await page.locator('[data-testid="live-state"][data-connected="true"]').waitFor();
    const today = page.getByTestId('stat-شکایت امروز');
    await expect.poll(async () => latin((await today.textContent()) ?? '')).toMatch(/^\d+$/);
    const before = Number(latin((await today.textContent()) ?? ''));
    const filed = await h.app.inject({
      method: 'POST',
      url: '/api/v1/complaints',
      payload: {
        channel: 'web',
        agencyId: tree.countyOffices[0].id,
        countyId: tree.countyOffices[0].countyId,
        description: 'برای دیدن جریان زنده: کارمند پذیرش پشت میز نیست.',
        contact: { phone: '09121239876' },
      },
    });
    expect(filed.statusCode).toBe(201);
    await page.getByTestId('live-events').getByText('شکایت ثبت شد').first().waitFor();
    await expect.poll(async () => Number(latin((await today.textContent()) ?? '')), { timeout: 15_000 }).toBe(before + 1);
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it('the national admin sees when the rules next run by themselves, in Jalali with Persian digits, and a run by hand is listed', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await signIn(context, 'admin');
    await page.waitForURL(/\/staff\/(?!login)/);
    await page.goto(`${base}/staff/enforcement`);
    const next = page.getByTestId('next-run');
    await next.waitFor();
    // Nothing has run in this database: the newest month that has ended and settled is owed.
    const [month] = completedPeriods(new Date(Date.now() - h.config.enforcementSettleHours * 3_600_000), 1);
    const text = (await next.textContent()) ?? '';
    expect(text).toContain(`اجرای بعدی: ${periodLabel(month!.key, 'fa')}`);
    expect(text).toMatch(/[۰-۹]/);
    expect(text).not.toMatch(/[0-9]/);
    await page.getByRole('button', { name: 'اجرای قاعده‌ها برای ماه گذشته' }).click();
    const row = page.getByTestId('run-row').first();
    await expect.poll(() => row.textContent()).toContain('دستی · کاربر admin');
    expect(await row.textContent()).toContain('انجام شد');
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });

  it('the main pages have no serious accessibility violations', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    for (const path of ['/', '/file', '/track', '/staff/login', '/portal']) {
      await page.goto(`${base}${path}`);
      await page.locator('h1').first().waitFor();
      expect(await axeViolations(page), path).toEqual([]);
    }
    await context.close();
    // One sign-in per person (each TOTP code is accepted once), then each of their pages.
    for (const [key, paths] of [
      ['operator', ['/staff/operator?caller=09123456789']],
      ['supervisor', ['/staff/supervision', '/staff/enforcement', '/staff/inspections']],
      ['admin', ['/staff/admin', '/staff/reports']],
    ] as const) {
      const staffContext = await browser.newContext({ viewport: { width: 1366, height: 900 } });
      const staffPage = await signIn(staffContext, key);
      await staffPage.waitForURL(/\/staff\/(?!login)/).catch(async (e) => {
        throw new Error(`${key} not signed in: ${(await staffPage.locator('main').textContent())?.slice(0, 300)}`, { cause: e });
      });
      for (const path of paths) {
        await staffPage.goto(`${base}${path}`);
        await staffPage.locator('h1').first().waitFor();
        await staffPage.waitForLoadState('networkidle');
        expect(await axeViolations(staffPage), path).toEqual([]);
      }
      await staffContext.close();
    }
  }, 180_000); // eleven pages, three sign-ins and axe on each: 55 s on this 2-core machine, past the 60 s default when it is busier
});
