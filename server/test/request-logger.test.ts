import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { loggerOptions } from '../src/http/log-redaction.ts';
import { LazyRequestLogger, lazyChildLogger } from '../src/http/request-logger.ts';

/** A Fastify app with the app's logger options at `level`, the lazy factory, and its lines captured. */
function appAt(level: string) {
  const lines: Record<string, unknown>[] = [];
  const loggers: LazyRequestLogger[] = [];
  const app = Fastify({
    logger: { ...loggerOptions(level, { write: (line) => void lines.push(JSON.parse(line)) }), base: { instance: 'test-1' } },
    childLoggerFactory: (logger, bindings, options) => {
      const child = lazyChildLogger(logger, bindings, options) as LazyRequestLogger;
      loggers.push(child);
      return child;
    },
    genReqId: () => `req-${loggers.length + 1}`,
  });
  app.get('/quiet', async () => ({ ok: true }));
  app.get('/warns', async (request) => {
    request.log.warn({ phone: '09121234567' }, 'something to look at');
    return { ok: true };
  });
  app.get('/fails', async () => {
    throw new Error('broken');
  });
  return { app, lines, loggers };
}

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

describe('a request logger made when the request first logs', () => {
  it('at warn, a request that logs nothing makes no child logger, and one that warns carries its request id', async () => {
    const { app, lines, loggers } = appAt('warn');
    close = () => app.close();
    expect((await app.inject({ url: '/quiet' })).statusCode).toBe(200);
    expect(loggers).toHaveLength(1);
    expect(loggers[0]!.made).toBe(false);
    expect(lines).toHaveLength(0);

    expect((await app.inject({ url: '/warns' })).statusCode).toBe(200);
    expect(loggers[1]!.made).toBe(true);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, reqId: 'req-2', instance: 'test-1', msg: 'something to look at', phone: '[redacted]' });
  });

  it('at info, every request line carries the request id, as a plain pino child would', async () => {
    const { app, lines } = appAt('info');
    close = () => app.close();
    await app.inject({ url: '/quiet' });
    expect(lines.map((l) => [l.msg, l.reqId])).toEqual([
      ['incoming request', 'req-1'],
      ['request completed', 'req-1'],
    ]);
  });

  it('a failing request logs its error with its request id', async () => {
    const { app, lines } = appAt('warn');
    close = () => app.close();
    expect((await app.inject({ url: '/fails' })).statusCode).toBe(500);
    const errors = lines.filter((l) => l.level === 50);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]).toMatchObject({ reqId: 'req-1', instance: 'test-1' });
  });

  it('answers level questions without making the child, and passes level changes and children through', async () => {
    const { app, lines } = appAt('warn');
    close = () => app.close();
    await app.ready();
    const lazy = new LazyRequestLogger(app.log as never, { reqId: 'r-9' }, {});
    expect(lazy.level).toBe('warn');
    expect(lazy.isLevelEnabled('info')).toBe(false);
    lazy.info('not written');
    lazy.debug('not written');
    expect(lazy.made).toBe(false);
    lazy.level = 'info';
    expect(lazy.made).toBe(true);
    lazy.info('now written');
    lazy.child({ step: 'inner' }).warn('from a grandchild');
    expect(lines.map((l) => [l.msg, l.reqId, l.step])).toEqual([
      ['now written', 'r-9', undefined],
      ['from a grandchild', 'r-9', 'inner'],
    ]);
    // The parent's level is untouched by the request's own.
    expect(app.log.level).toBe('warn');
  });
});
