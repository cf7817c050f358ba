import { performance } from 'node:perf_hooks';
import type pg from 'pg';
import type { Database } from '../../server/src/db/database.ts';

// ── The sweepers, on instrumented Database handles ────────────────────────────────────────────

export interface Instrument {
  /** Batch transactions started, and those that threw (the sweeper then fires that batch's complaints one by one). */
  transactions: number;
  failed: number;
  firstError: unknown;
  /** Statements sent inside fire transactions (BEGIN and COMMIT not included). */
  statements: number;
  /** Per transaction: ms waiting for a pooled connection, and ms from the call to COMMIT done. */
  acquireMs: number[];
  transactionMs: number[];
  /** Claims (the `sla-claim` statement that opens each batch transaction), the due timers they returned, and their time. */
  claims: number;
  claimed: number;
  claimMs: number[];
  /** Client-side ms per statement kind inside fire transactions (round trip included): where a transaction's time goes. */
  byStatement: Map<string, { count: number; ms: number }>;
}

export function newInstrument(): Instrument {
  return {
    transactions: 0,
    failed: 0,
    firstError: null,
    statements: 0,
    acquireMs: [],
    transactionMs: [],
    claims: 0,
    claimed: 0,
    claimMs: [],
    byStatement: new Map(),
  };
}

/** A short label for a statement: its prepared name, else the start of its text. */
export function statementLabel(query: unknown): string {
  if (typeof query === 'object' && query !== null) {
    const q = query as { name?: string; text?: string };
    if (q.name) return q.name;
    query = q.text ?? '?';
  }
  return String(query).replace(/\s+/g, ' ').trim().slice(0, 60);
}

/** Counts every `query` on a pool client (or the pool itself), passing everything else through. */
export function counting<T extends object>(target: T, onQuery: (args: unknown[], result: Promise<unknown>) => void): T {
  return new Proxy(target, {
    get(object, prop) {
      const value = Reflect.get(object, prop, object);
      if (prop === 'query' && typeof value === 'function') {
        return (...args: unknown[]) => {
          const result = (value as (...a: unknown[]) => Promise<unknown>).apply(object, args);
          onQuery(args, result);
          return result;
        };
      }
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
}

/** The sweeper sees the same Database; only timing and counting are added around it. */
export function instrumented(db: Database, m: Instrument): Database {
  return {
    kind: db.kind,
    pool: db.pool,
    reads: db.reads,
    close: () => db.close(),
    listen: (channel, onPayload, onReconnect) => db.listen(channel, onPayload, onReconnect),
    async transaction(work) {
      const t0 = performance.now();
      m.transactions++;
      try {
        return await db.transaction((client) => {
          m.acquireMs.push(performance.now() - t0);
          return work(
            counting(client, (args, result) => {
              m.statements++;
              const label = statementLabel(args[0]);
              const started = performance.now();
              if (label === 'sla-claim') {
                m.claims++;
                result.then(
                  (r) => {
                    m.claimMs.push(performance.now() - started);
                    m.claimed += (r as pg.QueryResult).rowCount ?? 0;
                  },
                  () => undefined,
                );
              }
              const done = () => {
                const entry = m.byStatement.get(label) ?? { count: 0, ms: 0 };
                entry.count++;
                entry.ms += performance.now() - started;
                m.byStatement.set(label, entry);
              };
              result.then(done, done);
            }),
          );
        });
      } catch (error) {
        m.failed++;
        m.firstError ??= error;
        throw error;
      } finally {
        m.transactionMs.push(performance.now() - t0);
      }
    },
  };
}
