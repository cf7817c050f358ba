import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openApiDocument, WEB_API_TYPES, webApiTypes } from '../src/cli/openapi.ts';

describe('OpenAPI document', () => {
  it('docs/openapi.json and the web app’s generated types are current (run `npm run openapi` after changing a route schema)', async () => {
    const document = await openApiDocument();
    expect(readFileSync('docs/openapi.json', 'utf8')).toBe(document);
    expect(readFileSync(WEB_API_TYPES, 'utf8')).toBe(await webApiTypes(document));
    // Building the whole app and its document took over a minute on the shared two-core machine under load.
  }, 240_000);
});
