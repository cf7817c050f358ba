import type { Queryable } from '../db/database.ts';
import { insertOpen311Client } from './store.ts';
import { hashSecret, newToken } from './tokens.ts';

/** Creates an API key for a third-party Open311 app; the key is shown once, only its hash is kept. */
export async function createOpen311Client(db: Queryable, secret: string, name: string): Promise<string> {
  const key = newToken();
  await insertOpen311Client(db, name, hashSecret(key, secret));
  return key;
}
