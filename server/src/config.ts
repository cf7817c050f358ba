import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { S3Settings } from './attachments/storage.ts';
import { type Clock, systemClock } from './core/clock.ts';
import { DEVELOPMENT_SIGNING_SEED } from './domain/checkpoint.ts';
import { DEVELOPMENT_CHAIN_SECRET } from './domain/hash-chain.ts';

/** Every setting of the process, read once from the environment. See docs/configuration.md. */
export interface Config {
  /** HTTP port. */
  port: number;
  /** Address to listen on. */
  host: string;
  /** PostgreSQL server URL; when empty an embedded PGlite database in `dataDir` is used. */
  databaseUrl: string | null;
  /** A streaming replica for reads that tolerate a little staleness (DATABASE_REPLICA_URL; server mode only). */
  databaseReplicaUrl: string | null;
  /** Replay lag (s) past which those reads go back to the primary. */
  replicaMaxLagSeconds: number;
  /** How often the replica's lag is measured (ms). */
  replicaCheckIntervalMs: number;
  /** Folder for the embedded database and local files. */
  dataDir: string;
  /** Connections in the pool (PostgreSQL server only; PGlite is one session). */
  databasePoolSize: number;
  /** Seed demo data (agencies, users) into an empty database at start. */
  seedDemo: boolean;
  /** Password given to every demo user. */
  demoPassword: string;
  /** Base32 TOTP secret for the demo users whose role needs TOTP (default: a random one, printed at start). */
  demoTotpSecret: string | null;
  /** Base URL people reach the service at (used in messages and cookies). */
  publicUrl: string;
  /**
   * The time every change is made at (core/clock.ts). Not from the environment: the wall clock,
   * which main.ts hands to the unit of work, the sweeper and the use cases with the settings;
   * tests replace it to move time forward.
   */
  clock: Clock;
  /** Mark session cookies `Secure` (on behind HTTPS). */
  cookieSecure: boolean;
  /** Staff session lifetime in minutes. */
  sessionTtlMinutes: number;
  /** Citizen tracking OTP lifetime in minutes. */
  otpTtlMinutes: number;
  /** Secret mixed into OTP and token hashes; set it in production. */
  secret: string;
  /** Notification provider for SMS to citizens: `console` prints messages, `http` posts to SMS_GATEWAY_URL. */
  smsProvider: 'console' | 'memory' | 'http' | 'smpp';
  /** The operator's SMSC (SMPP 3.4, bind_transceiver): texts to 128 come in here, and with SMS_PROVIDER=smpp go out. */
  smpp: { host: string; port: number; systemId: string; password: string; systemType: string; sourceAddr: string } | null;
  /** The generic HTTP SMS gateway (SMS_PROVIDER=http). */
  smsGatewayUrl: string | null;
  smsGatewayToken: string;
  /** Shared secret the inbound SMS webhook's HMAC signature is made with; the webhook is off without it. */
  smsWebhookSecret: string | null;
  /** Messenger bots (Telegram, Bale: the same Bot API). A bot runs when its token is set. */
  bots: { channel: 'telegram' | 'bale'; token: string; apiRoot: string | undefined; username: string | undefined }[];
  /** `polling` (one instance only) or `webhook` (every instance; Telegram calls PUBLIC_URL/api/v1/channels/<channel>/webhook). */
  botMode: 'polling' | 'webhook';
  botWebhookSecret: string | null;
  /** Hours within which the same citizen's complaint about the same agency joins their open case (0: never). */
  caseJoinHours: number;
  /** Below this many complaints a report-card measure is "not enough data" (and public counts are suppressed). */
  reportMinComplaints: number;
  /** Run the SLA sweeper and the outbox dispatcher in this process. */
  runWorkers: boolean;
  /** How often the SLA sweeper and the outbox dispatcher look for work. */
  slaSweepIntervalMs: number;
  outboxIntervalMs: number;
  /** Whole months of delivered outbox messages kept before the current month (0 = for ever). */
  outboxRetentionMonths: number;
  /** Monthly partitions made ahead of the current month (outbox, rollup deltas, contact reads). */
  partitionMonthsAhead: number;
  /** Log level for the server (`fatal`…`trace`, or `silent`). */
  logLevel: string;
  /** Requests per minute per IP on the public tracking and OTP endpoints. */
  publicRateLimit: number;
  /** Which proxies to believe for the client address (X-Forwarded-For): false, true, a hop count or addresses. */
  trustProxy: boolean | number | string;
  /** Complaints per minute per IP on the public intake endpoint (`POST /api/v1/complaints`). */
  intakeRateLimit: number;
  /** Days a manager has to reply to a proposed enforcement action before a supervisor may decide without the reply. */
  enforcementReplyDays: number;
  /** Run the enforcement rules by themselves once a Jalali month has ended and settled (in the instances that run workers). */
  enforcementSchedule: boolean;
  /** Hours after a month ends (Tehran time) before the schedule runs its rules: late answers and ratings land first. */
  enforcementSettleHours: number;
  /** Satisfaction follow-up calls (docs/follow-up-calls.md): per unit and week, this percentage of the closed complaints… */
  followUpSamplePercent: number;
  /** …but at least this many (or all, when fewer closed)… */
  followUpSampleMin: number;
  /** …and at most this many. */
  followUpSampleMax: number;
  /** Draw the weekly sample by itself (in the instances that run workers). */
  followUpSchedule: boolean;
  /** How often this instance looks for hotspots (0: never; every instance may run it, one scan at a time). */
  hotspotIntervalMs: number;
  /** Largest inspection photo accepted, in bytes. */
  photoMaxBytes: number;
  /** Where attachment bytes go: a folder (`local`) or an S3-compatible bucket (`s3`). */
  attachmentStorage: 'local' | 's3';
  /** The folder of the local attachment storage (default DATA_DIR/attachments). */
  attachmentDir: string;
  /** The S3-compatible bucket (ATTACHMENT_STORAGE=s3). */
  s3: S3Settings | null;
  /** Largest accepted upload per kind, in bytes (checked while streaming and after the type is known). */
  attachmentMaxBytes: { image: number; video: number; voice: number };
  /** At most this many attachments per complaint. */
  attachmentsPerComplaint: number;
  /** Minutes after filing during which the web citizen may attach files with the intake's Idempotency-Key as proof. */
  attachmentIntakeWindowMinutes: number;
  /** Tamper evidence (docs/tamper-evidence.md): the HMAC key of the event chain and the keys of earlier rotations. */
  chainKey: string;
  chainPreviousKeys: string[];
  /** Events without a key id (version 1, unkeyed) are accepted only when made before this moment (the upgrade); null: never. */
  chainUnkeyedBefore: string | null;
  /** The Ed25519 seed (base64, 32 bytes) daily checkpoints are signed with, and public keys of earlier rotations. */
  checkpointSigningKey: string;
  checkpointPreviousPublicKeys: string[];
  /** Minutes after a UTC day ends before its checkpoint is made (transactions in flight at midnight land first). */
  checkpointSettleMinutes: number;
  // Operations (issue 14): migrations, health, metrics, shutdown.
  /** Apply pending migrations at start (false: run `npm run migrate` yourself; /readyz is 503 until then). */
  migrateOnStart: boolean;
  /** Serve /metrics on the app's port behind `Authorization: Bearer <token>`. */
  metricsToken: string | null;
  /** Serve /metrics without a token on a port of its own (0: not), on metricsHost. */
  metricsPort: number;
  metricsHost: string;
  /** The longest a SIGTERM drain may take before the process exits anyway. */
  shutdownGraceMs: number;
  /** This instance's name in every log line (default host:pid). */
  instanceId: string;
  /** Triage (issue 15): the probability at which a suggestion is pre-filled on the forms; it never routes by itself. */
  triageConfidence: number;
  /** Hours between full refits of the triage model from the operators' referrals (0: only at start and online steps). */
  triageRetrainHours: number;
}

class ConfigError extends Error {}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0, max = 1_000_000): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

/** A bot's public username (for the deep links on the alerts page), without the @; undefined when unset. */
function botUsername(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name]?.trim().replace(/^@/, '');
  if (!raw) return undefined;
  if (!/^[A-Za-z][A-Za-z0-9_]{3,31}$/.test(raw)) throw new ConfigError(`${name} must be a bot username (letters, digits and _), got "${raw}"`);
  return raw;
}

function oneOf<T extends string>(env: NodeJS.ProcessEnv, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  }
  return raw as T;
}

/** TRUST_PROXY: unset/false = trust nobody (rate limits key on the socket address), true, a hop count, or addresses/CIDRs. */
function trustProxy(raw: string | undefined): boolean | number | string {
  if (!raw || raw === 'false' || raw === '0') return false;
  if (raw === 'true') return true;
  if (/^[1-9][0-9]?$/.test(raw)) return Number(raw);
  return raw;
}

function demoTotpSecret(raw: string | undefined): string | null {
  if (!raw) return null;
  if (!/^[A-Z2-7]{16,128}$/.test(raw)) throw new ConfigError('DEMO_TOTP_SECRET must be base32 (A-Z, 2-7), 16 characters or more');
  return raw;
}

const list = (raw: string | undefined) =>
  (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The chain and checkpoint keys: required (and strong) in production, a fixed development key otherwise. */
function chainSettings(
  env: NodeJS.ProcessEnv,
  production: boolean,
): Pick<Config, 'chainKey' | 'chainPreviousKeys' | 'chainUnkeyedBefore' | 'checkpointSigningKey' | 'checkpointPreviousPublicKeys'> {
  const chainKey = env.CHAIN_KEY ?? '';
  if (chainKey && Buffer.byteLength(chainKey) < 32) throw new ConfigError('CHAIN_KEY must be at least 32 bytes');
  if (production && !chainKey) throw new ConfigError('CHAIN_KEY (32+ bytes) is required when NODE_ENV=production');
  const seed = env.CHECKPOINT_SIGNING_KEY ?? '';
  if (seed && Buffer.from(seed, 'base64').length !== 32) throw new ConfigError('CHECKPOINT_SIGNING_KEY must be a base64 32-byte Ed25519 seed');
  if (production && !seed) throw new ConfigError('CHECKPOINT_SIGNING_KEY is required when NODE_ENV=production');
  const previousPublic = list(env.CHECKPOINT_PREVIOUS_PUBLIC_KEYS);
  if (previousPublic.some((k) => Buffer.from(k, 'base64').length !== 32)) {
    throw new ConfigError('CHECKPOINT_PREVIOUS_PUBLIC_KEYS must be base64 32-byte Ed25519 public keys, comma-separated');
  }
  const before = env.CHAIN_UNKEYED_BEFORE?.trim() || null;
  if (before !== null && Number.isNaN(Date.parse(before))) throw new ConfigError('CHAIN_UNKEYED_BEFORE must be an ISO-8601 time');
  return {
    chainKey: chainKey || DEVELOPMENT_CHAIN_SECRET,
    chainPreviousKeys: list(env.CHAIN_PREVIOUS_KEYS),
    chainUnkeyedBefore: before === null ? null : new Date(before).toISOString(),
    checkpointSigningKey: seed || DEVELOPMENT_SIGNING_SEED,
    checkpointPreviousPublicKeys: previousPublic,
  };
}

/** The database URLs; throws on a URL that is not PostgreSQL or a replica without a primary. */
function databaseUrls(env: NodeJS.ProcessEnv) {
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const databaseReplicaUrl = env.DATABASE_REPLICA_URL?.trim() || null;
  if (databaseReplicaUrl && !/^postgres(ql)?:\/\//.test(databaseReplicaUrl)) {
    throw new ConfigError('DATABASE_REPLICA_URL must start with postgres:// or postgresql://');
  }
  if (databaseReplicaUrl && !databaseUrl) throw new ConfigError('DATABASE_REPLICA_URL needs DATABASE_URL (a replica of the embedded database does not exist)');
  return { databaseUrl, databaseReplicaUrl };
}

/** Refuses what production must not run with, and settings that need a companion setting. */
function checkCombinations(env: NodeJS.ProcessEnv, production: boolean, secret: string): void {
  if (production && secret.length < 32) {
    throw new ConfigError('FOAD_SECRET must be set to at least 32 characters when NODE_ENV=production');
  }
  // Production refuses what is only for a developer's machine: the console "SMS" prints one-time
  // codes and phone numbers to stdout (memory keeps them in the process), and the demo seeds users
  // with a published password.
  if (production && ['console', 'memory', undefined, ''].includes(env.SMS_PROVIDER)) {
    throw new ConfigError(
      `SMS_PROVIDER=${env.SMS_PROVIDER || 'console'} prints or keeps one-time codes and phone numbers; with NODE_ENV=production set SMS_PROVIDER to http or smpp`,
    );
  }
  if (production && bool(env, 'SEED_DEMO', false))
    throw new ConfigError('SEED_DEMO cannot be on when NODE_ENV=production: the demo users have a published password');
  if (env.SMS_PROVIDER === 'http' && !env.SMS_GATEWAY_URL) throw new ConfigError('SMS_GATEWAY_URL is required when SMS_PROVIDER=http');
  if (env.BOT_MODE === 'webhook' && !/^[A-Za-z0-9_-]{16,256}$/.test(env.BOT_WEBHOOK_SECRET ?? '')) {
    throw new ConfigError('BOT_WEBHOOK_SECRET (16+ of A-Z a-z 0-9 _ -) is required when BOT_MODE=webhook');
  }
  if (env.ATTACHMENT_STORAGE === 's3' && !env.S3_BUCKET) throw new ConfigError('S3_BUCKET is required when ATTACHMENT_STORAGE=s3');
  if (env.SMS_PROVIDER === 'smpp' && !env.SMPP_HOST) throw new ConfigError('SMPP_HOST is required when SMS_PROVIDER=smpp');
}

/** SMS: the provider, SMPP and the HTTP gateway. */
function smsSettings(env: NodeJS.ProcessEnv) {
  return {
    smsProvider: oneOf(env, 'SMS_PROVIDER', ['console', 'memory', 'http', 'smpp'] as const, 'console'),
    smpp: env.SMPP_HOST
      ? {
          host: env.SMPP_HOST,
          port: int(env, 'SMPP_PORT', 2775, 1, 65535),
          systemId: env.SMPP_SYSTEM_ID || '',
          password: env.SMPP_PASSWORD || '',
          systemType: env.SMPP_SYSTEM_TYPE || '',
          sourceAddr: env.SMPP_SOURCE_ADDR || '128',
        }
      : null,
    smsGatewayUrl: env.SMS_GATEWAY_URL || null,
    smsGatewayToken: env.SMS_GATEWAY_TOKEN || '',
    smsWebhookSecret: env.SMS_WEBHOOK_SECRET || null,
  };
}

/** Messenger bots (Telegram, Bale) and how they receive updates. */
function botSettings(env: NodeJS.ProcessEnv) {
  return {
    bots: [
      ...(env.TELEGRAM_BOT_TOKEN
        ? [
            {
              channel: 'telegram' as const,
              token: env.TELEGRAM_BOT_TOKEN,
              apiRoot: env.TELEGRAM_API_ROOT || undefined,
              username: botUsername(env, 'TELEGRAM_BOT_USERNAME'),
            },
          ]
        : []),
      ...(env.BALE_BOT_TOKEN
        ? [{ channel: 'bale' as const, token: env.BALE_BOT_TOKEN, apiRoot: env.BALE_API_ROOT || undefined, username: botUsername(env, 'BALE_BOT_USERNAME') }]
        : []),
    ],
    botMode: oneOf(env, 'BOT_MODE', ['polling', 'webhook'] as const, 'polling'),
    botWebhookSecret: env.BOT_WEBHOOK_SECRET || null,
  };
}

/** Background workers: SLA sweep, outbox, partitions, rate limits, enforcement, follow-up and hotspots. */
function workerSettings(env: NodeJS.ProcessEnv) {
  return {
    runWorkers: bool(env, 'RUN_WORKERS', true),
    slaSweepIntervalMs: int(env, 'SLA_SWEEP_INTERVAL_MS', 1000, 50, 600_000),
    outboxIntervalMs: int(env, 'OUTBOX_INTERVAL_MS', 1000, 50, 600_000),
    outboxRetentionMonths: int(env, 'OUTBOX_RETENTION_MONTHS', 6, 0, 120),
    partitionMonthsAhead: int(env, 'PARTITION_MONTHS_AHEAD', 2, 1, 24),
    logLevel: env.LOG_LEVEL || (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    publicRateLimit: int(env, 'PUBLIC_RATE_LIMIT', 60, 1, 1_000_000_000),
    trustProxy: trustProxy(env.TRUST_PROXY),
    intakeRateLimit: int(env, 'INTAKE_RATE_LIMIT', 30, 1, 1_000_000),
    enforcementReplyDays: int(env, 'ENFORCEMENT_REPLY_DAYS', 7, 0, 90),
    enforcementSchedule: bool(env, 'ENFORCEMENT_SCHEDULE', true),
    enforcementSettleHours: int(env, 'ENFORCEMENT_SETTLE_HOURS', 24, 0, 24 * 20),
    followUpSamplePercent: int(env, 'FOLLOW_UP_SAMPLE_PERCENT', 10, 0, 100),
    followUpSampleMin: int(env, 'FOLLOW_UP_SAMPLE_MIN', 2, 0, 1000),
    followUpSampleMax: int(env, 'FOLLOW_UP_SAMPLE_MAX', 20, 0, 1000),
    followUpSchedule: bool(env, 'FOLLOW_UP_SCHEDULE', true),
    hotspotIntervalMs: int(env, 'HOTSPOT_INTERVAL_MS', 60_000, 0, 86_400_000),
  };
}

/** Photos and attachments: where they are kept and how large and many they may be. */
function attachmentSettings(env: NodeJS.ProcessEnv, dataDir: string) {
  const kb = (name: string, fallback: number) => int(env, name, fallback, 1, 4 * 1024 * 1024) * 1024;
  return {
    photoMaxBytes: int(env, 'PHOTO_MAX_BYTES', 10 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    attachmentStorage: oneOf(env, 'ATTACHMENT_STORAGE', ['local', 's3'] as const, 'local'),
    attachmentDir: resolve(env.ATTACHMENT_DIR || join(dataDir, 'attachments')),
    s3: env.S3_BUCKET
      ? {
          endpoint: env.S3_ENDPOINT || null,
          region: env.S3_REGION || 'us-east-1',
          bucket: env.S3_BUCKET,
          accessKeyId: env.S3_ACCESS_KEY_ID || '',
          secretAccessKey: env.S3_SECRET_ACCESS_KEY || '',
          forcePathStyle: bool(env, 'S3_FORCE_PATH_STYLE', true),
        }
      : null,
    attachmentMaxBytes: {
      image: kb('ATTACHMENT_MAX_IMAGE_KB', 10 * 1024),
      video: kb('ATTACHMENT_MAX_VIDEO_KB', 50 * 1024),
      voice: kb('ATTACHMENT_MAX_VOICE_KB', 10 * 1024),
    },
    attachmentsPerComplaint: int(env, 'ATTACHMENTS_PER_COMPLAINT', 20, 1, 1000),
    attachmentIntakeWindowMinutes: int(env, 'ATTACHMENT_INTAKE_WINDOW_MINUTES', 60, 1, 7 * 24 * 60),
  };
}

/** Builds the typed config from an environment; throws a readable error on a bad value. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = int(env, 'PORT', 3128, 0, 65535);
  const { databaseUrl, databaseReplicaUrl } = databaseUrls(env);
  const production = env.NODE_ENV === 'production';
  const secret = env.FOAD_SECRET ?? '';
  checkCombinations(env, production, secret);
  const chain = chainSettings(env, production);
  const dataDir = resolve(env.DATA_DIR || './data');
  return {
    port,
    host: env.HOST || '127.0.0.1',
    databaseUrl,
    databaseReplicaUrl,
    replicaMaxLagSeconds: int(env, 'REPLICA_MAX_LAG_SECONDS', 5, 0, 3600),
    replicaCheckIntervalMs: int(env, 'REPLICA_CHECK_INTERVAL_MS', 1000, 100, 60_000),
    dataDir,
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', 10, 1, 200),
    seedDemo: bool(env, 'SEED_DEMO', !production),
    demoPassword: env.DEMO_PASSWORD || 'foad-demo-128',
    demoTotpSecret: demoTotpSecret(env.DEMO_TOTP_SECRET),
    publicUrl: (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/$/, ''),
    clock: systemClock,
    cookieSecure: bool(env, 'COOKIE_SECURE', production),
    sessionTtlMinutes: int(env, 'SESSION_TTL_MINUTES', 8 * 60, 5, 7 * 24 * 60),
    otpTtlMinutes: int(env, 'OTP_TTL_MINUTES', 5, 1, 60),
    secret: secret || 'foad-development-secret-change-me-in-production',
    ...smsSettings(env),
    caseJoinHours: int(env, 'CASE_JOIN_HOURS', 72, 0, 24 * 365),
    reportMinComplaints: int(env, 'REPORT_MIN_COMPLAINTS', 10, 1, 100_000),
    ...botSettings(env),
    ...workerSettings(env),
    ...attachmentSettings(env, dataDir),
    ...chain,
    checkpointSettleMinutes: int(env, 'CHECKPOINT_SETTLE_MINUTES', 10, 0, 24 * 60),
    // Operations (issue 14).
    migrateOnStart: bool(env, 'MIGRATE_ON_START', true),
    metricsToken: env.METRICS_TOKEN || null,
    metricsPort: int(env, 'METRICS_PORT', 0, 0, 65535),
    metricsHost: env.METRICS_HOST || '127.0.0.1',
    shutdownGraceMs: int(env, 'SHUTDOWN_GRACE_MS', 25_000, 0, 600_000),
    instanceId: env.INSTANCE_ID || `${hostname()}:${process.pid}`,
    triageConfidence: int(env, 'TRIAGE_CONFIDENCE_PERCENT', 60, 1, 100) / 100,
    triageRetrainHours: int(env, 'TRIAGE_RETRAIN_HOURS', 24, 0, 24 * 30),
  };
}
