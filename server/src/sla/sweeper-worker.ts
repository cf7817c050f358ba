import type { ChangeSettings } from '../complaints/apply-command.ts';
import { systemClock } from '../core/clock.ts';
import type { Database } from '../db/database.ts';
import { startWorkLoop } from '../db/work-loop.ts';
import { fireDueBatch } from './escalate.ts';
import { holdBackTimers, nextDueAt } from './store.ts';

/*
 * The SLA sweeper, a worker: it decides *when* due deadlines fire and isolates a failing
 * complaint; what firing does is the escalation use case (escalate.ts). It runs `concurrency`
 * lanes, each on its own: a lane fires a batch, goes again at once (the batch may grow) while its
 * batches come back full, and otherwise sleeps until the next deadline falls due — read from the
 * timers, at most `intervalMs` — so a deadline does not wait for a poll, and a slow batch in one
 * lane does not hold the others back. Lanes and instances take disjoint batches (SKIP LOCKED).
 */

export interface SweepOptions {
  settings: ChangeSettings;
  /** Due timers claimed per batch (one transaction). */
  batchSize?: number;
  /**
   * How large a lane's batch may grow while its batches come back full (a backlog). Default
   * `batchSize`: no growth — on a starved machine a batch's time grew with its size (issue 14).
   */
  maxBatchSize?: number;
  /** How long a complaint whose timers failed to fire is held back before it is tried again. */
  leaseSeconds?: number;
  /** Batches fired side by side (each its own transaction and connection): lanes of the sweeper, a round of `sweepOnce`; 1 on PGlite. */
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

/**
 * Runs the sweeper until stopped: `concurrency` lanes, each firing a batch, at once again while
 * its batches come back full (the batch doubling up to `maxBatchSize`, back to `batchSize` once
 * the backlog is gone), else asleep until the next deadline falls due (at most `intervalMs`).
 */
export function startSweeper(db: Database, options: SweepOptions & { intervalMs: number }): { stop: () => Promise<void> } {
  const lanes = db.kind === 'pglite' ? 1 : Math.max(1, options.concurrency ?? 2);
  const base = options.batchSize ?? 200;
  const most = Math.max(base, options.maxBatchSize ?? base);
  const clock = options.settings.clock ?? systemClock;
  const loops = Array.from({ length: lanes }, (_, lane) => {
    let limit = base;
    return startWorkLoop(
      async () => {
        const { claimed } = await fireBatchIsolating(db, { ...options, batchSize: limit });
        const full = claimed >= limit;
        limit = full ? Math.min(most, limit * 2) : base;
        if (full) return { full };
        // The first lane watches for the next deadline; the others join it when they find work
        // (at their next poll), so a quiet stream of deadlines does not wake every lane each time.
        if (lane > 0 && claimed === 0) return { full };
        const now = clock.now();
        const next = await nextDueAt(db.pool, now);
        return { full, nextInMs: next === null ? null : next.getTime() - now.getTime() };
      },
      options.intervalMs,
      options.onError,
    );
  });
  return { stop: async () => void (await Promise.all(loops.map((loop) => loop.stop()))) };
}
