import type { StorageAdapter } from 'grammy';
import { type Clock, systemClock } from '../../core/clock.ts';
import type { Queryable } from '../../db/database.ts';

/** A conversation left alone this long starts over (its half-filled draft is ignored, then overwritten). */
export const SESSION_MAX_AGE_HOURS = 24;

/**
 * grammY session storage in the `bot_sessions` table (migration 004): one small JSON row per
 * chat, so a half-filed complaint survives a restart and any instance can take the next update.
 * A conversation's age is the injected clock's time, not the database server's.
 */
export class DatabaseSessionStorage<T> implements StorageAdapter<T> {
  constructor(
    private readonly db: Queryable,
    private readonly clock: Clock = systemClock,
    private readonly maxAgeHours = SESSION_MAX_AGE_HOURS,
  ) {}

  async read(key: string): Promise<T | undefined> {
    const { rows } = await this.db.query<{ data: T }>({
      name: 'bot-session-read',
      text: 'SELECT data FROM bot_sessions WHERE key = $1 AND updated_at > $3::timestamptz - make_interval(hours => $2)',
      values: [key, this.maxAgeHours, this.clock.now()],
    });
    return rows[0]?.data;
  }

  async write(key: string, value: T): Promise<void> {
    await this.db.query({
      name: 'bot-session-write',
      text: `INSERT INTO bot_sessions (key, data, updated_at) VALUES ($1, $2::jsonb, $3)
             ON CONFLICT (key) DO UPDATE SET data = EXCLUDED.data, updated_at = EXCLUDED.updated_at`,
      values: [key, JSON.stringify(value), this.clock.now()],
    });
  }

  async delete(key: string): Promise<void> {
    await this.db.query({ name: 'bot-session-delete', text: 'DELETE FROM bot_sessions WHERE key = $1', values: [key] });
  }
}

/** Housekeeping: removes conversations idle for longer than the session lifetime. Returns how many. */
export async function pruneBotSessions(db: Queryable, now: Date, maxAgeHours = SESSION_MAX_AGE_HOURS): Promise<number> {
  const result = await db.query('DELETE FROM bot_sessions WHERE updated_at < $2::timestamptz - make_interval(hours => $1)', [maxAgeHours, now]);
  return result.rowCount ?? 0;
}
