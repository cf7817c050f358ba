import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { openPostgres } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';

/** Where the committed schema lives; a test fails when it differs from what the migrations make. */
export const SCHEMA_SQL = 'docs/schema.sql';

/**
 * The schema the migrations produce, as `pg_dump --schema-only` prints it: migrates a scratch
 * database on the given server, dumps it and drops it. pg_dump (rather than a catalogue query of
 * our own) because it is the form a DBA reads and restores; the lines that name the pg_dump
 * version or carry its per-run `\restrict` key are dropped so the text depends only on the schema.
 */
export async function schemaSql(serverUrl: string): Promise<string> {
  const name = `foad_schema_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const db = await openPostgres(url.toString(), 1);
    await migrate(db);
    await db.close();
    const dump = execFileSync('pg_dump', ['--schema-only', '--no-owner', '--no-privileges', '--dbname', url.toString()], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    return `${dump
      .split('\n')
      .filter((line) => !/^-- Dumped (from|by) /.test(line) && !/^\\(un)?restrict /.test(line))
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim()}\n`;
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  writeFileSync(SCHEMA_SQL, await schemaSql(url));
  console.log(`wrote ${SCHEMA_SQL}`);
}
