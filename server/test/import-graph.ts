import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** One import edge between two source files, both relative to the source root. */
export interface ImportEdge {
  from: string;
  to: string;
  /** False for `import type` and imports whose every name is `type X`: erased at runtime. */
  runtime: boolean;
}

/** Every source file under `root` (paths relative to it), tests and declaration files excluded. */
export function sourceFiles(root: string, extensions = ['.ts']): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (extensions.some((x) => entry.name.endsWith(x)) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
        out.push(relative(root, path));
    }
  };
  walk(root);
  return out.sort();
}

/**
 * The relative imports of every source file under `root`, read with the TypeScript parser (not a
 * regular expression) so that type-only imports, re-exports and dynamic `import()` are told apart.
 */
export function importEdges(root: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of sourceFiles(root)) {
    const text = readFileSync(join(root, file), 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false);
    const add = (specifier: string, runtime: boolean) => {
      if (!specifier.startsWith('.')) return;
      edges.push({ from: file, to: relative(root, resolve(root, dirname(file), specifier)), runtime });
    };
    const visit = (node: ts.Node) => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
        const clause = node.importClause;
        let typeOnly = clause?.isTypeOnly ?? false;
        if (clause && !typeOnly && !clause.name && clause.namedBindings && ts.isNamedImports(clause.namedBindings)) {
          const names = clause.namedBindings.elements;
          typeOnly = names.length > 0 && names.every((n) => n.isTypeOnly);
        }
        add(node.moduleSpecifier.text, !typeOnly);
      } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        add(node.moduleSpecifier.text, !node.isTypeOnly);
      } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
        const [arg] = node.arguments;
        if (arg && ts.isStringLiteral(arg)) add(arg.text, true);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return edges;
}

/** The top-level folder of a source path ('complaints/store.ts' → 'complaints'; 'main.ts' → 'main.ts'). */
export function topFolder(path: string): string {
  return path.split('/')[0] ?? path;
}

/** The cycles (strongly connected components of two or more nodes) of a directed graph. */
export function cycles(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (v: string) => {
    indices.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indices.get(w)!));
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) connect(v);
  return found;
}
