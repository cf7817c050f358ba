import { performance } from 'node:perf_hooks';
import pg from 'pg';

/**
 * The baseline measured in the same run, right after the sweep: the same number of raw UPDATEs
 * of the bench's timer rows, in transactions of `batchSize` rows, `lanes` side by side (as many as
 * the sweepers ran) — how fast this machine, at its present load, writes those rows with nothing
 * else (no claim, no decision, no events, projection or outbox). The sweeper's breaches/s over
 * this is the ratio the bench prints.
 */
export async function rawTimerUpdates(
  url: string,
  timers: { first: number; last: number },
  batchSize: number,
  lanes: number,
): Promise<{ rows: number; seconds: number; perSecond: number }> {
  const pool = new pg.Pool({ connectionString: url, max: lanes });
  pool.on('error', () => undefined);
  try {
    let from = timers.first;
    let rows = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: lanes }, async () => {
        const client = await pool.connect();
        try {
          while (from <= timers.last) {
            const lo = from;
            from += batchSize;
            await client.query('BEGIN');
            const r = await client.query('UPDATE sla_timers SET claimed_until = NULL WHERE id BETWEEN $1 AND $2', [
              lo,
              Math.min(timers.last, lo + batchSize - 1),
            ]);
            await client.query('COMMIT');
            rows += r.rowCount ?? 0;
          }
        } finally {
          client.release();
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return { rows, seconds, perSecond: rows / seconds };
  } finally {
    await pool.end();
  }
}
