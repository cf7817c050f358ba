import type { Database } from '../db/database.ts';
import { startWorkLoop } from '../db/work-loop.ts';
import { createMonthPartition, deleteDeliveredFromDefault, dropMonthPartition, type MonthPartitioned, monthPartitions } from './store.ts';

/** The tables partitioned by month (migrations 035 and 036). */
export const MONTH_PARTITIONED: MonthPartitioned[] = [
  { table: 'outbox', column: 'created_at' },
  { table: 'report_rollup_deltas', column: 'created_at' },
  { table: 'contact_read_counts', column: 'hour' },
];

export interface PartitionSettings {
  /** months made ahead of the current one (the DEFAULT partition catches the rest) */
  monthsAhead: number;
  /** whole months of delivered messages kept before the current one; 0 keeps them for ever */
  outboxRetentionMonths: number;
}

export interface PartitionRound {
  created: string[];
  dropped: string[];
  /** delivered messages removed (in dropped partitions and from the DEFAULT one) */
  removedMessages: number;
}

const monthStart = (at: Date, add: number) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + add, 1));

/**
 * One round of partition upkeep: this month's and the next `monthsAhead` months' partitions exist;
 * outbox months older than the retention are dropped whole, their undelivered rows (pending,
 * sending, dead) kept; emptied rollup-delta months are dropped (unfolded deltas kept).
 * Contact-read counts are an audit record and are never dropped here.
 */
export async function maintainPartitions(db: Database, settings: PartitionSettings, now = new Date()): Promise<PartitionRound> {
  const round: PartitionRound = { created: [], dropped: [], removedMessages: 0 };
  for (const p of MONTH_PARTITIONED) {
    for (let add = 0; add <= settings.monthsAhead; add++) {
      const month = monthStart(now, add);
      if (await createMonthPartition(db, p, month, now)) round.created.push(`${p.table}:${month.toISOString().slice(0, 7)}`);
    }
  }
  if (settings.outboxRetentionMonths > 0) {
    const cutoff = monthStart(now, -settings.outboxRetentionMonths);
    const outbox = MONTH_PARTITIONED[0]!;
    for (const partition of await monthPartitions(db.pool, 'outbox')) {
      if (partition.to > cutoff) continue;
      round.removedMessages += await dropMonthPartition(db, outbox, partition, "status <> 'sent'");
      round.dropped.push(partition.name);
    }
    let removed: number;
    do {
      removed = await deleteDeliveredFromDefault(db.pool, cutoff, 5000);
      round.removedMessages += removed;
    } while (removed === 5000);
  }
  const deltas = MONTH_PARTITIONED[1]!;
  for (const partition of await monthPartitions(db.pool, 'report_rollup_deltas')) {
    if (partition.to > monthStart(now, 0)) continue;
    await dropMonthPartition(db, deltas, partition, 'true');
    round.dropped.push(partition.name);
  }
  return round;
}

/** Runs `maintainPartitions` at start and then every `intervalMs` (an hour is plenty). */
export function startPartitionWorker(
  db: Database,
  options: PartitionSettings & { intervalMs: number; onRound?: (round: PartitionRound) => void; onError?: (error: unknown) => void },
): { stop: () => Promise<void> } {
  return startWorkLoop(
    async () => {
      const round = await maintainPartitions(db, options);
      if (round.created.length + round.dropped.length + round.removedMessages > 0) options.onRound?.(round);
      return { full: false };
    },
    options.intervalMs,
    options.onError,
  );
}
