import type { Page } from 'playwright-core';

/**
 * In-page checks shared by the browser sweeps: horizontal overflow on a phone, Latin text left in
 * the Persian UI. Each returns human-readable findings (empty when the page is fine).
 */

/**
 * What sticks out sideways: the document wider than the window, and every visible element whose
 * box crosses the window's edge — unless an ancestor scrolls or clips it sideways (a table in an
 * overflow-x:auto wrapper is meant to scroll). Only the innermost offenders (the content that
 * pushes out, not every box around it) are named.
 */
export function horizontalOverflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const out: string[] = [];
    if (document.documentElement.scrollWidth > width) out.push(`document ${document.documentElement.scrollWidth}px > ${width}px`);
    const clipped = (el: Element): boolean => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const ox = getComputedStyle(p).overflowX;
        if (ox === 'auto' || ox === 'scroll' || ox === 'hidden' || ox === 'clip') return true;
      }
      return false;
    };
    const sticksOut = (el: Element): boolean => {
      if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) return false;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) return false;
      return r.right > width + 1 || r.left < -1;
    };
    const describe = (el: Element) => {
      const text = (el.textContent ?? '').trim().slice(0, 40);
      const r = el.getBoundingClientRect();
      const cls = typeof el.className === 'string' ? el.className.split(/\s+/).filter(Boolean).slice(0, 2).join('.') : '';
      return `<${el.tagName.toLowerCase()}${cls ? `.${cls}` : ''}> [${Math.round(r.left)}..${Math.round(r.right)}] «${text}»`;
    };
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      // Mantine's off-canvas navbar is moved off-screen and hidden when closed.
      if (el.closest('[aria-hidden="true"], .mantine-AppShell-navbar:not([data-opened])')) continue;
      if (!sticksOut(el) || clipped(el)) continue;
      if (Array.from(el.children).some((child) => sticksOut(child) && !child.closest('[aria-hidden="true"]'))) continue;
      out.push(describe(el));
    }
    return out.slice(0, 8);
  });
}

/**
 * Visible text in the Persian UI with a Latin letter or a Latin digit in it. Codes, URLs and
 * other text meant to be read left to right are marked (`dir="ltr"`, `.ltr`, `<code>`, `<kbd>`,
 * `translate="no"`) and left out, as is text marked as another language (the «English» switch)
 * and the user's own input values (not text nodes).
 */
export function latinText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out = new Set<string>();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      if (!/[A-Za-z0-9]/.test(text)) continue;
      const el = node.parentElement;
      if (!el || el.closest('script, style, noscript, [dir="ltr"], .ltr, code, kbd, [translate="no"], [aria-hidden="true"], [lang]:not([lang="fa"])')) continue;
      if (!el.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      out.add(text.trim().slice(0, 80));
    }
    return [...out].slice(0, 12);
  });
}

/**
 * Text axe-core finds below WCAG AA contrast — its violations and also what it leaves "incomplete"
 * (needs review): badges whose colour it cannot settle, which were in fact 1:1 on some pages.
 */
export async function contrastProblems(page: Page, axeSource: string): Promise<string[]> {
  // Evaluated through DevTools, not an inline <script>: the page's CSP (script-src 'self') refuses those.
  await page.evaluate(axeSource);
  const results = await page.evaluate(async () => {
    type Node = { target: string[]; any: { message: string }[] };
    const axe = (window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { nodes: Node[] }[]; incomplete: { nodes: Node[] }[] }> } })
      .axe;
    return axe.run(document, { runOnly: ['color-contrast'], resultTypes: ['violations', 'incomplete'] });
  });
  // A cell of a table scrolled sideways on a phone "overlaps" its neighbours for axe: not a colour question.
  const incomplete = results.incomplete.map((r) => ({ nodes: r.nodes.filter((n) => !/obscured|overlaps/.test(n.any[0]?.message ?? '')) }));
  return [...results.violations, ...incomplete].flatMap((r) => r.nodes.map((n) => `${n.target.join(' ')}: ${n.any[0]?.message ?? ''}`)).slice(0, 8);
}

/** Other names a role went by (web/src/role-names.ts), found in the page's visible text: one name per role on every screen. */
export async function roleNameVariants(page: Page, variants: readonly RegExp[]): Promise<string[]> {
  // biome-ignore lint/performance/useDomNodeTextContent: only the text a person sees, not hidden nodes
  const text = await page.evaluate(() => document.body.innerText);
  return variants.flatMap((v) => text.match(v)?.[0] ?? []).map((found) => `«${found}»`);
}
