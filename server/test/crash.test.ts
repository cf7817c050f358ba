import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testDatabase } from './harness.ts';

/**
 * Durability: a complaint whose tracking code was returned survives `kill -9` of the server
 * the moment after. Runs the real server process on the embedded database (or, in the
 * PostgreSQL-server run, on a fresh server database), kills it mid-load, restarts it and looks
 * every returned code up.
 */
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; base: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
      env: { ...process.env, NODE_ENV: 'development', PORT: '0', LOG_LEVEL: 'warn', PUBLIC_RATE_LIMIT: '100000', INTAKE_RATE_LIMIT: '100000', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(/running at (http:\/\/[\d.:]+)/);
      if (match) {
        clearTimeout(timer);
        resolve({ child, base: match[1]! });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!output.includes('running at')) reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
}

describe('durability', () => {
  it('every complaint that got a tracking code survives kill -9', async () => {
    const { db, url, drop } = await testDatabase();
    await db.close();
    const dataDir = mkdtempSync(join(tmpdir(), 'foad-crash-'));
    cleanups.push(async () => {
      rmSync(dataDir, { recursive: true, force: true });
      await drop();
    });
    const env: Record<string, string> = url ? { DATABASE_URL: url, DATA_DIR: dataDir } : { DATA_DIR: dataDir };
    const first = await startServer(env);
    const agencies = await (await fetch(`${first.base}/api/v1/agencies?roots=true`)).json();
    const divisions = await (await fetch(`${first.base}/api/v1/divisions`)).json();
    const hamedan = divisions.items.find((p: { nameFa: string }) => p.nameFa === 'همدان');
    const agencyIds: number[] = agencies.items.map((a: { id: number }) => a.id);
    expect(agencyIds.length).toBeGreaterThan(5);

    const accepted: string[] = [];
    let killed = false;
    let n = 0;
    const worker = async () => {
      while (!killed) {
        n++;
        const body = {
          channel: 'web',
          agencyId: agencyIds[n % agencyIds.length],
          countyId: hamedan.counties[n % hamedan.counties.length].id,
          description: `شکایت آزمایشی شمارهٔ ${n}: کارمند پشت میز نیست.`,
          contact: { phone: `0912${String(1_000_000 + n)}` },
        };
        try {
          const res = await fetch(`${first.base}/api/v1/complaints`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
          if (res.status === 201) {
            accepted.push((await res.json()).trackingCode);
            // Pull the plug the moment a code has been handed out.
            if (accepted.length >= 40 && !killed) {
              killed = true;
              first.child.kill('SIGKILL');
            }
          }
        } catch {
          // connections cut by the kill
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    await exited(first.child);
    expect(first.child.signalCode).toBe('SIGKILL');

    const second = await startServer(env);
    try {
      const missing: string[] = [];
      for (const code of accepted) {
        const res = await fetch(`${second.base}/api/v1/track/${code}`);
        if (res.status !== 200) missing.push(code);
      }
      expect(accepted.length).toBeGreaterThanOrEqual(40);
      expect(missing).toEqual([]);
    } finally {
      second.child.kill('SIGTERM');
      await exited(second.child);
    }
  }, 180_000);
});
