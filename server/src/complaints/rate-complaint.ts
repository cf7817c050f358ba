import { activeIndicatorCodesExist } from '../agencies/catalogue-store.ts';
import { AppError } from '../core/errors.ts';
import type { Database } from '../db/database.ts';
import type { Status } from '../domain/lifecycle.ts';
import { normalizePersianText } from '../domain/persian-text.ts';
import { deadlineAt } from '../sla/deadline.ts';
import { satisfactionExpiry } from '../sla/store.ts';
import { applyCommand, type ChangeSettings } from './apply-command.ts';
import { unitAbove } from './staff-actions.ts';

/** The citizen's rating of an answer, as the tracking page sends it. */
export interface Rating {
  satisfied: boolean;
  comment?: string | undefined;
  /** With "not satisfied": the codes of the quality indicators that failed. */
  indicators?: string[] | undefined;
}

/**
 * The citizen rates the answer to their complaint. "Satisfied" closes it; "not satisfied" is
 * counted and reopens it one level up the tree with a fresh deadline. `complaintId` is the one
 * the citizen's session opened (tracking/citizen-tracking.ts `citizenComplaintId`). The time is
 * the settings' clock, taken once inside the command (apply-command.ts); once that clock is past
 * the satisfaction window (the answer's expiry timer) the rating is refused, whether or not the
 * sweeper has closed the complaint yet.
 */
export async function rateComplaint(db: Database, settings: ChangeSettings, complaintId: string, rating: Rating): Promise<{ status: Status }> {
  const comment = rating.comment ? normalizePersianText(rating.comment) : null;
  const indicators = [...new Set(rating.indicators ?? [])].sort();
  if (indicators.length && rating.satisfied) throw new AppError('validation_failed', { field: 'indicators', problem: 'only with “not satisfied”' });
  if (indicators.length && !(await activeIndicatorCodesExist(db.pool, indicators))) throw new AppError('unknown_indicator', { indicators });
  const applied = await applyCommand(db, settings, { id: complaintId }, { kind: 'citizen', id: null }, async (c, tx, now) => {
    const closesAt = c.status === 'answered' ? await satisfactionExpiry(tx, c.id) : null;
    if (closesAt && closesAt <= now) throw new AppError('rating_window_closed');
    if (rating.satisfied) return { type: 'rate', satisfied: true, comment };
    const toUnitId = await unitAbove(tx, c);
    return { type: 'rate', satisfied: false, comment, toUnitId, dueAt: await deadlineAt(tx, c, toUnitId, now), indicators };
  });
  return { status: applied.complaint.status };
}

/** The citizen objects to a rejection: the complaint reopens one level up with a fresh deadline. */
export async function objectToRejection(db: Database, settings: ChangeSettings, complaintId: string, reason: string): Promise<{ status: Status }> {
  const applied = await applyCommand(db, settings, { id: complaintId }, { kind: 'citizen', id: null }, async (c, tx, now) => {
    // A complaint rejected at triage has no unit yet: it goes back to the 128 operators.
    if (c.unitId === null) throw new AppError('invalid_transition', { status: c.status });
    const toUnitId = await unitAbove(tx, c);
    return { type: 'object', reason: normalizePersianText(reason), toUnitId, dueAt: await deadlineAt(tx, c, toUnitId, now) };
  });
  return { status: applied.complaint.status };
}
