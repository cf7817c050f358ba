import { startWorkLoop } from '../db/work-loop.ts';
import type { Triage } from './service.ts';

/**
 * The triage refit worker: trains the model when the instance starts (so the first operator does
 * not wait) and refits it every `hours` from the shipped texts and all operator referrals, so
 * instances that each learnt only their own operators' choices online converge. Per instance:
 * the model lives in memory, nothing is written.
 */
export function startTriageRetrainer(
  triage: Triage,
  options: { hours: number; onTrained?: (examples: number) => void; onError?: (error: unknown) => void },
): { stop: () => Promise<void> } {
  // 0 hours: train once at start; online steps only after that.
  const intervalMs = options.hours > 0 ? options.hours * 3_600_000 : 2_147_483_647;
  return startWorkLoop(
    async () => {
      const model = await triage.retrain();
      options.onTrained?.(model.size);
      return { full: false };
    },
    intervalMs,
    options.onError,
  );
}
