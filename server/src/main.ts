import { ensureWebBuilt } from '../../web/build.ts';
import { storageFromConfig } from './attachments/storage.ts';
import { startCheckpointer } from './chain/checkpoints.ts';
import { checkpointKeysFromConfig } from './chain/keys.ts';
import { createComplaintBot } from './channels/bots/bot.ts';
import { botProvider } from './channels/bots/provider.ts';
import { SmppEsme } from './channels/smpp/esme.ts';
import { recordReceipt } from './channels/smpp/receipts.ts';
import { handleInboundSms } from './channels/sms/inbound.ts';
import { type Config, loadConfig } from './config.ts';
import { ROLE_NAMES_FA, requiresTotp } from './core/roles.ts';
import { type Database, openPglite, openPostgres } from './db/database.ts';
import { migrate, pendingMigrations } from './db/migrate.ts';
import { withReadReplica } from './db/replica.ts';
import { breachStatsSource } from './enforcement/report-card-source.ts';
import { startEnforcementScheduler } from './enforcement/scheduler.ts';
import { startFollowUpScheduler } from './follow-up/draw-sample.ts';
import { startHotspotDetector } from './hotspots/detect-hotspots.ts';
import { type App, buildApp } from './http/app.ts';
import { startIncidentLinker } from './incidents/link-arrivals.ts';
import { createMetrics, type Metrics, serveMetrics } from './metrics/metrics.ts';
import { startDispatcher } from './notifications/dispatcher.ts';
import { ConsoleProvider, HttpSmsGateway, MemoryProvider, WebInboxProvider } from './notifications/provider.ts';
import { gracefulShutdown } from './ops/shutdown.ts';
import { startPartitionWorker } from './partitions/maintain.ts';
import { startRollupWorker } from './reports/rollup-worker.ts';
import { seedDemo } from './seed/demo.ts';
import { seedReference } from './seed/reference.ts';
import { seedSlaReference } from './seed/sla.ts';
import { startSweeper } from './sla/sweeper-worker.ts';
import { startTriageRetrainer } from './triage/retrain-worker.ts';

/** The composition root: config → database → migrations → seed → channels → HTTP → workers. */
async function main(): Promise<void> {
  const config = loadConfig();
  const { db, applied } = await openDatabase(config);
  const demo = await seed(db, config);
  const channels = startChannels(db, config);
  const { app, readiness, metrics, open, metricsServer } = await listen(db, config, channels);
  await printBanner(db, config, app, applied, demo);
  const workers = config.runWorkers ? startWorkers(db, config, app, metrics, channels) : [];

  // Triage suggestions (issue 15): trained at start, refitted every TRIAGE_RETRAIN_HOURS, in every instance.
  const triageRetrainer = startTriageRetrainer(app.deps.triage!, {
    hours: config.triageRetrainHours,
    onTrained: (examples) => app.log.info({ examples }, 'triage model trained'),
    onError: (e) => app.log.error(e, 'triage model'),
  });

  for (const b of channels.bots) {
    if (config.botMode === 'webhook') await b.setWebhook(`${config.publicUrl}/api/v1/channels/${b.channel}/webhook`, config.botWebhookSecret!);
    else void b.startPolling();
  }

  // SIGTERM: drain (see ops/shutdown.ts), then exit; a second signal or the grace period ends it at once.
  const stop = gracefulShutdown({
    app,
    readiness,
    graceMs: config.shutdownGraceMs,
    inFlight: () => [...open.values()].map((r) => ({ ...r, seconds: (Date.now() - r.since) / 1000 })),
    stopWorkers: async () => {
      await Promise.all([...workers, triageRetrainer].map((w) => w.stop()));
      await channels.esme?.close();
      await Promise.all(channels.bots.map((b) => b.stop()));
    },
    close: async () => {
      metricsServer?.close();
      await db.close();
    },
  });
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

/** Opens the primary (and the read replica when given) and checks every migration is applied. */
async function openDatabase(config: Config): Promise<{ db: Database; applied: string[] }> {
  const primary: Database = config.databaseUrl ? await openPostgres(config.databaseUrl, config.databasePoolSize) : await openPglite(config.dataDir);
  // Stale-tolerant reads (public tracking, portal, dashboards) on a replica when one is given;
  // it may be down at start: its reads then go to the primary until a check finds it.
  const db: Database = config.databaseReplicaUrl
    ? await withReadReplica(
        primary,
        await openPostgres(config.databaseReplicaUrl, config.databasePoolSize, { retry: false, probe: false, connectionTimeoutMillis: 2000 }),
        { maxLagSeconds: config.replicaMaxLagSeconds, checkIntervalMs: config.replicaCheckIntervalMs },
      )
    : primary;
  // MIGRATE_ON_START=false: operators run `npm run migrate` (for the migrations that need a window).
  const applied = config.migrateOnStart ? await migrate(db) : [];
  const pending = await pendingMigrations(db);
  if (pending.length > 0) {
    throw new Error(`migrations not applied: ${pending.join(', ')} — run \`npm run migrate\` first`);
  }
  return { db, applied };
}

/** The reference rows, and the demo when asked for. */
async function seed(db: Database, config: Config) {
  await seedReference(db);
  await seedSlaReference(db);
  // The demo comes with five finished months of history and their published report cards.
  return config.seedDemo
    ? await seedDemo(db, config.demoPassword, config.publicUrl, {
        totpSecret: config.demoTotpSecret,
        history: { months: 5, seed: 128, minComplaints: config.reportMinComplaints },
      })
    : null;
}

/** The SMSC link (started), the SMS provider, the attachment storage and the messenger bots (not yet started). */
function startChannels(db: Database, config: Config) {
  // The operator's SMSC: texts to 128 arrive over it (and, with SMS_PROVIDER=smpp, leave over it).
  const esme = config.smpp
    ? new SmppEsme({
        ...config.smpp,
        db,
        publicUrl: config.publicUrl,
        inbound: (sms) => handleInboundSms(db, config, sms),
        onReceipt: async (receipt) => {
          await recordReceipt(db.pool, receipt);
        },
      })
    : null;
  esme?.start();
  const notifications =
    config.smsProvider === 'memory'
      ? new MemoryProvider()
      : config.smsProvider === 'http'
        ? new HttpSmsGateway(config.smsGatewayUrl!, config.smsGatewayToken)
        : config.smsProvider === 'smpp' && esme
          ? esme
          : new ConsoleProvider();
  // One attachment storage for the API and the bots (local folder or S3-compatible bucket).
  const attachmentStorage = storageFromConfig(config);
  const attachments = { storage: attachmentStorage, maxBytes: config.attachmentMaxBytes, perComplaint: config.attachmentsPerComplaint, clock: config.clock };
  // Telegram and Bale: one bot codebase, the Bot API root decides which.
  const bots = config.bots.map((b) =>
    createComplaintBot({
      db,
      settings: config,
      token: b.token,
      channel: b.channel,
      ...(b.apiRoot ? { apiRoot: b.apiRoot } : {}),
      attachments,
      onError: (e) => console.error(`${b.channel} bot`, e),
    }),
  );
  return { esme, notifications, attachmentStorage, bots };
}

type Channels = ReturnType<typeof startChannels>;

/** Builds the app and opens the listeners: the API port, and the metrics port when set. */
async function listen(db: Database, config: Config, channels: Channels) {
  // The web UI: built on first start (and after its sources change) so `npm start` serves it.
  await ensureWebBuilt((message) => console.log(message)).catch((error: unknown) => {
    console.warn('the web app could not be built; serving the API only:', error instanceof Error ? error.message : error);
  });
  const readiness = { accepting: true };
  const metrics = createMetrics(db);
  const app = await buildApp({
    config,
    db,
    notifications: channels.notifications,
    attachmentStorage: channels.attachmentStorage,
    readiness,
    metrics,
    ...(config.botMode === 'webhook' ? { webhookBots: channels.bots } : {}),
  });
  // Requests being answered, for the shutdown's log when a drain overruns its grace period.
  const open = new Map<string, { method: string; url: string; since: number }>();
  app.addHook('onRequest', (request, reply, done) => {
    open.set(request.id, { method: request.method, url: request.routeOptions.url ?? 'unmatched', since: Date.now() });
    reply.raw.on('close', () => open.delete(request.id)); // a response closes once
    done();
  });
  await app.listen({ port: config.port, host: config.host });
  const metricsServer = config.metricsPort > 0 ? await serveMetrics(metrics, config.metricsHost, config.metricsPort) : null;
  return { app, readiness, metrics, open, metricsServer };
}

/** Prints where the app runs, its database and, with the demo, its logins. */
async function printBanner(db: Database, config: Config, app: App, applied: string[], demo: Awaited<ReturnType<typeof seed>>): Promise<void> {
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const base = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;

  const lines = [
    '',
    `  Foad 128 is running at ${base}`,
    `  API docs (OpenAPI):     ${base}/docs`,
    `  Database:               ${db.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL server (DATABASE_URL)'}${applied.length ? ` — migrated: ${applied.join(', ')}` : ''}`,
  ];
  if (config.seedDemo) {
    const users =
      demo?.users ??
      (await db.pool.query<{ username: string; role: keyof typeof ROLE_NAMES_FA }>('SELECT username, role FROM staff_users WHERE active ORDER BY id LIMIT 20'))
        .rows;
    if (demo?.history) {
      lines.push(`  Demo history:           ${demo.history.complaints} past complaints; report cards published for ${demo.history.published.join(', ')}`);
    }
    lines.push(`  Demo logins (password: ${config.demoPassword}):`);
    for (const u of users) lines.push(`    ${u.username.padEnd(32)} ${ROLE_NAMES_FA[u.role]}${requiresTotp(u.role) ? '  + TOTP code' : ''}`);
    lines.push(...(await demoTotpLines(db, users)));
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

/** The background workers this instance runs (RUN_WORKERS). */
function startWorkers(db: Database, config: Config, app: App, metrics: Metrics, channels: Channels) {
  const { notifications, bots } = channels;
  // The SLA sweeper, the outbox dispatcher, the hotspot detector and the enforcement schedule: safe to run in every
  // instance (SKIP LOCKED claims, a scan lock, a unique row per month).
  return [
    startSweeper(db, {
      settings: config,
      intervalMs: config.slaSweepIntervalMs,
      concurrency: Math.max(1, config.databasePoolSize - 2),
      onError: (e) => app.log.error(e, 'SLA sweeper'),
      onBatch: (batch) => metrics.sweepBatch(batch),
    }),
    startDispatcher(db, {
      providers: { sms: notifications, web: new WebInboxProvider(db.pool), ...Object.fromEntries(bots.map((b) => [b.channel, botProvider(b)])) },
      intervalMs: config.outboxIntervalMs,
      onError: (e) => app.log.error(e, 'outbox dispatcher'),
    }),
    // Report rollups: fold the deltas intake, staff and the sweeper append (cards also fold before reading).
    startRollupWorker(db, { intervalMs: 5_000, onError: (e) => app.log.error(e, 'report rollups') }),
    // Monthly partitions made ahead and delivered outbox months dropped (a lock: one instance at a time).
    startPartitionWorker(db, {
      monthsAhead: config.partitionMonthsAhead,
      outboxRetentionMonths: config.outboxRetentionMonths,
      intervalMs: 3_600_000,
      onRound: (round) => app.log.info(round, 'partitions maintained'),
      onError: (e) => app.log.error(e, 'partition worker'),
    }),
    // Incidents: complaints that arrive saying the same as an open incident join it, their citizens told.
    startIncidentLinker(db, { settings: config, clock: config.clock, intervalMs: 5_000, onError: (e) => app.log.error(e, 'incident arrivals') }),
    ...(config.hotspotIntervalMs > 0
      ? [startHotspotDetector(db, { clock: config.clock, intervalMs: config.hotspotIntervalMs, onError: (e) => app.log.error(e, 'hotspot detector') })]
      : []),
    // Signed daily checkpoints of every chain (once across instances: an advisory lock and one row per day).
    startCheckpointer(db, {
      key: checkpointKeysFromConfig(config).signing,
      settleMinutes: config.checkpointSettleMinutes,
      clock: config.clock,
      onMade: (days) => app.log.info({ days }, 'chain checkpoints signed'),
      onError: (e) => app.log.error(e, 'chain checkpoints'),
    }),
    // Satisfaction follow-up calls: each week's sample, drawn once across instances (a unique row per week).
    ...(config.followUpSchedule
      ? [
          startFollowUpScheduler(
            db,
            { percent: config.followUpSamplePercent, min: config.followUpSampleMin, max: config.followUpSampleMax, secret: config.secret },
            {
              clock: config.clock,
              onDrawn: (weekStart, calls) => app.log.info({ weekStart, calls }, 'follow-up calls drawn for the week'),
              onError: (e) => app.log.error(e, 'follow-up calls'),
            },
          ),
        ]
      : []),
    // Enforcement rules, once per Jalali month after it ends in Tehran and settles (ENFORCEMENT_SETTLE_HOURS).
    ...(config.enforcementSchedule
      ? [
          startEnforcementScheduler(db, breachStatsSource(db.pool), {
            settleHours: config.enforcementSettleHours,
            replyDays: config.enforcementReplyDays,
            clock: config.clock,
            onRun: (run) =>
              run.error === null
                ? app.log.info({ period: run.period, created: run.created }, 'enforcement rules ran for the month')
                : app.log.error({ period: run.period, error: run.error }, 'enforcement rules failed for the month; retried later'),
            onError: (e) => app.log.error(e, 'enforcement schedule'),
          }),
        ]
      : []),
  ];
}

/**
 * The demo's TOTP secret, for a developer's console only: demo seeding is refused with
 * NODE_ENV=production, so this never prints in production. Read from the database so it is
 * shown on every start, not only the first.
 */
async function demoTotpLines(db: Database, users: { username: string; role: keyof typeof ROLE_NAMES_FA }[]): Promise<string[]> {
  const names = users.filter((u) => requiresTotp(u.role)).map((u) => u.username);
  const { rows } = await db.pool.query<{ username: string; secret: string }>(
    'SELECT username, totp_secret AS secret FROM staff_users WHERE username = ANY($1) AND totp_enabled AND totp_secret IS NOT NULL ORDER BY id',
    [names],
  );
  if (rows.length === 0) return [];
  const secrets = [...new Set(rows.map((r) => r.secret))];
  return [
    `  DEVELOPMENT ONLY — two-factor (TOTP) secret of ${rows.map((r) => r.username).join(', ')}:`,
    ...secrets.map((secret) => `    ${secret}   (add it to an authenticator app; or: npm run demo:totp -- ${secret})`),
  ];
}

main().catch((error) => {
  process.stderr.write(`Foad could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  if (process.env.LOG_LEVEL === 'debug') console.error(error);
  process.exit(1);
});
