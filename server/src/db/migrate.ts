import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './database.ts';

const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Applies the numbered SQL files in `migrations/` that have not run yet, all in one transaction
 * (a failing file leaves the schema as it was). Plain SQL (rather than a migration framework) so that the same files run
 * unchanged on PGlite and on a PostgreSQL server, and can be read by a DBA.
 * An advisory lock keeps two instances starting together from migrating twice.
 */
export async function migrate(db: Database): Promise<string[]> {
  const files = readdirSync(migrationsDir)
    .filter((name) => /^\d{3}_[a-z0-9_]+\.sql$/.test(name))
    .sort();
  const applied: string[] = [];
  await db.transaction(async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(128128)');
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((row) => row.name));
    for (const name of files) {
      if (done.has(name)) continue;
      await client.query(readFileSync(join(migrationsDir, name), 'utf8'));
      await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [name]);
      applied.push(name);
    }
  });
  return applied;
}

/** The migration files not yet applied (for /readyz, and instances that do not migrate at start). */
export async function pendingMigrations(db: Pick<Database, 'pool'>): Promise<string[]> {
  const files = readdirSync(migrationsDir).filter((name) => /^\d{3}_[a-z0-9_]+\.sql$/.test(name));
  const exists = await db.pool.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t");
  if (!exists.rows[0]?.t) return files.sort();
  const done = new Set((await db.pool.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((row) => row.name));
  return files.filter((name) => !done.has(name)).sort();
}
