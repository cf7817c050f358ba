import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/*
 * Functions a person can hold in their head (issue 13): no function, method, arrow function or
 * function expression whose body spans more than MAX_LINES lines. Long ones split along their
 * seams: route registrations into plugins by group, pages into sub-components, use cases into
 * named steps. Reads the sources with the TypeScript parser; no database.
 */

const ROOT = join(import.meta.dirname, '..', '..');
const MAX_LINES = 80;
const FOLDERS = ['server/src', 'web/src', 'bench', 'ops'];

/** Generated files: nobody reads them as code. */
const GENERATED = new Set(['web/src/api-schema.ts']);

/**
 * Functions still over the limit, `path:name` → reason. Shrink it; never grow it (the test also
 * fails when a listed function is now short or gone, so the list cannot go stale).
 */
const ALLOWED = new Map<string, string>([]);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || entry.name === 'migrations') continue;
      out.push(...sourceFiles(path));
    } else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') && !GENERATED.has(path)) {
      out.push(path);
    }
  }
  return out;
}

/** A readable name for a function node: its own name, or the variable, property or call it sits in. */
function nameOf(node: ts.FunctionLikeDeclaration, source: ts.SourceFile): string {
  if (node.name) return node.name.getText(source);
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) return parent.name.getText(source);
  if (ts.isCallExpression(parent)) {
    const callee = parent.expression.getText(source).replace(/\s+/g, '');
    const first = parent.arguments[0];
    const label = first && ts.isStringLiteralLike(first) ? `(${first.text})` : '';
    return `${callee.length > 40 ? `…${callee.slice(-40)}` : callee}${label}→arrow`;
  }
  return '<anonymous>';
}

interface LongFunction {
  key: string;
  lines: number;
}

/** Every function in `text` whose body spans more than `max` lines. */
function longFunctions(path: string, text: string, max = MAX_LINES): LongFunction[] {
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, path.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: LongFunction[] = [];
  const seen = new Map<string, number>();
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const fn = node as ts.FunctionLikeDeclaration;
      const body = fn.body!;
      const start = source.getLineAndCharacterOfPosition(body.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(body.getEnd()).line;
      const lines = end - start + 1;
      if (lines > max) {
        const base = `${path}:${nameOf(fn, source)}`;
        const n = (seen.get(base) ?? 0) + 1;
        seen.set(base, n);
        found.push({ key: n === 1 ? base : `${base}#${n}`, lines });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('function length', () => {
  const all = FOLDERS.flatMap(sourceFiles).flatMap((f) => longFunctions(f, readFileSync(join(ROOT, f), 'utf8')));

  it('reads the sources (the check is not vacuous)', () => {
    expect(FOLDERS.flatMap(sourceFiles).length).toBeGreaterThan(200);
    const long = `function big() {\n${'  f();\n'.repeat(MAX_LINES)}}\nconst ok = () => {\n  f();\n};\n`;
    expect(longFunctions('x.ts', long).map((f) => f.key)).toEqual(['x.ts:big']);
    const arrow = `app.get('/x', async () => {\n${'  f();\n'.repeat(MAX_LINES)}});\n`;
    expect(longFunctions('x.ts', arrow).map((f) => f.key)).toEqual(['x.ts:app.get(/x)→arrow']);
    // The body of `() => (…)` runs from its opening to its closing parenthesis.
    expect(longFunctions('x.tsx', `const P = () => (\n${'  <i />\n'.repeat(MAX_LINES - 2)});\n`)).toEqual([]);
    expect(longFunctions('x.tsx', `const P = () => (\n${'  <i />\n'.repeat(MAX_LINES - 1)});\n`).map((f) => f.key)).toEqual(['x.tsx:P']);
  });

  it(`no function body spans more than ${MAX_LINES} lines (but the allow-list)`, () => {
    const bad = all.filter((f) => !ALLOWED.has(f.key)).map((f) => `${f.key} (${f.lines} lines)`);
    expect(bad).toEqual([]);
  });

  it('the allow-list names only functions that are still long', () => {
    const keys = new Set(all.map((f) => f.key));
    expect([...ALLOWED.keys()].filter((k) => !keys.has(k))).toEqual([]);
  });
});
