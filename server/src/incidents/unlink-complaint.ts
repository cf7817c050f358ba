import type { Clock } from '../core/clock.ts';
import { AppError } from '../core/errors.ts';
import { can } from '../core/roles.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import type { Database } from '../db/database.ts';
import { normalizePersianText } from '../domain/persian-text.ts';
import { lockIncident } from './incident-store.ts';
import { unlinkComplaintInTx } from './link-complaint.ts';

/**
 * Takes a complaint out of an open incident (staff, both in scope): the link ends, the complaint's
 * chain records `incident_unlinked`, and it goes on as a normal complaint — the incident's answer
 * will not reach it, and the arrival check never links it to this incident again.
 */
export async function unlinkComplaint(
  db: Database,
  settings: { publicUrl: string; clock: Clock },
  user: StaffPrincipal,
  incidentId: number,
  complaintId: string,
  reason: string,
): Promise<void> {
  if (!can(user.role, 'complaint.merge')) throw new AppError('forbidden', { action: 'incident.unlink' });
  const text = normalizePersianText(reason);
  if (text.length < 3) throw new AppError('validation_failed', [{ field: 'body.reason', problem: 'must be at least 3 characters of text' }]);
  await db.transaction(async (tx) => {
    const incident = await lockIncident(tx, incidentId, user);
    if (!incident) throw new AppError('incident_not_found');
    if (incident.closedAt !== null) throw new AppError('incident_closed');
    await unlinkComplaintInTx(tx, settings, incident, complaintId, user, text, settings.clock.now());
  });
}
