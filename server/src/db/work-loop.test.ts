import { describe, expect, it } from 'vitest';
import { startWorkLoop } from './work-loop.ts';

describe('work loop', () => {
  it('runs at once while rounds are full, waits otherwise, survives errors and stops', async () => {
    const calls: number[] = [];
    const errors: unknown[] = [];
    let n = 0;
    const loop = startWorkLoop(
      async () => {
        n++;
        calls.push(Date.now());
        if (n === 2) throw new Error('round failed');
        return { full: n < 2 };
      },
      20,
      (e) => errors.push(e),
    );
    await new Promise((resolve) => setTimeout(resolve, 120));
    await loop.stop();
    const after = n;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(n).toBe(after); // stopped for good
    expect(n).toBeGreaterThanOrEqual(3); // went on after the failed round
    expect(errors).toHaveLength(1);
  });

  it('runs again when the round says its next work falls due, sooner than the interval', async () => {
    let n = 0;
    const loop = startWorkLoop(async () => {
      n++;
      return { full: false, nextInMs: 20 };
    }, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await loop.stop();
    expect(n).toBeGreaterThanOrEqual(3);
  });
});
