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
  /** Per transaction: ms inside the sweeper's work (from after BEGIN to before COMMIT): the rest of `transactionMs` is the connection, BEGIN and COMMIT. */
  workMs: number[];
  /** Claims (the `sla-claim` statement that opens each batch transaction), the due timers they returned, and their time. */
  claims: number;
  claimed: number;
  claimMs: number[];
  /** Client-side ms per statement kind inside fire transactions (round trip included): where a transaction's time goes. */
  byStatement: Map<string, { count: number; ms: number }>;
  /** The same sums over busy transactions only (their claim returned timers): idle polls left out. */
  busy: { transactions: number; acquireMs: number; workMs: number; totalMs: number; statementMs: Map<string, number> };
}

export function newInstrument(): Instrument {
  return {
    transactions: 0,
    failed: 0,
    firstError: null,
    statements: 0,
    acquireMs: [],
    transactionMs: [],
    workMs: [],
    claims: 0,
    claimed: 0,
    claimMs: [],
    byStatement: new Map(),
    busy: { transactions: 0, acquireMs: 0, workMs: 0, totalMs: 0, statementMs: new Map() },
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
      let claimedRows = 0;
      let acquired = 0;
      let worked = 0;
      const local = new Map<string, number>();
      try {
        return await db.transaction(async (client) => {
          const w0 = performance.now();
          acquired = w0 - t0;
          m.acquireMs.push(acquired);
          try {
            return await work(
              counting(client, (args, result) => {
                m.statements++;
                const label = statementLabel(args[0]);
                const started = performance.now();
                if (label === 'sla-claim') {
                  m.claims++;
                  result.then(
                    (r) => {
                      m.claimMs.push(performance.now() - started);
                      claimedRows = (r as pg.QueryResult).rowCount ?? 0;
                      m.claimed += claimedRows;
                    },
                    () => undefined,
                  );
                }
                const done = () => {
                  const entry = m.byStatement.get(label) ?? { count: 0, ms: 0 };
                  entry.count++;
                  entry.ms += performance.now() - started;
                  m.byStatement.set(label, entry);
                  local.set(label, (local.get(label) ?? 0) + performance.now() - started);
                };
                result.then(done, done);
              }),
            );
          } finally {
            worked = performance.now() - w0;
            m.workMs.push(worked);
          }
        });
      } catch (error) {
        m.failed++;
        m.firstError ??= error;
        throw error;
      } finally {
        const total = performance.now() - t0;
        m.transactionMs.push(total);
        if (claimedRows > 0) {
          m.busy.transactions++;
          m.busy.acquireMs += acquired;
          m.busy.workMs += worked;
          m.busy.totalMs += total;
          for (const [label, ms] of local) m.busy.statementMs.set(label, (m.busy.statementMs.get(label) ?? 0) + ms);
        }
      }
    },
  };
}

/** The phase a statement of a fire transaction belongs to. */
function phaseOf(label: string): string {
  if (label === 'sla-claim') return 'claim (FOR UPDATE SKIP LOCKED)';
  if (label === 'outbox-enqueue' || label === 'staff-alert-settings') return 'outbox writes';
  if (label === 'live-announce') return 'live NOTIFY';
  if (/^(sla-mark-fired|sla-cancel|sla-insert-timer|insert-chained-events|complaints-write-projections|sla-record-breaches)/.test(label)) {
    return 'unit of work writes';
  }
  if (label.startsWith('SET LOCAL')) return 'SET LOCAL';
  return 'reads (complaints, timers, units, policy, calendar, contexts)';
}

/**
 * Where a busy fire transaction's time goes (one whose claim returned timers; idle polls left
 * out), as mean ms per transaction: waiting for a connection, each phase's statements (client
 * side, round trip included), Node between statements (the decisions, hashing, JSON), and
 * BEGIN + COMMIT (the rest of the transaction).
 */
export function phases(m: Instrument): { phase: string; ms: number }[] {
  const n = Math.max(1, m.busy.transactions);
  const byPhase = new Map<string, number>();
  let statementsMs = 0;
  for (const [label, ms] of m.busy.statementMs) {
    byPhase.set(phaseOf(label), (byPhase.get(phaseOf(label)) ?? 0) + ms);
    statementsMs += ms;
  }
  return [
    { phase: 'wait for a connection', ms: m.busy.acquireMs / n },
    ...[...byPhase.entries()].sort((a, b) => b[1] - a[1]).map(([phase, ms]) => ({ phase, ms: ms / n })),
    { phase: 'Node between statements', ms: Math.max(0, m.busy.workMs - statementsMs) / n },
    { phase: 'BEGIN + COMMIT', ms: Math.max(0, m.busy.totalMs - m.busy.workMs - m.busy.acquireMs) / n },
  ];
}
