import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';

// Finding: with NODE_ENV=production the console SMS provider (printing one-time codes and phone
// numbers) and the demo seeding (a published password) still started.
const SECRET = 'x'.repeat(40);
const root = join(import.meta.dirname, '..', '..', '..');

describe('production refuses what is only for a developer', () => {
  it('the console (default) and memory SMS providers', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', FOAD_SECRET: SECRET })).toThrow(/SMS_PROVIDER=console .*NODE_ENV=production/);
    expect(() => loadConfig({ NODE_ENV: 'production', FOAD_SECRET: SECRET, SMS_PROVIDER: 'console' })).toThrow(/SMS_PROVIDER/);
    expect(() => loadConfig({ NODE_ENV: 'production', FOAD_SECRET: SECRET, SMS_PROVIDER: 'memory' })).toThrow(/SMS_PROVIDER/);
    // Development keeps them.
    expect(loadConfig({ NODE_ENV: 'development' })).toMatchObject({ smsProvider: 'console', seedDemo: true });
  });

  it('demo seeding', () => {
    const env = {
      NODE_ENV: 'production',
      FOAD_SECRET: SECRET,
      SMS_PROVIDER: 'http',
      SMS_GATEWAY_URL: 'https://sms.example',
      CHAIN_KEY: SECRET,
      CHECKPOINT_SIGNING_KEY: Buffer.alloc(32, 7).toString('base64'),
    };
    expect(loadConfig(env).seedDemo).toBe(false);
    expect(() => loadConfig({ ...env, SEED_DEMO: 'true' })).toThrow(/SEED_DEMO/);
  });

  it('the server itself exits at start with a clear message', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH, NODE_ENV: 'production', FOAD_SECRET: SECRET, DATA_DIR: '/nonexistent-foad-test' },
      encoding: 'utf8',
      timeout: 150_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Foad could not start: SMS_PROVIDER=console .*NODE_ENV=production/);
  }, 180_000);
});
