import { readFileSync } from 'node:fs';
import { chainKeysFromConfig, checkpointKeysFromConfig } from '../chain/keys.ts';
import { DEFAULT_PACE, verifyAll } from '../chain/verify-all.ts';
import { verifyComplaintChain } from '../complaints/verify-complaint-chain.ts';
import { loadConfig } from '../config.ts';
import { openPglite, openPostgres } from '../db/database.ts';
import type { SignedCheckpoint } from '../domain/checkpoint.ts';
import { parseTrackingCode } from '../domain/tracking-code.ts';

/**
 * Verifies complaints' keyed hash chains, their projections, and the signed daily checkpoints:
 *   npm run verify-chain -- <tracking code>                 one complaint
 *   npm run verify-chain -- --all [--published <file>]      everything (exit 1 if anything is broken)
 * `--published`: the JSON of GET /api/v1/public/checkpoints as someone outside kept it; each of
 * those checkpoints must be stored unchanged. Needs CHAIN_KEY (and CHAIN_PREVIOUS_KEYS) and the
 * checkpoint public keys from the same config as the server. Uses DATABASE_URL, or the embedded
 * database in DATA_DIR (stop the server first: PGlite is one process).
 */
async function main(): Promise<number> {
  const [arg, flag, file] = process.argv.slice(2);
  if (!arg || (flag !== undefined && (flag !== '--published' || !file))) {
    process.stderr.write('usage: npm run verify-chain -- <tracking code> | --all [--published <checkpoints.json>]\n');
    return 2;
  }
  const config = loadConfig();
  const keys = { chain: chainKeysFromConfig(config), publicKeys: checkpointKeysFromConfig(config).publicKeys };
  const published: SignedCheckpoint[] = file ? (JSON.parse(readFileSync(file, 'utf8')) as { checkpoints: SignedCheckpoint[] }).checkpoints : [];
  // Two connections per page in flight (its rows and its events, verify-all.ts DEFAULT_PACE), one for the ids.
  const db = config.databaseUrl ? await openPostgres(config.databaseUrl, DEFAULT_PACE.workers * 2 + 1) : await openPglite(config.dataDir);
  try {
    if (arg === '--all') {
      const report = await verifyAll(db.pool, keys, published);
      for (const broken of report.broken) process.stdout.write(`${JSON.stringify(broken)}\n`);
      for (const problem of report.checkpoints.problems) process.stdout.write(`checkpoint ${JSON.stringify(problem)}\n`);
      process.stdout.write(
        `${report.complaints} complaint(s) checked, ${report.broken.length} broken; ${report.checkpoints.checkpoints} checkpoint(s), ` +
          `${report.checkpoints.problems.length} problem(s)${report.checkpoints.sealedUntil ? `; sealed until ${report.checkpoints.sealedUntil}` : ''}\n`,
      );
      return report.ok ? 0 : 1;
    }
    const code = parseTrackingCode(arg);
    if (!code) {
      process.stderr.write(`not a valid tracking code: ${arg}\n`);
      return 2;
    }
    const id = (await db.pool.query<{ id: string }>('SELECT id FROM complaints WHERE tracking_code = $1', [code])).rows[0]?.id;
    if (!id) {
      process.stderr.write(`no complaint with tracking code ${code}\n`);
      return 2;
    }
    const report = (await verifyComplaintChain(db.pool, id, keys.chain))!;
    process.stdout.write(`${JSON.stringify(report)}\n`);
    return report.valid && report.projectionMatches && report.headMatches ? 0 : 1;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  },
);
