import * as OTPAuth from 'otpauth';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createStaff } from '../../server/src/auth/create-staff.ts';
import { setTotp } from '../../server/src/auth/store.ts';
import { buildTree, type Place, places, type StaffFixture, type Tree, uniq } from '../../server/test/factories.ts';
import { type Harness, startHarness } from '../../server/test/harness.ts';
import { ensureWebBuilt } from '../build.ts';
import { launchChromium } from './browser.ts';

/**
 * The setup the browser tests share: the web app built, the real app listening on a free port of
 * 127.0.0.1 over a fresh database, Chromium, an agency tree, an operator who signs in with a
 * password and TOTP, and a 360 px phone (optionally already signed in as a staff fixture).
 */

export const PASSWORD = 'a-long-test-password-128';

export interface BrowserApp {
  h: Harness;
  /** http://127.0.0.1:<port> */
  base: string;
  browser: Browser;
  close(): Promise<void>;
}

/** Builds the web app if needed, starts the harness (with `env`) listening, and Chromium. */
export async function startBrowserApp(env: Record<string, string> = {}): Promise<BrowserApp> {
  await ensureWebBuilt();
  const h = await startHarness(env);
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const address = h.app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const browser = await launchChromium();
  return {
    h,
    base,
    browser,
    close: async () => {
      await browser.close();
      await h.close();
    },
  };
}

/** The first seeded place and an agency tree in it. */
export async function placeWithTree(h: Harness, name?: string): Promise<{ place: Place; tree: Tree }> {
  const [place] = (await places(h.db.pool)) as [Place];
  return { place, tree: await buildTree(h.db.pool, place, name) };
}

/** An operator with a password and TOTP (signs in through the page with `signInOperator`). */
export async function createOperator(h: Harness, provinceId: number | null = null): Promise<{ id: number; username: string; totpSecret: string }> {
  const username = `operator.${uniq()}`;
  const totpSecret = new OTPAuth.Secret({ size: 20 }).base32;
  const id = await createStaff(h.db.pool, { username, displayName: 'اپراتور', password: PASSWORD, role: 'operator', unitId: null, provinceId, language: 'fa' });
  await setTotp(h.db.pool, id, totpSecret, true);
  return { id, username, totpSecret };
}

/** Signs in on the page as the operator (password, then the current TOTP code) and waits to leave the sign-in page. */
export async function signInOperator(page: Page, base: string, operator: { username: string; totpSecret: string }): Promise<void> {
  await page.goto(`${base}/staff/login`);
  await page.getByLabel('نام کاربری').fill(operator.username);
  await page.getByLabel('گذرواژه').fill(PASSWORD);
  await page.getByRole('button', { name: 'ورود', exact: true }).click();
  const code = page.getByLabel('کد ورود دومرحله‌ای', { exact: true });
  await code.waitFor();
  await code.fill(new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(operator.totpSecret), digits: 6, period: 30 }).generate());
  await page.getByRole('button', { name: 'ورود', exact: true }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/staff/') && !url.pathname.endsWith('/login'));
}

/**
 * A 360 × 740 touch phone in Persian, with generous timeouts (on a shared two-core machine a staff
 * page has taken over 30 s); signed in as `who` when given (the session cookie and its readable hint).
 */
export async function phoneContext(app: Pick<BrowserApp, 'browser' | 'base'>, who?: StaffFixture): Promise<BrowserContext> {
  const context = await app.browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'fa-IR' });
  context.setDefaultTimeout(60_000);
  context.setDefaultNavigationTimeout(90_000);
  if (who)
    await context.addCookies([
      { name: 'foad_session', value: who.token, url: app.base },
      { name: 'foad_staff', value: '1', url: app.base },
    ]);
  return context;
}
