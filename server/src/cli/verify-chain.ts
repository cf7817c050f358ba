import { verifyComplaintChain } from '../complaints/verify-complaint-chain.ts';
import { loadConfig } from '../config.ts';
import { openPglite, openPostgres } from '../db/database.ts';
import { parseTrackingCode } from '../domain/tracking-code.ts';

/**
 * Verifies complaints' hash chains from the command line:
 *   npm run verify-chain -- <tracking code>     one complaint
 *   npm run verify-chain -- --all               every complaint (exit 1 if any is broken)
 * Uses DATABASE_URL, or the embedded database in DATA_DIR (stop the server first: PGlite is
 * one process). Staff can do the same for one complaint with GET /api/v1/complaints/{id}/verify.
 */
async function main(): Promise<number> {
  const arg = process.argv[2];
  if (!arg) {
    process.stderr.write('usage: npm run verify-chain -- <tracking code> | --all\n');
    return 2;
  }
  const config = loadConfig();
  const db = config.databaseUrl ? await openPostgres(config.databaseUrl, 2) : await openPglite(config.dataDir);
  try {
    let ids: string[];
    if (arg === '--all') {
      ids = (await db.pool.query<{ id: string }>('SELECT id FROM complaints ORDER BY created_at')).rows.map((r) => r.id);
    } else {
      const code = parseTrackingCode(arg);
      if (!code) {
        process.stderr.write(`not a valid tracking code: ${arg}\n`);
        return 2;
      }
      ids = (await db.pool.query<{ id: string }>('SELECT id FROM complaints WHERE tracking_code = $1', [code])).rows.map((r) => r.id);
      if (ids.length === 0) {
        process.stderr.write(`no complaint with tracking code ${code}\n`);
        return 2;
      }
    }
    let broken = 0;
    for (const id of ids) {
      const report = (await verifyComplaintChain(db.pool, id))!;
      const ok = report.valid && report.projectionMatches && report.headMatches;
      if (!ok) broken++;
      if (!ok || ids.length === 1) process.stdout.write(`${JSON.stringify(report)}\n`);
    }
    process.stdout.write(`${ids.length} complaint(s) checked, ${broken} broken\n`);
    return broken === 0 ? 0 : 1;
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
