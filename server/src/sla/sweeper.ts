import { getUnit } from '../agencies/store.ts';
import { afterEvents, applyCommandInTx, type ChangeSettings } from '../complaints/apply-command.ts';
import { lockComplaint, updateHead } from '../complaints/store.ts';
import type { Database, Queryable } from '../db/database.ts';
import { startWorkLoop } from '../db/work-loop.ts';
import { appendEvents } from '../events/store.ts';
import { deadlineAt } from './deadline.ts';

export interface DueTimer {
  id: number;
  complaintId: string;
  kind: 'first_action' | 'answer' | 'satisfaction';
  stage: 'warning' | 'breach' | 'expiry';
  fraction: number;
  fireAt: Date;
  dueAt: Date;
  unitId: number | null;
}

export interface SweepOptions {
  settings: ChangeSettings;
  /** Timers claimed per round. */
  batchSize?: number;
  /** How long a claim holds before another instance may take the timer over (a crashed sweeper). */
  leaseSeconds?: number;
  /** Timers fired side by side (each in its own transaction); 1 on PGlite. */
  concurrency?: number;
}

const SYSTEM = { kind: 'system' as const, id: null };

/**
 * Claims due timers for this instance: `FOR UPDATE SKIP LOCKED` so concurrent sweepers take
 * disjoint sets, and a lease so a timer claimed by a sweeper that died is taken over later.
 * The partial index on `fire_at WHERE fired_at IS NULL` means only due rows are read.
 */
export async function claimDueTimers(db: Queryable, limit: number, leaseSeconds: number): Promise<DueTimer[]> {
  const { rows } = await db.query<DueTimer>({
    name: 'sla-claim',
    text: `UPDATE sla_timers t SET claimed_until = now() + make_interval(secs => $2)
           WHERE t.id IN (
             SELECT id FROM sla_timers
             WHERE fired_at IS NULL AND fire_at <= now() AND (claimed_until IS NULL OR claimed_until < now())
             ORDER BY fire_at LIMIT $1 FOR UPDATE SKIP LOCKED)
           RETURNING t.id, t.complaint_id AS "complaintId", t.kind, t.stage, t.fraction::float8 AS fraction, t.fire_at AS "fireAt",
                     t.due_at AS "dueAt", t.unit_id AS "unitId"`,
    values: [limit, leaseSeconds],
  });
  // RETURNING does not keep the subquery's order: fire in deadline order (a warning before its breach).
  return rows.sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime() || a.id - b.id);
}

/**
 * Fires one timer in one transaction. The complaint is locked first (the same order every
 * state change takes, so no deadlock), then the timer is re-read: a timer that a state change
 * has cancelled, or that another instance fired, does nothing. So each deadline fires once.
 */
export async function fireTimer(tx: Queryable, settings: ChangeSettings, timer: DueTimer): Promise<'fired' | 'skipped'> {
  // A lost commit only means the timer fires again after a crash (everything it writes is in
  // this transaction), so the sweeper does not wait for the WAL flush on every deadline.
  await tx.query('SET LOCAL synchronous_commit = off');
  const complaint = await lockComplaint(tx, timer.complaintId, null);
  if (!complaint) return 'skipped';
  const now = new Date();
  // Mark it fired only if nobody did (another instance) and no state change cancelled it.
  const { rowCount } = await tx.query({
    name: 'sla-mark-fired',
    text: 'UPDATE sla_timers SET fired_at = $2 WHERE id = $1 AND fired_at IS NULL',
    values: [timer.id, now],
  });
  if (rowCount !== 1) return 'skipped';
  const dueAt = timer.dueAt.toISOString();

  if (timer.stage === 'warning') {
    const head = await appendEvents(
      tx,
      complaint.id,
      { seq: complaint.lastSeq, hash: complaint.headHash },
      SYSTEM,
      [{ type: 'sla_warning', data: { kind: timer.kind, fraction: timer.fraction, dueAt, unitId: timer.unitId } }],
      now,
    );
    await updateHead(tx, complaint.id, complaint.lastSeq, head);
    await afterEvents(tx, settings, complaint, { ...complaint, lastSeq: head.seq, headHash: head.hash }, head.events, now);
    return 'fired';
  }

  if (timer.stage === 'expiry') {
    await applyCommandInTx(tx, settings, { id: complaint.id }, SYSTEM, () => ({ type: 'close_unrated' }), { now, locked: complaint });
    return 'fired';
  }

  // A breach: recorded against the unit and its inspection head, then one level up.
  const unit = complaint.unitId === null ? null : await getUnit(tx, complaint.unitId);
  const parentId = unit?.parentId ?? null;
  await tx.query(`INSERT INTO sla_breaches (complaint_id, unit_id, manager_id, kind, due_at, breached_at, escalated_to) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
    complaint.id,
    complaint.unitId,
    unit?.inspectionHeadId ?? null,
    timer.kind,
    timer.dueAt,
    now,
    parentId,
  ]);
  await tx.query('UPDATE complaints SET breach_count = breach_count + 1 WHERE id = $1', [complaint.id]);
  const breached = {
    type: 'sla_breached',
    data: { kind: timer.kind, dueAt, unitId: complaint.unitId, managerId: unit?.inspectionHeadId ?? null, toNationalCentre: parentId === null },
  };
  if (parentId === null) {
    // The top of the tree: nothing above but the national centre, which is told (no new clock).
    const head = await appendEvents(tx, complaint.id, { seq: complaint.lastSeq, hash: complaint.headHash }, SYSTEM, [breached], now);
    await updateHead(tx, complaint.id, complaint.lastSeq, head);
    await afterEvents(tx, settings, complaint, { ...complaint, lastSeq: head.seq, headHash: head.hash }, head.events, now);
    return 'fired';
  }
  await applyCommandInTx(
    tx,
    settings,
    { id: complaint.id },
    SYSTEM,
    async (c, t) => ({ type: 'escalate', toUnitId: parentId, reason: 'sla_breach', dueAt: await deadlineAt(t, c, parentId, now) }),
    { precedingEvents: [breached], now, locked: complaint },
  );
  return 'fired';
}

/** One round: claim a batch of due timers and fire them. Returns how many fired. */
export async function sweepOnce(db: Database, options: SweepOptions): Promise<{ claimed: number; fired: number }> {
  const timers = await claimDueTimers(db.pool, options.batchSize ?? 200, options.leaseSeconds ?? 60);
  let fired = 0;
  // Timers of one complaint go to one worker, in order; different complaints go side by side.
  const byComplaint = new Map<string, DueTimer[]>();
  for (const t of timers) byComplaint.set(t.complaintId, [...(byComplaint.get(t.complaintId) ?? []), t]);
  const queues = [...byComplaint.values()];
  let next = 0;
  const worker = async () => {
    while (next < queues.length) {
      for (const timer of queues[next++]!) {
        try {
          if ((await db.transaction((tx) => fireTimer(tx, options.settings, timer))) === 'fired') fired++;
        } catch {
          // Left claimed: the lease runs out and the timer is tried again (by any instance).
        }
      }
    }
  };
  const concurrency = db.kind === 'pglite' ? 1 : (options.concurrency ?? 4);
  await Promise.all(Array.from({ length: Math.min(concurrency, queues.length) }, worker));
  return { claimed: timers.length, fired };
}

/** Runs the sweeper until stopped: a round every `intervalMs`, at once again while rounds come back full. */
export function startSweeper(db: Database, options: SweepOptions & { intervalMs: number; onError?: (error: unknown) => void }): { stop: () => Promise<void> } {
  return startWorkLoop(async () => ({ full: (await sweepOnce(db, options)).claimed >= (options.batchSize ?? 200) }), options.intervalMs, options.onError);
}
