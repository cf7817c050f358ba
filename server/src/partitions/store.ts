import type { Database, Queryable } from '../db/database.ts';

/** A table partitioned by month (migrations 035, 036), with the column it is partitioned by. */
export interface MonthPartitioned {
  table: 'outbox' | 'report_rollup_deltas' | 'contact_read_counts';
  column: 'created_at' | 'hour';
}

/** One month's partition: `<table>_pYYYYMM`, holding [from, to) in UTC. */
export interface MonthPartition {
  name: string;
  from: Date;
  to: Date;
}

/** `<table>_p202612` for December 2026 (UTC months: the boundaries need no time zone). */
export function partitionName(table: string, month: Date): string {
  return `${table}_p${month.getUTCFullYear()}${String(month.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The month partitions a table has now (its DEFAULT partition aside). */
export async function monthPartitions(db: Queryable, table: MonthPartitioned['table']): Promise<MonthPartition[]> {
  const { rows } = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = $1::regclass AND c.relname ~ '_p[0-9]{6}$' ORDER BY c.relname`,
    [table],
  );
  return rows.map(({ name }) => {
    const ym = name.slice(-6);
    const from = new Date(Date.UTC(Number(ym.slice(0, 4)), Number(ym.slice(4)) - 1, 1));
    return { name, from, to: new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1)) };
  });
}

// One lock for all partition changes: instances running the worker together take turns.
const PARTITION_LOCK = 128035;

/**
 * Creates the month's partition unless it exists. Rows of that month already in the DEFAULT
 * partition (the worker was down) are moved into it in the same transaction, since PostgreSQL
 * refuses to attach a range the DEFAULT partition holds rows of. The DEFAULT partition is locked
 * for the moment of the move so no row of the month can slip into it meanwhile.
 *
 * A month that has begun by `now` is being written: an INSERT routed to the DEFAULT partition
 * before the ATTACH (its partition map read then) and waiting for that lock would write its row
 * there after the ATTACH, where the DEFAULT's new bound refuses it — intake answered 400 on a
 * fresh database while the worker made the current month. So for such a month the table itself
 * is locked against writes (SHARE ROW EXCLUSIVE) before anything else: writers wait for the
 * commit and then route to the new partition. A month ahead takes no writes yet, so it keeps the
 * weaker lock and intake never waits while the ATTACH scans the DEFAULT partition.
 * Returns whether it created the partition.
 */
export async function createMonthPartition(db: Database, p: MonthPartitioned, month: Date, now: Date): Promise<boolean> {
  const name = partitionName(p.table, month);
  const start = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), 1));
  const from = start.toISOString();
  const to = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1)).toISOString();
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
    if ((await tx.query('SELECT to_regclass($1) AS t', [name])).rows[0]?.t) return false;
    await tx.query(`LOCK TABLE ${p.table} IN ${start <= now ? 'SHARE ROW EXCLUSIVE' : 'SHARE UPDATE EXCLUSIVE'} MODE`);
    await tx.query(`LOCK TABLE ${p.table}_default IN ACCESS EXCLUSIVE MODE`);
    await tx.query(`CREATE TABLE ${name} (LIKE ${p.table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
    await tx.query(
      `WITH moved AS (DELETE FROM ${p.table}_default WHERE ${p.column} >= '${from}' AND ${p.column} < '${to}' RETURNING *)
       INSERT INTO ${name} SELECT * FROM moved`,
    );
    await tx.query(`ALTER TABLE ${p.table} ATTACH PARTITION ${name} FOR VALUES FROM ('${from}') TO ('${to}')`);
    return true;
  });
}

/**
 * Drops a month's partition whole, after putting back into the table (so into the DEFAULT
 * partition) the rows `keep` selects: undelivered messages, unfolded deltas. Returns how many
 * rows were dropped with it.
 */
export async function dropMonthPartition(db: Database, p: MonthPartitioned, partition: MonthPartition, keep: string): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
    if (!(await tx.query('SELECT to_regclass($1) AS t', [partition.name])).rows[0]?.t) return 0;
    await tx.query(`ALTER TABLE ${p.table} DETACH PARTITION ${partition.name}`);
    await tx.query(`INSERT INTO ${p.table} SELECT * FROM ${partition.name} WHERE ${keep}`);
    const { rows } = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${partition.name} WHERE NOT (${keep})`);
    await tx.query(`DROP TABLE ${partition.name}`);
    return rows[0]?.n ?? 0;
  });
}

/**
 * Deletes delivered messages older than `before` that sit in the outbox's DEFAULT partition
 * (rows from before partitioning, or from months the worker was down), a batch at a time.
 */
export async function deleteDeliveredFromDefault(db: Queryable, before: Date, limit: number): Promise<number> {
  const result = await db.query(
    `DELETE FROM outbox_default WHERE (id, created_at) IN (
       SELECT id, created_at FROM outbox_default WHERE status = 'sent' AND created_at < $1 LIMIT $2)`,
    [before.toISOString(), limit],
  );
  return result.rowCount ?? 0;
}
