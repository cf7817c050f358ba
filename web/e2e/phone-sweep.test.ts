import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as OTPAuth from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completedPeriods } from '../../server/src/enforcement/periods.ts';
import { insertSuggestions } from '../../server/src/enforcement/store.ts';
import { seedDemo } from '../../server/src/seed/demo.ts';
import { type Harness, startHarness } from '../../server/test/harness.ts';
import { seedComplaint } from '../../server/test/seed-complaints.ts';
import { ensureWebBuilt } from '../build.ts';
import { ROLE_NAME_VARIANTS } from '../src/role-names.ts';
import { launchChromium } from './browser.ts';
import { contrastProblems, horizontalOverflow, latinText, roleNameVariants } from './page-checks.ts';

/**
 * Every page on a phone, in Persian: the demo data plus a published report card, an inspection
 * (one drawn at random, one filed), and a rule's warning to an office head; then each citizen and
 * staff page at 360 × 740 and 390 × 844 must not stick out sideways, must show no Latin letters
 * or digits outside marked codes and links, and must call each role by its one name.
 */
const PASSWORD = 'a-long-test-password-128';
/** The demo's TOTP roles (admin, operator, supervisor) share this secret. */
const TOTP_SECRET = new OTPAuth.Secret({ size: 20 }).base32;
const totpCode = () => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(TOTP_SECRET), digits: 6, period: 30 }).generate();
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** Pages with status badges, where contrast is checked too (axe's "needs review" counts as a failure). */
const BADGE_PAGES = ['/staff/inspections', '/staff/admin کاربران و نقش‌ها', '/staff/enforcement'];
const PHONES = [
  { width: 360, height: 740 },
  { width: 390, height: 844 },
] as const;

let h: Harness;
let base: string;
let browser: Browser;
let trackingCode = '';
let complaintId = '';
const tokens: Record<string, string> = {};
/** Uncaught errors in any page: a page that crashed shows nothing, which would pass the sweeps. */
const pageErrors: string[] = [];

async function tokenOf(username: string): Promise<string> {
  if (tokens[username]) return tokens[username];
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD, totp: totpCode() } });
  expect(res.statusCode, username).toBe(200);
  const token: string = res.json().token;
  tokens[username] = token;
  return token;
}

async function as(username: string, method: 'GET' | 'POST', url: string, payload?: object) {
  const res = await h.app.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${await tokenOf(username)}` }, payload });
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.json();
}

/** A phone-sized context, signed in as `username` when given (a session cookie, as the sign-in page would set). */
async function phone(size: (typeof PHONES)[number], username?: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: size, isMobile: true, hasTouch: true, locale: 'fa-IR' });
  if (username)
    await context.addCookies([
      { name: 'foad_session', value: await tokenOf(username), url: base },
      { name: 'foad_staff', value: '1', url: base },
    ]);
  // Generous: on a shared two-core machine a page load has taken over 30 s.
  context.setDefaultTimeout(60_000);
  context.setDefaultNavigationTimeout(90_000);
  context.on('weberror', (e) => pageErrors.push(String(e.error().stack ?? e.error())));
  // Anything the Content-Security-Policy refuses is recorded, to fail the page that needed it.
  await context.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  return context;
}

async function settle(page: Page, path: string): Promise<void> {
  await page.goto(`${base}${path}`);
  await page.locator('h1').first().waitFor();
  await page.waitForLoadState('networkidle');
}

async function findings(page: Page, where: string): Promise<string[]> {
  const wide = (await horizontalOverflow(page)).map((f) => `${where} overflows: ${f}`);
  const latin = (await latinText(page)).map((f) => `${where} Latin text: «${f}»`);
  const csp = (await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).map((v) => `${where} CSP refused: ${v}`);
  const crashed = (await page.locator('h1').count()) === 0 ? [`${where} shows no heading (crashed?)`] : [];
  const roles = (await roleNameVariants(page, ROLE_NAME_VARIANTS)).map((f) => `${where} names a role otherwise: ${f}`);
  return [...wide, ...latin, ...csp, ...crashed, ...roles, ...pageErrors.splice(0).map((e) => `${where} page error: ${e}`)];
}

beforeAll(async () => {
  await ensureWebBuilt();
  h = await startHarness({ REPORT_MIN_COMPLAINTS: '1' });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const address = h.app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  await seedDemo(h.db, PASSWORD, undefined, { totpSecret: TOTP_SECRET });
  const db = h.db.pool;
  const first = await db.query('SELECT id, tracking_code FROM complaints WHERE unit_id IS NOT NULL ORDER BY created_at LIMIT 1');
  ({ id: complaintId, tracking_code: trackingCode } = first.rows[0]);
  // A citizen was not satisfied once: the complaint page says so.
  await db.query('UPDATE complaints SET dissatisfied_count = 1 WHERE id = $1', [complaintId]);
  // Last month's history, published, so the portal and the report cards have something to show.
  const [last] = completedPeriods(new Date(), 1);
  const mid = new Date((last!.from.getTime() + last!.to.getTime()) / 2);
  const offices = (await db.query(`SELECT * FROM units WHERE kind = 'county_office' AND (code LIKE 'INTA-%' OR code LIKE 'MOH-%') ORDER BY id LIMIT 4`)).rows;
  const units = (
    await db.query(`SELECT id, path, province_id AS "provinceId", county_id AS "countyId" FROM units WHERE id = ANY($1)`, [offices.map((o) => o.id)])
  ).rows;
  for (const [i, unit] of units.entries()) {
    const agencyId = Number(String(unit.path).match(/\d+/)![0]);
    for (let n = 0; n < 3 + i; n++)
      await seedComplaint(db, { unit, agencyId, createdAt: mid, status: n % 2 ? 'closed' : 'answered', breachCount: n % 3 === 0 ? 1 : 0 });
  }
  await as('admin', 'POST', `/admin/report-cards/${last!.key}/publish`, {});
  // Inspections: one drawn at random (its seed shown), one filed with findings.
  const supervisorId = (await db.query(`SELECT id FROM staff_users WHERE username = 'supervisor.hamedan'`)).rows[0].id;
  await as('supervisor.hamedan', 'POST', '/inspections', { reason: 'random', seed: 'azar-1405-draw', inspectorId: supervisorId });
  const cluster = await as('supervisor.hamedan', 'POST', '/inspections', { reason: 'cluster', complaintIds: [complaintId], inspectorId: supervisorId });
  const indicators = (await db.query('SELECT id FROM quality_indicators WHERE active ORDER BY id')).rows;
  await as('supervisor.hamedan', 'POST', `/inspections/${cluster.id}/findings`, {
    visitedAt: new Date().toISOString(),
    summary: 'باجهٔ ۲ خالی بود.',
    findings: indicators.map((q: { id: number }, i: number) => ({ indicatorId: q.id, score: 40 + i * 5, notes: i === 0 ? 'صف طولانی' : '' })),
  });
  // A rule's warning to the head of the Hamedan tax office, with the numbers behind it.
  const head = (
    await db.query(
      `SELECT s.id, u.id AS unit, u.path, u.province_id FROM staff_users s JOIN units u ON u.id = s.unit_id WHERE s.username = 'head.tax.hamedan-county'`,
    )
  ).rows[0];
  const rule = (await db.query(`SELECT id, code FROM enforcement_rules WHERE action = 'warning' ORDER BY id LIMIT 1`)).rows[0];
  await insertSuggestions(
    db,
    [
      {
        ruleId: rule.id,
        kind: 'warning',
        managerId: head.id,
        unitId: head.unit,
        unitPath: head.path,
        provinceId: head.province_id,
        period: last!.key,
        evidence: { rule: rule.code, periods: [{ period: last!.key, complaints: 12, breaches: 5, breachRate: 0.4167, verifiedComplaints: 3 }] },
      },
    ],
    new Date(),
    new Date(Date.now() + 7 * 86_400_000),
  );
  browser = await launchChromium();
}, 300_000); // the web build (brotli at best quality) and the demo seed: over 2 minutes on a busy machine

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

const CITIZEN_PAGES = () => ['/', '/file', '/track', `/track/${trackingCode}`, '/portal'];
const STAFF_PAGES = (): [string, string][] => [
  ['operator', '/staff/operator?caller=09121234567'],
  ['operator', '/staff/follow-up'],
  ['operator', '/staff/incidents'],
  ['operator', '/staff/alerts'],
  ['head.tax.hamedan-county', '/staff/inbox'],
  ['head.tax.hamedan-county', `/staff/complaints/${complaintId}`],
  ['head.tax.hamedan-county', '/staff/enforcement'],
  ['supervisor.hamedan', '/staff/supervision'],
  ['supervisor.hamedan', '/staff/dashboard'],
  ['supervisor.hamedan', '/staff/reports'],
  ['supervisor.hamedan', '/staff/enforcement'],
  ['supervisor.hamedan', '/staff/inspections'],
  ['supervisor.hamedan', '/staff/incidents'],
  ['head.tax.hamedan-county', '/staff/alerts'],
  ['admin', '/staff/admin'],
];
const ADMIN_TABS = ['کاربران و نقش‌ها', 'انواع شکایت و شاخص‌ها', 'مهلت‌ها', 'تقویم تعطیلات'];

describe('every page on a phone, all in Persian', () => {
  for (const size of PHONES) {
    it(`citizen pages at ${size.width} × ${size.height}`, async () => {
      const context = await phone(size);
      const page = await context.newPage();
      const found: string[] = [];
      for (const path of CITIZEN_PAGES()) {
        await settle(page, path);
        found.push(...(await findings(page, path)));
      }
      await context.close();
      expect(found).toEqual([]);
    }, 300_000);

    it(`staff pages at ${size.width} × ${size.height}`, async () => {
      const found: string[] = [];
      for (const [user, path] of STAFF_PAGES()) {
        const context = await phone(size, user);
        const page = await context.newPage();
        await settle(page, path);
        found.push(...(await findings(page, `${path} (${user})`)));
        if (BADGE_PAGES.includes(path)) found.push(...(await contrastProblems(page, axeSource)).map((c) => `${path} contrast: ${c}`));
        if (path === '/staff/inspections' || path === '/staff/enforcement') {
          // The details open beside (below, on a phone) the list.
          const rows = page.locator('[data-testid="inspection-row"], [data-testid="action-row"]');
          if (await rows.count()) {
            await rows.first().click();
            await page.waitForLoadState('networkidle');
            found.push(...(await findings(page, `${path} details (${user})`)));
          }
        }
        if (path === '/staff/admin') {
          for (const tab of ADMIN_TABS) {
            await page.getByRole('tab', { name: new RegExp(tab) }).click();
            await page.waitForLoadState('networkidle');
            found.push(...(await findings(page, `${path} ${tab}`)));
            if (BADGE_PAGES.includes(`${path} ${tab}`)) found.push(...(await contrastProblems(page, axeSource)).map((c) => `${path} ${tab} contrast: ${c}`));
          }
        }
        await context.close();
      }
      expect(found).toEqual([]);
    }, 900_000); // sixteen pages and four tabs, each loaded and swept: 4–6 minutes on a busy two-core machine
  }

  it('the citizen’s first page is at most 250 KB over the wire, brotli-compressed', async () => {
    const context = await phone(PHONES[1]);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    // Chromium offers brotli only over HTTPS; this server is plain HTTP on loopback, so ask for it.
    await cdp.send('Network.setExtraHTTPHeaders', { headers: { 'Accept-Encoding': 'br' } });
    const bytes = new Map<string, number>();
    const encodings = new Map<string, string>();
    cdp.on('Network.responseReceived', (e) =>
      encodings.set(e.requestId, String(e.response.headers['content-encoding'] ?? e.response.headers['Content-Encoding'] ?? '')),
    );
    const urls = new Map<string, string>();
    cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
    cdp.on('Network.loadingFinished', (e) => bytes.set(e.requestId, e.encodedDataLength));
    await settle(page, '/');
    const total = [...bytes.values()].reduce((a, b) => a + b, 0);
    const listing = [...bytes].map(([id, n]) => `${n} ${encodings.get(id)} ${urls.get(id)}`).join('\n');
    expect(total).toBeGreaterThan(10_000);
    expect(total, `${total} bytes:\n${listing}`).toBeLessThanOrEqual(250 * 1024);
    expect([...encodings.values()]).toContain('br');
    await context.close();
  });

  it('an office head replies to a warning from a phone, and the reply is saved', async () => {
    const context = await phone(PHONES[0], 'head.tax.hamedan-county');
    const page = await context.newPage();
    await settle(page, '/staff/enforcement');
    await page.getByTestId('action-row').first().click();
    await page.getByLabel('متن').fill('در این ماه دو کارمند باجه در مرخصی درمانی بودند؛ جایگزین گرفته‌ایم.');
    const reply = page.getByRole('button', { name: 'ثبت پاسخ' });
    await reply.scrollIntoViewIfNeeded();
    const box = await reply.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= PHONES[0].width).toBe(true);
    await reply.tap();
    await expect.poll(async () => (await h.db.pool.query(`SELECT reply FROM enforcement_actions ORDER BY id LIMIT 1`)).rows[0].reply).toContain('مرخصی درمانی');
    await context.close();
  });
});
