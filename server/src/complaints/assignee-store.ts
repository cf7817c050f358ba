import type { Queryable } from '../db/database.ts';
import { ASSIGNABLE_STAFF } from './store.ts';

/** Whether a staff member may be assigned complaints of a unit (active, in the unit or below it, in a working role). */
export async function isAssignable(db: Queryable, unitId: number | null, assigneeId: number): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 FROM (${ASSIGNABLE_STAFF}) a WHERE a.id = $2`, [unitId, assigneeId]);
  return rows.length > 0;
}
