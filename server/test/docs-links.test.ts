import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * The map stays true: every relative link in the README, CONTRIBUTING and docs/ reaches a file,
 * and every environment variable the server reads is in docs/configuration.md. No database.
 */

const ROOT = join(import.meta.dirname, '..', '..');

const DOCS = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** The targets of a Markdown text's inline links and images (`[text](target)`), code spans and blocks left out. */
function linkTargets(markdown: string): string[] {
  const text = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/!?\[[^\]]*\]\(\s*(?:<([^>]+)>|([^)\s]+))(?:\s+"[^"]*")?\s*\)/g)].map((m) => (m[1] ?? m[2])!);
}

/** A link to a file of this repository (not a web address, a mail address or an anchor on the same page). */
function isRelative(target: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('#') && !target.startsWith('//');
}

/** The environment variables a source text reads: `env.NAME`, `env['NAME']` and helpers called as `(env, 'NAME'`. */
function envNames(source: string): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(/\benv\.([A-Z][A-Z0-9_]+)|\benv\[['"]([A-Z][A-Z0-9_]+)['"]\]|\(env, '([A-Z][A-Z0-9_]+)'/g)) {
    names.add((m[1] ?? m[2] ?? m[3])!);
  }
  return [...names].sort();
}

describe('the helpers read what they should (the checks below are not vacuous)', () => {
  it('finds link targets outside code', () => {
    expect(linkTargets('See [a](docs/a.md#x) and ![b](<b c.png>) but not `[c](d.md)` nor [e](https://x.org "t").')).toEqual([
      'docs/a.md#x',
      'b c.png',
      'https://x.org',
    ]);
    expect(isRelative('docs/a.md')).toBe(true);
    expect(isRelative('https://x.org')).toBe(false);
    expect(isRelative('mailto:a@b.c')).toBe(false);
    expect(isRelative('#top')).toBe(false);
  });

  it('finds the variables config.ts reads, by each way it reads them', () => {
    expect(envNames("env.DATABASE_URL; int(env, 'PORT', 3128); env['X_Y']; process.env.nope")).toEqual(['DATABASE_URL', 'PORT', 'X_Y']);
    const names = envNames(readFileSync(join(ROOT, 'server', 'src', 'config.ts'), 'utf8'));
    expect(names.length).toBeGreaterThan(30);
    expect(names).toContain('PORT');
    expect(names).toContain('DATABASE_URL');
  });
});

describe('the docs map the repository', () => {
  it('reads the docs (README, CONTRIBUTING and docs/*.md)', () => {
    expect(DOCS.length).toBeGreaterThan(10);
    expect(DOCS.flatMap((f) => linkTargets(readFileSync(join(ROOT, f), 'utf8'))).filter(isRelative).length).toBeGreaterThan(20);
  });

  it('every relative link points to an existing file', () => {
    const broken: string[] = [];
    for (const doc of DOCS) {
      for (const target of linkTargets(readFileSync(join(ROOT, doc), 'utf8')).filter(isRelative)) {
        const path = decodeURIComponent(target.split('#')[0]!.split('?')[0]!);
        if (path === '') continue;
        if (!existsSync(resolve(ROOT, dirname(doc), path))) broken.push(`${doc} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('every environment variable config.ts reads is in docs/configuration.md', () => {
    const documented = readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8');
    const missing = envNames(readFileSync(join(ROOT, 'server', 'src', 'config.ts'), 'utf8')).filter((name) => !new RegExp(`\\b${name}\\b`).test(documented));
    expect(missing).toEqual([]);
  });
});
