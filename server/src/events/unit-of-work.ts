import type { NewComplaint } from '../complaints/store.ts';
import { AppError } from '../core/errors.ts';
import type { Queryable } from '../db/database.ts';
import { type Actor, chainEvents, type NewEvent, type StoredEvent } from '../domain/event-chain.ts';
import type { ComplaintState } from '../domain/lifecycle.ts';
import type { NamedEmployee } from '../domain/named-employee.ts';
import { enqueue, type OutboxRow } from '../notifications/outbox.ts';
import type { SlaEffect, TimerRow } from '../sla/plan.ts';
import {
  insertComplaint,
  type LockedComplaint,
  type ProjectionWrite,
  type SlaColumns,
  staysInProvince,
  updateHead,
  updateProjection,
  writeNamedEmployee,
  writeProjections,
} from './projection-store.ts';
import { announceEvents, insertChainedEvents } from './store.ts';
import { type BreachRecord, cancelTimers, insertTimerRows, markTimersFired, recordBreaches } from './timer-store.ts';

/*
 * The unit of work: the one way a complaint changes. Every writer — intake, staff and citizen
 * commands, merge and split, escalation and the SLA sweeper — decides with the pure lifecycle
 * (domain/lifecycle.ts) and hands the outcome here, inside its transaction, as a list of
 * changes. This module writes them in a fixed order, set-based for a batch:
 *
 *   1. timers fired (sla_timers) — first, so that cancelling a clock leaves its fired rows;
 *   2. timers cancelled, then new timers (sla_timers);
 *   3. events, chained onto each complaint's head (complaint_events; the append-only trigger
 *      of migration 001 refuses any later UPDATE or DELETE of them);
 *   4. the projection (complaints, conditional on the status and head decided from; fires the
 *      search-vector trigger of 005 and the rollup-delta trigger of 014, which appends the
 *      signed contributions the report rollups fold);
 *   5. breaches (sla_breaches);
 *   6. messages (outbox);
 *   7. one live notification for the whole transaction (NOTIFY foad_live, delivered on commit,
 *      dropped on rollback; see live/hub.ts).
 *
 * The time comes from the injected clock (core/clock.ts), once per unit of work, so events,
 * deadlines and timer rows agree.
 */

/** The SLA side of one change: what its clocks and the breach log do. */
export interface SlaWrite extends SlaColumns {
  /** Unfired timers to drop. */
  cancel?: SlaEffect['cancel'];
  /** New timer rows; `firedAt` set for stages that fired in this same round. */
  timers?: (TimerRow & { firedAt?: string | null })[];
  /** Timers that fired in this change. */
  fired?: number[];
  breaches?: BreachRecord[];
}

/** One complaint's change, decided from the row as locked in this transaction. */
export interface Change {
  from: LockedComplaint;
  actor: Actor;
  /** New events to chain onto the head (`events`), or events already chained onto it (`chained`). */
  events?: NewEvent[];
  chained?: StoredEvent[];
  /**
   * The new state; absent when the event changes no lifecycle state and only the chain head
   * moves (a note on a case, an audited contact read, an incident link): the same path, so such
   * events still reach the live notification.
   */
  state?: ComplaintState;
  /** Without `state`: the employee the complaint names is set to `value` with the head (complaints/name-employee.ts). */
  namedEmployee?: { value: NamedEmployee | null };
  /** The path of the state's unit when the unit changed. */
  unitPath?: string | null;
  /** False when the state is written only for its chain head (a warning): `updated_at` stays. */
  stateChanged?: boolean;
  sla?: SlaWrite;
  /** The new unit must be in the complaint's province (checked in the UPDATE). */
  sameProvince?: boolean;
  /** The messages this change sends, planned from its chained events. */
  messages?: (events: StoredEvent[], after: LockedComplaint) => OutboxRow[] | Promise<OutboxRow[]>;
}

/** The channel the live feed listens on (live/hub.ts). */
export const LIVE_CHANNEL = 'foad_live';

export interface Committed {
  complaint: LockedComplaint;
  events: StoredEvent[];
}

/**
 * Writes changes to one or more complaints, each locked by the caller in this transaction, in
 * the order above. One change takes the single-row path (its projection UPDATE guarded by the
 * province rule when asked); many are written in one statement per table. Throws
 * `concurrent_change` (or `transfer_cross_province`) when a row moved under its lock: the
 * caller's transaction rolls back and nothing is written.
 */
export async function commit(
  tx: Queryable,
  changes: Change[],
  now: Date,
  /** `set`: write even one change set-based (the sweeper: breach counts, `updated_at` kept for warnings). */
  options: { set?: boolean } = {},
): Promise<Committed[]> {
  if (changes.length === 0) return [];
  const at = now.toISOString();
  const chains = changes.map((c) =>
    c.chained
      ? { events: c.chained, seq: c.chained.at(-1)?.seq ?? c.from.lastSeq, hash: c.chained.at(-1)?.hash ?? c.from.headHash }
      : chainEvents(c.from.id, { seq: c.from.lastSeq, hash: c.from.headHash }, c.actor, c.events ?? [], now),
  );
  await markTimersFired(
    tx,
    changes.flatMap((c) => c.sla?.fired ?? []),
    at,
  );
  await cancelTimers(
    tx,
    changes.flatMap((c) => (c.sla?.cancel ? [{ complaintId: c.from.id, effect: { cancel: c.sla.cancel, timers: [] } }] : [])),
  );
  await insertTimerRows(
    tx,
    changes.flatMap((c) => (c.sla?.timers ?? []).map((t) => ({ ...t, complaintId: c.from.id, firedAt: t.firedAt ?? null }))),
  );
  await insertChainedEvents(
    tx,
    chains.flatMap((c) => c.events),
  );
  if (changes.length === 1 && !options.set) await writeOne(tx, changes[0]!, chains[0]!, now);
  else await writeMany(tx, changes, chains, at);
  await recordBreaches(
    tx,
    changes.flatMap((c) => c.sla?.breaches ?? []),
  );
  const committed = changes.map((c, i) => ({ complaint: afterOf(c, chains[i]!), events: chains[i]!.events }));
  const messages: OutboxRow[] = [];
  for (const [i, c] of changes.entries()) if (c.messages) messages.push(...(await c.messages(committed[i]!.events, committed[i]!.complaint)));
  await enqueue(tx, messages, now);
  await announceEvents(
    tx,
    LIVE_CHANNEL,
    committed.flatMap((c) => c.events.map((e) => e.id)),
  );
  return committed;
}

function afterOf(c: Change, head: { seq: number; hash: string }): LockedComplaint {
  const unitPath = c.state && c.state.unitId !== c.from.unitId ? (c.unitPath ?? null) : c.from.unitPath;
  return {
    ...c.from,
    ...(c.state ?? {}),
    unitPath,
    lastSeq: head.seq,
    headHash: head.hash,
    slaPolicyId: c.from.slaPolicyId ?? c.sla?.slaPolicyId ?? null,
    firstActionAt: c.from.firstActionAt ?? c.sla?.firstActionAt ?? null,
  };
}

async function writeOne(tx: Queryable, c: Change, chain: { seq: number; hash: string }, now: Date): Promise<void> {
  if (!c.state) {
    const moved = c.namedEmployee
      ? await writeNamedEmployee(tx, c.from.id, c.namedEmployee.value, c.from.lastSeq, chain)
      : await updateHead(tx, c.from.id, c.from.lastSeq, chain);
    if (!moved) throw new AppError('concurrent_change');
    return;
  }
  const guard = { sameProvince: c.sameProvince === true && c.state.unitId !== null };
  if (!(await updateProjection(tx, c.from.id, c.from, c.state, chain, now, guard, c.sla ?? {}))) {
    if (guard.sameProvince && !(await staysInProvince(tx, c.from.id, c.state.unitId!))) throw new AppError('transfer_cross_province');
    throw new AppError('concurrent_change');
  }
}

async function writeMany(tx: Queryable, changes: Change[], chains: { seq: number; hash: string }[], at: string): Promise<void> {
  const rows: ProjectionWrite[] = changes.map((c, i) => {
    if (c.sameProvince || c.namedEmployee) throw new Error('the province guard and a named employee are only written on the single-change path');
    return {
      id: c.from.id,
      from: c.from,
      state: c.state ?? c.from,
      head: { seq: chains[i]!.seq, hash: chains[i]!.hash },
      at,
      stateChanged: c.state !== undefined && c.stateChanged !== false,
      breaches: c.sla?.breaches?.length ?? 0,
      slaPolicyId: c.sla?.slaPolicyId ?? null,
      firstActionDueAt: c.sla?.firstActionDueAt,
      firstActionAt: c.sla?.firstActionAt,
    };
  });
  if ((await writeProjections(tx, rows)) !== rows.length) throw new AppError('concurrent_change');
}

/** A new complaint in its final intake state, written by one statement (see `insertComplaint`). */
export async function commitNew(
  db: Queryable,
  complaint: NewComplaint,
  state: ComplaintState,
  unitPath: string | null,
  chain: { seq: number; hash: string; events: StoredEvent[] },
  contact: { phone: string; name: string | null; nationalId: string | null },
  sla: { policyId: number | null; firstActionDueAt: string | null; timers: TimerRow[] },
  outbox: OutboxRow[],
): Promise<void> {
  await insertComplaint(db, complaint, state, unitPath, chain, contact, chain.events, sla, outbox, LIVE_CHANNEL);
}
