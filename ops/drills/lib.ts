/**
 * What both drills share: the loopback cluster (ops/cluster), app instances as child processes,
 * a local SMS gateway speaking the HTTP gateway protocol, and a few database helpers.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const LOG_DIR = join(ROOT, '.tmp', 'drills');
export const PRIMARY_PORT = Number(process.env.HAPROXY_PRIMARY_PORT || 15440);

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const now = () => performance.now();
export const log = (message: string) => process.stdout.write(`[drill ${new Date().toISOString().slice(11, 19)}] ${message}\n`);

export function dbUrl(database: string, port = PRIMARY_PORT): string {
  return `postgres://postgres@127.0.0.1:${port}/${database}`;
}

/** Runs ops/cluster with a sub-command; throws when it fails. */
export function cluster(...args: string[]): string {
  const result = spawnSync(join(ROOT, 'ops', 'cluster'), args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) throw new Error(`ops/cluster ${args.join(' ')} failed (${result.status})`);
  return result.stdout.trim();
}

/** One query on a fresh connection (no pool to go stale across a failover), bounded in time. */
export async function queryOnce<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = [], timeoutMs = 2000): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs * 5 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Retries `queryOnce` until it succeeds or `seconds` pass (a failover in progress). */
export async function queryRetrying<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = [], seconds = 60): Promise<T[]> {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    try {
      return await queryOnce<T>(url, text, values, 3000);
    } catch (error) {
      if (Date.now() > until) throw error;
      await sleep(250);
    }
  }
}

export async function freshDatabase(name: string, port = PRIMARY_PORT): Promise<string> {
  await queryRetrying(dbUrl('postgres', port), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await queryRetrying(dbUrl('postgres', port), `CREATE DATABASE ${name}`);
  return dbUrl(name, port);
}

/** Runs one of the app's command-line tools with DATABASE_URL; returns its exit code and output. */
export function runCli(script: string, args: string[], databaseUrl: string): { code: number; output: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, script), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', NODE_ENV: 'development' },
  });
  return { code: result.status ?? 1, output: `${result.stdout}${result.stderr}`.trim() };
}

/** Every app process a drill started, killed when the drill exits however it ends. */
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

export interface Instance {
  name: string;
  port: number;
  base: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

/** Starts `server/src/main.ts` as its own process and waits until /readyz says 200. */
export async function startInstance(name: string, port: number, env: Record<string, string>): Promise<Instance> {
  mkdirSync(LOG_DIR, { recursive: true });
  const out = createWriteStream(join(LOG_DIR, `${name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', INSTANCE_ID: name, LOG_LEVEL: 'warn', NODE_ENV: 'development', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const base = `http://127.0.0.1:${port}`;
  // A start takes ~20 s of CPU; on a busy shared machine that can be minutes of wall time.
  const startSeconds = Number(process.env.DRILL_START_TIMEOUT_S || 420);
  const until = Date.now() + startSeconds * 1000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}; see ${join(LOG_DIR, `${name}.log`)}`);
    const ok = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { name, port, base, child, exited };
    await sleep(300);
  }
  child.kill('SIGKILL');
  throw new Error(`${name} was not ready within ${startSeconds} s`);
}

/** SIGTERM and wait for the drain; returns the exit code and how long it took. */
export async function stopInstance(instance: Instance): Promise<{ code: number | null; seconds: number }> {
  const started = now();
  instance.child.kill('SIGTERM');
  const code = await Promise.race([instance.exited, sleep(40_000).then(() => -1)]);
  if (code === -1) instance.child.kill('SIGKILL');
  return { code, seconds: (now() - started) / 1000 };
}

/**
 * A local SMS gateway speaking the HTTP gateway protocol (POST JSON, Idempotency-Key header).
 * Like a real gateway it delivers a repeated key once; it counts the repeats too.
 */
export interface Gateway {
  url: string;
  /** Deliveries per key (1 each when nothing was repeated). */
  received: Map<string, number>;
  close(): Promise<void>;
}

export async function startGateway(port: number): Promise<Gateway> {
  const received = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const key = String(request.headers['idempotency-key'] ?? '');
    request.resume();
    request.on('end', () => {
      received.set(key, (received.get(key) ?? 0) + 1);
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `gw-${key}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${port}/sms`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
