import * as OTPAuth from 'otpauth';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { toAsciiDigits } from '../domain/persian-text.ts';
import { AppError } from '../http/errors.ts';
import { checkPassword, decoyHash } from './passwords.ts';
import type { StaffPrincipal } from './scope.ts';
import { findStaffById, findStaffByUsername, insertSession, recordLoginFailure, recordLoginSuccess } from './store.ts';
import { hashSecret, newToken } from './tokens.ts';

const LOCK_AFTER_FAILURES = 5;
const LOCK_MINUTES = 15;

export interface LoginResult {
  token: string;
  expiresAt: Date;
  user: StaffPrincipal;
}

/**
 * Staff sign-in: password (argon2id), then the TOTP code when the user has enabled it.
 * Five failures lock the account for 15 minutes. The session token is returned once; only
 * its keyed hash is stored.
 */
export async function login(db: Database, config: Config, input: { username: string; password: string; totp?: string | undefined }): Promise<LoginResult> {
  const user = await findStaffByUsername(db.pool, input.username);
  if (!user?.active) {
    await checkPassword(await decoyHash(), input.password);
    throw new AppError('invalid_credentials');
  }
  if (user.lockedUntil && user.lockedUntil > new Date()) throw new AppError('account_locked', { until: user.lockedUntil.toISOString() });
  if (!(await checkPassword(user.passwordHash, input.password))) {
    await recordLoginFailure(db.pool, user.id, LOCK_AFTER_FAILURES, LOCK_MINUTES);
    throw new AppError('invalid_credentials');
  }
  if (user.totpEnabled && user.totpSecret) {
    if (!input.totp) throw new AppError('totp_required');
    if (totpFor(user.username, user.totpSecret).validate({ token: toAsciiDigits(input.totp).trim(), window: 1 }) === null) {
      await recordLoginFailure(db.pool, user.id, LOCK_AFTER_FAILURES, LOCK_MINUTES);
      throw new AppError('invalid_totp');
    }
  }
  await recordLoginSuccess(db.pool, user.id);
  const token = newToken();
  const expiresAt = await insertSession(db.pool, hashSecret(token, config.secret), user.id, config.sessionTtlMinutes);
  const { passwordHash: _p, totpSecret: _t, totpEnabled: _e, active: _a, failedLogins: _f, lockedUntil: _l, ...principal } = user;
  return { token, expiresAt, user: principal };
}

export function totpFor(username: string, secret: string): OTPAuth.TOTP {
  return new OTPAuth.TOTP({ issuer: 'Foad 128', label: username, algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });
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
    if (totpFor(user.username, user.totpSecret).validate({ token: toAsciiDigits(currentCode).trim(), window: 1 }) === null) throw new AppError('invalid_totp');
  }
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  await db.pool.query('UPDATE staff_users SET totp_pending_secret = $2 WHERE id = $1', [userId, secret]);
  return { secret, uri: totpFor(user.username, secret).toString() };
}

/** Turns the pending secret on once the user proves their app produces the right code. */
export async function confirmTotpSetup(db: Database, userId: number, code: string): Promise<void> {
  const { rows } = await db.pool.query<{ username: string; pending: string | null }>(
    'SELECT username, totp_pending_secret AS pending FROM staff_users WHERE id = $1',
    [userId],
  );
  const row = rows[0];
  if (!row?.pending) throw new AppError('invalid_totp');
  if (totpFor(row.username, row.pending).validate({ token: toAsciiDigits(code).trim(), window: 1 }) === null) throw new AppError('invalid_totp');
  await db.pool.query('UPDATE staff_users SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_enabled = true WHERE id = $1', [userId]);
}
