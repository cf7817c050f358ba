import * as OTPAuth from 'otpauth';
import type { Config } from '../config.ts';
import { AppError } from '../core/errors.ts';
import { requiresTotp } from '../core/roles.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import type { Database } from '../db/database.ts';
import { toAsciiDigits } from '../domain/persian-text.ts';
import { checkLoginThrottle, recordLoginAttempt } from './login-throttle.ts';
import { checkPassword, decoyHash } from './passwords.ts';
import { claimTotpStep, enablePendingTotp, findStaffById, findStaffByUsername, insertSession, type StaffRecord, setPendingTotp } from './store.ts';
import { hashSecret, newToken } from './tokens.ts';

export interface LoginResult {
  token: string;
  expiresAt: Date;
  user: StaffPrincipal;
}

export interface Credentials {
  username: string;
  password: string;
}

/**
 * The password step shared by sign-in and first TOTP enrolment. Unknown, inactive and wrong all
 * answer `invalid_credentials` after the same argon2 work; the throttle is checked first, by the
 * typed name, so it too behaves the same whether the name exists or not.
 */
async function checkCredentials(db: Database, input: Credentials, address: string, now: Date): Promise<StaffRecord> {
  const username = input.username.toLowerCase();
  await checkLoginThrottle(db.pool, username, address, now);
  const user = await findStaffByUsername(db.pool, username);
  const ok = await checkPassword(user?.active ? user.passwordHash : await decoyHash(), input.password);
  if (!user?.active || !ok) {
    await recordLoginAttempt(db.pool, username, address, false, now);
    throw new AppError('invalid_credentials');
  }
  return user;
}

const TOTP_PERIOD_SECONDS = 30;

/** The time step of a valid code (±1 step of clock drift), or null when the code is wrong. */
function codeStep(username: string, secret: string, code: string, now = Date.now()): number | null {
  const delta = totpFor(username, secret).validate({ token: toAsciiDigits(code).trim(), window: 1, timestamp: now });
  return delta === null ? null : Math.floor(now / 1000 / TOTP_PERIOD_SECONDS) + delta;
}

/**
 * Checks a code of the secret in force and claims its step: a code already used (or older than
 * the last one used) is refused like a wrong one, so an observed code cannot be replayed.
 */
async function acceptCode(db: Database, user: StaffRecord, secret: string, code: string): Promise<boolean> {
  const step = codeStep(user.username, secret, code);
  return step !== null && (await claimTotpStep(db.pool, user.id, step));
}

/** Checks the first code of a pending secret and turns it on (once). */
async function acceptPendingCode(db: Database, user: StaffRecord, secret: string, code: string): Promise<boolean> {
  const step = codeStep(user.username, secret, code);
  return step !== null && (await enablePendingTotp(db.pool, user.id, secret, step));
}

/**
 * Staff sign-in: password (argon2id), then the TOTP code. The national admin, the supervisors and
 * the 128 centre must have TOTP: until they enrol (POST /auth/totp/enrol), sign-in answers
 * `totp_enrolment_required`, and the first code from the new secret completes both.
 */
export async function login(db: Database, config: Config, input: Credentials & { totp?: string | undefined }, address = 'unknown'): Promise<LoginResult> {
  const now = config.clock.now();
  const user = await checkCredentials(db, input, address, now);
  const secret = user.totpEnabled ? user.totpSecret : requiresTotp(user.role) ? user.totpPendingSecret : null;
  if (secret === null && requiresTotp(user.role)) throw new AppError('totp_enrolment_required');
  if (secret !== null) {
    if (!input.totp) throw new AppError(user.totpEnabled ? 'totp_required' : 'totp_enrolment_required');
    const ok = user.totpEnabled ? await acceptCode(db, user, secret, input.totp) : await acceptPendingCode(db, user, secret, input.totp);
    if (!ok) {
      await recordLoginAttempt(db.pool, user.username, address, false, now);
      throw new AppError('invalid_totp');
    }
  }
  await recordLoginAttempt(db.pool, user.username, address, true, now);
  const token = newToken();
  const expiresAt = await insertSession(db.pool, hashSecret(token, config.secret), user.id, config.sessionTtlMinutes, now);
  const { passwordHash: _p, totpSecret: _t, totpPendingSecret: _s, totpEnabled: _e, active: _a, ...principal } = user;
  return { token, expiresAt, user: principal };
}

/**
 * First enrolment before any session: after the password, a new pending secret for the user's
 * authenticator app. Signing in with its first code turns it on. Refused once TOTP is on (a new
 * device then goes through /auth/totp/setup with a current code, or an admin's reset).
 */
export async function enrolTotp(db: Database, input: Credentials, address: string, now: Date): Promise<{ secret: string; uri: string }> {
  const user = await checkCredentials(db, input, address, now);
  if (user.totpEnabled) throw new AppError('totp_already_enabled');
  return newPendingSecret(db, user.id, user.username);
}

export function totpFor(username: string, secret: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer: 'Foad 128', label: username, algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });
}

async function newPendingSecret(db: Database, userId: number, username: string): Promise<{ secret: string; uri: string }> {
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  await setPendingTotp(db.pool, userId, secret);
  return { secret, uri: totpFor(username, secret).toString() };
}

/**
 * Starts TOTP enrolment: a new secret kept as *pending* — the secret in force (if any) stays
 * until the user confirms the new one. Replacing an enabled TOTP needs a current code.
 */
export async function beginTotpSetup(db: Database, userId: number, currentCode?: string): Promise<{ secret: string; uri: string }> {
  const user = await findStaffById(db.pool, userId);
  if (!user) throw new AppError('user_not_found');
  if (user.totpEnabled && user.totpSecret) {
    if (!currentCode) throw new AppError('totp_required');
    if (!(await acceptCode(db, user, user.totpSecret, currentCode))) throw new AppError('invalid_totp');
  }
  return newPendingSecret(db, user.id, user.username);
}

/** Turns the pending secret on once the user proves their app produces the right code. */
export async function confirmTotpSetup(db: Database, userId: number, code: string): Promise<void> {
  const user = await findStaffById(db.pool, userId);
  if (!user?.totpPendingSecret || !(await acceptPendingCode(db, user, user.totpPendingSecret, code))) throw new AppError('invalid_totp');
}
