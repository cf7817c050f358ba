import type { Role } from '../core/roles.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import type { Queryable } from '../db/database.ts';

export interface StaffRecord extends StaffPrincipal {
  passwordHash: string;
  totpSecret: string | null;
  totpPendingSecret: string | null;
  totpEnabled: boolean;
  active: boolean;
}

const COLUMNS = `s.id, s.username, s.display_name AS "displayName", s.role, s.unit_id AS "unitId", u.path AS "unitPath",
  COALESCE(s.province_id, u.province_id) AS "provinceId", s.language, s.password_hash AS "passwordHash",
  s.totp_secret AS "totpSecret", s.totp_pending_secret AS "totpPendingSecret", s.totp_enabled AS "totpEnabled", s.active`;

export async function findStaffByUsername(db: Queryable, username: string): Promise<StaffRecord | null> {
  const { rows } = await db.query<StaffRecord>(`SELECT ${COLUMNS} FROM staff_users s LEFT JOIN units u ON u.id = s.unit_id WHERE s.username = $1`, [
    username.toLowerCase(),
  ]);
  return rows[0] ?? null;
}

export async function findStaffById(db: Queryable, id: number): Promise<StaffRecord | null> {
  const { rows } = await db.query<StaffRecord>(`SELECT ${COLUMNS} FROM staff_users s LEFT JOIN units u ON u.id = s.unit_id WHERE s.id = $1`, [id]);
  return rows[0] ?? null;
}

/**
 * Claims a TOTP time step for a user: true when `step` is after the last accepted one (recorded
 * now), false for a replay. One conditional UPDATE, so two sign-ins with the same code race in
 * the database and exactly one of them wins.
 */
export async function claimTotpStep(db: Queryable, userId: number, step: number): Promise<boolean> {
  const { rows } = await db.query('UPDATE staff_users SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id', [
    userId,
    step,
  ]);
  return rows.length === 1;
}

/**
 * Turns the pending secret on, recording the step of the code that proved it. Conditional on the
 * pending secret still being `secret`, so the same first code cannot turn it on twice.
 */
export async function enablePendingTotp(db: Queryable, userId: number, secret: string, step: number): Promise<boolean> {
  const { rows } = await db.query(
    `UPDATE staff_users SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, totp_enabled = true, totp_last_step = $3
     WHERE id = $1 AND totp_pending_secret = $2 RETURNING id`,
    [userId, secret, step],
  );
  return rows.length === 1;
}

/** The principal behind a live session, or null when the session is unknown, expired or the user inactive. */
export async function findSessionPrincipal(db: Queryable, tokenHash: string, now: Date): Promise<StaffPrincipal | null> {
  const { rows } = await db.query<StaffPrincipal>(
    `SELECT s.id, s.username, s.display_name AS "displayName", s.role, s.unit_id AS "unitId", u.path AS "unitPath",
            COALESCE(s.province_id, u.province_id) AS "provinceId", s.language
     FROM staff_sessions ss JOIN staff_users s ON s.id = ss.user_id LEFT JOIN units u ON u.id = s.unit_id
     WHERE ss.token_hash = $1 AND ss.expires_at > $2 AND s.active`,
    [tokenHash, now],
  );
  return rows[0] ?? null;
}

/** A staff session from `now` (the injected clock's) for `ttlMinutes`. */
export async function insertSession(db: Queryable, tokenHash: string, userId: number, ttlMinutes: number, now: Date): Promise<Date> {
  const { rows } = await db.query<{ expiresAt: Date }>(
    `INSERT INTO staff_sessions (token_hash, user_id, expires_at, created_at) VALUES ($1, $2, $4::timestamptz + make_interval(mins => $3), $4)
     RETURNING expires_at AS "expiresAt"`,
    [tokenHash, userId, ttlMinutes, now],
  );
  return rows[0]!.expiresAt;
}

export async function deleteSession(db: Queryable, tokenHash: string): Promise<void> {
  await db.query('DELETE FROM staff_sessions WHERE token_hash = $1', [tokenHash]);
}

export interface NewStaff {
  username: string;
  displayName: string;
  passwordHash: string;
  role: Role;
  unitId: number | null;
  provinceId: number | null;
  language: 'fa' | 'en';
}

export async function insertStaff(db: Queryable, user: NewStaff): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO staff_users (username, display_name, password_hash, role, unit_id, province_id, language)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [user.username.toLowerCase(), user.displayName, user.passwordHash, user.role, user.unitId, user.provinceId, user.language],
  );
  return rows[0]!.id;
}

export async function setTotp(db: Queryable, userId: number, secret: string | null, enabled: boolean): Promise<void> {
  await db.query('UPDATE staff_users SET totp_secret = $2, totp_enabled = $3, totp_last_step = NULL WHERE id = $1', [userId, secret, enabled]);
}

/** Switches a user's TOTP off (lost phone) and ends their sessions: they enrol again at next sign-in. */
export async function resetTotp(db: Queryable, userId: number): Promise<boolean> {
  const result = await db.query('UPDATE staff_users SET totp_secret = NULL, totp_pending_secret = NULL, totp_enabled = false WHERE id = $1', [userId]);
  await db.query('DELETE FROM staff_sessions WHERE user_id = $1', [userId]);
  return result.rowCount === 1;
}

export interface StaffListItem {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  unitId: number | null;
  provinceId: number | null;
  active: boolean;
  totpEnabled: boolean;
}

export async function listStaff(db: Queryable, limit: number, offset: number): Promise<StaffListItem[]> {
  const { rows } = await db.query<StaffListItem>(
    `SELECT id, username, display_name AS "displayName", role, unit_id AS "unitId", province_id AS "provinceId", active,
            totp_enabled AS "totpEnabled" FROM staff_users ORDER BY id LIMIT $1 OFFSET $2`,
    [limit, offset],
  );
  return rows;
}

export async function setStaffActive(db: Queryable, id: number, active: boolean): Promise<boolean> {
  const result = await db.query('UPDATE staff_users SET active = $2 WHERE id = $1', [id, active]);
  if (!active) await db.query('DELETE FROM staff_sessions WHERE user_id = $1', [id]);
  return result.rowCount === 1;
}

/** Stores a third-party Open311 app with the hash of its API key. */
export async function insertOpen311Client(db: Queryable, name: string, apiKeyHash: string): Promise<void> {
  await db.query('INSERT INTO open311_clients (name, api_key_hash) VALUES ($1, $2)', [name, apiKeyHash]);
}

/** Keeps a new TOTP secret as pending: the one in force (if any) stays until the user confirms it. */
export async function setPendingTotp(db: Queryable, userId: number, secret: string): Promise<void> {
  await db.query('UPDATE staff_users SET totp_pending_secret = $2 WHERE id = $1', [userId, secret]);
}
