import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cycles, type ImportEdge, importEdges, sourceFiles, topFolder } from './import-graph.ts';

/*
 * The shape of the code, checked (docs/architecture.md, "Floors"). Reads the imports of every
 * file under server/src with the TypeScript parser; no database.
 */

const SRC = join(import.meta.dirname, '..', 'src');

/**
 * The floors, bottom first. A module may import its own floor or any floor below it, never one
 * above. Top-level folders (and files) not named here are features (floor 3): they may import
 * one another, as long as no cycle forms between folders.
 */
const FLOORS: Record<string, number> = {
  domain: 0, // pure rules: no I/O, imports nothing outside domain/
  core: 1, // the vocabulary every floor shares: AppError and its codes, shared schemas, roles, scope
  db: 2, // the connection, migrations, the work loop, the SQL parameter helper
  http: 4, // the Fastify app and its error handler: turns AppError into a reply
  'main.ts': 5, // composition roots
  cli: 5,
};
const FEATURE_FLOOR = 3;

function floorOf(path: string): number {
  return FLOORS[topFolder(path)] ?? FEATURE_FLOOR;
}

const show = (e: ImportEdge) => `${e.from} → ${e.to}`;

describe('floors', () => {
  const edges = importEdges(SRC);

  it('reads the imports (the checks below are not vacuous)', () => {
    expect(edges.length).toBeGreaterThan(300);
    expect(edges.some((e) => e.from === 'main.ts' && e.to === 'http/app.ts')).toBe(true);
  });

  it('only the composition roots import http/', () => {
    const bad = edges.filter((e) => topFolder(e.to) === 'http' && !['http', 'main.ts', 'cli'].includes(topFolder(e.from)));
    expect(bad.map(show)).toEqual([]);
  });

  it('no module imports a floor above its own (type-only imports included)', () => {
    const bad = edges.filter((e) => floorOf(e.to) > floorOf(e.from));
    expect(bad.map(show)).toEqual([]);
  });

  it('no runtime import cycle between top-level folders', () => {
    const graph = new Map<string, Set<string>>();
    for (const e of edges) {
      const from = topFolder(e.from);
      const to = topFolder(e.to);
      if (!e.runtime || from === to) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)!.add(to);
    }
    const found = cycles(graph).map((cycle) => {
      const through = edges.filter(
        (e) => e.runtime && cycle.includes(topFolder(e.from)) && cycle.includes(topFolder(e.to)) && topFolder(e.from) !== topFolder(e.to),
      );
      return `${cycle.join(' ↔ ')}, through: ${through.slice(0, 20).map(show).join('; ')}`;
    });
    expect(found).toEqual([]);
  });

  it('the cycle finder finds a cycle', () => {
    const graph = new Map([
      ['a', new Set(['b'])],
      ['b', new Set(['c'])],
      ['c', new Set(['a'])],
      ['d', new Set(['a'])],
    ]);
    expect(cycles(graph)).toEqual([['a', 'b', 'c']]);
  });
});

/** A `.query(` / `.query<…>(` call, or a string that starts an SQL statement. */
const SQL = /\.query\s*[<(]|[`'"]\s*(SELECT|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|WITH\s+\w+\s+AS)\b/;

/** Where SQL belongs: the stores (`store.ts`, `*-store.ts`), db/ and seed/. */
function isSqlHome(path: string): boolean {
  return /^(db|seed)\//.test(path) || /(^|\/|-)store\.ts$/.test(path);
}

/**
 * Files that still hold SQL outside a store, each with its reason. Shrink it; never grow it.
 */
const SQL_ALLOWED = new Map<string, string>([
  // Operations: the health probe and metrics sample the database itself; the CLIs dump and verify it.
  ['ops/health.ts', 'database probe'],
  ['metrics/metrics.ts', 'database gauges'],
  ['cli/schema-sql.ts', 'schema dump'],
  ['cli/verify-chain.ts', 'chain check tool'],
  ['main.ts', 'composition root'],
  ['http/app.ts', 'readiness probe'],
  // Not moved yet (issue 13, "SQL only in stores"): use cases and workers still querying directly.
]);

describe('SQL lives in stores', () => {
  const files = sourceFiles(SRC);

  it('finds SQL where it is (the check is not vacuous)', () => {
    expect(files.filter((f) => isSqlHome(f) && SQL.test(readFileSync(join(SRC, f), 'utf8'))).length).toBeGreaterThan(20);
    expect(SQL.test("const { rows } = await db.query<{ id: string }>('SELECT 1', [])")).toBe(true);
    expect(SQL.test('const text = `\n  SELECT id FROM complaints`')).toBe(true);
    expect(SQL.test("the complaint's status")).toBe(false);
  });

  it('no SQL outside stores, db/ and seed/ (but the allow-list)', () => {
    const bad = files.filter((f) => !isSqlHome(f) && !SQL_ALLOWED.has(f) && SQL.test(readFileSync(join(SRC, f), 'utf8')));
    expect(bad).toEqual([]);
  });

  it('the allow-list names only files that still hold SQL', () => {
    const stale = [...SQL_ALLOWED.keys()].filter((f) => !files.includes(f) || !SQL.test(readFileSync(join(SRC, f), 'utf8')));
    expect(stale).toEqual([]);
  });
});

/** A statement that writes the complaint row: `INSERT INTO complaints (…)` or `UPDATE complaints … SET`. */
const COMPLAINT_WRITE = /\bINSERT\s+INTO\s+complaints\s*\(|\bUPDATE\s+complaints\b(\s+\w+)?\s+SET\b/i;

/**
 * The complaint row has one writer (docs/architecture.md, "The unit of work"): the projection
 * store, called by the unit of work. Others may read it, never write it — else a change could
 * move the row without its events, timers and messages.
 */
const COMPLAINT_WRITERS = new Map<string, string>([
  ['events/projection-store.ts', 'the one writer'],
  // The demo history is bulk-loaded into an empty database before anything runs, events and all.
  ['seed/demo-history-write.ts', 'demo history bulk load'],
]);

describe('one writer of the complaint row', () => {
  const files = sourceFiles(SRC).filter((f) => !f.includes('/migrations/'));

  it('recognises a write (the check is not vacuous)', () => {
    expect(COMPLAINT_WRITE.test('`UPDATE complaints c SET unit_path = u.path`')).toBe(true);
    expect(COMPLAINT_WRITE.test("'UPDATE complaints SET sla_policy_id = $2 WHERE id = $1'")).toBe(true);
    expect(COMPLAINT_WRITE.test('INSERT INTO complaints (id, tracking_code)')).toBe(true);
    expect(COMPLAINT_WRITE.test('INSERT INTO complaint_events (complaint_id)')).toBe(false);
    expect(COMPLAINT_WRITE.test('UPDATE complaint_events SET')).toBe(false);
    expect(files.filter((f) => COMPLAINT_WRITE.test(readFileSync(join(SRC, f), 'utf8')))).toContain('events/projection-store.ts');
  });

  it('no UPDATE complaints / INSERT INTO complaints outside events/projection-store.ts', () => {
    const bad = files.filter((f) => !COMPLAINT_WRITERS.has(f) && COMPLAINT_WRITE.test(readFileSync(join(SRC, f), 'utf8')));
    expect(bad).toEqual([]);
  });
});

/** A statement that appends to the event chain: `INSERT INTO complaint_events`. */
const EVENT_APPEND = /\bINSERT\s+INTO\s+complaint_events\b/i;

/**
 * Events are appended by the unit of work's stores only (docs/architecture.md, "The unit of
 * work"), so every event follows one path — chained on the locked head, the projection, timers,
 * outbox and the one live NOTIFY. Each other file, with its reason.
 */
const EVENT_WRITERS = new Map<string, string>([
  ['events/store.ts', 'insertChainedEvents, called only by the unit of work'],
  ['events/projection-store.ts', 'insertComplaint: the single-statement intake behind commitNew'],
  // The demo history is bulk-loaded into an empty database before anything runs, events and all.
  ['seed/demo-history-write.ts', 'demo history bulk load'],
]);

/** The store functions that write the chain or announce it, and the one module that may call them. */
const UOW_ONLY = ['insertChainedEvents', 'announceEvents', 'insertComplaint'];

describe('one path for complaint events', () => {
  const files = sourceFiles(SRC).filter((f) => !f.includes('/migrations/'));

  it('recognises an append (the check is not vacuous)', () => {
    expect(EVENT_APPEND.test('`INSERT INTO complaint_events (complaint_id, seq)')).toBe(true);
    expect(EVENT_APPEND.test('insert into  complaint_events')).toBe(true);
    expect(EVENT_APPEND.test('SELECT seq FROM complaint_events')).toBe(false);
    expect(files.filter((f) => EVENT_APPEND.test(readFileSync(join(SRC, f), 'utf8')))).toContain('events/store.ts');
  });

  it("no INSERT INTO complaint_events outside the unit of work's stores (but the listed exceptions)", () => {
    const bad = files.filter((f) => !EVENT_WRITERS.has(f) && EVENT_APPEND.test(readFileSync(join(SRC, f), 'utf8')));
    expect(bad).toEqual([]);
  });

  it('the chain writers of the stores are called only by events/unit-of-work.ts', () => {
    const callers = files.filter(
      (f) =>
        !['events/unit-of-work.ts', 'events/store.ts', 'events/projection-store.ts'].includes(f) &&
        UOW_ONLY.some((name) => new RegExp(`\\b${name}\\b`).test(readFileSync(join(SRC, f), 'utf8'))),
    );
    expect(callers).toEqual([]);
  });
});

/** Reading the wall clock directly: `new Date()` without arguments, or `Date.now()`. */
const WALL_CLOCK = /\bnew\s+Date\s*\(\s*\)|\bDate\.now\s*\(\s*\)/;

/**
 * Business time — deadlines, periods, satisfaction and appeal windows, report periods, rate
 * windows — comes from the one injected clock (core/clock.ts), so a test moves it with a
 * ManualClock instead of rewriting rows. Files that still read the wall clock, each with why it
 * is infrastructure time and not business time.
 */
const WALL_CLOCK_ALLOWED = new Map<string, string>([
  ['core/clock.ts', 'the system clock itself'],
  ['main.ts', 'in-flight request durations for the drain log'],
  ['db/retry.ts', 'retry budget and backoff across a failover'],
  ['sla/store.ts', 'TTL of the in-process policy and calendar caches'],
  ['agencies/names-store.ts', 'TTL of the in-process unit and province name cache'],
  ['channels/bots/bot.ts', 'TTL of the in-process division list cache'],
  ['channels/smpp/esme.ts', 'SMPP send timeouts and message ids'],
  ['channels/smpp/inbound.ts', 'SMPP message ids of reassembled texts'],
  ['channels/smpp/simulator.ts', 'the test SMSC: bind waits and refusal windows'],
  ['channels/sms/routes.ts', 'webhook signature timestamp skew (replay guard)'],
  ['auth/login.ts', 'TOTP time step (RFC 6238 counts wall time, like the authenticator app)'],
  ['cli/demo-totp.ts', 'prints the demo TOTP code and its seconds left'],
  ['partitions/maintain.ts', 'which monthly storage partitions to make ahead (storage, not business)'],
  ['seed/demo-history-write.ts', 'demo history is laid out back from the wall time when no time is given'],
]);

describe('one clock', () => {
  const files = sourceFiles(SRC).filter((f) => !f.includes('/migrations/') && !f.endsWith('.test.ts'));

  it('recognises a wall-clock read (the check is not vacuous)', () => {
    expect(WALL_CLOCK.test('const now = new Date();')).toBe(true);
    expect(WALL_CLOCK.test('if (Date.now() > deadline)')).toBe(true);
    expect(WALL_CLOCK.test('new Date(row.dueAt)')).toBe(false);
    expect(WALL_CLOCK.test('clock.now()')).toBe(false);
  });

  it('no new Date() / Date.now() in server/src outside the allow-list', () => {
    const bad = files.filter((f) => !WALL_CLOCK_ALLOWED.has(f) && WALL_CLOCK.test(readFileSync(join(SRC, f), 'utf8')));
    expect(bad).toEqual([]);
  });

  it('the allow-list names only files that still read the wall clock', () => {
    const stale = [...WALL_CLOCK_ALLOWED.keys()].filter((f) => !files.includes(f) || !WALL_CLOCK.test(readFileSync(join(SRC, f), 'utf8')));
    expect(stale).toEqual([]);
  });
});

const ROOT = join(SRC, '..', '..');
const MAX_LINES = 400;

/** Files over the limit for now, each with who is splitting it. */
const LONG_ALLOWED = new Map<string, string>([]);

describe('files a person can hold in their head', () => {
  it(`no source file over ${MAX_LINES} lines (migrations, generated files and tests aside)`, () => {
    const web = join(ROOT, 'web', 'src');
    const all = [
      ...sourceFiles(SRC).map((f) => `server/src/${f}`),
      ...sourceFiles(web, ['.ts', '.tsx']).map((f) => `web/src/${f}`),
      ...sourceFiles(join(ROOT, 'bench')).map((f) => `bench/${f}`),
      ...sourceFiles(join(ROOT, 'ops')).map((f) => `ops/${f}`),
    ].filter((f) => f !== 'web/src/api-schema.ts' && !f.includes('/migrations/'));
    expect(all.length).toBeGreaterThan(200);
    expect(all.some((f) => f.startsWith('bench/')) && all.some((f) => f.startsWith('ops/'))).toBe(true);
    const long = all.filter((f) => !LONG_ALLOWED.has(f) && readFileSync(join(ROOT, f), 'utf8').split('\n').length > MAX_LINES);
    expect(long).toEqual([]);
  });
});
