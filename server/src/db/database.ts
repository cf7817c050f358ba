import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import pg from 'pg';

/** Anything that runs a query: the pool, or a client inside a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

/** The process's one database handle, whichever engine is behind it. */
export interface Database {
  kind: 'pglite' | 'postgres';
  /** The embedded engine, when kind is 'pglite' (for dumps in tests and backups). */
  lite?: PGlite;
  pool: pg.Pool;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// timestamptz → Date is pg's default; int8 (bigserial ids, counts) → number, since our
// counts stay far below 2^53 and strings would leak into every JSON reply.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

/** Runs `work` on one pooled client between BEGIN and COMMIT (ROLLBACK when it throws). */
async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function wrap(kind: Database['kind'], pool: pg.Pool, onClose: () => Promise<void>): Database {
  return {
    kind,
    pool,
    transaction: (work) => inTransaction(pool, work),
    async close() {
      await pool.end();
      await onClose();
    },
  };
}

/** Connects to a PostgreSQL server. */
export async function openPostgres(url: string, poolSize = 10): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  pool.on('error', () => undefined); // an idle client dropped by the server is replaced on next use
  await pool.query('SELECT 1');
  return wrap('postgres', pool, async () => undefined);
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
    ...(dataDir ? { dataDir: join(dataDir, 'pg') } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
  });
  const pool = new pg.Pool({ ...createPgConfig(lite), max: 1 } as pg.PoolConfig);
  guardImplicitTransactions(pool);
  const db = wrap('pglite', pool, async () => {
    await lite.close();
    releaseLock();
  });
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
