import type { Queryable } from '../db/database.ts';
import type { IncidentPublicStatus } from '../domain/incident.ts';

/** Who asked for a code: the browser's device hash (null: no cookie) and address, and whether it draws on the owner's budget. */
export interface OtpRequester {
  device: string | null;
  address: string;
  owner: boolean;
}

/** A new code, stamped and timed from the injected clock's `now` (the budgets below count from that stamp). */
export async function insertOtp(db: Queryable, complaintId: string, codeHash: string, ttlMinutes: number, by: OtpRequester, now: Date): Promise<void> {
  await db.query(
    `INSERT INTO citizen_otps (complaint_id, code_hash, expires_at, device_hash, address, owner_budget, created_at)
     VALUES ($1, $2, $7::timestamptz + make_interval(mins => $3), $4, $5, $6, $7)`,
    [complaintId, codeHash, ttlMinutes, by.device, by.address, by.owner, now],
  );
}

/**
 * The device_hash of a code the citizen asked for by texting from the complaint's own phone (a
 * keyed device hash is 64 hex digits, so it never collides). Such a code is outside the shared
 * cap and is checked for any browser beside that browser's own code (tracking/sms-otp.ts).
 */
export const SMS_LANE = 'sms';

/**
 * The complaint a text from `phone` asks a code for: the one with `trackingCode` if it was filed
 * with that phone, else (no code given) the phone's newest complaint; locked for the new code.
 */
export async function lockComplaintOfPhone(
  db: Queryable,
  phone: string,
  trackingCode: string | null,
): Promise<{ id: string; trackingCode: string; language: string } | null> {
  const { rows } = await db.query<{ id: string; trackingCode: string; language: string }>(
    `SELECT c.id, c.tracking_code AS "trackingCode", c.language FROM complaints c JOIN complainant_contacts cc ON cc.complaint_id = c.id
     WHERE cc.phone = $1 AND ($2::text IS NULL OR c.tracking_code = $2) ORDER BY c.created_at DESC LIMIT 1 FOR UPDATE OF c`,
    [phone, trackingCode],
  );
  return rows[0] ?? null;
}

/** Codes sent by text to this phone's complaints in the last hour (the phone's own budget). */
export async function smsOtpsLastHour(db: Queryable, phone: string, now: Date): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM citizen_otps o JOIN complainant_contacts cc ON cc.complaint_id = o.complaint_id
     WHERE cc.phone = $1 AND o.device_hash = '${SMS_LANE}' AND o.created_at > $2::timestamptz - interval '1 hour'`,
    [phone, now],
  );
  return rows[0]!.n;
}

/** Whether an outbox message with this delivery key was already enqueued (a redelivered text). */
export async function outboxHasKey(db: Queryable, deliveryKey: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM outbox WHERE delivery_key = $1', [deliveryKey]);
  return rows.length > 0;
}

export interface RecentOtps {
  /** Codes of the complaint in the last hour from requesters that are not its owner's devices (the shared cap). */
  sharedLastHour: number;
  /** Codes of the complaint in the last hour asked by its owner's devices. */
  ownerLastHour: number;
  /** Seconds since this requester's (device's, or cookie-less clients') last code for the complaint. */
  secondsSinceLastHere: number | null;
  /** Codes this address asked for, for any complaint, in the last hour. */
  addressLastHour: number;
}

/** The budgets a new code is checked against, in one read. */
export async function recentOtps(db: Queryable, complaintId: string, by: OtpRequester, now: Date): Promise<RecentOtps> {
  const { rows } = await db.query<RecentOtps>(
    `SELECT count(*) FILTER (WHERE created_at > $4::timestamptz - interval '1 hour' AND NOT owner_budget AND device_hash IS DISTINCT FROM '${SMS_LANE}')::int AS "sharedLastHour",
            count(*) FILTER (WHERE created_at > $4::timestamptz - interval '1 hour' AND owner_budget)::int AS "ownerLastHour",
            extract(epoch FROM $4::timestamptz - max(created_at) FILTER (WHERE device_hash IS NOT DISTINCT FROM $2))::float8 AS "secondsSinceLastHere",
            (SELECT count(*)::int FROM citizen_otps WHERE address = $3 AND created_at > $4::timestamptz - interval '1 hour') AS "addressLastHour"
     FROM citizen_otps WHERE complaint_id = $1`,
    [complaintId, by.device, by.address, now],
  );
  return rows[0] ?? { sharedLastHour: 0, ownerLastHour: 0, secondsSinceLastHere: null, addressLastHour: 0 };
}

/** Whether a browser once proved it holds the complaint's phone (a code sent there was verified from it). */
export async function isOwnerDevice(db: Queryable, complaintId: string, device: string | null): Promise<boolean> {
  if (device === null) return false;
  const { rows } = await db.query('SELECT 1 FROM citizen_owner_devices WHERE complaint_id = $1 AND device_hash = $2', [complaintId, device]);
  return rows.length > 0;
}

export async function recordOwnerDevice(db: Queryable, complaintId: string, device: string): Promise<void> {
  await db.query('INSERT INTO citizen_owner_devices (complaint_id, device_hash) VALUES ($1, $2) ON CONFLICT DO NOTHING', [complaintId, device]);
}

/**
 * The newest live code of a complaint issued to this browser (null device: to cookie-less
 * clients), locked, so attempts are counted exactly. Another browser's code is never reached.
 */
export async function lockLatestOtp(
  db: Queryable,
  complaintId: string,
  device: string | null,
  now: Date,
): Promise<{ id: number; codeHash: string; attempts: number } | null> {
  const { rows } = await db.query<{ id: number; codeHash: string; attempts: number }>(
    `SELECT id, code_hash AS "codeHash", attempts FROM citizen_otps
     WHERE complaint_id = $1 AND device_hash IS NOT DISTINCT FROM $2 AND consumed_at IS NULL AND expires_at > $3
     ORDER BY created_at DESC LIMIT 1 FOR UPDATE`,
    [complaintId, device, now],
  );
  return rows[0] ?? null;
}

/** A wrong guess: counted on the code (its total budget) and against the guessing address. */
export async function countOtpAttempt(db: Queryable, id: number, complaintId: string, address: string, now: Date): Promise<void> {
  await db.query('UPDATE citizen_otps SET attempts = attempts + 1 WHERE id = $1', [id]);
  await db.query('INSERT INTO otp_wrong_guesses (otp_id, complaint_id, address, at) VALUES ($1, $2, $3, $4)', [id, complaintId, address, now]);
}

/** Wrong guesses from one address at one code. */
export async function wrongGuessesOnCode(db: Queryable, otpId: number, address: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM otp_wrong_guesses WHERE otp_id = $1 AND address = $2', [otpId, address]);
  return rows[0]!.n;
}

/** Wrong guesses from one address at any complaint in the last hour. */
export async function wrongGuessesByAddress(db: Queryable, address: string, now: Date): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM otp_wrong_guesses WHERE address = $1 AND at > $2::timestamptz - interval '1 hour'",
    [address, now],
  );
  return rows[0]!.n;
}

export async function consumeOtp(db: Queryable, id: number, now: Date): Promise<void> {
  await db.query('UPDATE citizen_otps SET consumed_at = $2 WHERE id = $1', [id, now]);
}

/** A citizen session that ends `ttlMinutes` after the injected clock's `now`. */
export async function insertCitizenSession(db: Queryable, tokenHash: string, complaintId: string, ttlMinutes: number, now: Date): Promise<Date> {
  const { rows } = await db.query<{ expiresAt: Date }>(
    `INSERT INTO citizen_sessions (token_hash, complaint_id, expires_at) VALUES ($1, $2, $4::timestamptz + make_interval(mins => $3))
     RETURNING expires_at AS "expiresAt"`,
    [tokenHash, complaintId, ttlMinutes, now],
  );
  return rows[0]!.expiresAt;
}

/** The complaint a citizen session opens while it is live at `now` (null: unknown or expired). */
export async function citizenSessionComplaint(db: Queryable, tokenHash: string, now: Date): Promise<string | null> {
  const { rows } = await db.query<{ complaintId: string }>(
    'SELECT complaint_id AS "complaintId" FROM citizen_sessions WHERE token_hash = $1 AND expires_at > $2',
    [tokenHash, now],
  );
  return rows[0]?.complaintId ?? null;
}

/** What the public status shows of one complaint: no personal data, no staff names, no text. */
export interface PublicTrackingRow {
  trackingCode: string;
  status: string;
  /** The names are the process's (agencies/names-store.ts), not read with the row. */
  unitId: number | null;
  provinceId: number | null;
  createdAt: Date;
  updatedAt: Date;
  dueAt: Date | null;
  mergedIntoId: string | null;
  /** The incident the complaint is in (or was answered with): public title and status only. */
  incident: { titleFa: string; publicStatus: IncidentPublicStatus } | null;
}

const PUBLIC_COLUMNS = `c.tracking_code AS "trackingCode", c.status, c.unit_id AS "unitId", c.province_id AS "provinceId",
  c.created_at AS "createdAt", c.updated_at AS "updatedAt", c.due_at AS "dueAt", c.merged_into_id AS "mergedIntoId",
  CASE WHEN c.shown_incident_id IS NOT NULL THEN
    (SELECT json_build_object('titleFa', i.title_fa, 'publicStatus', i.public_status) FROM incidents i WHERE i.id = c.shown_incident_id) END AS incident`;

/**
 * The public tracking lookup: the hottest read of the system (every citizen, every SMS link,
 * every bot). A named prepared statement, so each connection plans it once, reading only the
 * columns the public status shows — not the staff detail's seven-table join — and the incident
 * through the complaint's own `shown_incident_id` (migration 047), so the complaints in no
 * incident skip that read. The unit and province names come from the process's cache. PGlite runs named statements too (its node-postgres adapter speaks
 * the extended protocol to its one session).
 */
export async function publicTrackingRow(db: Queryable, by: { trackingCode: string } | { id: string }): Promise<PublicTrackingRow | null> {
  const query =
    'trackingCode' in by
      ? { name: 'foad_track_public_by_code', text: `SELECT ${PUBLIC_COLUMNS} FROM complaints c WHERE c.tracking_code = $1`, values: [by.trackingCode] }
      : { name: 'foad_track_public_by_id', text: `SELECT ${PUBLIC_COLUMNS} FROM complaints c WHERE c.id = $1`, values: [by.id] };
  const { rows } = await db.query<PublicTrackingRow>(query);
  return rows[0] ?? null;
}

/** A complaint's id by its tracking code (null: none). */
export async function complaintIdByCode(db: Queryable, trackingCode: string): Promise<string | null> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM complaints WHERE tracking_code = $1', [trackingCode]);
  return rows[0]?.id ?? null;
}

/**
 * Locks a complaint by its tracking code (until the transaction ends) and reads where its code
 * goes: the contact phone and the language. Null: no complaint with a contact has this code.
 */
export async function lockComplaintForOtp(
  db: Queryable,
  trackingCode: string,
): Promise<{ id: string; trackingCode: string; language: string; phone: string } | null> {
  const { rows } = await db.query<{ id: string; trackingCode: string; language: string; phone: string }>(
    `SELECT c.id, c.tracking_code AS "trackingCode", c.language, cc.phone FROM complaints c
     JOIN complainant_contacts cc ON cc.complaint_id = c.id WHERE c.tracking_code = $1 FOR UPDATE OF c`,
    [trackingCode],
  );
  return rows[0] ?? null;
}
