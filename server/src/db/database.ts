import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import pg from 'pg';
import type { ReadRouting } from './replica.ts';
import { connectMarked, isReadOnly, NothingSent, releaseClient, unwrap, withRetry } from './retry.ts';

/** Anything that runs a query: the pool, or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

/** The process's one database handle, whichever engine is behind it. */
export interface Database {
  kind: 'pglite' | 'postgres';
  /** The embedded engine, when kind is 'pglite' (for dumps in tests and backups). */
  lite?: PGlite;
  pool: pg.Pool;
  /**
   * For reads that tolerate a little staleness (public tracking status, the public portal and Open311 listing,
   * dashboards, published cards and their exports): a replica's pool when DATABASE_REPLICA_URL
   * is set and the replica is up and within its lag bound, else the primary (`pool` itself when
   * there is no replica). Never for writes, transactions or a read right after a write.
   */
  reads: Pick<pg.Pool, 'query'>;
  /** Set when reads are routed to a replica (see db/replica.ts). */
  readRouting?: ReadRouting;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  /**
   * Calls `onPayload` for every NOTIFY on `channel` (delivered when the notifying transaction
   * commits). On a server this is one dedicated connection per call, re-opened after a drop
   * (then `onReconnect` runs, since notifications sent meanwhile are lost); on PGlite it is the
   * engine's in-process notification hook. Returns a function that stops listening.
   */
  listen(channel: string, onPayload: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

// timestamptz → Date is pg's default; int8 (bigserial ids, counts) → number, since our
// counts stay far below 2^53 and strings would leak into every JSON reply.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

/**
 * Runs `work` on one pooled client between BEGIN and COMMIT (ROLLBACK when it throws). A
 * serialization failure or deadlock runs it again (twice at most); after that the caller gets
 * the error, which the HTTP layer answers 409 try_again.
 */
async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await transactOnce(pool, work);
    } catch (error) {
      if (attempt >= 3 || !isRetryable(error)) throw error;
    }
  }
}

/** Serialization failure and deadlock: the next attempt usually succeeds. */
function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40001' || code === '40P01';
}

/**
 * One attempt: when the connection cannot be had or dies at BEGIN (a failover under way),
 * nothing has been done yet, so it waits and starts again; a failure later is the caller's.
 */
async function transactOnce<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const once = async () => {
    const client = await connectMarked(pool);
    let failure: unknown;
    try {
      await client.query('BEGIN').catch((error: unknown) => {
        throw new NothingSent(error);
      });
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      failure = error;
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      releaseClient(client, failure);
    }
  };
  return withRetry(once, (error) => error instanceof NothingSent).catch((error: unknown) => {
    throw unwrap(error);
  });
}

/**
 * On a server behind HAProxy, a pool-level query survives a failover by itself where repeating
 * it is harmless: always when no connection could be had (nothing was sent), and for reads also
 * when the connection died under them. Writes cut mid-flight go to the caller (an intake retried
 * with its Idempotency-Key is harmless; see docs/operations.md).
 */
function retryPoolQueries(pool: pg.Pool): void {
  const original = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  // No named closure per query (tsx names each one at run time) and no regex over the SQL
  // unless a connection error asks whether the statement may be repeated.
  const retrying = (...args: unknown[]) => {
    if (typeof args[args.length - 1] === 'function') return original(...args);
    return withRetry(
      () => queryOnce(pool, args),
      (error) => error instanceof NothingSent || isReadOnly(sqlText(args[0])),
    ).catch(rethrowUnwrapped);
  };
  (pool as unknown as { query: typeof retrying }).query = retrying;
}

/** One pool-level query on a client of its own; a client whose connection broke is destroyed. */
async function queryOnce(pool: pg.Pool, args: unknown[]): Promise<unknown> {
  const client = await connectMarked(pool);
  let failure: unknown;
  try {
    return await (client.query as (...a: unknown[]) => Promise<unknown>)(...args);
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    releaseClient(client, failure);
  }
}

function sqlText(first: unknown): string {
  return typeof first === 'string' ? first : ((first as { text?: string } | null)?.text ?? '');
}

function rethrowUnwrapped(error: unknown): never {
  throw unwrap(error);
}

function wrap(kind: Database['kind'], pool: pg.Pool, onClose: () => Promise<void>, listen: Database['listen']): Database {
  return {
    kind,
    pool,
    reads: pool,
    transaction: (work) => inTransaction(pool, work),
    listen,
    async close() {
      await pool.end();
      await onClose();
    },
  };
}

/** How a server pool behaves; the defaults suit the primary. */
export interface PoolOptions {
  /** Retry pool queries across a failover (below); off for a replica, whose reads fall back to the primary instead. */
  retry?: boolean;
  /** Run `SELECT 1` before returning (a primary that cannot be reached stops the start). */
  probe?: boolean;
  connectionTimeoutMillis?: number;
}

/** Connects to a PostgreSQL server. */
export async function openPostgres(url: string, poolSize = 10, options: PoolOptions = {}): Promise<Database> {
  // A bounded wait for a connection: during a failover a request fails (or retries) instead of hanging.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: options.connectionTimeoutMillis ?? 10_000, keepAlive: true });
  pool.on('error', () => undefined); // an idle client dropped by the server is replaced on next use
  // A checked-out client between two queries has no listener of the pool's: when the server goes
  // away (a failover's 57P01) its 'error' event would crash the process. Its next query fails
  // instead, and the client is destroyed when released (see db/retry.ts).
  pool.on('connect', (client) => client.on('error', () => undefined));
  if (options.retry !== false) retryPoolQueries(pool);
  if (options.probe !== false) await pool.query('SELECT 1');
  const listeners = new Set<() => Promise<void>>();
  return wrap(
    'postgres',
    pool,
    async () => {
      await Promise.all([...listeners].map((stop) => stop()));
    },
    async (channel, onPayload, onReconnect) => {
      const stop = await listenOnServer(url, channel, onPayload, onReconnect);
      const tracked = async () => {
        listeners.delete(tracked);
        await stop();
      };
      listeners.add(tracked);
      return tracked;
    },
  );
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * LISTEN on a connection of its own (outside the pool: a pooled client would be handed to other
 * queries, and LISTEN belongs to a session). A dropped connection is re-opened with backoff.
 */
async function listenOnServer(url: string, channel: string, onPayload: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>> {
  if (!CHANNEL.test(channel)) throw new Error(`bad channel name ${channel}`);
  let client: pg.Client | null = null;
  let stopped = false;
  let delayMs = 250;
  let timer: NodeJS.Timeout | null = null;
  const connect = async () => {
    const next = new pg.Client({ connectionString: url });
    next.on('notification', (message) => {
      if (message.channel === channel && message.payload !== undefined) onPayload(message.payload);
    });
    next.on('error', () => undefined); // 'end' follows and re-opens it
    next.on('end', () => {
      if (client === next) retry();
    });
    await next.connect();
    await next.query(`LISTEN ${channel}`);
    if (stopped) {
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
    delayMs = 250;
  };
  const retry = () => {
    client = null;
    if (stopped || timer) return;
    timer = setTimeout(async () => {
      timer = null;
      if (stopped) return;
      try {
        await connect();
        onReconnect?.();
      } catch {
        delayMs = Math.min(delayMs * 2, 30_000);
        retry();
      }
    }, delayMs);
    timer.unref();
  };
  await connect();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    const current = client;
    client = null;
    await current?.end().catch(() => undefined);
  };
}

/**
 * Opens the embedded PostgreSQL (PGlite) in `dataDir` (or in memory when null).
 * PGlite is one session in one process: a lock file refuses a second process on the same
 * folder, and the pool has exactly one connection so transactions never interleave.
 */
export async function openPglite(dataDir: string | null, options: { loadDataDir?: Blob } = {}): Promise<Database> {
  let releaseLock = () => {};
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    releaseLock = takeLock(join(dataDir, 'foad.lock'));
  }
  const lite = await PGlite.create({
    // Agency search ranks by trigram similarity (migration 021); a server has pg_trgm in contrib.
    extensions: { pg_trgm },
    ...(dataDir ? { dataDir: join(dataDir, 'pg') } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  const pool = new pg.Pool({ ...createPgConfig(lite), max: 1 } as pg.PoolConfig);
  guardImplicitTransactions(pool);
  const db = wrap(
    'pglite',
    pool,
    async () => {
      await lite.close();
      releaseLock();
    },
    // One session in one process: LISTEN on it (through the pool, so it never lands inside
    // someone's open transaction) and take the engine's notification hook.
    async (channel, onPayload) => {
      if (!CHANNEL.test(channel)) throw new Error(`bad channel name ${channel}`);
      const off = lite.onNotification((name, payload) => {
        if (name === channel) onPayload(payload);
      });
      await pool.query(`LISTEN ${channel}`);
      return async () => {
        off();
      };
    },
  );
  db.lite = lite;
  return db;
}

/**
 * PGlite 0.5's node-postgres adapter loses its connection state when a parameterised query
 * fails *outside* a transaction (a unique violation, say): every later query on the pool then
 * fails with "Connection terminated unexpectedly" / "unexpected rowDescription". Inside an
 * explicit transaction the same error is harmless. So on PGlite every pool-level query runs in
 * its own BEGIN … COMMIT — free in-process, and the semantics of a single statement are unchanged.
 */
function guardImplicitTransactions(pool: pg.Pool): void {
  const guarded = (...args: unknown[]) => inTransaction(pool, (client) => (client.query as (...a: unknown[]) => Promise<unknown>)(...args));
  (pool as unknown as { query: typeof guarded }).query = guarded;
}

function takeLock(path: string): () => void {
  try {
    const fd = openSync(path, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
  } catch {
    const owner = Number(readFileSync(path, 'utf8'));
    if (owner && owner !== process.pid && processAlive(owner)) {
      throw new Error(
        `The embedded database in ${path.replace(/foad\.lock$/, '')} is in use by process ${owner}. ` +
          'Stop it first, or set DATA_DIR to another folder, or DATABASE_URL to a PostgreSQL server.',
      );
    }
    // A stale lock from a process that died (kill -9): take it over.
    rmSync(path, { force: true });
    return takeLock(path);
  }
  return () => rmSync(path, { force: true });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
