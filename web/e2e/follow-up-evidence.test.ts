import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCommand } from '../../server/src/complaints/apply-command.ts';
import { drawWeeklySample } from '../../server/src/follow-up/draw-sample.ts';
import { complaintBody, staff } from '../../server/test/factories.ts';
import type { Harness } from '../../server/test/harness.ts';
import { type BrowserApp, createOperator, phoneContext, placeWithTree, signInOperator, startBrowserApp } from './setup.ts';

/**
 * Issue 15, satisfaction follow-up calls, in a real browser on a 360 px phone: the week's sample
 * reaches the 128 operator's «تماس‌های پیگیری» page; the operator shows the number (an audited
 * read) and records "reached and satisfied"; the call leaves the queue and is chained.
 */
let app: BrowserApp;
let h: Harness;
let base: string;
let operator: Awaited<ReturnType<typeof createOperator>>;
let complaintId = '';

beforeAll(async () => {
  app = await startBrowserApp();
  ({ h, base } = app);
  const { place, tree } = await placeWithTree(h, 'سازمان پیگیری');
  const head = await staff(h.db, h.config, 'inspection_head', { unit: tree.directorate }, { inspectionHead: true });
  operator = await createOperator(h, place.provinceId);
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
}, 600_000);

afterAll(() => app?.close());

describe('the 128 operator’s follow-up calls on a phone', () => {
  it('shows the number, records the outcome, in Persian at 360 px', async () => {
    const context = await phoneContext(app);
    const page = await context.newPage();
    await signInOperator(page, base, operator);

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
