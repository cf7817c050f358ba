/**
 * Restore drill (`npm run drill:restore`, as root: the cluster runs as `postgres`).
 *
 * On the loopback cluster (ops/cluster), with pgBackRest archiving WAL continuously: file
 * complaints, take a full backup, keep filing, take a differential backup, keep filing, note
 * the time, then "lose" the data (TRUNCATE … CASCADE, an operator's slip). Restore the
 * backups plus archived WAL into a new data folder to the moment just before the loss (PITR),
 * start PostgreSQL there on its own port, and start the app on it: every complaint acknowledged
 * before that moment must be there, `verify-chain --all` must pass, and new intake must work.
 * Prints the backup and restore times and the counts; exits 1 when an invariant fails.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { ensureWebBuilt } from '../../web/build.ts';
import { cluster, freshDatabase, type Instance, log, now, queryOnce, queryRetrying, runCli, sleep, startInstance, stopInstance } from './lib.ts';
import { loadWorkload, type Workload } from './load.ts';

const DB = 'foad_drill_restore';
const CLUSTER_DIR = process.env.CLUSTER_DIR || '/tmp/foad-cluster';
const RESTORE_DIR = `${CLUSTER_DIR}/restore`;
const RESTORE_PORT = 15450;
const APP_PORT = 13291;
const PG_BIN = '/usr/lib/postgresql/15/bin';
const AS_PG = ['--reuid=postgres', '--regid=postgres', '--init-groups'];
setTimeout(
  () => {
    log('the drill ran out of time');
    process.exit(2);
  },
  Number(process.env.DRILL_DEADLINE_S || 1200) * 1000,
).unref();

function asPostgres(command: string, args: string[]): string {
  const result = spawnSync('setpriv', [...AS_PG, command, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
  return result.stdout;
}

function pgbackrest(...args: string[]): string {
  return asPostgres('pgbackrest', [`--config=${CLUSTER_DIR}/pgbackrest/pgbackrest.conf`, '--stanza=foad', ...args]);
}

/** Files `n` complaints from citizens `offset`… (distinct phones: the same citizen again within
 * CASE_JOIN_HOURS would join the open case and get its tracking code back). */
async function file(base: string, w: Workload, n: number, prefix: string, offset: number): Promise<string[]> {
  const codes: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await fetch(`${base}/api/v1/complaints`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `${prefix}-${i}` },
      body: JSON.stringify({
        channel: 'web',
        agencyId: w.agencies[i % w.agencies.length],
        countyId: w.counties[i % w.counties.length],
        categoryId: w.categories[i % w.categories.length],
        description: `پرونده‌ام سه هفته است بی‌پاسخ مانده و هر بار می‌گویند فردا بیایید؛ آزمون بازیابی ${prefix}-${i}.`,
        contact: { phone: `0935${String(1_000_000 + offset + i).padStart(7, '0')}` },
      }),
    });
    const body = (await r.json()) as { trackingCode?: string };
    if (!r.ok || !body.trackingCode) throw new Error(`intake failed (${r.status}): ${JSON.stringify(body)}`);
    codes.push(body.trackingCode);
  }
  return codes;
}

function timed<T>(work: () => T): { value: T; seconds: number } {
  const started = now();
  const value = work();
  return { value, seconds: (now() - started) / 1000 };
}

/** The drill, stage by stage; 1 when an invariant fails. */
async function main(): Promise<number> {
  const t0 = now();
  cluster('up');
  await ensureWebBuilt(log);
  const url = await freshDatabase(DB);
  const app = await startInstance('restore-app', APP_PORT, { DATABASE_URL: url, SEED_DEMO: 'true', RUN_WORKERS: 'true', INTAKE_RATE_LIMIT: '1000000' });
  const w = await loadWorkload(url);
  const backups = await fileAndBackUp(app.base, w);
  const target = await loseData(url, app);
  const restored = await restoreToTarget(target);
  const checks = await checkRestored(restored.url, backups.acknowledged, w);

  asPostgres(`${PG_BIN}/pg_ctl`, ['-D', RESTORE_DIR, '-m', 'fast', '-w', 'stop']);
  rmSync(RESTORE_DIR, { recursive: true, force: true });
  await queryOnce(url.replace(`/${DB}`, '/postgres'), `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`).catch(() => undefined);
  return report(t0, backups, target, restored.seconds, checks);
}

/** Stage 1: files complaints around a full and a differential backup; returns what was acknowledged and the backup times. */
async function fileAndBackUp(base: string, w: Workload) {
  const first = await file(base, w, 20, `r1-${Date.now()}`, 0);
  const full = timed(() => pgbackrest('backup', '--type=full'));
  log(`full backup in ${full.seconds.toFixed(1)} s`);
  const second = await file(base, w, 20, `r2-${Date.now()}`, 100);
  const diff = timed(() => pgbackrest('backup', '--type=diff'));
  log(`differential backup in ${diff.seconds.toFixed(1)} s`);
  const third = await file(base, w, 20, `r3-${Date.now()}`, 200);
  const acknowledged = [...new Set([...first, ...second, ...third])];
  return { acknowledged, full, diff };
}

/** Stage 2: notes the recovery target, then loses the data and stops the app; returns the target. */
async function loseData(url: string, app: Instance): Promise<string> {
  // The recovery target: after the last acknowledged complaint, before the loss (pgBackRest
  // takes milliseconds at most, and the zone written without a space).
  await sleep(1000);
  const [{ t: target } = { t: '' }] = await queryRetrying<{ t: string }>(
    url,
    `SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') || '+00' AS t`,
  );
  await sleep(1000);
  await queryRetrying(url, 'TRUNCATE complaints, complaint_events, complainant_contacts CASCADE');
  log(`data lost at ${target} (+1 s): TRUNCATE complaints … CASCADE`);
  await stopInstance(app);
  // `check` switches WAL and waits until the segment holding the loss is archived.
  pgbackrest('check');
  return target;
}

/** Stage 3: restores the backups and archived WAL to the target into a new folder and starts PostgreSQL there, promoted. */
async function restoreToTarget(target: string): Promise<{ url: string; seconds: number }> {
  rmSync(RESTORE_DIR, { recursive: true, force: true });
  const restoreStarted = now();
  asPostgres('mkdir', ['-m', '700', RESTORE_DIR]);
  pgbackrest(`--pg1-path=${RESTORE_DIR}`, 'restore', '--type=time', `--target=${target}`, '--target-action=promote');
  // The copy carries a Patroni node's postgresql.conf: port, archive_command, sync standbys
  // (commits would hang waiting for them), hba paths. Override them all on the command line.
  const overrides = [
    `port=${RESTORE_PORT}`,
    'listen_addresses=127.0.0.1',
    `unix_socket_directories=${CLUSTER_DIR}/run`,
    'archive_mode=off',
    "synchronous_standby_names=''",
    "primary_conninfo=''",
    `hba_file=${RESTORE_DIR}/pg_hba.conf`,
    `ident_file=${RESTORE_DIR}/pg_ident.conf`,
    'hot_standby=on',
  ];
  asPostgres(`${PG_BIN}/pg_ctl`, [
    '-D',
    RESTORE_DIR,
    '-l',
    `${CLUSTER_DIR}/log/restore.log`,
    '-w',
    '-t',
    '300',
    '-o',
    overrides.map((o) => `-c ${o}`).join(' '),
    'start',
  ]);
  const restoredUrl = `postgres://postgres@127.0.0.1:${RESTORE_PORT}/${DB}`;
  for (;;) {
    const rows = await queryOnce<{ r: boolean }>(restoredUrl, 'SELECT pg_is_in_recovery() AS r').catch(() => []);
    if (rows[0]?.r === false) break;
    await sleep(200);
  }
  const restoreSeconds = (now() - restoreStarted) / 1000;
  log(`restored and promoted in ${restoreSeconds.toFixed(1)} s`);
  return { url: restoredUrl, seconds: restoreSeconds };
}

/** Stage 4: what the restored copy holds, whether its chains verify, and whether new intake works on it. */
async function checkRestored(restoredUrl: string, acknowledged: string[], w: Workload) {
  const [present] = await queryOnce<{ n: number }>(restoredUrl, 'SELECT count(*)::int AS n FROM complaints WHERE tracking_code = ANY($1)', [acknowledged]);
  const [total] = await queryOnce<{ n: number }>(restoredUrl, 'SELECT count(*)::int AS n FROM complaints');
  const verify = runCli('server/src/cli/verify-chain.ts', ['--all'], restoredUrl);
  const restoredApp = await startInstance('restored-app', APP_PORT, {
    DATABASE_URL: restoredUrl,
    SEED_DEMO: 'false',
    RUN_WORKERS: 'true',
    INTAKE_RATE_LIMIT: '1000000',
  });
  const after = await file(restoredApp.base, w, 3, `r4-${Date.now()}`, 300).catch((error: Error) => error);
  await stopInstance(restoredApp);
  const info = pgbackrest('info')
    .split('\n')
    .filter((l) => /backup:|wal archive min\/max/.test(l))
    .map((l) => l.trim());
  return { present, total, verify, after, info };
}

/** Stage 5: prints the times and the counts and the failed invariants; returns the exit code. */
function report(
  t0: number,
  backups: Awaited<ReturnType<typeof fileAndBackUp>>,
  target: string,
  restoreSeconds: number,
  checks: Awaited<ReturnType<typeof checkRestored>>,
): number {
  const { acknowledged, full, diff } = backups;
  const { present, total, verify, after, info } = checks;
  const missing = acknowledged.length - (present?.n ?? 0);
  const lines = [
    '',
    '== restore drill',
    `full backup / differential backup (s):   ${full.seconds.toFixed(1)} / ${diff.seconds.toFixed(1)}`,
    `complaints acknowledged before target:   ${acknowledged.length} (20 before the full, 20 before the diff, 20 in WAL only)`,
    `recovery target (just before the loss):  ${target}`,
    `found in the restored cluster:           ${present?.n ?? 0} (${total?.n ?? 0} rows in all); missing: ${missing}`,
    `restore time (restore + start + replay): ${restoreSeconds.toFixed(1)} s`,
    `verify-chain --all on the restored copy: ${verify.code === 0 ? 'ok' : 'FAILED'} — ${verify.output.split('\n').pop()}`,
    `new intake on the restored cluster:      ${after instanceof Error ? `FAILED: ${after.message}` : `ok (${after.length} filed)`}`,
    ...info.map((l) => `pgbackrest: ${l}`),
    `drill took ${((now() - t0) / 1000).toFixed(0)} s`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const failures = [
    missing !== 0 && 'acknowledged complaints missing',
    verify.code !== 0 && 'verify-chain failed',
    after instanceof Error && 'new intake failed',
  ].filter(Boolean);
  process.stdout.write(failures.length ? `FAILED: ${failures.join('; ')}\n` : 'restore drill passed\n');
  return failures.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`restore drill failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    spawnSync('setpriv', [...AS_PG, `${PG_BIN}/pg_ctl`, '-D', RESTORE_DIR, '-m', 'immediate', 'stop'], { stdio: 'ignore' });
    process.exit(1);
  },
);
