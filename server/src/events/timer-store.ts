import type { Queryable } from '../db/database.ts';
import type { SlaEffect, TimerRow } from '../sla/plan.ts';

/*
 * The SLA timers and breaches a change writes, for the unit of work (unit-of-work.ts). The rest
 * of the SLA SQL (policies, calendars, claiming due timers) stays in sla/store.ts; these writes
 * live here, beside the projection they move with, because the sweeper in sla/ commits through
 * the unit of work and the unit of work must not import sla/ back.
 */

/** Marks timers fired, at the moment they were decided. */
export async function markTimersFired(db: Queryable, ids: number[], at: string): Promise<void> {
  if (ids.length === 0) return;
  await db.query({ name: 'sla-mark-fired-batch', text: 'UPDATE sla_timers SET fired_at = $2 WHERE id = ANY($1::bigint[])', values: [ids, at] });
}

/**
 * Drops the unfired timers of many complaints in a few statements (all, or of some kinds). The
 * new rows go through `insertTimerRows`; the complaint-row columns of an effect (first action)
 * are written with the projection (projection-store.ts).
 */
export async function cancelTimers(db: Queryable, effects: { complaintId: string; effect: SlaEffect }[]): Promise<void> {
  const all = effects.filter((e) => e.effect.cancel === 'all').map((e) => e.complaintId);
  if (all.length > 0) {
    await db.query({ name: 'sla-cancel-all-batch', text: 'DELETE FROM sla_timers WHERE complaint_id = ANY($1::uuid[]) AND fired_at IS NULL', values: [all] });
  }
  const kinds = effects.flatMap((e) => (e.effect.cancel === 'all' ? [] : e.effect.cancel.map((kind) => ({ complaintId: e.complaintId, kind }))));
  if (kinds.length > 0) {
    await db.query({
      name: 'sla-cancel-kinds-batch',
      text: `DELETE FROM sla_timers t USING unnest($1::uuid[], $2::text[]) AS k(complaint_id, kind)
             WHERE t.complaint_id = k.complaint_id AND t.kind = k.kind AND t.fired_at IS NULL`,
      values: [kinds.map((k) => k.complaintId), kinds.map((k) => k.kind)],
    });
  }
}

/**
 * Writes timer rows of many complaints in one statement: pending ones (a clock's next stage) and,
 * with `firedAt`, stages that fired in the same round as the one before them (after a downtime).
 */
export async function insertTimerRows(db: Queryable, rows: (TimerRow & { complaintId: string; firedAt: string | null })[]): Promise<void> {
  if (rows.length === 0) return;
  await db.query({
    name: 'sla-insert-timer-rows',
    text: `INSERT INTO sla_timers (complaint_id, kind, stage, fraction, fire_at, due_at, unit_id, later, fired_at)
           SELECT t."complaintId", t.kind, t.stage, t.fraction, t."fireAt", t."dueAt", t."unitId", t.later, t."firedAt"
           FROM jsonb_to_recordset($1::jsonb) AS t("complaintId" uuid, kind text, stage text, fraction numeric, "fireAt" timestamptz,
             "dueAt" timestamptz, "unitId" int, later jsonb, "firedAt" timestamptz)`,
    values: [JSON.stringify(rows)],
  });
}

/** A missed deadline, recorded against the unit and its manager (the inspection head). */
export interface BreachRecord {
  complaintId: string;
  unitId: number;
  managerId: number | null;
  kind: 'first_action' | 'answer';
  dueAt: string;
  breachedAt: string;
  escalatedTo: number | null;
}

export async function recordBreaches(db: Queryable, breaches: BreachRecord[]): Promise<void> {
  if (breaches.length === 0) return;
  await db.query({
    name: 'sla-record-breaches',
    text: `INSERT INTO sla_breaches (complaint_id, unit_id, manager_id, kind, due_at, breached_at, escalated_to)
           SELECT b."complaintId", b."unitId", b."managerId", b.kind, b."dueAt", b."breachedAt", b."escalatedTo"
           FROM jsonb_to_recordset($1::jsonb) AS b("complaintId" uuid, "unitId" int, "managerId" int, kind text, "dueAt" timestamptz,
             "breachedAt" timestamptz, "escalatedTo" int)`,
    values: [JSON.stringify(breaches)],
  });
}
