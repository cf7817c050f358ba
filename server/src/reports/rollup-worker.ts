import type { Database } from '../db/database.ts';
import { startWorkLoop } from '../db/work-loop.ts';
import { foldRollups } from './store.ts';

/*
 * The report-rollup worker: it decides *when* the deltas that intake, staff commands and the SLA
 * sweeper append (the rollup trigger of migration 014, through the unit of work) are folded into
 * report_rollups. The fold itself is one SQL function under an advisory lock (one instance at a
 * time); report cards also fold before they read, so this only keeps the tables near the present.
 */

export interface RollupWorkerOptions {
  /** How often to fold when the last round was small. */
  intervalMs?: number;
  /** A round that folded at least this many deltas goes again at once: more are likely waiting. */
  busyAfter?: number;
  onError?: (error: unknown) => void;
  /** Told how many deltas each round folded. */
  onFold?: (deltas: number) => void;
}

/** Runs the fold until stopped: every `intervalMs` (5 s), at once again after a busy round. */
export function startRollupWorker(db: Database, options: RollupWorkerOptions = {}): { stop: () => Promise<void> } {
  const busyAfter = options.busyAfter ?? 50_000;
  return startWorkLoop(
    async () => {
      const folded = await foldRollups(db.pool);
      options.onFold?.(folded);
      return { full: folded >= busyAfter };
    },
    options.intervalMs ?? 5_000,
    options.onError,
  );
}
