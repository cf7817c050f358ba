import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

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
  const inputs = [
    ...filesUnder(join(webDir, 'src')),
    ...filesUnder(join(webDir, 'public')),
    join(webDir, 'index.html'),
    join(webDir, 'vite.config.ts'),
    join(webDir, 'build.ts'),
    // The one server module the web app imports (web/src/statuses.ts): the status sets.
    join(webDir, '..', 'server', 'src', 'domain', 'lifecycle.ts'),
  ];
  const lock = join(webDir, '..', 'package-lock.json');
  if (existsSync(lock)) inputs.push(lock);
  for (const path of inputs.sort()) hash.update(relative(webDir, path)).update('\0').update(readFileSync(path)).update('\0');
  return hash.digest('hex');
}

/** Text the browser downloads; fonts (woff2 is compressed already) and images are left as they are. */
const COMPRESSIBLE = /\.(js|css|html|svg|json|txt|map)$/;

/**
 * Writes a brotli (.br, best quality) and a gzip (.gz) copy beside each text file in the build,
 * once at build time, so the server sends them as they are (@fastify/static preCompressed) to a
 * phone on a slow network instead of compressing on every request or not at all.
 */
export function precompress(dir: string): { files: number; raw: number; brotli: number } {
  const totals = { files: 0, raw: 0, brotli: 0 };
  for (const path of filesUnder(dir)) {
    if (!COMPRESSIBLE.test(path)) continue;
    const raw = readFileSync(path);
    if (raw.length < 1024) continue;
    const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } });
    writeFileSync(`${path}.br`, br);
    writeFileSync(`${path}.gz`, gzipSync(raw, { level: 9 }));
    totals.files++;
    totals.raw += raw.length;
    totals.brotli += br.length;
  }
  return totals;
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
  // Always a production build (React's production runtime, no JSX debug info), even when the
  // caller runs with NODE_ENV=test (vitest), which Vite would otherwise follow into a dev build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(webDir, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  const packed = precompress(dist);
  log(`precompressed ${packed.files} files: ${Math.round(packed.raw / 1024)} KiB → ${Math.round(packed.brotli / 1024)} KiB (brotli)`);
  writeFileSync(stampPath, wanted);
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await ensureWebBuilt(console.log);
}
