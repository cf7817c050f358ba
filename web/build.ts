import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const webDir = import.meta.dirname;
const dist = join(webDir, 'dist');
const stampPath = join(dist, '.source-hash');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** A hash of everything the build reads from this repository: sources, page, config and the lock file. */
function sourceHash(): string {
  const hash = createHash('sha256');
  const inputs = [...filesUnder(join(webDir, 'src')), ...filesUnder(join(webDir, 'public')), join(webDir, 'index.html'), join(webDir, 'vite.config.ts')];
  const lock = join(webDir, '..', 'package-lock.json');
  if (existsSync(lock)) inputs.push(lock);
  for (const path of inputs.sort()) hash.update(relative(webDir, path)).update('\0').update(readFileSync(path)).update('\0');
  return hash.digest('hex');
}

/**
 * Builds the web app into web/dist unless the build there was made from the same sources, so that
 * `npm start` on a fresh clone serves the UI without a separate build step, and a restart with
 * nothing changed costs a hash of ~100 small files instead of a build. Returns whether it built.
 */
export async function ensureWebBuilt(log: (message: string) => void = () => undefined): Promise<boolean> {
  const wanted = sourceHash();
  if (existsSync(stampPath) && readFileSync(stampPath, 'utf8') === wanted) return false;
  log('building the web app (web/dist)…');
  // vite is a development dependency: a production image builds once and ships web/dist.
  const { build } = await import('vite');
  await build({ configFile: join(webDir, 'vite.config.ts'), logLevel: 'warn' });
  writeFileSync(stampPath, wanted);
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await ensureWebBuilt(console.log);
}
