import { randomInt } from 'node:crypto';
import { provinceNameFa, unitNameFa } from '../agencies/names-store.ts';
import { getUnit } from '../agencies/store.ts';
import { appealedBefore, isTopUnit } from '../appeals/store.ts';
import { listAttachments, presentAttachment } from '../attachments/store.ts';
import { hashSecret, newToken, sameHash } from '../auth/tokens.ts';
import { citizenActions } from '../complaints/allowed-actions.ts';
import { caseLinks } from '../complaints/link-case.ts';
import { getComplaint } from '../complaints/store.ts';
import type { Config } from '../config.ts';
import { AppError } from '../core/errors.ts';
import type { Database, Queryable } from '../db/database.ts';
import { maskPhone } from '../domain/identity.ts';
import { INCIDENT_STATUS_TEXT } from '../domain/incident.ts';
import { LIFECYCLE_EVENT_TYPES, type Status } from '../domain/lifecycle.ts';
import { toPersianDigits } from '../domain/persian-text.ts';
import { parseTrackingCode, trackingCodeText } from '../domain/tracking-code.ts';
import { listEvents } from '../events/store.ts';
import type { NotificationProvider } from '../notifications/provider.ts';
import {
  citizenSessionComplaint,
  consumeOtp,
  countOtpAttempt,
  insertCitizenSession,
  insertOtp,
  isOwnerDevice,
  lockComplaintForOtp,
  lockLatestOtp,
  type PublicTrackingRow,
  publicTrackingRow,
  recentOtps,
  recordOwnerDevice,
  SMS_LANE,
  wrongGuessesByAddress,
  wrongGuessesOnCode,
} from './store.ts';

/**
 * Guess limits, counted per requester address and per code so that an attacker's wrong guesses
 * cost the attacker, never the citizen: a fresh code sent to the phone always has its own
 * budget, and the owner's address has five tries at it whatever others typed. The bound on all
 * guesses at one complaint is codes per hour × the code's total budget (5 × 15 a hour, so a
 * random guesser succeeds with odds under 1 in 13,000 a hour).
 */
const MAX_WRONG_PER_CODE_PER_ADDRESS = 5;
const MAX_WRONG_PER_CODE = 15;
/**
 * The total wrong-guess budget of a code asked for by text (sms-otp.ts): large enough that
 * spending it takes twenty addresses per code (five each), while the phone may ask for five codes
 * an hour; small enough that all guesses at them stay under 1 in 2,000 an hour.
 */
const MAX_WRONG_PER_SMS_CODE = 100;
const MAX_WRONG_PER_ADDRESS_PER_HOUR = 20;
const OTP_COOLDOWN_SECONDS = 60;
/** Codes a complaint may be sent in an hour at the request of browsers that never proved ownership (against SMS bombing). */
const MAX_SHARED_OTPS_PER_HOUR = 5;
/** Codes a complaint's owner's own browsers may ask for in an hour: a budget nobody else can spend. */
const MAX_OWNER_OTPS_PER_HOUR = 5;
/** Codes one address may ask for in an hour, for any complaints (generous: mobile carriers put many citizens behind one address). */
const MAX_OTPS_PER_ADDRESS_PER_HOUR = 30;
const CITIZEN_SESSION_MINUTES = 30;

function codeOrThrow(input: string): string {
  const code = parseTrackingCode(input);
  if (!code) throw new AppError('invalid_tracking_code');
  return code;
}

function iso(d: Date | null): string | null {
  return d ? d.toISOString() : null;
}

/**
 * The status anyone holding the code may see: no personal data, no staff names, no text. Read
 * from a replica when one is configured (a second or two of staleness is fine here); a code the
 * replica does not know yet — filed a moment ago, the citizen tracking it at once — is looked up
 * on the primary before it is called unknown.
 */
export async function publicStatus(db: Database, input: string) {
  const code = codeOrThrow(input);
  let from: Queryable = db.reads;
  let c = await publicTrackingRow(from, { trackingCode: code });
  if (!c && db.reads !== db.pool) {
    from = db.pool;
    c = await publicTrackingRow(from, { trackingCode: code });
  }
  if (!c) throw new AppError('complaint_not_found');
  const unitName = await unitNameFa(from, c.unitId);
  // A duplicate's code resolves to the case it was merged into (following a chain of merges).
  let into: PublicTrackingRow | null = null;
  for (let next = c.mergedIntoId, hops = 0; next && hops < 10; hops++) {
    into = (await publicTrackingRow(db.reads, { id: next })) ?? (await publicTrackingRow(db.pool, { id: next }));
    next = into?.mergedIntoId ?? null;
  }
  const intoUnitName = into ? await unitNameFa(db.pool, into.unitId) : null;
  return {
    trackingCode: c.trackingCode,
    status: c.status as Status,
    referredTo: unitName !== null ? { name: unitName } : null,
    provinceNameFa: await provinceNameFa(from, c.provinceId),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    dueAt: iso(c.dueAt),
    canRate: c.status === 'answered',
    // One cause, many complaints: the incident's public title and status, never anyone's data.
    ...(c.incident
      ? { incident: { titleFa: c.incident.titleFa, publicStatus: c.incident.publicStatus, statusFa: INCIDENT_STATUS_TEXT[c.incident.publicStatus].fa } }
      : {}),
    ...(into
      ? {
          mergedInto: {
            trackingCode: into.trackingCode,
            status: into.status as Status,
            referredTo: intoUnitName !== null ? { name: intoUnitName } : null,
            dueAt: iso(into.dueAt),
            canRate: into.status === 'answered',
          },
        }
      : {}),
  };
}

/**
 * Sends a one-time code to the complaint's phone (never to a number the caller names). The
 * check of recent codes and the new code are one transaction with the complaint locked, so
 * concurrent requests cannot slip past the cooldown or the hourly cap.
 */
export async function requestOtp(
  db: Database,
  config: Config,
  provider: NotificationProvider,
  input: string,
  from: { address: string; device: string | null } = { address: 'unknown', device: null },
) {
  const code = codeOrThrow(input);
  const device = deviceHash(config, from.device);
  const now = config.clock.now();
  const issued = await db.transaction(async (tx) => {
    const c = await lockComplaintForOtp(tx, code);
    if (!c) throw new AppError('complaint_not_found');
    // Budgets per requester (this browser's cooldown, this address's hour) and per complaint —
    // the shared cap for everyone else, and the owner's own for a browser that proved it before.
    const by = { device, address: from.address, owner: await isOwnerDevice(tx, c.id, device) };
    const recent = await recentOtps(tx, c.id, by, now);
    const complaintCap = by.owner ? recent.ownerLastHour >= MAX_OWNER_OTPS_PER_HOUR : recent.sharedLastHour >= MAX_SHARED_OTPS_PER_HOUR;
    const addressCap = !by.owner && recent.addressLastHour >= MAX_OTPS_PER_ADDRESS_PER_HOUR;
    if (complaintCap || addressCap || (recent.secondsSinceLastHere !== null && recent.secondsSinceLastHere < OTP_COOLDOWN_SECONDS)) {
      throw new AppError('rate_limited', { retryAfterSeconds: complaintCap || addressCap ? 3600 : OTP_COOLDOWN_SECONDS });
    }
    const otp = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await insertOtp(tx, c.id, hashSecret(`${c.id}:${otp}`, config.secret), config.otpTtlMinutes, by, now);
    return { ...c, otp };
  });
  const fa = issued.language !== 'en';
  await provider.send({
    to: issued.phone,
    kind: 'otp',
    text: fa
      ? `رمز یک‌بار مصرف ۱۲۸ برای شکایت ${trackingCodeText(issued.trackingCode, 'fa')}: ${toPersianDigits(issued.otp)}\nاین رمز را به کسی ندهید.`
      : `128 one-time code for complaint ${trackingCodeText(issued.trackingCode, 'en')}: ${issued.otp}. Do not share it.`,
  });
  return { sentTo: maskPhone(issued.phone), expiresInSeconds: config.otpTtlMinutes * 60 };
}

/** The stored form of a browser's device cookie (keyed: the database alone does not give the cookie). */
function deviceHash(config: Config, token: string | null): string | null {
  return token ? hashSecret(`device:${token}`, config.secret) : null;
}

/**
 * Checks a one-time code (guessed from `address`, by the browser holding `deviceToken`) and opens
 * a short citizen session for this one complaint. Only a code issued to the same browser is
 * checked, so guesses from other browsers never reach — nor spend — the owner's code; the browser
 * that succeeds is remembered as the owner's.
 */
export async function verifyOtp(db: Database, config: Config, input: string, otp: string, address: string, deviceToken: string | null = null) {
  const code = codeOrThrow(input);
  const device = deviceHash(config, deviceToken);
  const now = config.clock.now();
  return db
    .transaction(async (tx) => {
      // The requester's own budget first: a guesser is slowed down whatever complaint they aim at.
      if ((await wrongGuessesByAddress(tx, address, now)) >= MAX_WRONG_PER_ADDRESS_PER_HOUR) throw new AppError('rate_limited', { retryAfterSeconds: 3600 });
      const c = await getComplaint(tx, { trackingCode: code }, null, now);
      if (!c) throw new AppError('complaint_not_found');
      // This browser's own code; else one asked without a browser cookie (API clients, or a
      // browser's first request before it had the cookie), which any cookie-less requester shares.
      // Beside it, a code the citizen asked for by text from the complaint's phone (sms-otp.ts):
      // it has a larger budget of its own, so others' wrong guesses do not use it up at once.
      const live = (device !== null ? await lockLatestOtp(tx, c.id, device, now) : null) ?? (await lockLatestOtp(tx, c.id, null, now));
      const bySms = await lockLatestOtp(tx, c.id, SMS_LANE, now);
      const usable = [];
      for (const [candidate, budget] of [
        [live, MAX_WRONG_PER_CODE],
        [bySms, MAX_WRONG_PER_SMS_CODE],
      ] as const) {
        if (!candidate || candidate.attempts >= budget) continue;
        if ((await wrongGuessesOnCode(tx, candidate.id, address)) >= MAX_WRONG_PER_CODE_PER_ADDRESS) continue;
        usable.push(candidate);
      }
      if (usable.length === 0) throw new AppError('invalid_otp');
      const right = usable.find((candidate) => sameHash(candidate.codeHash, hashSecret(`${c.id}:${otp}`, config.secret)));
      if (!right) {
        for (const candidate of usable) await countOtpAttempt(tx, candidate.id, c.id, address, now);
        return null;
      }
      await consumeOtp(tx, right.id, now);
      if (device !== null) await recordOwnerDevice(tx, c.id, device);
      const token = newToken();
      const expiresAt = await insertCitizenSession(tx, hashSecret(token, config.secret), c.id, CITIZEN_SESSION_MINUTES, now);
      return { token, expiresAt: expiresAt.toISOString() };
    })
    .then((result) => {
      // The failed attempt is committed before the error is raised, so it counts.
      if (!result) throw new AppError('invalid_otp');
      return result;
    });
}

/** The complaint a citizen token opens, if it is the one the code names; else citizen_token_required. */
export async function citizenComplaintId(db: Database, config: Config, input: string, token: string | undefined): Promise<string> {
  const code = codeOrThrow(input);
  if (!token) throw new AppError('citizen_token_required');
  const now = config.clock.now();
  const complaintId = await citizenSessionComplaint(db.pool, hashSecret(token, config.secret), now);
  const c = await getComplaint(db.pool, { trackingCode: code }, null, now);
  if (!complaintId || !c || c.id !== complaintId) throw new AppError('citizen_token_required');
  return complaintId;
}

/** What the citizen sees in the timeline: the intake and every state change, never internal notes (or staff names). */
const CITIZEN_EVENTS = new Set<string>([
  'received',
  'attachment_added',
  ...[...LIFECYCLE_EVENT_TYPES].filter((t) => t !== 'note_added' && t !== 'follow_up_recorded'),
]);

/** Text the citizen may read: the answer, the rejection reason, and their own words — never staff's internal reasons. */
function citizenText(type: string, d: Record<string, unknown>): string | undefined {
  if (type === 'answered' && typeof d.text === 'string') return d.text;
  if ((type === 'rejected' || type === 'objected' || type === 'appealed' || type === 'appeal_rejected') && typeof d.reason === 'string') return d.reason;
  if (type === 'appeal_upheld' && typeof d.directive === 'string') return d.directive;
  if ((type === 'rated_satisfied' || type === 'rated_not_satisfied') && typeof d.comment === 'string') return d.comment;
  return undefined;
}

/**
 * The complaint's files, and which of them the office gave as evidence with the answer that
 * stands (the last `answered` event's; none once a reopening cleared the answer).
 */
async function attachmentsAndEvidence(db: Database, id: string, events: { type: string; data: unknown }[] | null) {
  const attachments = (await listAttachments(db.pool, id)).map(presentAttachment);
  const answered = events?.findLast((e) => e.type === 'answered');
  const ids = ((answered?.data as { evidence?: string[] } | undefined)?.evidence ?? []) as string[];
  return { attachments, evidence: attachments.filter((a) => ids.includes(a.id)) };
}

/** The citizen's full view of their own complaint (after the OTP). */
export async function citizenView(db: Database, config: Config, input: string, token: string | undefined) {
  const id = await citizenComplaintId(db, config, input, token);
  const c = (await getComplaint(db.pool, { id }, null, config.clock.now()))!;
  const events = await listEvents(db.pool, id);
  const unitNames = new Map<number, string>();
  const unitName = async (unitId: unknown) => {
    if (typeof unitId !== 'number') return null;
    if (!unitNames.has(unitId)) unitNames.set(unitId, (await getUnit(db.pool, unitId))?.nameFa ?? '');
    return unitNames.get(unitId) ?? null;
  };
  const timeline = [];
  for (const e of events) {
    if (!CITIZEN_EVENTS.has(e.type)) continue;
    const d = e.data as Record<string, unknown>;
    timeline.push({
      seq: e.seq,
      type: e.type,
      at: e.createdAt,
      unit: (await unitName(d.toUnitId ?? d.unitId)) ?? undefined,
      text: citizenText(e.type, d),
    });
  }
  return {
    trackingCode: c.trackingCode,
    status: c.status,
    agency: c.agency,
    referredTo: c.unit,
    officeText: c.officeText,
    provinceNameFa: c.provinceNameFa,
    countyNameFa: c.countyNameFa,
    categoryNameFa: c.categoryNameFa,
    description: c.description,
    confidential: c.confidential,
    answer: c.answer,
    answeredAt: c.answeredAt,
    outcome: c.outcome,
    dueAt: c.dueAt,
    createdAt: c.createdAt,
    canRate: c.status === 'answered',
    canObject: c.status === 'rejected',
    allowedActions: citizenActions({
      status: c.status,
      unitId: c.unit?.id ?? null,
      atTopLevel: await isTopUnit(db.pool, c.unit?.id ?? null),
      appealedBefore: await appealedBefore(db.pool, id),
    }),
    ...(await attachmentsAndEvidence(db, id, c.answer === null ? null : events)),
    // The case links only now that the one-time code has proved the phone (never in publicStatus).
    ...(await caseLinks(db.pool, id, null)),
    timeline,
  };
}
