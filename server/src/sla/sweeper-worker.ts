import type { ChangeSettings } from '../complaints/apply-command.ts';
import { systemClock } from '../core/clock.ts';
import type { Database } from '../db/database.ts';
import { startWorkLoop } from '../db/work-loop.ts';
import { fireDueBatch } from './escalate.ts';
import { holdBackTimers } from './store.ts';

/*
 * The SLA sweeper, a worker: it decides *when* due deadlines fire (every interval, at once again
 * while rounds come back full, batches side by side) and isolates a failing complaint; what
 * firing does is the escalation use case (escalate.ts).
 */

export interface SweepOptions {
  settings: ChangeSettings;
  /** Due timers claimed per batch (one transaction). */
  batchSize?: number;
  /** How long a complaint whose timers failed to fire is held back before it is tried again. */
  leaseSeconds?: number;
  /** Batches fired side by side per round (each its own transaction and connection); 1 on PGlite. */
  concurrency?: number;
  /** Told about a batch or a complaint that failed to fire (it is retried; nothing is lost). */
  onError?: (error: unknown) => void;
  /** Told after each committed batch: timers claimed, and the lag of its oldest deadline (for /metrics). */
  onBatch?: (batch: { claimed: number; lagSeconds: number | null }) => void;
}

/**
 * Fires one batch; if it fails, fires its complaints one by one so that one bad complaint does
 * not hold back the others, and holds back the timers of a complaint that fails on its own
 * (tried again after the lease, by any instance).
 */
async function fireBatchIsolating(db: Database, options: SweepOptions): Promise<{ claimed: number; fired: number }> {
  const limit = options.batchSize ?? 200;
  let claimedIds: string[] = [];
  try {
    const batch = await db.transaction((tx) => fireDueBatch(tx, options.settings, limit, { claimed: (ids) => (claimedIds = ids) }));
    if (batch.claimed > 0) options.onBatch?.({ claimed: batch.claimed, lagSeconds: batch.lagSeconds ?? null });
    return batch;
  } catch (error) {
    options.onError?.(error);
    let fired = 0;
    for (const id of claimedIds) {
      try {
        fired += (await db.transaction((tx) => fireDueBatch(tx, options.settings, limit, { onlyComplaintId: id }))).fired;
      } catch (error) {
        options.onError?.(error);
        await db.transaction((tx) => holdBackTimers(tx, id, options.leaseSeconds ?? 60, (options.settings.clock ?? systemClock).now())).catch(() => undefined);
      }
    }
    return { claimed: claimedIds.length, fired };
  }
}

/** One round: `concurrency` batches side by side (disjoint: SKIP LOCKED). Returns how many timers were claimed and fired. */
export async function sweepOnce(db: Database, options: SweepOptions): Promise<{ claimed: number; fired: number }> {
  const parallel = db.kind === 'pglite' ? 1 : Math.max(1, options.concurrency ?? 2);
  const results = await Promise.all(Array.from({ length: parallel }, () => fireBatchIsolating(db, options)));
  return { claimed: results.reduce((a, r) => a + r.claimed, 0), fired: results.reduce((a, r) => a + r.fired, 0) };
}

/** Runs the sweeper until stopped: a round every `intervalMs`, at once again while rounds come back full. */
export function startSweeper(db: Database, options: SweepOptions & { intervalMs: number; onError?: (error: unknown) => void }): { stop: () => Promise<void> } {
  return startWorkLoop(async () => ({ full: (await sweepOnce(db, options)).claimed >= (options.batchSize ?? 200) }), options.intervalMs, options.onError);
}
