import type { Database } from '../db/database.ts';
import { IRAN_ADMIN_WEEK } from '../domain/business-clock.ts';
import { fixedHolidays } from '../domain/jalali.ts';

/** Urgent service-quality complaints: 30 working minutes to act, 3 working hours to answer. */
export const URGENT_POLICY = { clock: 'business', firstActionMinutes: 30, answerMinutes: 180 } as const;
/** Ordinary complaints: one working day to act, three working days (7 h each) to answer. */
export const ORDINARY_POLICY = { clock: 'business', firstActionMinutes: 420, answerMinutes: 3 * 420 } as const;

/**
 * The SLA reference data: Iran's administrative calendar (Saturday–Wednesday 07:00–14:00,
 * Asia/Tehran) with the fixed solar holidays of 1404–1406 — the lunar ones move every year and
 * are imported from CSV — and one policy per seed category plus a national default.
 * Runs once, on a database without calendars.
 */
export async function seedSlaReference(db: Database): Promise<boolean> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM calendars');
    if (rows[0]!.n > 0) return false;
    await tx.query(`INSERT INTO calendars (code, name_fa, timezone, week) VALUES ('iran', 'تقویم اداری کشور', 'Asia/Tehran', $1)`, [
      JSON.stringify(IRAN_ADMIN_WEEK),
    ]);
    for (const jy of [1404, 1405, 1406]) {
      for (const h of fixedHolidays(jy)) {
        await tx.query(`INSERT INTO holidays (calendar_id, day, jalali, name_fa, kind) VALUES (NULL, $1, $2, $3, 'solar') ON CONFLICT DO NOTHING`, [
          h.day,
          h.jalali,
          h.nameFa,
        ]);
      }
    }
    await tx.query(
      `INSERT INTO sla_policies (category_id, agency_id, version, clock, first_action_minutes, answer_minutes)
       VALUES (NULL, NULL, 1, $1, $2, $3)`,
      [ORDINARY_POLICY.clock, ORDINARY_POLICY.firstActionMinutes, ORDINARY_POLICY.answerMinutes],
    );
    const categories = await tx.query<{ id: number; urgent: boolean }>('SELECT id, urgent FROM categories');
    for (const c of categories.rows) {
      const p = c.urgent ? URGENT_POLICY : ORDINARY_POLICY;
      await tx.query(
        `INSERT INTO sla_policies (category_id, agency_id, version, clock, first_action_minutes, answer_minutes) VALUES ($1, NULL, 1, $2, $3, $4)`,
        [c.id, p.clock, p.firstActionMinutes, p.answerMinutes],
      );
    }
    return true;
  });
}
