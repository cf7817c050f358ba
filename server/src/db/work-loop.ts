/**
 * Runs `round` again and again until stopped: at once while rounds report a full batch (there is
 * more waiting), else after `intervalMs`. Errors are reported and the loop goes on. The SLA
 * sweeper and the outbox dispatcher are both such loops.
 */
export function startWorkLoop(round: () => Promise<{ full: boolean }>, intervalMs: number, onError?: (error: unknown) => void): { stop: () => Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> = Promise.resolve();
  const next = async () => {
    if (stopped) return;
    let full = false;
    try {
      full = (await round()).full;
    } catch (error) {
      onError?.(error);
    }
    if (!stopped) timer = setTimeout(() => (running = next()), full ? 0 : intervalMs);
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
