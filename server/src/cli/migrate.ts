import { loadConfig } from '../config.ts';
import { openPglite, openPostgres } from '../db/database.ts';
import { migrate, pendingMigrations } from '../db/migrate.ts';

/**
 * `npm run migrate`: applies the pending migrations and exits, so operators can run them in a
 * window of their choosing and start instances with MIGRATE_ON_START=false.
 * `npm run migrate -- --status` lists what is pending without applying anything.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const db = config.databaseUrl ? await openPostgres(config.databaseUrl, 2) : await openPglite(config.dataDir);
  try {
    if (process.argv.includes('--status')) {
      const pending = await pendingMigrations(db);
      process.stdout.write(pending.length ? `pending: ${pending.join(', ')}\n` : 'up to date\n');
      return;
    }
    const started = performance.now();
    const applied = await migrate(db);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(applied.length ? `applied in ${seconds} s: ${applied.join(', ')}\n` : 'up to date\n');
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  process.stderr.write(`migrate failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
