import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { type Config, loadConfig } from '../src/config.ts';
import type { Clock } from '../src/core/clock.ts';
import { type Database, openPglite, openPostgres } from '../src/db/database.ts';
import { type App, buildApp } from '../src/http/app.ts';
import { MemoryProvider } from '../src/notifications/provider.ts';

export interface Harness {
  app: App;
  db: Database;
  config: Config;
  sms: MemoryProvider;
  close(): Promise<void>;
}

/** A fresh database for this test file: a copy of the migrated template (PGlite dump or server template). */
export async function testDatabase(): Promise<{ db: Database; url: string | null; drop: () => Promise<void> }> {
  const template = inject('pgTemplate');
  const adminUrl = inject('pgAdminUrl');
  if (template && adminUrl) {
    const name = `foad_t_${process.ppid}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const db = await openPostgres(url.toString(), 8);
    return {
      db,
      url: url.toString(),
      drop: async () => {
        await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end();
      },
    };
  }
  const dump = readFileSync(inject('pgliteDump')!);
  const db = await openPglite(null, { loadDataDir: new Blob([dump]) });
  return { db, url: null, drop: async () => undefined };
}

/** The whole HTTP app on a fresh database, with SMS captured in memory (and the clock given, if any). */
export async function startHarness(env: Record<string, string> = {}, options: { clock?: Clock } = {}): Promise<Harness> {
  const { db, drop } = await testDatabase();
  const config = loadConfig({ NODE_ENV: 'test', SMS_PROVIDER: 'memory', PUBLIC_RATE_LIMIT: '10000', INTAKE_RATE_LIMIT: '10000', ...env });
  const sms = new MemoryProvider();
  if (options.clock) config.clock = options.clock;
  const app = await buildApp({ config, db, notifications: sms });
  await app.ready();
  return {
    app,
    db,
    config,
    sms,
    close: async () => {
      await app.close();
      await db.close();
      await drop();
    },
  };
}
