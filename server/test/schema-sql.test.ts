import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { SCHEMA_SQL, schemaSql } from '../src/cli/schema-sql.ts';

const serverUrl = inject('pgAdminUrl');

describe('docs/schema.sql', () => {
  // pg_dump needs a PostgreSQL server: this runs in the server pass of the suite (CI runs both
  // passes), not on embedded PGlite, which has no pg_dump of the same version.
  it.skipIf(!serverUrl)('is what the migrations produce (run `npm run schema` after adding a migration)', async () => {
    expect(readFileSync(SCHEMA_SQL, 'utf8')).toBe(await schemaSql(serverUrl!));
  });
});
