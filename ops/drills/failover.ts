/**
 * Failover drill (`npm run drill:failover`, as root: the cluster runs as `postgres`).
 *
 * Three app instances (RUN_WORKERS on, against HAProxy's primary port) under a mixed load:
 * intake, tracking lookups, staff notes, SLA deadlines falling due, live-feed clients. Mid-load
 * the primary's postmaster is killed with `kill -9`; after intake recovers, the three instances
 * get a rolling restart one by one (SIGTERM, drain, start; DRILL_ROLLING=0|1|2 restarts fewer)
 * under the same load. Then it checks and prints:
 * acknowledged ⊆ present, none stored twice, deadlines fired twice, outbox messages lost or delivered twice,
 * seconds without a primary, seconds until intake succeeds again, `verify-chain --all`.
 * Exits 1 when an invariant fails. Loopback only; bounded by DRILL_DEADLINE_S (default 1200 s).
 */
import * as OTPAuth from 'otpauth';
import { ensureWebBuilt } from '../../web/build.ts';
import {
  cluster,
  dbUrl,
  freshDatabase,
  type Gateway,
  type Instance,
  log,
  now,
  queryOnce,
  queryRetrying,
  runCli,
  sleep,
  startGateway,
  startInstance,
  stopInstance,
} from './lib.ts';
import { type LoadStats, loadWorkload, MixedLoad } from './load.ts';

const DB = 'foad_drill_failover';
const PORTS = [13281, 13282, 13283];
const GATEWAY_PORT = 13290;
const deadline = setTimeout(
  () => {
    log('the drill ran out of time');
    process.exit(2);
  },
  Number(process.env.DRILL_DEADLINE_S || 1200) * 1000,
);
deadline.unref();

/** Seconds from `since` until a new connection through HAProxy reaches a writable primary. */
async function waitForPrimary(url: string, since: number): Promise<number> {
  for (;;) {
    const ok = await queryOnce<{ r: boolean }>(url, 'SELECT pg_is_in_recovery() AS r', [], 1000).then(
      (rows) => rows[0]?.r === false,
      () => false,
    );
    if (ok) return (now() - since) / 1000;
    await sleep(100);
  }
}

/** Moves a few pending SLA warnings to fall due within seconds, as the load runs; returns their ids. */
function deadlinesFallingDue(url: string, moved: Set<number>): { stop: () => Promise<void> } {
  let running = true;
  const task = (async () => {
    while (running) {
      await queryOnce<{ id: number }>(
        url,
        `UPDATE sla_timers SET fire_at = now() + interval '2 seconds'
          WHERE id IN (SELECT id FROM sla_timers WHERE fired_at IS NULL AND stage = 'warning' AND fire_at > now() + interval '1 minute' ORDER BY id LIMIT 15)
          RETURNING id`,
      ).then(
        (rows) => {
          for (const r of rows) moved.add(r.id);
        },
        () => undefined,
      );
      await sleep(1000);
    }
  })();
  return {
    stop: async () => {
      running = false;
      await task;
    },
  };
}

/** The drill, stage by stage; 1 when an invariant fails. */
async function main(): Promise<number> {
  const t0 = now();
  const setup = await startUnderLoad();
  const { url, gateway, instances, load, moved } = setup;
  const failover = await killPrimary(url, load);
  const restart = await rollingRestart(setup);
  await sleep(5_000);
  await setup.due.stop();
  await load.stop();
  const pending = await settle(url, moved);
  const checks = await checkInvariants(url, load, moved, gateway);

  for (const i of instances) await stopInstance(i);
  await gateway.close();
  const survivor = cluster('status');

  const failures = report(t0, load.stats, moved, failover, restart, pending, checks, survivor);
  await queryOnce(dbUrl('postgres'), `DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`).catch(() => undefined);
  return failures.length ? 1 : 0;
}

/** Stage 1: the cluster, a fresh migrated database, the SMS gateway and three instances under the mixed load. */
async function startUnderLoad() {
  cluster('up');
  await ensureWebBuilt(log);
  const url = await freshDatabase(DB);
  const migrated = runCli('server/src/cli/migrate.ts', [], url);
  if (migrated.code !== 0) throw new Error(`npm run migrate failed: ${migrated.output}`);
  log(`migrated: ${migrated.output.split('\n').pop()}`);
  const gateway = await startGateway(GATEWAY_PORT);
  const env = {
    DATABASE_URL: url,
    MIGRATE_ON_START: 'false',
    RUN_WORKERS: 'true',
    SMS_PROVIDER: 'http',
    SMS_GATEWAY_URL: gateway.url,
    INTAKE_RATE_LIMIT: '1000000',
    PUBLIC_RATE_LIMIT: '100000',
    SLA_SWEEP_INTERVAL_MS: '250',
    OUTBOX_INTERVAL_MS: '250',
    HOTSPOT_INTERVAL_MS: '0',
    DATABASE_POOL_SIZE: '8',
    SHUTDOWN_GRACE_MS: '20000',
    // The demo admin signs in with TOTP (issue 11): the drill knows the secret it gives the demo.
    DEMO_TOTP_SECRET,
  };
  // The first instance seeds the demo data alone; the others start on it.
  const instances: Instance[] = [await startInstance('app1', PORTS[0]!, { ...env, SEED_DEMO: 'true' })];
  instances.push(...(await Promise.all([1, 2].map((i) => startInstance(`app${i + 1}`, PORTS[i]!, { ...env, SEED_DEMO: 'false' })))));
  log(`3 instances ready on ${PORTS.join(', ')}`);
  const token = await login(instances[0]!.base);
  const w = await loadWorkload(url);
  const live = new Set(instances.map((i) => i.base));
  const load = new MixedLoad(() => [...live], w, `drill-${Date.now()}`);
  load.start({ intake: 6, lookups: 3, staff: 1, sse: 6, staffToken: token });
  const moved = new Set<number>();
  const due = deadlinesFallingDue(url, moved);
  return { url, gateway, env, instances, live, load, moved, due };
}

/** Stage 2: `kill -9` of the primary's postmaster; how long until a primary, and until intake succeeds again. */
async function killPrimary(url: string, load: MixedLoad): Promise<{ withoutPrimary: number; intakeAgain: number }> {
  await sleep(12_000);
  const before = load.stats.acknowledged.size;
  const pid = Number(cluster('primary-pid'));
  log(`kill -9 of the primary's postmaster (pid ${pid}) with ${before} complaints acknowledged`);
  const killedAt = now();
  process.kill(pid, 'SIGKILL');
  const withoutPrimary = await waitForPrimary(url, killedAt);
  log(`a primary again through HAProxy after ${withoutPrimary.toFixed(1)} s`);
  let intakeAgain = Number.NaN;
  while (Number.isNaN(intakeAgain) && now() - killedAt < 90_000) {
    const first = load.stats.intakeDone.find((d) => d.started > killedAt);
    if (first) intakeAgain = (first.answered - killedAt) / 1000;
    else await sleep(100);
  }
  log(`intake succeeds again ${intakeAgain.toFixed(1)} s after the kill`);
  await sleep(8_000);
  return { withoutPrimary, intakeAgain };
}

/** Stage 3: the rolling restart under the same load; each instance drains on SIGTERM and comes back. */
async function rollingRestart(setup: { env: Record<string, string>; instances: Instance[]; live: Set<string> }) {
  const { env, instances, live } = setup;
  const drains: number[] = [];
  let badExits = 0;
  // All three by default (issue 14: a rolling restart under load is part of the drill);
  // DRILL_ROLLING=0 skips it when only the failover is wanted.
  const restartCount = Math.min(instances.length, Number(process.env.DRILL_ROLLING ?? instances.length));
  for (let i = 0; i < restartCount; i++) {
    const old = instances[i]!;
    live.delete(old.base);
    const stopped = await stopInstance(old);
    drains.push(stopped.seconds);
    if (stopped.code !== 0) {
      badExits++;
      log(`${old.name} exited with ${stopped.code} after SIGTERM`);
    }
    instances[i] = await startInstance(old.name, old.port, { ...env, SEED_DEMO: 'false' });
    live.add(old.base);
  }
  if (restartCount) log(`rolling restart done (drains ${drains.map((s) => s.toFixed(1)).join(', ')} s)`);
  return { drains, badExits, restartCount };
}

/** Stage 4: lets the workers finish; returns the due deadlines and outbox rows still pending. */
async function settle(url: string, moved: Set<number>): Promise<{ timers: number; outbox: number }> {
  // Deadlines already due fire, the outbox empties. On a busy machine the outbox can be minutes
  // behind the load; wait while it makes progress (up to 4 minutes).
  const settleUntil = now() + 240_000;
  let pending = { timers: -1, outbox: -1 };
  let lastProgress = now();
  while (now() < settleUntil && now() - lastProgress < 30_000) {
    const [row] = await queryRetrying<{ timers: number; outbox: number }>(
      url,
      `SELECT (SELECT count(*)::int FROM sla_timers WHERE id = ANY($1) AND fired_at IS NULL AND fire_at <= now()) AS timers,
              (SELECT count(*)::int FROM outbox WHERE status IN ('pending', 'sending')) AS outbox`,
      [[...moved]],
    );
    if (row!.timers + row!.outbox < pending.timers + pending.outbox || pending.timers < 0) lastProgress = now();
    pending = row!;
    if (pending.timers === 0 && pending.outbox === 0) break;
    await sleep(500);
  }
  return pending;
}

/** Stage 5: the invariants, read from the database, the gateway and `verify-chain --all`. */
async function checkInvariants(url: string, load: MixedLoad, moved: Set<number>, gateway: Gateway) {
  const codes = [...load.stats.acknowledged.values()];
  const [present] = await queryRetrying<{ n: number }>(url, 'SELECT count(*)::int AS n FROM complaints WHERE tracking_code = ANY($1)', [codes]);
  const [{ n: total } = { n: 0 }] = await queryRetrying<{ n: number }>(url, 'SELECT count(*)::int AS n FROM complaints');
  const [fired] = await queryRetrying<{ fired: number; twice: number }>(
    url,
    `SELECT (SELECT count(*)::int FROM sla_timers WHERE id = ANY($1) AND fired_at IS NOT NULL) AS fired,
            (SELECT count(*)::int FROM (SELECT 1 FROM complaint_events WHERE type IN ('sla_warning', 'sla_breached')
               GROUP BY complaint_id, type, data->>'kind', data->>'fraction', data->>'dueAt' HAVING count(*) > 1) d) AS twice`,
    [[...moved]],
  );
  const sms = await queryRetrying<{ key: string; status: string }>(url, `SELECT delivery_key AS key, status FROM outbox WHERE channel = 'sms'`);
  // Lost: marked sent but never reached the gateway, or given up on. Late: still queued after settling.
  const lost = sms.filter((m) => (m.status === 'sent' && !gateway.received.has(m.key)) || m.status === 'dead').length;
  const late = sms.filter((m) => m.status === 'pending' || m.status === 'sending').length;
  const repeats = [...gateway.received.values()].filter((n) => n > 1).length;
  const verify = runCli('server/src/cli/verify-chain.ts', ['--all'], url);
  const missing = codes.length - (present?.n ?? 0);
  // Stored twice: one citizen request (one key) behind two rows, or two keys answered with one code.
  const [twice] = await queryRetrying<{ keys: number }>(
    url,
    `SELECT count(*)::int AS keys FROM (SELECT idempotency_key FROM complaints WHERE idempotency_key LIKE $1 GROUP BY 1 HAVING count(*) > 1) d`,
    [`%${load.prefix}-%`],
  );
  const duplicated = (twice?.keys ?? 0) + (codes.length - new Set(codes).size);
  return { codes, present, total, fired, sms, lost, late, repeats, verify, missing, duplicated };
}

/** Stage 6: prints the numbers and the failed invariants; returns the failures. */
function report(
  t0: number,
  s: LoadStats,
  moved: Set<number>,
  failover: { withoutPrimary: number; intakeAgain: number },
  restart: { drains: number[]; badExits: number; restartCount: number },
  pending: { timers: number; outbox: number },
  checks: Awaited<ReturnType<typeof checkInvariants>>,
  survivor: string,
): (string | false)[] {
  const { codes, present, total, fired, sms, lost, late, repeats, verify, missing, duplicated } = checks;
  const { withoutPrimary, intakeAgain } = failover;
  const { drains, badExits, restartCount } = restart;
  const lines = [
    '',
    '== failover drill',
    `complaints acknowledged:                 ${codes.length} (${s.intakeAttempts} requests, ${s.intakeRetries} retries with the same key)`,
    `complaints found afterwards:             ${present?.n ?? 0} of them (${total} rows in all; committed-but-unanswered rows may add to it)`,
    `acknowledged but missing:                ${missing}`,
    `acknowledged complaints stored twice:    ${duplicated}`,
    `deadlines made due / fired / fired twice: ${moved.size} / ${fired?.fired ?? 0} / ${fired?.twice ?? 0}`,
    `outbox SMS rows / lost / delivered twice: ${sms.length} / ${lost} / 0 (repeats of one key the gateway absorbed: ${repeats}; still queued: ${late})`,
    `seconds without a primary:               ${withoutPrimary.toFixed(1)}`,
    `seconds until intake succeeds again:     ${intakeAgain.toFixed(1)}`,
    `tracking lookups ok/failed:              ${s.lookups.ok}/${s.lookups.failed}; staff notes ok/failed: ${s.notes.ok}/${s.notes.failed}`,
    `live-feed clients / events / reconnects: ${s.sse.clients} / ${s.sse.events} / ${s.sse.reconnects}`,
    `rolling restart drains (s):              ${drains.length ? `${drains.map((d) => d.toFixed(1)).join(', ')} (${badExits} ran out of the grace period and exited 1)` : 'not run (DRILL_ROLLING=0)'}`,
    `verify-chain --all on the survivor:      ${verify.code === 0 ? 'ok' : 'FAILED'} — ${verify.output.split('\n').pop()}`,
    `drill took ${((now() - t0) / 1000).toFixed(0)} s`,
    survivor,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const failures = [
    missing !== 0 && 'acknowledged complaints missing',
    duplicated !== 0 && 'complaints stored twice',
    restartCount > 0 && drains.length !== restartCount && 'rolling restart incomplete',
    (fired?.twice ?? 0) !== 0 && 'deadlines fired twice',
    pending.timers !== 0 && 'due deadlines never fired',
    lost !== 0 && 'outbox messages lost',
    late !== 0 && 'outbox messages never delivered',
    Number.isNaN(intakeAgain) && 'intake never recovered',
    verify.code !== 0 && 'verify-chain failed',
    codes.length === 0 && 'nothing was acknowledged',
  ].filter(Boolean);
  if (failures.length) process.stdout.write(`FAILED: ${failures.join('; ')}\n`);
  else process.stdout.write('failover drill passed\n');
  return failures;
}

const DEMO_TOTP_SECRET = new OTPAuth.Secret({ size: 20 }).base32;

async function login(base: string): Promise<string> {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      username: 'admin',
      password: process.env.DEMO_PASSWORD || 'foad-demo-128',
      totp: new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(DEMO_TOTP_SECRET), digits: 6, period: 30 }).generate(),
    }),
  });
  if (!r.ok) throw new Error(`login failed: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { token: string }).token;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`failover drill failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
