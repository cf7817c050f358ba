import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPglite, openPostgres } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { seedReference } from '../src/seed/reference.ts';
import { seedSlaReference } from '../src/seed/sla.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PGlite mode: a migrated, reference-seeded data dir to clone per test file. */
    pgliteDump: string | null;
    /** Server mode: the template database every test file copies. */
    pgTemplate: string | null;
    pgAdminUrl: string | null;
  }
}

/**
 * Migrates and seeds reference data once per run; each test file then starts from a copy
 * (a PGlite data-dir dump, or `CREATE DATABASE … TEMPLATE` on the server), so files run in
 * parallel without sharing state.
 */
export default async function setup(project: TestProject) {
  const serverUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || '';
  if (serverUrl) {
    const template = `foad_template_${process.pid}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.query(`CREATE DATABASE ${template}`);
    const url = new URL(serverUrl);
    url.pathname = `/${template}`;
    const db = await openPostgres(url.toString(), 2);
    await migrate(db);
    await seedReference(db);
    await seedSlaReference(db);
    await db.close();
    project.provide('pgTemplate', template);
    project.provide('pgAdminUrl', serverUrl);
    project.provide('pgliteDump', null);
    return async () => {
      const leftovers = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'foad_t_${process.pid}_%' OR datname = $1`, [
        template,
      ]);
      for (const { datname } of leftovers.rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
      await admin.end();
    };
  }
  const db = await openPglite(null);
  await migrate(db);
  await seedReference(db);
  await seedSlaReference(db);
  const dump = Buffer.from(await (await db.lite!.dumpDataDir()).arrayBuffer());
  const path = join(tmpdir(), `foad-test-${process.pid}.tar`);
  writeFileSync(path, dump);
  await db.close();
  project.provide('pgliteDump', path);
  project.provide('pgTemplate', null);
  project.provide('pgAdminUrl', null);
}
