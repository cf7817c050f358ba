/**
 * Runs `round` again and again until stopped: at once while rounds report a full batch (there is
 * more waiting), else after `intervalMs` — or sooner, when the round says when its next work
 * falls due (`nextInMs`: the SLA sweeper wakes exactly at the next deadline). Errors are reported
 * and the loop goes on. The SLA sweeper and the outbox dispatcher are both such loops.
 */
export function startWorkLoop(
  round: () => Promise<{ full: boolean; nextInMs?: number | null }>,
  intervalMs: number,
  onError?: (error: unknown) => void,
): { stop: () => Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  const next = async () => {
    if (stopped) return;
    let delay = intervalMs;
    try {
      const result = await round();
      if (result.full) delay = 0;
      else if (result.nextInMs != null) delay = Math.max(0, Math.min(intervalMs, Math.ceil(result.nextInMs)));
    } catch (error) {
      onError?.(error);
    }
    if (!stopped) timer = setTimeout(() => (running = next()), delay);
  };
  running = next();
  return {
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
