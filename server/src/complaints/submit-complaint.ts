import { createHash, randomUUID } from 'node:crypto';
import { chooseUnit } from '../agencies/routing.ts';
import type { Unit } from '../agencies/store.ts';
import { type Clock, systemClock } from '../core/clock.ts';
import { AppError } from '../core/errors.ts';
import type { Database, Queryable } from '../db/database.ts';
import type { Clock as BusinessClock } from '../domain/business-clock.ts';
import { canonicalJson } from '../domain/canonical-json.ts';
import { type Actor, chainEvents, currentChainKeys, type NewEvent, type StoredEvent } from '../domain/event-chain.ts';
import { contactDigest, GENESIS_HASH } from '../domain/hash-chain.ts';
import { parseContactPhone, parseNationalId } from '../domain/identity.ts';
import { type ComplaintState, decide, evolve, initialState, type LifecycleEvent, type Status } from '../domain/lifecycle.ts';
import { type NamedEmployee, namedEmployeeDigest, parseNamedEmployee } from '../domain/named-employee.ts';
import { normalizePersianText } from '../domain/persian-text.ts';
import { generateTrackingCode } from '../domain/tracking-code.ts';
import { commitNew } from '../events/unit-of-work.ts';
import { type OutboxRow, planNotifications, withStaffAlerts } from '../notifications/outbox.ts';
import { answerDeadline, type SlaPolicy, slaEffect, type TimerPlan, timerRows, withFirstActionDue } from '../sla/plan.ts';
import { cachedClock, cachedPolicy, FALLBACK_POLICY } from '../sla/store.ts';
import { type IntakeContext, loadIntakeContext } from './intake-store.ts';
import { agencyRootOf, openCaseFor, recordLink } from './link-case.ts';
import { findByIdempotencyKey, intakeReplay, type NewComplaint } from './store.ts';

export const CHANNELS = ['web', 'app', 'sms', 'telegram', 'bale', 'phone', 'open311'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface IntakeInput {
  channel: Channel;
  agencyId?: number | undefined;
  officeText?: string | undefined;
  provinceId?: number | undefined;
  countyId?: number | undefined;
  categoryId?: number | undefined;
  serviceId?: number | undefined;
  description: string;
  location?: { lat: number; lng: number; text?: string | undefined } | undefined;
  contact: { phone: string; name?: string | undefined; nationalId?: string | undefined };
  confidential?: boolean | undefined;
  /** The citizen agreed to list the complaint publicly (Open311); never listed when confidential. Default: not public. */
  publicListing?: boolean | undefined;
  /** The employee the citizen names, as typed (optional; never public). */
  namedEmployee?: string | undefined;
  language?: 'fa' | 'en' | undefined;
  /** The citizen agrees that the agency complained about may see their name and phone (default: no). */
  shareIdentity?: boolean | undefined;
  /** A messenger chat to send the citizen's messages to (bots); SMS otherwise. Not part of the HTTP body. */
  reply?: { channel: 'telegram' | 'bale'; address: string } | undefined;
}

export interface IntakeResult {
  id: string;
  trackingCode: string;
  status: Status;
  referredTo: { unitId: number; name: string } | null;
  dueAt: string | null;
  /** True when an earlier request with the same idempotency key made this complaint. */
  replayed: boolean;
  /**
   * The open case of the same phone and agency this new complaint was linked to, if any. Internal:
   * only staff who may see the caller's cases (an operator) are ever shown it.
   */
  linkedCase: { id: string; trackingCode: string } | null;
}

interface Prepared {
  agency: Unit | null;
  unit: Unit | null;
  sla: { policy: SlaPolicy; clock: BusinessClock } | null;
  provinceId: number | null;
  countyId: number | null;
  category: IntakeContext['category'];
  serviceId: number | null;
  phone: { e164: string; country: string };
  nationalId: string | null;
  namedEmployee: NamedEmployee | null;
}

/** Reads the employee a citizen or operator names, or refuses it (400) before anything is written. */
export function readNamedEmployee(input: string, field: string): NamedEmployee {
  const parsed = parseNamedEmployee(input);
  if (!parsed.ok) throw new AppError('invalid_named_employee', { field, problem: parsed.problem });
  return parsed.value;
}

/** Checks the request's own fields (no database). */
function checkFields(input: IntakeInput): Pick<Prepared, 'phone' | 'nationalId' | 'namedEmployee'> {
  if (input.agencyId === undefined && !input.officeText?.trim()) {
    throw new AppError('validation_failed', [{ field: 'body.agencyId', problem: 'give agencyId, or officeText for the operators to triage' }]);
  }
  // Only a complaint left for triage (an SMS, a bot message naming no agency) may come without a place.
  if (input.agencyId !== undefined && input.countyId === undefined && input.provinceId === undefined) {
    throw new AppError('validation_failed', [{ field: 'body.countyId', problem: 'give countyId or provinceId' }]);
  }
  if (normalizePersianText(input.description).length < 10) {
    throw new AppError('validation_failed', [{ field: 'body.description', problem: 'must be at least 10 characters of text' }]);
  }
  const phone = parseContactPhone(input.contact.phone);
  if (!phone) throw new AppError('invalid_phone', { field: 'contact.phone' });
  let nationalId: string | null = null;
  if (input.contact.nationalId) {
    nationalId = parseNationalId(input.contact.nationalId);
    if (!nationalId) throw new AppError('invalid_national_id', { field: 'contact.nationalId' });
  }
  const namedEmployee = input.namedEmployee === undefined ? null : readNamedEmployee(input.namedEmployee, 'body.namedEmployee');
  return { phone, nationalId, namedEmployee };
}

/** Checks every reference in one query and picks the unit by the routing rule, before anything is written. */
async function prepare(db: Queryable, input: IntakeInput): Promise<Prepared> {
  const { phone, nationalId, namedEmployee } = checkFields(input);
  const context = await loadIntakeContext(db, {
    provinceId: input.provinceId ?? null,
    countyId: input.countyId ?? null,
    agencyId: input.agencyId ?? null,
    categoryId: input.categoryId ?? null,
    serviceId: input.serviceId ?? null,
  });
  const placeGiven = input.countyId !== undefined || input.provinceId !== undefined;
  if (placeGiven && !context.place) throw new AppError('unknown_place', { countyId: input.countyId, provinceId: input.provinceId });
  const place = context.place ?? { provinceId: null, countyId: null };
  const { agency, category, service } = context;
  if (input.agencyId !== undefined && !agency?.active) throw new AppError('unknown_agency', { agencyId: input.agencyId });
  if (input.categoryId !== undefined && !category?.active) throw new AppError('unknown_category', { categoryId: input.categoryId });
  if (input.serviceId !== undefined && (!service?.active || !agency?.path.includes(`/${service.agencyId}/`))) {
    throw new AppError('unknown_service', { serviceId: input.serviceId });
  }
  const unit = agency ? chooseUnit(agency, context.candidates, place.countyId) : null;
  let sla: Prepared['sla'] = null;
  if (unit) {
    const policy = (await cachedPolicy(db, unit.path, category?.id ?? null)) ?? FALLBACK_POLICY;
    sla = { policy, clock: await cachedClock(db, policy, unit.id, unit.path) };
  }
  return {
    agency,
    unit,
    sla,
    provinceId: place.provinceId,
    countyId: place.countyId,
    category,
    serviceId: service?.id ?? null,
    phone,
    nationalId,
    namedEmployee,
  };
}

function requestHash(input: IntakeInput): string {
  return createHash('sha256').update(canonicalJson(input)).digest('hex');
}

/**
 * Files a complaint: validates it, gives it a tracking code, and — in the same transaction —
 * records its `received` event and refers it to the unit the routing rule picks (or leaves it
 * for the operators' triage when only an office name was given). When this returns, the
 * complaint is committed: it survives a crash the next moment.
 */
export async function submitComplaint(
  db: Database,
  input: IntakeInput,
  options: {
    idempotencyKey?: string | undefined;
    actor: Actor;
    operatorId?: number | null | undefined;
    publicUrl: string;
    /** The time of the filing (core/clock.ts); the wall clock when absent. */
    clock?: Clock | undefined;
    /** Link the new complaint to an open case of the same phone and agency from the last N hours (0: never). */
    joinWindowHours?: number | undefined;
    /** The phone was proved by who sent the complaint (SMS sender, operator's caller id, bot contact share). */
    phoneVerified?: boolean | undefined;
  },
): Promise<IntakeResult> {
  const key = options.idempotencyKey ? `${input.channel}:${options.idempotencyKey}` : null;
  const hash = requestHash(input);
  const prepared = await prepare(db.pool, input).catch(async (error) => {
    // A retry of a complaint that was accepted is answered with it even if, say, its agency
    // was deactivated since.
    const replay = key ? await replayed(db, key, hash) : null;
    if (replay) return replay;
    throw error;
  });
  if ('replayed' in prepared) return prepared;
  const hours = options.joinWindowHours ?? 0;
  for (let attempt = 0; ; attempt++) {
    try {
      // No up-front idempotency lookup: the unique index decides, and a conflict is answered below.
      const now = (options.clock ?? systemClock).now();
      if (hours <= 0) return await write(db.pool, input, prepared, key, hash, options, null, now);
      // The same path whether or not a case turns up: the answer never depends on other complaints.
      return await db.transaction(async (tx) => {
        const open = await openCaseFor(tx, prepared.phone.e164, agencyRootOf(prepared.agency?.path), hours, now);
        const made = await write(tx, input, prepared, key, hash, options, open, now);
        if (open) await recordLink(tx, open, made.id, input.channel, options.actor, now);
        return made;
      });
    } catch (error) {
      const constraint = (error as { constraint?: string }).constraint;
      if (key && constraint === 'complaints_idempotency') {
        // A concurrent retry with the same key won the race: answer with its complaint.
        const replay = await replayed(db, key, hash);
        if (replay) return replay;
      }
      if (constraint === 'complaints_tracking_code_key' && attempt < 5) continue; // a random code collided: draw again
      throw error;
    }
  }
}

async function replayed(db: Database, key: string, hash: string): Promise<IntakeResult | null> {
  const existing = await findByIdempotencyKey(db.pool, key);
  if (!existing) return null;
  if (existing.requestHash !== hash) throw new AppError('idempotency_key_reused');
  const row = await intakeReplay(db.pool, existing.id);
  return {
    id: existing.id,
    trackingCode: row.trackingCode,
    status: row.status,
    referredTo: row.unitId !== null ? { unitId: row.unitId, name: row.name ?? '' } : null,
    dueAt: row.dueAt?.toISOString() ?? null,
    replayed: true,
    linkedCase: row.linkedCase,
  };
}

type WriteOptions = { actor: Actor; operatorId?: number | null | undefined; publicUrl: string; phoneVerified?: boolean | undefined };
type Contact = { phone: string; name: string | null; nationalId: string | null };
type SlaRows = { policyId: number | null; firstActionDueAt: string | null; timers: TimerPlan[] };
type Reply = NonNullable<IntakeInput['reply']> | null;

/** Writes the complaint with its chain, timers and messages in one statement (`commitNew`). */
async function write(
  db: Queryable,
  input: IntakeInput,
  p: Prepared,
  key: string | null,
  hash: string,
  options: WriteOptions,
  openCase: { id: string; trackingCode: string } | null,
  now: Date,
): Promise<IntakeResult> {
  const complaint = complaintRow(input, p, key, hash, options, openCase, now);
  const { id, trackingCode } = complaint;
  const contact = { phone: p.phone.e164, name: input.contact.name ? normalizePersianText(input.contact.name) : null, nationalId: p.nationalId };
  const received = receivedEvent(complaint, p, contact, input.reply ?? null);
  const events: NewEvent[] = [received];
  const routed = routeDecision(complaint, p, now);
  const plan = slaPlan(routed, p, now);
  events.push(...plan.events);
  if (openCase) events.push({ type: 'case_linked', data: { caseId: openCase.id } });
  const chain = chainIntake(id, options.actor, events, now);
  const outbox = await outboxPlan(db, chain.events, complaint, p, input.reply ?? null, options.publicUrl, now);
  await commitNew(db, complaint, routed.state, p.unit?.path ?? null, chain, contact, { ...plan.sla, timers: timerRows(plan.sla.timers) }, outbox);
  return {
    id,
    trackingCode,
    status: routed.state.status,
    referredTo: p.unit ? { unitId: p.unit.id, name: p.unit.nameFa } : null,
    dueAt: routed.state.dueAt,
    replayed: false,
    linkedCase: openCase ? { id: openCase.id, trackingCode: openCase.trackingCode } : null,
  };
}

/** The new complaint's row: a fresh id and tracking code, the citizen's text normalized. */
function complaintRow(
  input: IntakeInput,
  p: Prepared,
  key: string | null,
  hash: string,
  options: WriteOptions,
  openCase: { id: string } | null,
  now: Date,
): NewComplaint {
  const id = randomUUID();
  const trackingCode = generateTrackingCode();
  const description = normalizePersianText(input.description);
  const officeText = input.officeText ? normalizePersianText(input.officeText) : null;
  const location = input.location
    ? { lat: input.location.lat, lng: input.location.lng, text: input.location.text ? normalizePersianText(input.location.text) : null }
    : null;
  return {
    id,
    trackingCode,
    channel: input.channel,
    agencyId: p.agency?.id ?? null,
    officeText,
    provinceId: p.provinceId,
    countyId: p.countyId,
    categoryId: p.category?.id ?? null,
    serviceId: p.serviceId,
    urgent: p.category?.urgent ?? false,
    description,
    location,
    confidential: input.confidential ?? false,
    publicListing: input.publicListing ?? false,
    language: input.language ?? 'fa',
    country: p.phone.country,
    operatorId: options.operatorId ?? null,
    idempotencyKey: key,
    requestHash: hash,
    createdAt: now,
    reply: input.reply ?? null,
    namedEmployee: p.namedEmployee,
    caseOfId: openCase?.id ?? null,
    phoneVerified: options.phoneVerified ?? false,
    shareIdentity: input.shareIdentity ?? false,
  };
}

/** The `received` event that opens the chain: what was filed, with digests for the contact and the named employee. */
function receivedEvent(complaint: NewComplaint, p: Prepared, contact: Contact, reply: Reply): NewEvent {
  const { id } = complaint;
  return {
    type: 'received',
    data: {
      trackingCode: complaint.trackingCode,
      channel: complaint.channel,
      agencyId: complaint.agencyId,
      officeText: complaint.officeText,
      provinceId: p.provinceId,
      countyId: p.countyId,
      categoryId: complaint.categoryId,
      serviceId: p.serviceId,
      urgent: complaint.urgent,
      description: complaint.description,
      location: complaint.location,
      confidential: complaint.confidential,
      // The consent is part of the chained record; absent (not public) keeps older events' shape.
      ...(complaint.publicListing ? { publicListing: true } : {}),
      language: complaint.language,
      country: complaint.country,
      // The citizen's choice about their identity, in the chain (issue 11: consent is recorded).
      identityConsent: complaint.shareIdentity ? 'given' : 'withheld',
      phoneVerified: complaint.phoneVerified,
      // Only a digest of the name goes into the append-only chain (see domain/named-employee.ts).
      ...(p.namedEmployee ? { namedEmployeeDigest: namedEmployeeDigest(id, p.namedEmployee) } : {}),
      // The contact is covered by a keyed digest only: a changed phone no longer passes verify.
      contactDigest: contactDigest(currentChainKeys().active, id, { ...contact, reply }),
    },
  };
}

/** The routing decision: the referral to the unit the routing rule picked, or none (left for triage). */
function routeDecision(complaint: NewComplaint, p: Prepared, now: Date): { state: ComplaintState; referred: LifecycleEvent[] } {
  let state = initialState({ agencyId: complaint.agencyId, categoryId: complaint.categoryId, provinceId: p.provinceId, countyId: p.countyId });
  if (!(p.agency && p.unit && p.sla)) return { state, referred: [] };
  const dueAt = answerDeadline(p.sla.policy, p.sla.clock, now);
  const place = { provinceId: p.provinceId!, countyId: p.countyId };
  const referred = decide(state, { type: 'refer', unitId: p.unit.id, agencyId: p.agency.id, categoryId: complaint.categoryId, dueAt, ...place });
  for (const event of referred) state = evolve(state, event, now.toISOString());
  return { state, referred };
}

/** The SLA plan of a referral: its timers, and the first-action deadline stamped on the referral event. */
function slaPlan(routed: { state: ComplaintState; referred: LifecycleEvent[] }, p: Prepared, now: Date): { events: NewEvent[]; sla: SlaRows } {
  if (!(p.agency && p.unit && p.sla)) return { events: [], sla: { policyId: null, firstActionDueAt: null, timers: [] } };
  const effect = slaEffect(['received', 'referred'], routed.state, p.sla.policy, p.sla.clock, now, false);
  // The chained referral carries the first-action deadline the timer gets (same `now`).
  return {
    events: withFirstActionDue(routed.referred, effect),
    sla: { policyId: p.sla.policy.id || null, firstActionDueAt: effect?.firstActionDueAt ?? null, timers: effect?.timers ?? [] },
  };
}

/** Chains the intake's events onto a new chain: the filer's `received`, then the system's own. */
function chainIntake(id: string, actor: Actor, events: NewEvent[], now: Date): { seq: number; hash: string; events: StoredEvent[] } {
  // The filer (a citizen, or the operator on the call) files; the routing and the link to an open
  // case that follow are the system's own doing, and the timeline credits them to it.
  const filed = chainEvents(id, { seq: 0, hash: GENESIS_HASH }, actor, events.slice(0, 1), now);
  const automatic = chainEvents(id, filed, { kind: 'system', id: null }, events.slice(1), now);
  return { ...automatic, events: [...filed.events, ...automatic.events] };
}

/** The outbox plan: the citizen's receipt, the unit's notice, and the inspection head's own alert. */
async function outboxPlan(
  db: Queryable,
  chained: StoredEvent[],
  complaint: NewComplaint,
  p: Prepared,
  reply: Reply,
  publicUrl: string,
  now: Date,
): Promise<OutboxRow[]> {
  const planned = planNotifications(chained, {
    complaintId: complaint.id,
    trackingCode: complaint.trackingCode,
    language: complaint.language,
    citizenPhone: p.phone.e164,
    reply,
    followers: [],
    units: new Map(p.unit ? [[p.unit.id, { nameFa: p.unit.nameFa, headId: p.unit.inspectionHeadId }]] : []),
    supervisorIds: [],
    publicUrl,
  });
  // The inspection head hears of the new referral by their own channel too, outside quiet hours.
  return withStaffAlerts(db, planned, now);
}
