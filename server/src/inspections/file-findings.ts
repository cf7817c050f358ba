import { AppError } from '../core/errors.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import type { Database } from '../db/database.ts';
import { activeIndicatorIds, findInspection, type Inspection, saveFindings } from './store.ts';

/** The inspector files findings: one score (0–100) and notes for every active quality indicator, once. */
export async function fileFindings(
  db: Database,
  user: StaffPrincipal,
  id: number,
  input: { visitedAt: string; summary?: string | undefined; findings: { indicatorId: number; score: number; notes?: string | undefined }[] },
  now: Date,
): Promise<Inspection> {
  return db.transaction(async (tx) => {
    const inspection = await findInspection(tx, id, user, { readScope: false, forUpdate: true });
    if (!inspection) throw new AppError('inspection_not_found');
    if (inspection.status === 'filed') throw new AppError('inspection_filed');
    const active = await activeIndicatorIds(tx);
    const given = input.findings.map((f) => f.indicatorId);
    const complete = given.length === active.length && new Set(given).size === given.length && active.every((a) => given.includes(a));
    if (!complete) throw new AppError('findings_incomplete', { expected: active, given });
    const visitedAt = new Date(input.visitedAt);
    if (visitedAt < inspection.dispatchedAt || visitedAt > now)
      throw new AppError('validation_failed', { field: 'visitedAt', reason: 'between dispatch and now' });
    await saveFindings(tx, id, {
      visitedAt,
      summary: input.summary?.trim() || null,
      findings: input.findings.map((f) => ({ indicatorId: f.indicatorId, score: f.score, notes: f.notes?.trim() ?? '' })),
      now,
    });
    return (await findInspection(tx, id, user, { readScope: false }))!;
  });
}
