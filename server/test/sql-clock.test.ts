import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from './import-graph.ts';

/*
 * One clock in SQL too (issue 13; docs/architecture.md, "One clock"): business time reaches a
 * query as a parameter taken from the injected clock, never as the database server's own time.
 * Reads the string and template literals of every file under server/src with the TypeScript
 * parser (so comments and JavaScript calls such as `clock.now()` are not SQL); no database.
 */

const SRC = join(import.meta.dirname, '..', 'src');

/** The database server's clock in SQL: now(), current_timestamp, clock_timestamp() and kin, localtimestamp, 'now'. */
const SQL_NOW = /(?<![\w.$])(?:now\s*\(\s*\)|current_timestamp\b|(?:clock|statement|transaction)_timestamp\s*\(|localtimestamp\b|'now')/i;

/**
 * Files whose SQL still reads the server's clock, each with why that is infrastructure time (the
 * database's own bookkeeping), not business time. Shrink it; the stale check keeps it honest.
 */
const SQL_NOW_ALLOWED = new Map<string, string>([
  ['db/migrate.ts', 'schema_migrations.applied_at: when this server ran a migration'],
  ['db/replica.ts', "replica lag: the replica's clock against its own replay timestamp"],
  ['metrics/metrics.ts', 'operational metrics (sweeper lag, outbox age, intake rate) as the server sees them now'],
  ['notifications/outbox-store.ts', 'delivery leases, retry backoff and the sent stamp; the due time comes from the clock when the dispatcher gives one'],
  ['events/projection-store.ts', "a new outbox message's first delivery attempt is 'at once' unless quiet hours (clock time) hold it"],
  ['channels/smpp/store.ts', "when the SMSC's delivery receipt arrived (transport bookkeeping)"],
]);

/** The text of every string and template literal in a source file (template parts without their `${}`). */
function literalTexts(file: string, text: string): string[] {
  const out: string[] = [];
  const visit = (node: ts.Node) => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateHead(node) ||
      ts.isTemplateMiddle(node) ||
      ts.isTemplateTail(node)
    ) {
      out.push(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true));
  return out;
}

const found = new Map<string, string[]>();
/** The literals of a file that read the server's clock (each file parsed once). */
function sqlNowIn(file: string): string[] {
  let hits = found.get(file);
  if (!hits) {
    hits = literalTexts(file, readFileSync(join(SRC, file), 'utf8')).filter((s) => SQL_NOW.test(s));
    found.set(file, hits);
  }
  return hits;
}

describe('one clock in SQL', () => {
  const files = sourceFiles(SRC);

  it('recognises the server clock in SQL, not in JavaScript or comments (the check is not vacuous)', () => {
    for (const sql of [
      'expires_at > now()',
      'SET read_at = COALESCE(read_at, NOW ())',
      'DEFAULT CURRENT_TIMESTAMP',
      'clock_timestamp()',
      'localtimestamp',
      "'now'::timestamptz",
    ])
      expect(SQL_NOW.test(sql), sql).toBe(true);
    for (const js of ['clock.now()', 'config.clock.now()', 'this.clock.now()', 'snow()', '$2::timestamptz - interval'])
      expect(SQL_NOW.test(js), js).toBe(false);
    const source = [
      "// the server's now() is not used here",
      'const at = clock.now();',
      "await db.query('SELECT 1 WHERE expires_at > now()', []);",
      'await db.query(`SELECT $' + "{cols} FROM t WHERE at > now() - interval '1 hour'`);", // a template with a placeholder
      "await db.query('SELECT 1 WHERE expires_at > $1', [clock.now()]);",
    ].join('\n');
    expect(literalTexts('example.ts', source).filter((s) => SQL_NOW.test(s))).toEqual([
      'SELECT 1 WHERE expires_at > now()',
      " FROM t WHERE at > now() - interval '1 hour'",
    ]);
    expect(files.length).toBeGreaterThan(200);
    expect(sqlNowIn('metrics/metrics.ts').length).toBeGreaterThan(0);
  });

  it('no now() / current_timestamp / clock_timestamp() / localtimestamp in SQL of server/src outside the allow-list', () => {
    const bad = files.filter((f) => !SQL_NOW_ALLOWED.has(f)).flatMap((f) => sqlNowIn(f).map((sql) => `${f}: ${sql.trim().slice(0, 120)}`));
    expect(bad).toEqual([]);
  });

  it('the allow-list names only files whose SQL still reads the server clock', () => {
    const stale = [...SQL_NOW_ALLOWED.keys()].filter((f) => !files.includes(f) || sqlNowIn(f).length === 0);
    expect(stale).toEqual([]);
  });
});
