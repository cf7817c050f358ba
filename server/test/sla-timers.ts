import type { Queryable } from '../src/db/database.ts';

/**
 * Makes a complaint's clock due up to and including its last pending `stage` (one row per clock
 * holds the next stage; the stages after it are in `later`), as if that time had come.
 */
export async function makeStageDue(db: Queryable, complaintId: string, kind: string, stage: string): Promise<void> {
  const { rows } = await db.query<{ id: number; stage: string; later: { stage: string; fireAt: string }[] }>(
    'SELECT id, stage, later FROM sla_timers WHERE complaint_id = $1 AND kind = $2 AND fired_at IS NULL',
    [complaintId, kind],
  );
  const past = new Date(Date.now() - 1000).toISOString();
  for (const row of rows) {
    const stages = [row.stage, ...row.later.map((l) => l.stage)];
    const last = stages.lastIndexOf(stage);
    if (last < 0) continue;
    const later = row.later.map((l, i) => (i + 1 <= last ? { ...l, fireAt: past } : l));
    await db.query('UPDATE sla_timers SET fire_at = $2, later = $3 WHERE id = $1', [row.id, past, JSON.stringify(later)]);
  }
}
