import type { StorageAdapter } from 'grammy';
import type { Queryable } from '../../db/database.ts';

/** A conversation left alone this long starts over (its half-filled draft is ignored, then overwritten). */
export const SESSION_MAX_AGE_HOURS = 24;

/**
 * grammY session storage in the `bot_sessions` table (migration 004): one small JSON row per
 * chat, so a half-filed complaint survives a restart and any instance can take the next update.
 */
export class DatabaseSessionStorage<T> implements StorageAdapter<T> {
  constructor(
    private readonly db: Queryable,
    private readonly maxAgeHours = SESSION_MAX_AGE_HOURS,
  ) {}

  async read(key: string): Promise<T | undefined> {
    const { rows } = await this.db.query<{ data: T }>({
      name: 'bot-session-read',
      text: 'SELECT data FROM bot_sessions WHERE key = $1 AND updated_at > now() - make_interval(hours => $2)',
      values: [key, this.maxAgeHours],
    });
    return rows[0]?.data;
  }

  async write(key: string, value: T): Promise<void> {
    await this.db.query({
      name: 'bot-session-write',
      text: `INSERT INTO bot_sessions (key, data, updated_at) VALUES ($1, $2::jsonb, now())
             ON CONFLICT (key) DO UPDATE SET data = EXCLUDED.data, updated_at = now()`,
      values: [key, JSON.stringify(value)],
    });
  }

  async delete(key: string): Promise<void> {
    await this.db.query({ name: 'bot-session-delete', text: 'DELETE FROM bot_sessions WHERE key = $1', values: [key] });
  }
}

/** Housekeeping: removes conversations idle for longer than the session lifetime. Returns how many. */
export async function pruneBotSessions(db: Queryable, maxAgeHours = SESSION_MAX_AGE_HOURS): Promise<number> {
  const result = await db.query('DELETE FROM bot_sessions WHERE updated_at < now() - make_interval(hours => $1)', [maxAgeHours]);
  return result.rowCount ?? 0;
}
