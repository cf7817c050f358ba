import { writeFileSync } from 'node:fs';
import { loadConfig } from '../config.ts';
import { openPglite } from '../db/database.ts';
import { buildApp } from '../http/app.ts';
import { MemoryProvider } from '../notifications/provider.ts';

/**
 * Writes the OpenAPI document generated from the route schemas to docs/openapi.json, so
 * integrators can read it without running the server. A test fails when it is stale.
 */
export async function openApiDocument(): Promise<string> {
  const db = await openPglite(null);
  const app = await buildApp({ config: loadConfig({ NODE_ENV: 'test' }), db, notifications: new MemoryProvider() });
  await app.ready();
  const text = `${JSON.stringify(app.swagger(), null, 2)}\n`;
  await app.close();
  await db.close();
  return text;
}

if (process.argv[1]?.endsWith('openapi.ts')) {
  openApiDocument().then((text) => {
    writeFileSync('docs/openapi.json', text);
    process.stdout.write('wrote docs/openapi.json\n');
  });
}
