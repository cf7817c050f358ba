import type { Clock } from '../core/clock.ts';
import { AppError } from '../core/errors.ts';
import { can } from '../core/roles.ts';
import type { StaffPrincipal } from '../core/scope.ts';
import type { Database } from '../db/database.ts';
import type { IncidentPublicStatus } from '../domain/incident.ts';
import { normalizePersianText } from '../domain/persian-text.ts';
import { lockComplaint } from '../events/projection-store.ts';
import { currentLinks, lockIncident, updateIncidentRow } from './incident-store.ts';
import { appendAndTell } from './link-complaint.ts';

export interface UpdateIncidentInput {
  titleFa?: string | undefined;
  publicStatus?: Extract<IncidentPublicStatus, 'investigating' | 'handling'> | undefined;
}

/**
 * Changes an open incident's public title and/or status (staff who may open one, in scope). The
 * change is recorded as `incident_updated` on every linked complaint's chain — the chain is where
 * each citizen's case keeps its history, so the record travels with the complaint and verifies
 * with it — and a change of status tells each linked citizen once by SMS. The public tracking page
 * reads the incident row, so it shows the new status at once. A linked complaint outside the
 * changer's scope is "not found" and nothing is written; no change at all writes nothing.
 */
export async function updateIncident(
  db: Database,
  settings: { publicUrl: string; clock: Clock },
  user: StaffPrincipal,
  incidentId: number,
  input: UpdateIncidentInput,
): Promise<void> {
  if (!can(user.role, 'complaint.merge')) throw new AppError('forbidden', { action: 'incident.update' });
  const titleFa = input.titleFa === undefined ? undefined : normalizePersianText(input.titleFa);
  if (titleFa !== undefined && titleFa.length < 5)
    throw new AppError('validation_failed', [{ field: 'body.titleFa', problem: 'must be at least 5 characters of text' }]);
  await db.transaction(async (tx) => {
    const incident = await lockIncident(tx, incidentId, user);
    if (!incident) throw new AppError('incident_not_found');
    if (incident.closedAt !== null) throw new AppError('incident_closed');
    const title = titleFa ?? incident.titleFa;
    const publicStatus = input.publicStatus ?? incident.publicStatus;
    if (title === incident.titleFa && publicStatus === incident.publicStatus) return;
    const now = settings.clock.now();
    const data = { incidentId: incident.id, title, publicStatus, statusChanged: publicStatus !== incident.publicStatus, previousStatus: incident.publicStatus };
    for (const complaintId of await currentLinks(tx, incident.id)) {
      const complaint = await lockComplaint(tx, complaintId, user);
      if (!complaint) throw new AppError('complaint_not_found', { id: complaintId });
      await appendAndTell(tx, settings, complaint, { kind: 'staff', id: user.id }, { type: 'incident_updated', data }, now);
    }
    await updateIncidentRow(tx, incident.id, title, publicStatus);
  });
}
