import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/http/app.ts';
import { MemoryProvider } from '../../src/notifications/provider.ts';
import { testDatabase } from '../harness.ts';

// Finding: logs could carry one-time codes, phone numbers and national ids.
const lines: string[] = [];
let close: () => Promise<void>;
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  const { db, drop } = await testDatabase();
  const config = loadConfig({ NODE_ENV: 'test', SMS_PROVIDER: 'memory', LOG_LEVEL: 'info' });
  app = await buildApp({ config, db, notifications: new MemoryProvider(), logStream: { write: (line) => void lines.push(line) } });
  await app.ready();
  close = async () => {
    await app.close();
    await db.close();
    await drop();
  };
});
afterAll(() => close());

const SECRETS = ['09121234567', '9121234567', '+989121234567', '۰۹۱۲۱۲۳۴۵۶۷', '0012345678', '483920', '۴۸۳۹۲۰'];
const logged = () => lines.join('\n');

describe('logs carry no one-time code, phone or national id', () => {
  it('in messages, in fields and nested values, in errors', async () => {
    lines.length = 0;
    app.log.info('sent code 483920 to 09121234567 (national id 0012345678)');
    app.log.info({ phone: '+989121234567', otp: '483920', message: { text: 'کد ۴۸۳۹۲۰ برای ۰۹۱۲۱۲۳۴۵۶۷' }, to: '9121234567' }, 'sms out');
    app.log.error(new Error('gateway refused 09121234567 with code 483920'), 'gateway');
    app.log.warn({ err: new Error('bad national id 0012345678') }, 'intake');
    const out = logged();
    expect(lines.length).toBe(4);
    for (const secret of SECRETS) expect(out).not.toContain(secret);
    expect(out).toContain('sent code [code] to [phone] (national id [national-id])');
    expect(out).toContain('gateway refused [phone]');
  });

  it('in request URLs', async () => {
    lines.length = 0;
    await app.inject({ url: '/api/v1/track/123?phone=09121234567&otp=483920' });
    expect(lines.length).toBeGreaterThan(0);
    for (const secret of SECRETS) expect(logged()).not.toContain(secret);
    expect(logged()).toContain('phone=[phone]');
  });

  it('leaves other numbers (tracking codes, ids, times) readable', async () => {
    lines.length = 0;
    app.log.info({ complaint: 3, trackingCode: '140312345678' }, 'complaint 42 filed at 12:30');
    expect(logged()).toContain('140312345678');
    expect(logged()).toContain('complaint 42 filed at 12:30');
  });
});
