import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../src/cli/openapi.ts';

describe('OpenAPI document', () => {
  it('docs/openapi.json is current (run `npm run openapi` after changing a route schema)', async () => {
    expect(readFileSync('docs/openapi.json', 'utf8')).toBe(await openApiDocument());
  });
});
