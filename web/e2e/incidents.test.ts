import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintBody, type Tree } from '../../server/test/factories.ts';
import type { Harness } from '../../server/test/harness.ts';
import { type BrowserApp, createOperator, phoneContext, placeWithTree, signInOperator, startBrowserApp } from './setup.ts';

/**
 * Issue 15, "Incidents: one cause, many complaints", on a phone (360 px): the 128 operator sees
 * the suggested incident, opens it with a public title, changes its public status (each citizen
 * told), unlinks one complaint from that complaint's own page, and closes it with one answer —
 * and every complaint still in it is answered, its citizen's answer SMS in the outbox.
 */
const OUTAGE = [
  'سامانه پرداخت اینترنتی از صبح قطع است و نمی‌شود پرداخت کرد',
  'سامانه پرداخت اینترنتی از صبح قطعه نمیشه پرداخت کرد',
  'از صبح سامانهٔ پرداخت اینترنتی قطع است، نمی‌شود پرداخت کرد',
];
let app: BrowserApp;
let h: Harness;
let base: string;
let tree: Tree;
let operator: Awaited<ReturnType<typeof createOperator>>;
const ids: string[] = [];

beforeAll(async () => {
  app = await startBrowserApp();
  ({ h, base } = app);
  const built = await placeWithTree(h);
  tree = built.tree;
  for (const description of OUTAGE) {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/complaints',
      payload: complaintBody(tree.organisation.id, built.place.countyIds[0]!, { description }),
    });
    expect(res.statusCode).toBe(201);
    ids.push(res.json().id);
  }
  operator = await createOperator(h, null);
}, 300_000);

afterAll(() => app?.close());

describe('incidents in the staff console', () => {
  it('opens an incident, changes its status, unlinks from the complaint page and closes it, at 360 px', async () => {
    const context = await phoneContext(app);
    const page = await context.newPage();
    await signInOperator(page, base, operator);

    await page.goto(`${base}/staff/incidents`);
    const suggestion = page.getByTestId('incident-suggestion');
    await expect.poll(() => suggestion.textContent()).toContain('۳');
    await suggestion.getByLabel('عنوان عمومی رخداد').fill('قطعی سامانهٔ پرداخت اینترنتی');
    await suggestion.getByRole('button', { name: 'گشودن رخداد' }).click();

    const incident = page.getByTestId('incident');
    await expect.poll(() => incident.textContent()).toContain('قطعی سامانهٔ پرداخت اینترنتی');
    expect(await incident.textContent()).toContain('در حال رسیدگی');
    await expect.poll(() => page.getByTestId('incident-complaint').count()).toBe(3);

    // The public status changes; each linked citizen is told once by SMS.
    await incident.locator('label', { hasText: 'در حال بررسی' }).click();
    await incident.getByRole('button', { name: 'ثبت وضعیت و خبر دادن به شاکیان' }).click();
    await expect.poll(() => incident.locator('.mantine-Badge-root').first().textContent()).toBe('در حال بررسی');
    const told = await h.db.pool.query(
      `SELECT complaint_id FROM outbox WHERE template = 'citizen_incident_status' AND body LIKE '%در حال بررسی%' AND complaint_id = ANY($1::uuid[])`,
      [ids],
    );
    expect(told.rows.map((r) => r.complaint_id).sort()).toEqual([...ids].sort());
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

    // Unlinked from the complaint's own page: it goes on alone.
    await page.goto(`${base}/staff/complaints/${ids[0]}`);
    const card = page.getByTestId('complaint-incident');
    await expect.poll(() => card.textContent()).toContain('قطعی سامانهٔ پرداخت اینترنتی');
    expect(await card.textContent()).toContain('در حال بررسی');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await card.getByLabel('دلیل جدا کردن').fill('شکایت دربارهٔ باجهٔ حضوری است');
    await card.getByRole('button', { name: 'جدا کردن از رخداد' }).click();
    await expect.poll(() => card.count()).toBe(0);
    const link = await h.db.pool.query('SELECT ended_how FROM incident_links WHERE complaint_id = $1', [ids[0]]);
    expect(link.rows).toEqual([{ ended_how: 'unlinked' }]);

    await page.goto(`${base}/staff/incidents`);
    await incident.getByRole('button', { name: 'شکایت‌ها و پاسخ' }).click();
    await expect.poll(() => page.getByTestId('incident-complaint').count()).toBe(2);
    await incident.getByLabel('پاسخ یکسان به همهٔ شاکیان').fill('سامانهٔ پرداخت از ساعت ۱۴ دوباره کار می‌کند؛ پرداخت‌های ناموفق برگشت داده می‌شود.');
    await incident.getByRole('button', { name: 'بستن رخداد با این پاسخ' }).click();
    await expect.poll(() => page.getByText('رخداد بازی نیست.').count()).toBe(1);

    // Persian screen at 360 px: no Latin digits, nothing wider than the phone.
    const body = await page.locator('main').textContent();
    expect(body).not.toMatch(/[0-9]/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await context.close();

    const { rows } = await h.db.pool.query(
      `SELECT c.status, (SELECT count(*)::int FROM outbox o WHERE o.complaint_id = c.id AND o.template = 'citizen_answered') AS told
         FROM complaints c WHERE c.id = ANY($1::uuid[])`,
      [ids],
    );
    // The unlinked one is not answered with the incident.
    expect(rows.sort((a, b) => a.status.localeCompare(b.status))).toEqual([
      { status: 'answered', told: 1 },
      { status: 'answered', told: 1 },
      { status: 'referred', told: 0 },
    ]);
  }, 300_000);
});
