import { randomBytes } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff } from '../../server/src/auth/create-staff.ts';
import { setTotp } from '../../server/src/auth/store.ts';
import { applyCommand } from '../../server/src/complaints/apply-command.ts';
import { drawWeeklySample } from '../../server/src/follow-up/draw-sample.ts';
import { buildTree, complaintBody, type Place, places, staff, uniq } from '../../server/test/factories.ts';
import { type Harness, startHarness } from '../../server/test/harness.ts';
import { ensureWebBuilt } from '../build.ts';
import { launchChromium } from './browser.ts';

/**
 * Issue 15, satisfaction follow-up calls, in a real browser on a 360 px phone: the week's sample
 * reaches the 128 operator's «تماس‌های پیگیری» page; the operator shows the number (an audited
 * read) and records "reached and satisfied"; the call leaves the queue and is chained.
 */
const PASSWORD = 'a-long-test-password-128';
const TOTP_SECRET = new OTPAuth.Secret({ size: 20 }).base32;
let h: Harness;
let base: string;
let browser: Browser;
let operator = '';
let complaintId = '';

beforeAll(async () => {
  await ensureWebBuilt();
  h = await startHarness();
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const address = h.app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const [place] = (await places(h.db.pool)) as [Place];
  const tree = await buildTree(h.db.pool, place, 'سازمان پیگیری');
  const head = await staff(h.db, h.config, 'inspection_head', { unit: tree.directorate }, { inspectionHead: true });
  operator = `operator.${uniq()}`;
  const operatorId = await createStaff(h.db.pool, {
    username: operator,
    displayName: 'اپراتور',
    password: PASSWORD,
    role: 'operator',
    unitId: null,
    provinceId: place.provinceId,
    language: 'fa',
  });
  await setTotp(h.db.pool, operatorId, TOTP_SECRET, true);
  const filed = await h.app.inject({
    method: 'POST',
    url: '/api/v1/complaints',
    payload: complaintBody(tree.organisation.id, place.countyIds[0]!),
    headers: { 'idempotency-key': `web-${randomBytes(8).toString('hex')}` },
  });
  complaintId = filed.json().id;
  await h.app.inject({
    method: 'POST',
    url: `/api/v1/complaints/${complaintId}/actions`,
    payload: { action: 'answer', text: 'باجه اکنون دو کارمند دارد و صف کوتاه شده است.' },
    headers: head.headers,
  });
  const now = new Date();
  await applyCommand(h.db, h.config, { id: complaintId }, { kind: 'system', id: null }, () => ({ type: 'close_unrated' }), { now });
  const drawn = await drawWeeklySample(h.db, { percent: 10, min: 1, max: 5, secret: 's' }, new Date(now.getTime() + 7 * 86_400_000));
  expect(drawn.calls).toBe(1);
  browser = await launchChromium();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

describe('the 128 operator’s follow-up calls on a phone', () => {
  it('shows the number, records the outcome, in Persian at 360 px', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
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
    await page.waitForURL((url) => url.pathname.startsWith('/staff/') && !url.pathname.endsWith('/login'));

    await page.goto(`${base}/staff/follow-up`);
    await page.getByRole('heading', { name: 'تماس‌های پیگیری' }).waitFor();
    const call = page.getByTestId('follow-up-call');
    await call.waitFor();
    await call.getByRole('button', { name: 'نمایش شماره' }).click();
    const phone = page.getByTestId('follow-up-phone');
    await phone.waitFor();
    expect(await phone.textContent()).toMatch(/^[۰-۹+]+$/);
    // Every word and digit of the page is Persian, the factory's office names included.
    expect(await page.locator('main').textContent()).not.toMatch(/[0-9A-Za-z]/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await call.getByRole('button', { name: 'پاسخ داد و راضی بود' }).click();
    await page.getByText('تماسی در این فهرست نیست.').waitFor();
    await context.close();

    const { rows } = await h.db.pool.query(
      `SELECT type FROM complaint_events WHERE complaint_id = $1 AND type IN ('contact_viewed', 'follow_up_recorded') ORDER BY seq`,
      [complaintId],
    );
    expect(rows.map((r) => r.type)).toEqual(['contact_viewed', 'follow_up_recorded']);
  }, 300_000);
});
