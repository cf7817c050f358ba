import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROLE_NAME_VARIANTS, ROLE_NAMES } from '../../web/src/role-names.ts';
import { ROLE_NAMES_FA, ROLES } from '../src/core/roles.ts';

/**
 * Issue 12, "one name per role on every screen": the web app's role names are the server's, no
 * two roles share a name, and none of the other names a role went by is left in the app's texts.
 * (The browser sweep checks the rendered pages too.)
 */
const ROOT = join(import.meta.dirname, '..', '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'migrations' || name === 'data' ? [] : sources(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('one name per role', () => {
  it('the web app names each role as the server does, and no two alike', () => {
    for (const role of ROLES) expect(ROLE_NAMES[role].fa, role).toBe(ROLE_NAMES_FA[role]);
    expect(new Set(ROLES.map((r) => ROLE_NAMES_FA[r])).size).toBe(ROLES.length);
    expect(new Set(ROLES.map((r) => ROLE_NAMES[r].en)).size).toBe(ROLES.length);
  });

  it('no other name for a role is left in the web app’s or the server’s texts', () => {
    const files = [...sources(join(ROOT, 'web', 'src')), ...sources(join(ROOT, 'server', 'src'))].filter(
      (f) => !f.endsWith('role-names.ts') && !f.endsWith('api-schema.ts'),
    );
    expect(files.length).toBeGreaterThan(50);
    const found: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const variant of ROLE_NAME_VARIANTS) {
        const match = text.match(variant);
        if (match) found.push(`${relative(ROOT, file)}: «${match[0]}»`);
      }
    }
    expect(found).toEqual([]);
  });

  it('the variants list catches the names the roles went by', () => {
    const old = ['کارگروه نظارت استان', 'راهبر ارشد', 'کارشناسان ۱۲۸', 'مسئول بازرسی', 'حسابرس (فقط خواندنی)', 'مدیر ملی است'];
    for (const name of old)
      expect(
        ROLE_NAME_VARIANTS.some((v) => v.test(name)),
        name,
      ).toBe(true);
    for (const role of ROLES)
      expect(
        ROLE_NAME_VARIANTS.some((v) => v.test(ROLE_NAMES_FA[role])),
        role,
      ).toBe(false);
  });
});
