import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { POOL_SIZE, PREFERRED_PORT, ROOT, SERVER_NODE_ARGS } from './settings.ts';

// ── The server process ───────────────────────────────────────────────────────────────────────

export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  if (await portIsFree(PREFERRED_PORT)) return PREFERRED_PORT;
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export interface Server {
  child: ChildProcess;
  base: string;
  log: () => string;
}

export async function startServer(databaseUrl: string): Promise<Server> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    SEED_DEMO: 'false',
    DATABASE_POOL_SIZE: String(POOL_SIZE),
    INTAKE_RATE_LIMIT: '1000000',
  };
  delete env.NODE_ENV;
  const child = spawn(process.execPath, [...SERVER_NODE_ARGS, '--import', 'tsx', 'server/src/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const base = `http://127.0.0.1:${port}`;
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${base}/api/v1/health`, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return { child, base, log: () => output };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`the server did not answer /api/v1/health within 60 s:\n${output}`);
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM'); // the server closes its pool and exits (and writes a --cpu-prof profile)
  const timer = new Promise((resolve) => setTimeout(resolve, 10_000).unref());
  if ((await Promise.race([exited.then(() => 'exited'), timer])) !== 'exited') {
    child.kill('SIGKILL');
    await exited;
  }
}
