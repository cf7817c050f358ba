import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as OTPAuth from 'otpauth';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './browser.ts';

/**
 * Screenshots of each main page at desktop and phone width, for the README (docs/screenshots).
 * Run against a server started with the demo data: `REPORT_MIN_COMPLAINTS=1 npm start` (the demo
 * has only a handful of complaints; the default minimum would show "not enough data"
 * everywhere), then `npm run screenshots` (BASE_URL, DEMO_PASSWORD and DEMO_TOTP_SECRET — the
 * two-factor secret `npm start` prints for the admin, operator and supervisor — as for the server). It
 * publishes the current month's report card if none is published, so the portal has one to show.
 */
const base = process.env.BASE_URL ?? 'http://127.0.0.1:3128';
const password = process.env.DEMO_PASSWORD ?? 'foad-demo-128';
const totpSecret = process.env.DEMO_TOTP_SECRET;
/** The demo users whose role signs in with a TOTP code as well. */
const TOTP_USERS = new Set(['admin', 'operator', 'supervisor.hamedan']);
function totpCode(): string {
  if (!totpSecret) throw new Error('set DEMO_TOTP_SECRET to the two-factor secret npm start printed');
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(totpSecret), digits: 6, period: 30 }).generate();
}
const out = join(import.meta.dirname, '..', '..', 'docs', 'screenshots');
mkdirSync(out, { recursive: true });

const sizes = { desktop: { width: 1366, height: 900 }, phone: { width: 390, height: 844 } } as const;

async function signIn(context: BrowserContext, username: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${base}/staff/login`);
  await page.getByLabel('نام کاربری').fill(username);
  await page.getByLabel('گذرواژه').fill(password);
  await page.getByRole('button', { name: 'ورود', exact: true }).click();
  if (TOTP_USERS.has(username)) {
    await page.getByLabel('کد ورود دومرحله‌ای', { exact: true }).fill(totpCode());
    await page.getByRole('button', { name: 'ورود', exact: true }).click();
  }
  await page.waitForURL(/\/staff\/(?!login)/);
  return page;
}

async function shoot(page: Page, name: string, size: keyof typeof sizes): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.mouse.move(0, 0);
  // Charts load their library on demand and animate in.
  await page.waitForTimeout(['dashboard', 'portal'].includes(name) ? 2500 : 400);
  await page.screenshot({ path: join(out, `${name}-${size}.png`), fullPage: size === 'phone' });
  console.log(`docs/screenshots/${name}-${size}.png`);
}

// A fresh complaint to show on the tracking page, in Hamedan (where the demo agencies are).
const divisions = await fetch(`${base}/api/v1/divisions`).then((r) => r.json() as Promise<{ items: { id: number; nameEn: string }[] }>);
const hamedan = divisions.items.find((p) => p.nameEn === 'Hamadan')!;
const filed = await fetch(`${base}/api/v1/complaints`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    channel: 'web',
    officeText: 'ادارهٔ ثبت احوال مرکز شهر',
    provinceId: hamedan.id,
    description: 'صبح امروز باجهٔ صدور شناسنامه بسته بود و کسی پاسخگو نبود.',
    contact: { phone: '09121112233' },
  }),
}).then((r) => r.json() as Promise<{ trackingCode: string }>);

const login = await fetch(`${base}/api/v1/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'admin', password, totp: totpCode() }),
}).then((r) => r.json() as Promise<{ token: string }>);
const published = await fetch(`${base}/api/v1/public/report-cards`).then((r) => r.json() as Promise<{ items: unknown[] }>);
if (published.items.length === 0) {
  const month = new Intl.DateTimeFormat('en-u-ca-persian-nu-latn', { timeZone: 'Asia/Tehran', year: 'numeric', month: '2-digit' }).formatToParts(new Date());
  const key = `${month.find((p) => p.type === 'year')!.value}-${month.find((p) => p.type === 'month')!.value}`;
  await fetch(`${base}/api/v1/admin/report-cards/${key}/publish`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${login.token}` },
    body: '{}',
  });
}

const browser = await launchChromium();
try {
  for (const size of Object.keys(sizes) as (keyof typeof sizes)[]) {
    const context = await browser.newContext({ viewport: sizes[size], isMobile: size === 'phone' });
    const page = await context.newPage();
    for (const [name, path] of [
      ['home', '/'],
      ['file-complaint', '/file'],
      ['track', `/track/${filed.trackingCode}`],
      ['staff-login', '/staff/login'],
      ['portal', '/portal'],
    ] as const) {
      await page.goto(`${base}${path}`);
      await shoot(page, name, size);
    }
    await context.close();
    for (const [name, user, path] of [
      ['inbox', 'head.tax.hamedan-county', '/staff/inbox'],
      ['operator', 'operator', '/staff/operator?caller=09121234567'],
      ['supervision', 'supervisor.hamedan', '/staff/supervision'],
      ['admin', 'admin', '/staff/admin'],
      ['dashboard', 'supervisor.hamedan', '/staff/dashboard'],
      ['reports', 'admin', '/staff/reports'],
    ] as const) {
      const staffContext = await browser.newContext({ viewport: sizes[size], isMobile: size === 'phone' });
      const staffPage = await signIn(staffContext, user);
      await staffPage.goto(`${base}${path}`);
      await shoot(staffPage, name, size);
      if (name === 'inbox') {
        const first = staffPage.locator('[data-testid="queue-row"] a').first();
        if (await first.count()) {
          await first.click();
          await staffPage.getByTestId('detail-code').waitFor();
          await shoot(staffPage, 'complaint', size);
        }
      }
      await staffContext.close();
    }
  }
} finally {
  await browser.close();
}
